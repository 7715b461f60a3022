// The device: one phone shared by a village's workers. Each worker's drafts, outbox and
// receipts live in her own encrypted vault (IndexedDB + WebCrypto): another account on the same
// phone sees nothing of them, on screen or in any browser storage, and nothing typed is lost —
// not through a logout, a reload without network, two drafts of one kind, or two tabs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO, freshApp, launchBrowser, launchPersistent, logIn, scratch, startServer, storedVisits, unlock } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// What linzi types: none of it may be readable by xinhe, anywhere.
const NAME = "沈梦瑶";
const PHONE = "137 1234 5678";
const SUMMARY = "醉酒后推搡妻子致伤";
const DRAFT_NAME = "韩雪梅";
const SECRETS = [NAME, "13712345678", "1234 5678", SUMMARY, DRAFT_NAME];

const setUp = () => freshApp(browser);

/** Logs in (or unlocks) through the login page and waits for the visit form. */
const signIn = (page, username = DEMO.username) => logIn(page, { username });

/** Logs out, keeping the account's data on the device (encrypted). */
async function logOutKeeping(page) {
  await page.click("#logout");
  await page.click("#logout-keep");
  await page.waitForSelector("#login-username");
}

/**
 * The sealed bytes of the first vault item whose key starts with `prefix` (`{ key, sealed }`,
 * `sealed` null for a deletion's tombstone); with `flip`, one of them changed and stored first.
 */
const sealedItem = (page, prefix, flip = false) =>
  page.evaluate(async ({ prefix, flip }) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open("jiajia");
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const store = () => db.transaction("items", "readwrite").objectStore("items");
    const ask = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const key = (await ask(store().getAllKeys())).find((k) => k.startsWith(prefix));
    const item = await ask(store().get(key));
    let sealed = item?.sealed ? new Uint8Array(item.sealed) : null;
    if (flip) {
      sealed[20] ^= 1;
      item.sealed = sealed;
      await ask(store().put(item, key));
    }
    db.close();
    return { key, sealed: sealed && Array.from(sealed) };
  }, { prefix, flip });

async function fillVisit(page, name, summary) {
  await page.fill('[name="parties[0].name"]', name);
  await page.fill('[name="parties[0].phone"]', PHONE);
  await page.fill('[name="summary"]', summary);
  await page.fill('[name="visitor"]', "李娟");
  await page.check('input[name="category"][value="B"]');
}

/** Everything the browser keeps for the origin, as text: localStorage, sessionStorage, every
 *  IndexedDB store (bytes decoded as UTF-8, and as numbers), every Cache Storage entry. */
function dumpStorage(page) {
  return page.evaluate(async () => {
    const out = [];
    const dec = new TextDecoder();
    const show = (v) => {
      if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
        const b = new Uint8Array(v);
        return dec.decode(b) + " " + Array.from(b).join(",");
      }
      if (v && typeof v === "object") return Object.entries(v).map(([k, x]) => `${k}:${show(x)}`).join(";");
      return String(v);
    };
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) out.push(`${s.key(i)}=${s.getItem(s.key(i))}`);
    }
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
        });
        out.push(`[idb ${name}/${store}: ${all.length}]`, ...all.map(show));
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        out.push(`${req.url} ${await (await cache.match(req)).text()}`);
      }
    }
    return out.join("\n");
  });
}

