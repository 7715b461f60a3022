// A village worker logs in and fills in a visit record in the browser; the server ends up
// holding it once, whatever happens to the network or the session on the way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DEMO, deviceStorage, draftId, launchBrowser, logIn, startServer, storedVisits, unlock, freshApp,
} from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const level = (page) => page.locator("#risk-level").getAttribute("data-level");
const warningCodes = (page) =>
  page.locator("#warnings li").evaluateAll((els) => els.map((e) => e.dataset.code));

async function fillBasics(page, name) {
  await page.fill('[name="parties[0].name"]', name);
  await page.fill('[name="parties[0].phone"]', "138 1234 1234");
  await page.fill('[name="summary"]', "丈夫酒后多次动手，妻子多次求助");
  await page.fill('[name="visitor"]', "李娟");
}

/** The server's copies of record `id`, as the logged-in browser sees them. */
async function copiesOf(page, url, id) {
  const all = await storedVisits(page.request, url);
  return all.filter((v) => v.record.id === id);
}

/** A fresh server and a fresh browser context (own storage and cookies). */
const setUp = () => freshApp(browser);

test("log in, fill in, preview, reload, submit: the server holds the record once", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    // Not logged in: the login page, Chinese first.
    await page.waitForSelector("text=请使用妇联工作账号登录");
    await logIn(page);
    assert.equal(await page.textContent("#current-user"), "林梓村 李娟");
    assert.equal(await level(page), "yellow");
    // The village is the user's only one, chosen already.
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    assert.equal(await page.locator('select[name="org_unit"] option:checked').textContent(), "林梓村");

    await fillBasics(page, "王芳");
    await page.check('input[name="category"][value="B"]');
    // The B-only conditions appear, and severe violence is a must-report at once.
    await page.check('[name="severe_violence"]');
    await page.waitForSelector('#warnings li[data-code="report.severe_violence"]');
    assert.equal(await level(page), "yellow");
    await page.check('[name="escalation.may_intensify"]');
    await page.waitForSelector('#risk-level[data-level="red"]');
    assert.deepEqual(await warningCodes(page), ["report.severe_violence", "risk.red", "report.red"]);

    // A wrong phone number gets a message naming the field, as it is typed.
    await page.fill('[name="parties[0].phone"]', "12345");
    await page.waitForSelector("text=联系电话：请填写手机号");
    await page.fill('[name="parties[0].phone"]', "138 1234 1234");
    assert.equal(await page.locator(".error").count(), 0);

    // The draft survives a reload: the device's data is locked then, and the password (the
    // user is filled in) opens the same draft again.
    const draft = await page.getAttribute("#drafts", "data-current");
    const id = await draftId(page);
    await page.reload();
    await page.waitForSelector("#login-password");
    assert.equal(await page.locator('[name="summary"]').count(), 0, "nothing of the draft shows before the unlock");
    await unlock(page);
    await page.waitForSelector('#risk-level[data-level="red"]');
    assert.equal(await page.getAttribute("#drafts", "data-current"), draft);
    assert.equal(await draftId(page), id);
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    assert.equal(await page.inputValue('[name="summary"]'), "丈夫酒后多次动手，妻子多次求助");
    assert.ok(await page.isChecked('[name="severe_violence"]'));
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);

    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    // A fresh form for the next household, same village and visitor.
    assert.equal(await page.inputValue('[name="summary"]'), "");
    assert.equal(await page.inputValue('[name="visitor"]'), "李娟");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);

    const stored = await copiesOf(page, t.server.url, id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].record.parties[0].name, "王芳");
    assert.equal(stored[0].record.parties[0].phone, "13812341234");
    assert.equal(stored[0].record.org_unit, DEMO.unit);
    assert.equal(stored[0].unit, DEMO.unit);
    assert.equal(stored[0].author, DEMO.username);
    assert.equal(stored[0].assessment.level, "red");

    // 续办: the record is opened from the records page and marked resolved today; the server
    // keeps it as version 2 and its red alert is gone.
    await page.goto(`${t.server.url}/records?kind=visit&id=${id}`);
    await unlock(page, { waitFor: "#record-detail" });
    await page.waitForSelector(`#record-detail[data-id="${id}"] #continue-visit`);
    await page.click("#continue-visit");
    await page.waitForSelector('#continuing[data-version="1"]');
    assert.equal(new URL(page.url()).pathname, "/visits/new");
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    await page.fill('[name="resolved_on"]', today);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector("#continuing", { state: "detached" });
    let now;
    for (let i = 0; i < 60; i++) {
      now = (await copiesOf(page, t.server.url, id))[0];
      if (now.version === 2) break;
      await page.waitForTimeout(250);
    }
    assert.equal(now.version, 2, "the change is stored as version 2");
    assert.equal(now.record.resolved_on, today);
    assert.equal(now.record.parties[0].phone, "13812341234", "the rest is kept");
    assert.ok(!now.assessment.warnings.some((w) => w.code === "risk.red"), "no red alert once resolved");
    assert.equal((await copiesOf(page, t.server.url, id)).length, 1, "still one record");
  } finally {
    await t.tearDown();
  }
});

