// Reliability in the browser: the outbox survives closing and reopening the browser (a
// persistent profile), a server error or a timeout never takes a record out of it, an answer
// lost after the server stored the record does not store it twice, what the previous version
// left in localStorage moves into the vault at the first login (an outbox item this version
// cannot read included, never lost), and script text in a record is shown as text, never run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";
import {
  DEMO, deviceStorage, draftId, launchBrowser, logIn, outboxItems, scratch, startServer, storedVisits, unlock,
} from "./harness.mjs";

const SCRIPT = "<script>alert(1)</script>'; DROP TABLE records;--";
/** Where the previous version kept the outbox (plaintext localStorage). */
const OLD_OUTBOX = "jiajia.v1.outbox";

// The same browser as harness.mjs, but with a profile on disk that outlives the browser.
const FLAGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];
const chromiumPath = () =>
  process.env.CHROMIUM ||
  execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
const launchProfile = (dir) =>
  chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: FLAGS });

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const outboxIds = async (page) => (await outboxItems(page)).map((i) => i.id);
/** The vault's item key of outbox item `id` (IndexedDB; the item itself is encrypted). */
const vaultKey = (id) => `${DEMO.username}\u0001outbox:${id}`;

async function fillVisit(page, name, summary = "婆媳长期不和，多次争吵") {
  await page.fill('[name="parties[0].name"]', name);
  await page.fill('[name="parties[0].phone"]', "139 0000 1111");
  await page.fill('[name="summary"]', summary);
  await page.fill('[name="visitor"]', "李娟");
  await page.check('input[name="category"][value="A"]');
}

/** Fills in and submits a visit record; returns its id. */
async function submitVisit(page, name, summary) {
  await fillVisit(page, name, summary);
  const id = await draftId(page);
  await page.click('.visit-form button[type="submit"]');
  await page.waitForSelector(`#outbox li[data-id="${id}"]`, { timeout: 15000 });
  return id;
}

async function copiesOf(request, url, id) {
  return (await storedVisits(request, url)).filter((v) => v.record.id === id);
}

/** Tells the app the network is back: every waiting record is due at once. */
const backOnline = (page) => page.evaluate(() => window.dispatchEvent(new Event("online")));

