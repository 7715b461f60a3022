// 待办 (issue 17): a village or town worker's tasks are worked out on the phone from her replica
// by the rules the server runs (shared::tasks): the list is the server's warnings view, item
// for item, online, and still there after an offline reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, freshApp, launchBrowser, logIn, unlock } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The server's open warnings for the logged-in account, as the tasks list shows them. */
async function serverTasks(page, url) {
  const res = await page.request.get(`${url}/api/views/warnings`);
  assert.equal(res.status(), 200, await res.text());
  const view = await res.json();
  return view.warnings.map((w) => [w.code, w.unit, w.record?.id ?? ""]);
}

/** The tasks page's list, in its order. */
async function shownTasks(page) {
  await page.click('.nav a[href="/tasks"]');
  await page.waitForSelector("#task-list, #tasks-none");
  return page.$$eval("#task-list li.task", (lis) =>
    lis.map((li) => [li.dataset.code, li.dataset.unit, li.dataset.record ?? ""]));
}

test("a village worker's tasks are the server's warnings, worked out on the phone, offline after a reload too", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    const expected = await serverTasks(page, t.server.url);
    assert.ok(expected.length >= 2, `the demo village has open warnings (${expected.length})`);
    assert.ok(expected.some(([, , id]) => id !== ""), "some are about a record");
    assert.deepEqual(await shownTasks(page), expected);

    // A task opens the record it is about.
    const first = await page.$("#task-list li.task[data-record] a.open-record");
    const id = await first.evaluate((a) => a.closest("li").dataset.record);
    await first.click();
    await page.waitForSelector(`#record-detail[data-id="${id}"]`);

    await t.server.stop();
    await page.route("**/*", (route) => route.abort());
    await page.reload().catch(() => {});
    await page.unroute("**/*");
    await unlock(page, { username: DEMO.username, waitFor: "#current-user" });
    assert.deepEqual(await shownTasks(page), expected, "the same list offline");
    assert.match(await page.textContent("#tasks-as-of"), /离线时也可查看/);
  } finally {
    t.server = { stop: async () => {} };
    await t.tearDown();
  }
});

test("a town's tasks cover its villages as the server's do", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page, { username: "baipu", waitFor: "#current-user" });
    const expected = await serverTasks(page, t.server.url);
    assert.ok(new Set(expected.map(([, unit]) => unit)).size >= 2, "tasks of several units");
    assert.deepEqual(await shownTasks(page), expected);
  } finally {
    await t.tearDown();
  }
});
