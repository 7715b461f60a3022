// A village worker fills in a visit record in the browser; the server ends up holding it once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, scratch, startServer, storedVisits } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const level = (page) => page.locator("#risk-level").getAttribute("data-level");
const warningCodes = (page) =>
  page.locator("#warnings li").evaluateAll((els) => els.map((e) => e.dataset.code));

async function fillBasics(page, name) {
  await page.fill('[name="parties[0].name"]', name);
  await page.fill('[name="parties[0].phone"]', "138 1234 1234");
  await page.fill('[name="org_unit"]', "林梓村");
  await page.fill('[name="summary"]', "丈夫酒后多次动手，妻子多次求助");
  await page.fill('[name="visitor"]', "李娟");
}

test("fill in, preview, reload, submit: the server holds the record once", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.waitForSelector("#risk-level");
    assert.equal(await level(page), "yellow");

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

    // The draft survives a reload.
    await page.reload();
    await page.waitForSelector('#risk-level[data-level="red"]');
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    assert.equal(await page.inputValue('[name="summary"]'), "丈夫酒后多次动手，妻子多次求助");
    assert.ok(await page.isChecked('[name="severe_violence"]'));

    await page.click('button[type="submit"]');
    await page.waitForSelector('#outbox li[data-state="sent"]', { timeout: 15000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    // A fresh form for the next household, same village and visitor.
    assert.equal(await page.inputValue('[name="summary"]'), "");
    assert.equal(await page.inputValue('[name="visitor"]'), "李娟");

    const stored = await storedVisits(server.url);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].record.parties[0].name, "王芳");
    assert.equal(stored[0].record.parties[0].phone, "13812341234");
    assert.equal(stored[0].assessment.level, "red");
  } finally {
    await page.close();
    await server.stop();
    tmp.remove();
  }
});

test("submitted while the server is down, sent once it is back", async () => {
  const tmp = scratch();
  let server = await startServer({ db: tmp.db });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.waitForSelector("#risk-level");
    const addr = server.addr;
    await server.stop();

    await fillBasics(page, "赵敏");
    await page.check('input[name="category"][value="A"]');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#outbox li[data-state="waiting"] .detail', { timeout: 15000 });
    assert.equal(await page.locator("#unsent-count").getAttribute("data-count"), "1");

    // It waits in browser storage, not only in page memory.
    const queued = await page.evaluate(() => localStorage.getItem("jiajia.v1.outbox"));
    assert.match(queued, /赵敏/);
    server = await startServer({ db: tmp.db, addr });
    await page.waitForSelector('#outbox li[data-state="sent"]', { timeout: 45000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    const stored = await storedVisits(server.url);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].record.parties[0].name, "赵敏");
  } finally {
    await page.close();
    await server.stop();
    tmp.remove();
  }
});