test("the outbox survives closing and reopening the browser, and is sent once", async () => {
  const tmp = scratch();
  const profile = mkdtempSync(join(tmpdir(), "jiajia-profile-"));
  const server = await startServer({ db: tmp.db });
  let context = await launchProfile(profile);
  try {
    let page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await logIn(page);
    // The API is cut off: the records wait.
    await page.route("**/api/visits", (route) => route.abort("internetdisconnected"));
    const first = await submitVisit(page, "吴霞");
    const second = await submitVisit(page, "郑丽");
    await page.waitForSelector(`#outbox li[data-id="${second}"][data-state="waiting"] .detail`, { timeout: 15000 });
    assert.deepEqual((await outboxIds(page)).sort(), [first, second].sort());
    // Closed once the vault has stored both.
    for (let i = 0; i < 50; i++) {
      const { keys } = await deviceStorage(page);
      if (keys.includes(vaultKey(first)) && keys.includes(vaultKey(second))) break;
      await page.waitForTimeout(100);
    }
    await context.close();

    // A new browser on the same profile: after the unlock the records are still waiting, then
    // sent once.
    context = await launchProfile(profile);
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await unlock(page);
    for (const id of [first, second]) {
      await page.waitForSelector(`#outbox li[data-id="${id}"]`);
    }
    // (Due now rather than after the backoff the failed tries left.)
    await backOnline(page);
    for (const id of [first, second]) {
      await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 30000 });
    }
    await page.waitForSelector('#unsent-count[data-count="0"]');
    for (const id of [first, second]) {
      assert.equal((await copiesOf(page.request, server.url, id)).length, 1, id);
    }
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("a server error or a timeout never takes a record out of the outbox; a lost answer stores nothing twice", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await logIn(page);
    // What the "server" does with each try, in turn; then the real server answers.
    const faults = [
      (r) => r.fulfill({ status: 500, contentType: "application/json", body: '{"error":"internal","message":"服务器内部错误","message_en":"Internal server error","fields":[]}' }),
      (r) => r.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad Gateway</h1>" }),
      (r) => r.fulfill({ status: 503, body: "" }),
      (r) => r.abort("timedout"),
      (r) => r.abort("connectionreset"),
      (r) => r.fulfill({ status: 408, body: "" }),
      (r) => r.fulfill({ status: 429, headers: { "retry-after": "1" }, body: "" }),
      // The server stores the record, but its answer never arrives.
      async (r) => { const res = await r.fetch(); assert.equal(res.status(), 201); await r.abort("connectionreset"); },
    ];
    const seen = [];
    await page.route("**/api/visits", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const fault = faults[seen.length];
      seen.push(fault ? "fault" : "through");
      return fault ? fault(route) : route.continue();
    });
    const id = await submitVisit(page, "冯敏");
    for (let n = 1; n <= faults.length; n++) {
      while (seen.length < n) {
        await backOnline(page);
        await page.waitForTimeout(100);
      }
      // After each failed try the record is still there, waiting, with why.
      await page.waitForFunction(([id, n]) =>
        Number(document.querySelector(`#outbox li[data-id="${id}"]`)?.dataset.attempts ?? 0) >= n,
      [id, n], { timeout: 15000 });
      await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="waiting"] .detail`, { timeout: 15000 });
      const item = (await outboxItems(page)).find((i) => i.id === id);
      assert.equal(item?.state, "waiting", `after fault ${n}: ${JSON.stringify(item)}`);
      assert.equal(await page.locator("#unsent-count").getAttribute("data-count"), "1");
    }
    assert.match(await page.textContent(`#outbox li[data-id="${id}"] .detail`), /无法连接服务器|服务器错误/);
    // The server already has it (the last fault); the retry is answered from storage.
    assert.equal((await copiesOf(page.request, server.url, id)).length, 1);
    await backOnline(page);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    assert.deepEqual(seen, [...faults.map(() => "fault"), "through"]);
    assert.equal((await copiesOf(page.request, server.url, id)).length, 1);
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});