test("a wrong password shows the server's message; too many tries say how long to wait", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await page.waitForSelector("#login-username");
    await page.fill("#login-username", DEMO.username);
    await page.fill("#login-password", "not-the-password");
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#login-error");
    assert.equal(await page.textContent("#login-error"), "用户名或密码不正确");
    assert.equal(await page.getAttribute("#login-error", "data-status"), "401");
    assert.equal(await page.inputValue("#login-password"), "", "typed again from scratch");
    assert.equal(await page.locator("#risk-level").count(), 0);
    // The server's English words after the switch.
    await page.click("button.lang");
    assert.equal(await page.textContent("#login-error"), "Wrong username or password");
    await page.click("button.lang");

    // The server allows 5 tries per account in a burst; the 6th is 429 with Retry-After.
    for (let i = 0; i < 5; i++) {
      await page.fill("#login-password", `wrong-${i}`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/login")),
        page.click('.login-form button[type="submit"]'),
      ]);
      await page.waitForSelector(`#login-error[data-status="${answer.status()}"]`);
      if (answer.status() === 429) break;
      await page.waitForSelector('.login-form button[type="submit"]:not([disabled])');
    }
    await page.waitForSelector('#login-error[data-status="429"]');
    assert.match(await page.textContent("#login-error"), /^尝试次数过多，请 \d+ 秒后再试$/);
    assert.ok(await page.isDisabled('.login-form button[type="submit"]'), "no new try before the wait is over");
  } finally {
    await t.tearDown();
  }
});

test("submitted while the server is down, sent once it is back", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    const addr = t.server.addr;
    await t.server.stop();

    await fillBasics(page, "赵敏");
    await page.check('input[name="category"][value="A"]');
    const id = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector('#outbox li[data-state="waiting"] .detail', { timeout: 15000 });
    assert.equal(await page.locator("#unsent-count").getAttribute("data-count"), "1");
    assert.match(await page.textContent("#outbox li .detail"), /无法连接服务器/);
    await page.waitForSelector('#net-state[data-reach="unreachable"]');

    // It waits in browser storage, not only in page memory: in the account's vault, encrypted.
    let kept;
    for (let i = 0; i < 50; i++) {
      kept = await deviceStorage(page);
      if (kept.keys.includes(`${DEMO.username}\u0001outbox:${id}`)) break;
      await page.waitForTimeout(100);
    }
    assert.ok(kept.keys.includes(`${DEMO.username}\u0001outbox:${id}`), JSON.stringify(kept.keys));
    assert.ok(!kept.text.includes("赵敏"), "no name in the clear on the device");
    t.server = await startServer({ db: t.tmp.db, addr });
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 45000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    const stored = await copiesOf(page, t.server.url, id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].record.parties[0].name, "赵敏");
  } finally {
    await t.tearDown();
  }
});

