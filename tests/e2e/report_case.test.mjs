// A village worker logs in, sends a zero monthly report (月报·零上报) and a rights case (维权个案)
// from the app; the server ends up holding both, and the reply deadline the page showed while
// typing is the one the server computes. Then the case is continued (续办) from the records
// page: its next stage is added and stored as version 2.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, draftId, launchBrowser, logIn, unlock, freshApp } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A fresh server and a fresh browser context (own storage and cookies). */
const setUp = () => freshApp(browser);

/** Today in China (UTC+8), YYYY-MM-DD: the day the app and the server check dates against. */
const chinaToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/** The month before `day` (YYYY-MM-DD), as YYYY-MM. */
function monthBefore(day) {
  let [y, m] = day.split("-").map(Number);
  m -= 1;
  if (m === 0) { y -= 1; m = 12; }
  return `${y}-${String(m).padStart(2, "0")}`;
}

/** Every record of a kind the server holds for the logged-in browser, with its cookies. */
async function stored(page, url, path) {
  const res = await page.request.get(`${url}/api/${path}`);
  assert.equal(res.status(), 200, `GET /api/${path}: ${await res.text()}`);
  return res.json();
}

const warningCodes = (page) =>
  page.locator("#case-warnings li").evaluateAll((els) => els.map((e) => e.dataset.code));