test("shared phone: xinhe sees nothing of linzi's, on screen or in storage; linzi's queued record goes at her next login", async () => {
  const t = await setUp();
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    // The server cannot be reached for submissions: the record stays queued.
    await context.route("**/api/visits", (route) =>
      route.request().method() === "POST" ? route.abort() : route.continue());
    await fillVisit(page, NAME, SUMMARY);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector('#unsent-count[data-count="1"]');
    // And a second household's draft, not finished.
    await page.fill('[name="parties[0].name"]', DRAFT_NAME);
    await page.fill('[name="summary"]', "邻里因宅基地争吵");
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    await logOutKeeping(page);

    // xinhe on the same phone.
    let screen = await page.textContent("body");
    for (const s of SECRETS) assert.ok(!screen.includes(s), `${s} on the login page`);
    await page.fill("#login-username", "xinhe");
    // The login page may say that another account has unsent records, nothing more.
    assert.match(await page.textContent("#others-unsent"), /1 条未发送记录/);
    await signIn(page, "xinhe");
    assert.equal(await page.textContent("#current-user"), "新河村 王秀英");
    screen = await page.textContent("body");
    for (const s of SECRETS) assert.ok(!screen.includes(s), `${s} shown to xinhe`);
    assert.equal(await page.locator("#outbox li").count(), 0, "no receipts of linzi's");
    assert.equal(await page.locator("#drafts li.draft").count(), 0, "no drafts of linzi's");
    const stored = await dumpStorage(page);
    assert.match(stored, /\[idb jiajia\/items: [1-9]/, "the vault is there, sealed");
    for (const s of SECRETS) assert.ok(!stored.includes(s), `${s} in the browser's storage`);
    await logOutKeeping(page);

    // linzi again, the server reachable: her record goes, and her draft is there.
    await context.unroute("**/api/visits");
    await signIn(page);
    await page.waitForSelector('#outbox li[data-state="sent"]', { timeout: 20000 });
    const held = (await storedVisits(page.request, t.server.url))
      .filter((v) => v.record.parties[0].name === NAME);
    assert.equal(held.length, 1, "stored once");
    assert.equal(held[0].record.summary, SUMMARY);
    const drafts = await page.locator("#drafts li.draft .line").allTextContents();
    assert.ok(drafts.some((l) => l.includes(DRAFT_NAME)), JSON.stringify(drafts));
    // The receipt keeps a masked line, not the text.
    const receipt = await page.textContent('#outbox li[data-state="sent"]');
    assert.ok(!receipt.includes(NAME) && !receipt.includes(SUMMARY), receipt);
    assert.match(receipt, /沈\*瑶/);
  } finally {
    await t.tearDown();
  }
});

test("offline after a reload: the password unlocks the device, a wrong one is refused, the draft is there", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    await page.fill('[name="summary"]', "断网前写的情况");
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    await t.server.stop();
    await page.route("**/*", (route) => route.abort());
    await page.reload().catch(() => {});
    // With no server the service worker cannot be updated; the cached shell opens.
    await page.unroute("**/*");
    await page.waitForSelector("#login-username");
    assert.equal(await page.inputValue("#login-username"), DEMO.username, "the last account is offered");
    await page.fill("#login-password", "not her password");
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#login-error");
    assert.match(await page.textContent("#login-error"), /离线解锁：密码不正确/);
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#risk-level");
    assert.equal(await page.inputValue('[name="summary"]'), "断网前写的情况");
    assert.equal(await page.getAttribute("#net-state", "data-reach"), "unreachable");
  } finally {
    t.server = { stop: async () => {} };
    await t.tearDown();
  }
});

test("a draft altered on the device does not open: it is kept, not shown, and the count is said", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    await page.fill('[name="summary"]', "这份草稿会被改动");
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    await logOutKeeping(page);
    // One byte of the draft's ciphertext changed while the vault is locked.
    const altered = await sealedItem(page, `${DEMO.username}\u0001draft:`, true);
    await signIn(page);
    await page.waitForSelector("#store-unreadable");
    assert.match(await page.textContent("#store-unreadable"), /本机有 1 条加密数据已损坏或被改动，无法打开（未删除）/);
    assert.equal(await page.inputValue('[name="summary"]'), "", "the altered draft is not shown");
    // Kept as it was: the altered bytes, not a deletion's tombstone under the same key.
    const kept = (await sealedItem(page, altered.key)).sealed;
    assert.deepEqual(kept, altered.sealed, "and it is kept as it was");
  } finally {
    await t.tearDown();
  }
});

test("a damaged session on the device is replaced at the next login: nothing is stuck, and logging out still keeps her data", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    await page.fill('[name="summary"]', "损坏之后仍要保存的草稿");
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    await logOutKeeping(page);
    // The session item (written again at every login) changed by one byte while locked.
    const altered = await sealedItem(page, `${DEMO.username}\u0001session`, true);
    await signIn(page);
    // The login's write of the session replaces the damaged copy...
    for (let i = 0; i < 100; i++) {
      const now = await sealedItem(page, altered.key);
      if (JSON.stringify(now.sealed) !== JSON.stringify(altered.sealed)) break;
      await page.waitForTimeout(50);
    }
    assert.notDeepEqual((await sealedItem(page, altered.key)).sealed, altered.sealed, "replaced");
    assert.equal(await page.$("#store-problem"), null, "and storing is not stuck on it");
    assert.equal(await page.$("#store-unreadable"), null, "nor is it counted as damaged");
    // ...so logging out keeps her data (a stuck write used to refuse the lock), and it is all
    // there at the next login.
    await logOutKeeping(page);
    await signIn(page);
    assert.equal(await page.$("#store-unreadable"), null);
    assert.equal(await page.inputValue('[name="summary"]'), "损坏之后仍要保存的草稿");
  } finally {
    await t.tearDown();
  }
});

