// A village worker logs in and fills in a visit record in the browser; the server ends up
// holding it once, whatever happens to the network or the session on the way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, launchBrowser, logIn, scratch, startServer, storedVisits } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const level = (page) => page.locator("#risk-level").getAttribute("data-level");
const warningCodes = (page) =>
  page.locator("#warnings li").evaluateAll((els) => els.map((e) => e.dataset.code));
/** The id of the record being typed (the draft's). */
const draftId = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem("jiajia.v1.draft.visit")).id);

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
async function setUp() {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  return {
    tmp, server, context, page,
    async tearDown() {
      await context.close();
      await this.server.stop();
      tmp.remove();
    },
  };
}

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

    // The draft survives a reload, and so does the login.
    await page.reload();
    await page.waitForSelector('#risk-level[data-level="red"]');
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    assert.equal(await page.inputValue('[name="summary"]'), "丈夫酒后多次动手，妻子多次求助");
    assert.ok(await page.isChecked('[name="severe_violence"]'));
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);

    const id = await draftId(page);
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

    // It waits in browser storage, not only in page memory.
    const queued = await page.evaluate(() => localStorage.getItem("jiajia.v1.outbox"));
    assert.match(queued, /赵敏/);
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
    assert.match(await page.textContent("#device-note"), /本机有 1 条未发送的记录。/);
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

test("logging out ends the server's session and keeps the device's draft and unsent records", async () => {
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

    await page.click("#logout");
    await page.waitForSelector("text=已退出登录。");
    assert.match(await page.textContent("#device-note"), /本机有 1 条未发送的记录。/);
    assert.match(await page.textContent("#device-note"), /退出登录不会删除/);
    // Nothing of the records shows to whoever holds the device now.
    assert.equal(await page.locator("#outbox").count(), 0);
    assert.equal(await page.locator('[name="summary"]').count(), 0);
    assert.equal(await page.inputValue("#login-username"), "");
    // The server's session is over; the device keeps the draft and the record.
    await page.waitForFunction(() => localStorage.getItem("jiajia.v1.logout_pending") === null);
    assert.equal((await page.request.get(`${t.server.url}/api/me`)).status(), 401);
    const kept = await page.evaluate(() => ({
      draft: JSON.parse(localStorage.getItem("jiajia.v1.draft.visit")).summary,
      outbox: JSON.parse(localStorage.getItem("jiajia.v1.outbox")).map((i) => i.id),
    }));
    assert.deepEqual(kept, { draft: "下一户的草稿", outbox: [id] });

    // The next login sends it, and the draft is there.
    await page.unroute("**/api/visits");
    await logIn(page);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    assert.equal(await page.inputValue('[name="summary"]'), "下一户的草稿");
    assert.equal((await copiesOf(page, t.server.url, id)).length, 1);
  } finally {
    await t.tearDown();
  }
});

// Reopening with the server really stopped cannot work yet: without a service worker the
// browser has no copy of the page itself. What can be checked is the app's part: after one
// login it opens on the remembered user when the API does not answer.
test("after a login the app reopens and works while the server's API is unreachable", async () => {
  const t = await setUp();
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    await page.route("**/api/**", (route) => route.abort("internetdisconnected"));
    await page.reload();
    await page.waitForSelector("#risk-level");
    assert.equal(await page.locator("#login-username").count(), 0);
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