test("a session ended on the server: the record waits, the app asks for a login, then sends it", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    // The session ends on the server (as after its idle timeout) while the form is open.
    const out = await page.request.post(`${t.server.url}/api/logout`);
    assert.equal(out.status(), 204);

    await fillBasics(page, "钱红");
    await page.check('input[name="category"][value="A"]');
    const id = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    // A 401 is no rejection: the record waits, saying why; the form stays usable.
    await page.waitForSelector("#login-banner", { timeout: 15000 });
    const item = page.locator(`#outbox li[data-id="${id}"]`);
    assert.equal(await item.getAttribute("data-state"), "waiting");
    assert.equal(await item.locator(".detail").textContent(), "请先登录 / please log in");
    assert.equal(await page.locator("#unsent-count").getAttribute("data-count"), "1");
    assert.equal(await page.inputValue('[name="visitor"]'), "李娟");

    await page.click("#login-banner button");
    await page.waitForSelector("text=登录已过期，请重新登录。");
    assert.equal(await page.inputValue("#login-username"), DEMO.username, "the user is filled in");
    assert.match(await page.textContent("#device-note"), /本机有此账号 1 条未发送的记录。/);
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    // After the login the outbox goes at once.
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    assert.equal(await page.locator("#login-banner").count(), 0);
    assert.equal((await copiesOf(page, t.server.url, id)).length, 1);
  } finally {
    await t.tearDown();
  }
});

test("logging out ends the server's session and keeps the device's draft and unsent records, encrypted", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    // The record cannot reach the server (the API is cut off; the page itself stays).
    await page.route("**/api/visits", (route) => route.abort("internetdisconnected"));
    await fillBasics(page, "孙丽");
    await page.check('input[name="category"][value="A"]');
    const id = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="waiting"] .detail`, { timeout: 15000 });
    await page.fill('[name="summary"]', "下一户的草稿");
    const draft = await page.getAttribute("#drafts", "data-current");

    // Logging out asks whether to keep this account's data on the device: kept.
    await page.click("#logout");
    await page.waitForSelector("#logout-dialog");
    await page.click("#logout-keep");
    await page.waitForSelector("text=已退出登录。");
    assert.equal(await page.locator("#logout-dialog").count(), 0);
    assert.match(await page.textContent("#device-note"), /本机有此账号 1 条未发送的记录。/);
    assert.match(await page.textContent("#device-note"), /加密保存在本机/);
    // Nothing of the records shows to whoever holds the device now; the account used last is
    // filled in.
    assert.equal(await page.locator("#outbox").count(), 0);
    assert.equal(await page.locator('[name="summary"]').count(), 0);
    assert.equal(await page.locator("#current-user").count(), 0);
    assert.equal(await page.inputValue("#login-username"), DEMO.username);
    // The server's session is over; the device keeps the draft and the record, encrypted.
    await page.waitForFunction(() => localStorage.getItem("jiajia.v1.logout_pending") === null);
    assert.equal((await page.request.get(`${t.server.url}/api/me`)).status(), 401);
    const kept = await deviceStorage(page);
    assert.ok(kept.keys.includes(`${DEMO.username}\u0001outbox:${id}`), JSON.stringify(kept.keys));
    assert.ok(kept.keys.includes(`${DEMO.username}\u0001draft:${draft}`), JSON.stringify(kept.keys));
    for (const words of ["孙丽", "下一户的草稿", "丈夫酒后"]) {
      assert.ok(!kept.text.includes(words), `"${words}" is not on the device in the clear`);
    }

    // The next login sends it, and the draft is there.
    await page.unroute("**/api/visits");
    await unlock(page);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    assert.equal(await page.inputValue('[name="summary"]'), "下一户的草稿");
    assert.equal(await page.getAttribute("#drafts", "data-current"), draft);
    assert.equal((await copiesOf(page, t.server.url, id)).length, 1);
  } finally {
    await t.tearDown();
  }
});

test("drafts: a new one beside the one begun, the current one reopened after a reload, resumed, discarded on confirmation", async () => {
  const t = await setUp();
  const { page } = t;
  const answers = [];
  page.on("dialog", (d) => (answers.shift() ? d.accept() : d.dismiss()));
  const drafts = () => page.locator("#drafts li.draft[data-draft]").evaluateAll((els) => els.map((e) => e.dataset.draft));
  try {
    await page.goto(t.server.url);
    await logIn(page);
    await page.fill('[name="parties[0].name"]', "王芳");
    await page.fill('[name="summary"]', "第一户");
    const first = await page.getAttribute("#drafts", "data-current");
    const firstRecord = await draftId(page);

    // 新建: a fresh form, a record of its own; the first draft is listed, as typed.
    await page.click("#new-draft");
    await page.waitForFunction((d) => document.querySelector("#drafts").dataset.current !== d, first);
    const second = await page.getAttribute("#drafts", "data-current");
    assert.equal(await page.inputValue('[name="summary"]'), "");
    assert.notEqual(await draftId(page), firstRecord);
    assert.match(await page.textContent(`#drafts li.draft[data-draft="${first}"] .line`), /王芳/);
    await page.fill('[name="parties[0].name"]', "李梅");
    await page.fill('[name="summary"]', "第二户");
    await page.waitForSelector('#drafts[data-count="2"]');
    assert.deepEqual((await drafts()).sort(), [first, second].sort());

    // A reload (and the unlock after it) reopens the draft that was open.
    await page.reload();
    await unlock(page);
    await page.waitForSelector(`#drafts[data-current="${second}"]`);
    assert.equal(await page.inputValue('[name="summary"]'), "第二户");
    assert.deepEqual((await drafts()).sort(), [first, second].sort());

    // Resumed: the first one as it was typed.
    await page.evaluate(() => { document.querySelector("#drafts").open = true; });
    await page.click(`#drafts li.draft[data-draft="${first}"] .resume`);
    await page.waitForSelector(`#drafts[data-current="${first}"]`);
    assert.equal(await page.inputValue('[name="summary"]'), "第一户");
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    assert.equal(await draftId(page), firstRecord);

    // Discarding asks first: declined, the draft stays; confirmed, it is gone.
    answers.push(false);
    await page.click(`#drafts li.draft[data-draft="${second}"] .discard`);
    await page.waitForTimeout(300);
    assert.deepEqual((await drafts()).sort(), [first, second].sort());
    answers.push(true);
    await page.click(`#drafts li.draft[data-draft="${second}"] .discard`);
    await page.waitForSelector(`#drafts li.draft[data-draft="${second}"]`, { state: "detached" });
    assert.deepEqual(await drafts(), [first]);
    assert.equal(await page.inputValue('[name="summary"]'), "第一户", "the open draft is untouched");

    // A new draft has the worker's only village chosen, as the first form had.
    await page.click("#new-draft");
    await page.waitForFunction((d) => document.querySelector("#drafts").dataset.current !== d, first);
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit, "新建: the only village is chosen");
  } finally {
    await t.tearDown();
  }
});