test("two drafts of one kind are kept, listed and resumed", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    await page.fill('[name="parties[0].name"]', "甲户");
    await page.click("#new-draft");
    await page.waitForFunction(() =>
      document.querySelector('[name="parties[0].name"]').value === "");
    await page.fill('[name="parties[0].name"]', "乙户");
    await page.waitForFunction(() => document.querySelectorAll("#drafts li.draft").length === 2);
    // A reload comes back to the draft being typed; the other is listed.
    await page.reload();
    await signIn(page);
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "乙户");
    await page.click("#drafts li.draft:not(.current) .resume");
    await page.waitForFunction(() =>
      document.querySelector('[name="parties[0].name"]').value === "甲户");
    // Discarding one asks first, and leaves the other.
    page.once("dialog", (d) => d.accept());
    await page.click("#drafts li.draft:not(.current) .discard");
    await page.waitForFunction(() => document.querySelectorAll("#drafts li.draft").length === 1);
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "甲户");
  } finally {
    await t.tearDown();
  }
});

test("two tabs typing in the same draft lose nothing: both texts are kept", async () => {
  const t = await setUp();
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await signIn(page);
    await page.fill('[name="summary"]', "一号窗口先写");
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    const draft = await page.getAttribute("#drafts", "data-current");

    // A second tab opens its own blank form, then resumes the first tab's draft.
    const other = await context.newPage();
    await other.goto(t.server.url);
    await signIn(other);
    await other.click(`#drafts li.draft[data-draft="${draft}"] .resume`);
    await other.waitForFunction(() =>
      document.querySelector('[name="summary"]').value === "一号窗口先写");
    // Both type in it at once.
    await Promise.all([
      page.fill('[name="summary"]', "一号窗口改成这样"),
      other.fill('[name="summary"]', "二号窗口改成那样"),
    ]);
    await page.fill('[name="visitor"]', "李娟");
    await other.fill('[name="visitor"]', "王丽");
    // Whatever the order, each text is in a draft of its own or the same one, never lost.
    await page.reload();
    await signIn(page);
    const lines = async () => (await page.locator("#drafts li.draft .line").allTextContents()).join(" | ")
      + " | " + await page.inputValue('[name="summary"]');
    await page.waitForFunction(() => document.querySelectorAll("#drafts li.draft").length >= 1);
    const all = await lines();
    for (const typed of ["一号窗口改成这样", "二号窗口改成那样"]) {
      const summaries = await page.evaluate(async () => {
        const out = [];
        for (const li of document.querySelectorAll("#drafts li.draft")) out.push(li.textContent);
        return out.join(" | ");
      });
      assert.ok(all.includes(typed) || summaries.includes(typed), `${typed} lost: ${all}`);
    }
  } finally {
    await t.tearDown();
  }
});

test("plain HTTP on a village intranet: nothing is stored, and logging out says the page's memory is all there is", async () => {
  // village.test is the server on loopback reached by name: not a secure context, so the
  // browser offers no WebCrypto and the vault lives in the page's memory only.
  const intranet = await launchBrowser(["--host-resolver-rules=MAP village.test 127.0.0.1"]);
  const t = await freshApp(intranet);
  const { page } = t;
  try {
    await page.goto(t.server.url.replace("127.0.0.1", "village.test"));
    await signIn(page);
    assert.equal(await page.getAttribute("#store-problem", "data-problem"), "memory-only");
    await fillVisit(page, DRAFT_NAME, "只在内存中的草稿");
    await page.click("#logout");
    await page.locator("#logout-memory-warning").waitFor();
    assert.match(await page.textContent("#logout-memory-warning"), /关闭或刷新页面就会丢失/);
    assert.match(await page.textContent("#logout-keep"), /保留在本页/);
    await page.click("#logout-keep");
    // Kept in this page: the same account's next login has the draft back.
    await signIn(page);
    await page.waitForFunction((name) =>
      document.querySelector('[name="parties[0].name"]')?.value === name
        || document.querySelector("#drafts")?.textContent.includes(name), DRAFT_NAME);
    const stored = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    assert.ok(!stored.includes(DRAFT_NAME), "the draft is in the browser's storage");
  } finally {
    await t.tearDown();
    await intranet.close();
  }
});