test("what the previous version left in localStorage moves into the vault at the first login; an outbox item this version cannot read is never lost", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await page.waitForSelector("#login-username");
    const readable = randomUUID();
    const unreadable = randomUUID();
    const draft = randomUUID();
    const today = new Date(Date.now() + 8 * 3600 * 1000 - 3 * 86400 * 1000).toISOString().slice(0, 10);
    const waiting = { state: "waiting", last_error: null, next_try_ms: 0 };
    const items = [
      {
        id: readable, kind: "visit", queued_ms: Date.now(), attempts: 0, state: waiting,
        body: {
          id: readable, org_unit: DEMO.unit, category: "A", summary: "邻里纠纷", visitor: "李娟",
          visit_date: today, parties: [{ name: "陈芳", phone: "13900001111" }],
        },
      },
      // Queued by a newer version of the app, with a kind of form this one does not know.
      { id: unreadable, kind: "photo_report", queued_ms: Date.now(), attempts: 0, state: waiting, body: { id: unreadable, photos: 3 } },
    ];
    // What the previous version kept in plaintext: the session, the outbox, a visit draft.
    const old = {
      "jiajia.v1.session": {
        user: { id: 1, username: DEMO.username, display_name: "林梓村 李娟", role: "village", unit: DEMO.unit },
        units: [],
      },
      [OLD_OUTBOX]: items,
      "jiajia.v1.draft.visit": {
        id: draft, org_unit: DEMO.unit, category: "A", summary: "旧版本留下的草稿", visitor: "李娟",
        visit_date: today, parties: [{ name: "韩梅", phone: "" }],
      },
    };
    await page.evaluate((old) => {
      for (const [k, v] of Object.entries(old)) localStorage.setItem(k, JSON.stringify(v));
    }, old);
    // The new version starts on that device: the first login moves it all into the vault.
    await page.reload();
    await logIn(page);
    // The readable one goes as usual…
    await page.waitForSelector(`#outbox li[data-id="${readable}"][data-state="sent"]`, { timeout: 15000 });
    assert.equal((await copiesOf(page.request, server.url, readable)).length, 1);
    // …the draft is open again…
    assert.equal(await draftId(page), draft);
    assert.equal(await page.inputValue('[name="summary"]'), "旧版本留下的草稿");
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "韩梅");
    // …and nothing personal is left in plaintext localStorage.
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("jiajia.v1.")));
    assert.deepEqual(left.filter((k) => k !== "jiajia.v1.lang" && k !== "jiajia.v1.logout_pending"), []);
    // The one it cannot read moved into the vault too (encrypted), and is not sent or listed.
    let kept = await deviceStorage(page);
    assert.ok(kept.keys.includes(vaultKey(unreadable)), JSON.stringify(kept.keys));
    for (const words of ["photo_report", "陈芳", "旧版本留下的草稿"]) {
      assert.ok(!kept.text.includes(words), `"${words}" is not on the device in the clear`);
    }
    assert.equal(await page.locator(`#outbox li[data-id="${unreadable}"]`).count(), 0);

    // The moved draft is finished and sent beside the one it cannot read…
    const id = await submitVisit(page, "褚红");
    assert.equal(id, draft);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    // …which is still on the device after a restart of the app and an unlock.
    await page.reload();
    await unlock(page);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`);
    kept = await deviceStorage(page);
    assert.ok(kept.keys.includes(vaultKey(unreadable)), JSON.stringify(kept.keys));
    assert.equal((await copiesOf(page.request, server.url, readable)).length, 1, "sent once, not again");
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});

test("script and SQL text in a record is stored as typed and shown as text, never run", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  try {
    await page.goto(server.url);
    await logIn(page);
    // The outbox shows the first 24 characters: a whole tag among them.
    // While it waits (the API cut off) the outbox shows the record's own words.
    await page.route("**/api/visits", (route) => route.abort("internetdisconnected"));
    const summary = `<img src=x onerror=alert(1)>${SCRIPT}`;
    const id = await submitVisit(page, "蒋红", summary);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="waiting"] .detail`, { timeout: 15000 });
    const what = await page.textContent(`#outbox li[data-id="${id}"] .what`);
    assert.ok(what.includes("<img src=x onerror=alert"), what);
    assert.equal(await page.locator("#outbox img, #outbox script").count(), 0, "no markup from the record");

    await page.unroute("**/api/visits");
    await backOnline(page);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    const [stored] = await copiesOf(page.request, server.url, id);
    assert.equal(stored.record.summary, summary, "stored byte for byte");
    // Once sent, the receipt keeps no personal text: the name masked, no summary.
    const receipt = await page.textContent(`#outbox li[data-id="${id}"] .what`);
    assert.ok(receipt.includes("蒋*") && !receipt.includes("蒋红") && !receipt.includes("<img"), receipt);

    // The records list and the record opened whole.
    await page.goto(`${server.url}/records?kind=visit&id=${id}`);
    await unlock(page, { waitFor: "#records" });
    await page.waitForSelector(`#records-table tr[data-id="${id}"]`, { timeout: 15000 });
    assert.ok((await page.textContent(`#records-table tr[data-id="${id}"] .what`)).includes("<img src=x"));
    await page.waitForSelector("#record-detail");
    await page.waitForFunction((s) => document.querySelector("#record-detail")?.textContent.includes(s), SCRIPT, { timeout: 15000 });
    assert.equal(await page.locator("#records img, #records script, #record-detail img, #record-detail script").count(), 0);
    // Nothing in the page came from the record as markup, and nothing ran.
    assert.equal(await page.evaluate(() => document.querySelectorAll("[onerror], [onload]").length), 0);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});