test("a zero monthly report and a rights case typed in the app are held by the server; the case is then continued", async () => {
  const t = await setUp();
  const { page } = t;
  const url = t.server.url;
  try {
    await page.goto(url);
    await logIn(page);

    // ── 月报（零上报） ──
    await page.click('nav.nav a:text-is("月报")');
    await page.waitForSelector("#due-date");
    assert.equal(new URL(page.url()).pathname, "/monthly-reports/new");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    const month = await page.inputValue('[name="month"]');
    assert.equal(month, monthBefore(chinaToday()), "last month by default");
    assert.equal(await page.textContent("#zero-rule"), "没有发现也要零上报；未报不等于零上报。");

    // A B item typed, then 零上报 ticked: the rule is shown at once, the typed count kept.
    await page.fill('[name="new_b"]', "1");
    await page.check('[name="zero_report"]');
    await page.waitForSelector("text=新发现B类（家庭暴力）：零上报时应为0");
    assert.ok(await page.isDisabled('[name="new_a"]'));
    assert.equal(await page.inputValue('[name="new_a"]'), "0");
    assert.equal(await page.inputValue('[name="new_b"]'), "1");
    await page.fill('[name="new_b"]', "0");
    assert.ok(await page.isDisabled('[name="new_b"]'));
    assert.equal(await page.locator(".report-form .error").count(), 0);

    await page.fill('[name="households_visited"]', "46");
    await page.fill('[name="carried_over"]', "1");
    await page.fill('[name="resolved"]', "2");
    await page.waitForSelector("text=本月化解：不能超过1");
    await page.fill('[name="resolved"]', "1");
    await page.check('[name="meeting_held"]');
    // Due on the 8th of the next month.
    const [y, m] = month.split("-").map(Number);
    const due = m === 12 ? `${y + 1}-01-08` : `${y}-${String(m + 1).padStart(2, "0")}-08`;
    assert.equal(await page.textContent("#due-date"), due);
    assert.equal(await page.getAttribute("#on-time", "data-on-time"), String(chinaToday() <= due));
    assert.equal(await page.textContent("#open-at-end"), "0");

    const reportId = await draftId(page);
    await page.click('.report-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${reportId}"][data-state="sent"]`, { timeout: 15000 });
    // A fresh report for the same village.
    assert.equal(await page.isChecked('[name="zero_report"]'), false);
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);

    const reports = (await stored(page, url, "monthly-reports")).filter((r) => r.record.id === reportId);
    assert.equal(reports.length, 1);
    const report = reports[0];
    assert.equal(report.record.zero_report, true);
    assert.deepEqual(report.record.new_items, [0, 0, 0]);
    assert.equal(report.record.month, month);
    assert.equal(report.record.households_visited, 46);
    assert.equal(report.record.carried_over, 1);
    assert.equal(report.record.resolved, 1);
    assert.equal(report.record.meeting_held, true);
    assert.equal(report.unit, DEMO.unit);
    assert.equal(report.author, DEMO.username);

    // ── 维权个案 ──
    await page.click('nav.nav a:text-is("维权个案")');
    await page.waitForSelector("#reply-deadline");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    // Accepted the day before National Day 2026 (or today, on a clock set earlier).
    const today = chinaToday();
    const applied = today < "2026-09-28" ? today : "2026-09-28";
    const accepted = today < "2026-09-29" ? today : "2026-09-29";

    await page.check('input[name="channel"][value="visit"]');
    await page.selectOption('select[name="area"]', "marriage_family");
    await page.fill('[name="complainant.name"]', "陈丽");
    await page.fill('[name="complainant.phone"]', "139 5771 2345");
    await page.fill('[name="respondent"]', "丈夫张某");
    await page.fill('[name="facts"]', "丈夫长期不给付家庭生活费，并以离婚相威胁。");
    await page.fill('[name="request"]', "要求丈夫按月给付生活费。");
    await page.fill('[name="stages[0].date"]', applied);
    await page.fill('[name="stages[0].handler"]', "李娟");
    assert.equal(await page.getAttribute("#next-stage", "data-stage"), "accepted");
    // Only the next stage can be added.
    assert.equal(await page.locator("#add-stage").count(), 1);
    assert.equal(await page.getAttribute("#add-stage", "data-stage"), "accepted");
    await page.click("#add-stage");
    await page.fill('[name="stages[1].date"]', accepted);
    assert.equal(await page.getAttribute("#reply-deadline", "data-date"), "", "no complexity yet");
    await page.check('input[name="stages[1].complexity"][value="ordinary"]');
    await page.waitForSelector('#reply-deadline:not([data-date=""])');
    assert.equal(await page.getAttribute("#current-stage", "data-stage"), "accepted");
    assert.equal(await page.getAttribute("#add-stage", "data-stage"), "investigated");
    // A group petition, not yet reported up.
    await page.selectOption('select[name="petition.kind"]', "group");
    await page.waitForSelector('#case-warnings li[data-code="case.petition_not_reported"]');
    assert.equal(await page.locator(".case-form .error").count(), 0);

    const shownDeadline = await page.getAttribute("#reply-deadline", "data-date");
    assert.equal(await page.textContent("#reply-deadline"), shownDeadline);
    if (accepted === "2026-09-29") {
      // 7 working days past 国庆 (10-01…07 off, Saturday 10-10 worked).
      assert.equal(shownDeadline, "2026-10-14");
    }
    const shownWarnings = await warningCodes(page);

    const caseId = await draftId(page);
    await page.click('.case-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${caseId}"][data-state="sent"]`, { timeout: 15000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');
    assert.equal(await page.locator("fieldset.stage").count(), 1, "a new case starts at 申请");

    const cases = (await stored(page, url, "rights-cases")).filter((r) => r.record.id === caseId);
    assert.equal(cases.length, 1);
    const held = cases[0];
    assert.equal(held.record.complainant.name, "陈丽");
    assert.equal(held.record.complainant.phone, "13957712345");
    assert.equal(held.record.org_unit, DEMO.unit);
    assert.deepEqual(held.record.stages.map((s) => s.stage), ["applied", "accepted"]);
    assert.equal(held.record.stages[1].complexity, "ordinary");
    assert.equal(held.record.petition.kind, "group");
    assert.equal(held.author, DEMO.username);
    // What the page showed while typing is what the server computes.
    assert.equal(held.assessment.reply_deadline, shownDeadline);
    assert.equal(held.assessment.current_stage, "accepted");
    assert.equal(held.assessment.next_stage, "investigated");
    assert.deepEqual(held.assessment.warnings.map((w) => w.code), shownWarnings);

    // ── 续办 offline: the stored case opened from the replica, its next stage added, queued, sent as a change once online ──
    await page.goto(`${url}/records?kind=rights_case&id=${caseId}`);
    await unlock(page, { waitFor: "#record-detail" });
    await page.waitForSelector(`#record-detail[data-id="${caseId}"] #continue-case[data-next="investigated"]`);
    // Offline from here, after a reload: the case comes from the device's replica.
    await page.context().setOffline(true);
    await page.reload().catch(() => {});
    await unlock(page, { waitFor: "#record-detail" });
    await page.waitForSelector(`#record-detail[data-id="${caseId}"] #continue-case[data-next="investigated"]`);
    await page.click("#continue-case");
    await page.waitForSelector('#continuing[data-version="1"]');
    assert.equal(new URL(page.url()).pathname, "/rights-cases/new");
    assert.equal(await page.inputValue('[name="complainant.name"]'), "陈丽");
    assert.equal(await page.locator("fieldset.stage").count(), 2);
    assert.equal(await page.locator(".remove-stage").count(), 0, "stored stages cannot be removed");
    await page.click("#add-stage");
    assert.equal(await page.getAttribute("#current-stage", "data-stage"), "investigated");
    await page.click('.case-form button[type="submit"]');
    await page.waitForSelector("#continuing", { state: "detached" });
    await page.waitForSelector(`#outbox li[data-id="${caseId}"]`);
    await page.context().setOffline(false);
    let now;
    for (let i = 0; i < 60; i++) {
      const res = await page.request.get(`${url}/api/rights-cases/${caseId}`);
      now = await res.json();
      if (now.version === 2) break;
      await page.waitForTimeout(250);
    }
    assert.equal(now.version, 2, "the change is stored as version 2");
    assert.deepEqual(now.record.stages.map((s) => s.stage), ["applied", "accepted", "investigated"]);
    assert.deepEqual(now.record.stages.slice(0, 2), held.record.stages, "the stored stages are kept");
    assert.equal(now.assessment.current_stage, "investigated");
    const versions = await (await page.request.get(`${url}/api/rights-cases/${caseId}/versions`)).json();
    assert.equal(versions.length, 2, "version 1 is kept beside it");
    await page.waitForSelector('#unsent-count[data-count="0"]');
  } finally {
    await t.tearDown();
  }
});
