// A village worker records the month's council meeting ("1+3+N") in the browser: the server
// ends up holding it, and the 家庭暴力 item found in it opens as a prefilled visit record.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, draftId, launchBrowser, logIn, scratch, startServer } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test("a meeting with a 家庭暴力 item is stored, and the item opens as a prefilled visit record", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await logIn(page);
    // A visit record already begun for another household.
    await page.fill('[name="parties[0].name"]', "孙丽");
    await page.fill('[name="summary"]', "另一户的草稿");
    const otherDraft = await page.getAttribute("#drafts", "data-current");
    await page.click('a.nav-link[href="/meetings/new"]');
    await page.waitForSelector(".mt-form");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    // The collective meeting day: the 8th of this month once it has come, else today.
    const date = await page.inputValue('[name="date"]');
    assert.match(date, /^\d{4}-\d{2}-\d{2}$/);
    const day = Number(date.slice(8));
    assert.ok(day === 8 || day < 8, `default date ${date}`);

    // The month's theme, in one click.
    const suggested = await page.getAttribute("#theme-suggest", "data-theme");
    assert.ok(suggested.length > 0);
    await page.click("#theme-suggest");
    assert.equal(await page.inputValue('[name="theme"]'), suggested);

    await page.fill('[name="convener"]', "周丽");
    await page.fill('[name="recorder"]', "李娟");
    for (const [i, name] of ["周丽", "李娟", "陈红"].entries()) {
      await page.click("#add-attendee");
      await page.fill(`[name="attendees[${i}]"]`, name);
    }
    await page.fill('[name="must_discuss"]', "留守儿童冬季用火用电安全");

    // "3": nothing to report but one 家庭暴力 item; silence is not "none found".
    await page.click('.mt-form button[type="submit"]');
    await page.waitForSelector("text=家庭暴力现象：请勾选“未发现”或填写至少一项");
    assert.equal(await page.locator("#outbox li").count(), 0);
    await page.check('[name="disputes.none_found"]');
    await page.check('[name="child_abuse.none_found"]');
    await page.click("#add-violence-item");
    await page.fill('[name="violence.items[0].party"]', "王芳");
    await page.fill('[name="violence.items[0].summary"]', "丈夫酒后动手，邻居报告");

    // "N": a vote larger than the room is refused as it is typed.
    await page.click("#add-topic");
    await page.fill('[name="topics[0].topic"]', "修订村规民约中的移风易俗条款");
    await page.fill('[name="topics[0].votes_for"]', "3");
    await page.fill('[name="topics[0].abstentions"]', "1");
    await page.waitForSelector("text=议题1表决票数：不能超过3");
    await page.fill('[name="topics[0].abstentions"]', "0");
    await page.waitForSelector('#mt-ready[data-errors="0"]');
    assert.equal(
      await page.getAttribute('.mt-status li[data-subject="violence"]', "data-state"),
      "found",
    );

    const id = await draftId(page);
    await page.click('.mt-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    // A fresh form; the submitted meeting's item waits for its visit record.
    assert.equal(await page.inputValue('[name="must_discuss"]'), "");
    assert.equal(await page.inputValue('[name="recorder"]'), "李娟");
    await page.waitForSelector("#last-meeting >> text=王芳");

    // The server holds it once, as typed, with the item not yet linked to a visit record.
    const res = await page.request.get(`${server.url}/api/meetings`);
    assert.equal(res.status(), 200);
    const stored = (await res.json()).filter((m) => m.record.id === id);
    assert.equal(stored.length, 1);
    const m = stored[0];
    assert.equal(m.record.org_unit, DEMO.unit);
    assert.equal(m.record.date, date);
    assert.equal(m.record.theme, suggested);
    assert.equal(m.record.convener, "周丽");
    assert.deepEqual(m.record.attendees, ["周丽", "李娟", "陈红"]);
    assert.deepEqual(m.record.disputes, { found: "none_found" });
    assert.equal(m.record.violence.found, "items");
    assert.equal(m.record.violence.items[0].party, "王芳");
    assert.equal(m.record.topics[0].votes_for, 3);
    assert.equal(m.author, DEMO.username);
    assert.deepEqual(m.assessment.unlinked_items, [
      { category: "B", party: "王芳", summary: "丈夫酒后动手，邻居报告" },
    ]);

    // The item becomes a visit record: the visit form opens prefilled.
    await page.click('#last-meeting .to-visit[data-subject="violence"]');
    await page.waitForURL("**/visits/new");
    await page.waitForSelector("#risk-level");
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "王芳");
    assert.ok(await page.isChecked('input[name="category"][value="B"]'));
    assert.equal(await page.inputValue('[name="summary"]'), "丈夫酒后动手，邻居报告");
    assert.equal(await page.inputValue('[name="visitor"]'), "李娟");
    assert.equal(await page.inputValue('[name="visit_date"]'), date);
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    // It is a draft of its own: the one begun before is kept beside it, as typed.
    assert.notEqual(await page.getAttribute("#drafts", "data-current"), otherDraft);
    await page.waitForSelector(`#drafts li.draft[data-draft="${otherDraft}"] .resume`, { state: "attached" });
    assert.match(await page.textContent(`#drafts li.draft[data-draft="${otherDraft}"] .line`), /孙丽/);

    // Submitted from there, the item is done with on the meeting page.
    const visitId = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${visitId}"][data-state="sent"]`, { timeout: 15000 });
    await page.click('a.nav-link[href="/meetings/new"]');
    await page.waitForSelector(".mt-form");
    assert.equal(
      await page.locator("#last-meeting").count(), 0,
      `the item whose visit record was sent is still listed: ${await page.locator("#last-meeting .to-visit").evaluateAll((b) => b.map((e) => e.dataset.state))}`,
    );
    // The other household's draft is still there to resume.
    await page.click('a.nav-link[href="/visits/new"]');
    await page.waitForSelector(`#drafts li.draft[data-draft="${otherDraft}"] .resume`, { state: "attached" });
    await page.evaluate(() => { document.querySelector("#drafts").open = true; });
    await page.click(`#drafts li.draft[data-draft="${otherDraft}"] .resume`);
    await page.waitForSelector(`#drafts[data-current="${otherDraft}"]`);
    assert.equal(await page.inputValue('[name="summary"]'), "另一户的草稿");
    assert.equal(await page.inputValue('[name="parties[0].name"]'), "孙丽");
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});