// Reopening with the server really stopped is offline.test.mjs's (the service worker's part).
// What is checked here is the app's: after one login on this device its password unlocks it
// when the server's API does not answer, and only its password.
test("after a login the app reopens, unlocks offline with the password and works while the server's API is unreachable", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    await page.route("**/api/**", (route) => route.abort("internetdisconnected"));
    await page.reload();
    await page.waitForSelector("#login-password");
    assert.equal(await page.locator("#risk-level").count(), 0);
    assert.equal(await page.locator("#current-user").count(), 0);
    // A wrong password does not open the device's data offline.
    await page.waitForFunction((u) => document.querySelector("#login-username")?.value === u, DEMO.username);
    await page.fill("#login-password", "not-the-password");
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#login-error");
    assert.match(await page.textContent("#login-error"), /离线解锁：密码不正确/);
    assert.equal(await page.locator("#risk-level").count(), 0);

    await unlock(page);
    assert.equal(await page.textContent("#current-user"), "林梓村 李娟");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);

    await fillBasics(page, "周燕");
    await page.check('input[name="category"][value="A"]');
    const id = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="waiting"] .detail`, { timeout: 15000 });
    await page.unroute("**/api/**");
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 45000 });
    assert.equal((await copiesOf(page, t.server.url, id)).length, 1);
  } finally {
    await t.tearDown();
  }
});

test("a first login on this device needs the server", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await page.waitForSelector("#login-username");
    await page.route("**/api/**", (route) => route.abort("internetdisconnected"));
    await page.fill("#login-username", DEMO.username);
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#login-error");
    assert.match(await page.textContent("#login-error"), /首次登录请联网/);
    assert.equal(await page.locator("#risk-level").count(), 0);
    // No vault was made for the refused login.
    assert.deepEqual((await deviceStorage(page)).keys, []);
    await page.unroute("**/api/**");
    await logIn(page);
  } finally {
    await t.tearDown();
  }
});