/**
 * linzi's phone, with a draft of hers (DRAFT_NAME) in the vault, reopened in a new browser on
 * the same profile whose quota for the app is `room` bytes above what it used: the next growth
 * beyond that fails with the browser's own QuotaExceededError. (Chromium's IndexedDB reads the
 * quota when it opens the origin's storage and again after a refused write: it is lowered in
 * a new browser before the app opens, and can be raised while it is open.) No service worker:
 * its caches would grow the usage behind the test's back. `body` gets the open page (the login
 * form) and the DevTools session.
 */
async function onAFullPhone(room, body) {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const profile = mkdtempSync(join(tmpdir(), "jiajia-profile-"));
  const noWorker = { serviceWorkers: "block" };
  let context = await launchPersistent(profile, noWorker);
  try {
    let page = await context.newPage();
    await page.goto(server.url);
    await signIn(page);
    await page.fill('[name="parties[0].name"]', DRAFT_NAME);
    await page.waitForSelector("#drafts li.draft", { state: "attached" });
    const used = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
    await context.close();
    context = await launchPersistent(profile, noWorker);
    const cdp = await context.newCDPSession(await context.newPage());
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: used + room });
    page = await context.newPage();
    await page.goto(server.url);
    await body(page, cdp, server.url);
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Opens linzi's draft: after a reload it is open; a new tab starts a new one, and hers is in the list. */
async function resumeHerDraft(page) {
  const open = () => page.evaluate((name) =>
    document.querySelector('[name="parties[0].name"]')?.value === name, DRAFT_NAME);
  if (!(await open())) await page.click("#drafts li.draft .resume");
  await page.waitForFunction((name) =>
    document.querySelector('[name="parties[0].name"]')?.value === name, DRAFT_NAME);
}

test("a full device, for real: she is told, what she typed stays on the page, and it is stored once there is room", async () => {
  await onAFullPhone(160_000, async (page, cdp, origin) => {
    await unlock(page);
    assert.equal(await page.locator("#store-problem").count(), 0, "room enough to open the vault");
    await resumeHerDraft(page);
    // About 300 KB of text: more than the room left.
    const long = "她说邻居多次上门争吵，孩子晚上不敢回家。".repeat(5000);
    await page.fill('[name="summary"]', long);
    await page.waitForSelector('#store-problem[data-problem="full"]', { timeout: 20000 });
    assert.match(await page.textContent("#store-problem"), /存储空间已满/);
    assert.equal(await page.inputValue('[name="summary"]'), long, "what she typed is still on the page");
    // Room again (she deleted photos, say): the app stores what waited, and says no more.
    await cdp.send("Storage.overrideQuotaForOrigin", { origin });
    await page.waitForSelector("#store-problem", { state: "detached", timeout: 30000 });
    await page.reload();
    await unlock(page);
    await resumeHerDraft(page);
    assert.equal(await page.inputValue('[name="summary"]'), long, "stored once there was room");
  });
});

test("a phone already full still opens her vault, with her draft, and says so; a first login there is told why it cannot be kept", async () => {
  await onAFullPhone(0, async (page) => {
    // Another worker's first login on this phone: no vault can be made, and she is told why.
    await page.waitForSelector("#login-username");
    await page.fill("#login-username", "xinhe");
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    await page.locator("#login-error").waitFor();
    assert.match(await page.textContent("#login-error"), /本机存储空间已满.*请先清理手机存储空间/);
    // linzi's vault opens (before: "无法打开本机加密数据：QuotaExceededError", and nothing of
    // hers at hand), with her draft, and the full storage said.
    await signIn(page);
    assert.equal(await page.getAttribute("#store-problem", "data-problem"), "full");
    await resumeHerDraft(page);
  });
});
