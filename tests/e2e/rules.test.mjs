// Issue #18: an admin administers the yearly rule tables in the app. She loads the 2027 holiday
// calendar — pasting the notice's text and clicking days —, sees the server's field errors by
// the entry they name, previews, publishes with a reason, and the server then serves it; she
// loads a 2027 rubric from a file and changes a month's themes the same way. A village worker's
// menu has no such page.
//
// The 2027 dates are backend/tests/fixtures/calendar-2027.json: made up in the notice's shape,
// not the real 2027 holidays.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, freshApp, launchBrowser, logIn, root } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const FIXTURE = JSON.parse(readFileSync(join(root, "backend/tests/fixtures/calendar-2027.json"), "utf8"));

// The fixture's dates as a notice would write them, without 清明节 (clicked in instead).
const NOTICE = [
  "一、元旦：1月1日（周五）至3日（周日）放假，共3天。",
  "二、春节：2月5日（周五）至13日（周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。",
  "四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。",
  "五、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。",
].join("\n");

const dayKind = (page, date) => page.getAttribute(`.cal-day[data-date="${date}"]`, "data-kind");

async function api(page, url, path) {
  const res = await page.request.get(`${url}${path}`);
  assert.equal(res.status(), 200, `GET ${path}: ${await res.text()}`);
  return res.json();
}

async function chooseYear(page, year) {
  await page.fill("#rule-year", String(year));
  await page.press("#rule-year", "Enter");
  await page.waitForSelector(`main.rules[data-year="${year}"][data-loading="false"]`);
}

test("an admin loads, previews and publishes the 2027 calendar, a rubric and themes", async () => {
  const app = await freshApp(browser);
  const { page, server } = app;
  try {
    await page.goto(server.url);
    await logIn(page, { username: "admin", password: DEMO.password, waitFor: '#current-user[data-username="admin"]' });
    await page.click('nav.nav a[href="/rules/calendar"]');
    await page.waitForSelector("#rules-calendar");
    await chooseYear(page, 2027);
    // Nothing for 2027 yet: the page says deadlines count Monday to Friday.
    assert.equal(await page.getAttribute("#rule-in-force", "data-source"), "none");
    assert.match(await page.textContent("#rule-in-force"), /周一至周五/);
    assert.equal(await dayKind(page, "2027-01-01"), "workday");
    assert.equal(await dayKind(page, "2027-01-02"), "weekend");

    // A notice for another year is caught by its weekdays (2027-01-01 is a Friday).
    await page.fill("#notice-text", "元旦：1月1日（周四）放假，共1天。");
    await page.click("#notice-parse");
    assert.match(await page.textContent("#notice-errors"), /2027-01-01：通知写“周四”，这一天是周五/);

    // A notice with a day both off and worked: the check names the entry, here and on the server.
    await page.fill("#notice-text", NOTICE.replace("1月31日（周日）、", "1月31日（周日）、2月6日（周六）、"));
    await page.click("#notice-parse");
    await page.waitForSelector("#notice-result");
    const bad = '.make-up-row[data-date="2027-02-06"]';
    assert.match(await page.textContent(`${bad} .field-errors`), /同一天不能既放假又上班/);
    assert.equal(await dayKind(page, "2027-02-06"), "conflict");
    await page.click("#rule-preview");
    await page.waitForSelector('#rule-refused[data-status="422"]');
    assert.match(
      await page.textContent('#rule-refused li[data-field="make_up_workdays[1]"]'),
      /调休上班日2：同一天不能既放假又上班/,
    );
    assert.equal(await page.isDisabled("#rule-publish"), true);

    // The notice as it should be.
    await page.fill("#notice-text", NOTICE);
    await page.click("#notice-parse");
    await page.waitForSelector("#notice-result");
    assert.match(await page.textContent("#notice-result"), /放假4处，调休上班5天/);
    assert.equal(await page.locator("#rule-refused").count(), 0, "a new body forgets the refusal");
    assert.equal(await dayKind(page, "2027-02-06"), "holiday");
    assert.equal(await dayKind(page, "2027-01-31"), "make_up");

    // 清明节 clicked in: three days side by side are one holiday, then named.
    for (const d of ["2027-04-03", "2027-04-04", "2027-04-05"]) {
      await page.click(`.cal-day[data-date="${d}"]`);
      assert.equal(await dayKind(page, d), "holiday", d);
    }
    const qingming = '.holiday-row[data-from="2027-04-03"][data-to="2027-04-05"]';
    await page.fill(`${qingming} input`, "清明节");
    // A weekend day goes round: holiday, make-up working day, weekend again.
    const sat = "2027-06-05";
    for (const want of ["holiday", "make_up", "weekend"]) {
      await page.click(`.cal-day[data-date="${sat}"]`);
      assert.equal(await dayKind(page, sat), want);
    }
    await page.fill('[name="source"]', "2027年节假日安排（测试用，日期为虚构）");
    assert.equal(await page.getAttribute("#rules-calendar", "data-errors"), "0");

    // Preview: what the page shows is the server's own answer for the same table.
    assert.equal(await page.isDisabled("#rule-publish"), true, "publish waits for a preview");
    await page.click("#rule-preview");
    await page.waitForSelector("#rule-preview-result");
    assert.equal(await page.getAttribute("#rule-preview-result", "data-changed"), "true");
    const expected = await page.request.post(`${server.url}/api/calendars/2027/preview`, { data: FIXTURE });
    assert.equal(expected.status(), 200);
    const moved = (await expected.json()).cases;
    assert.equal(await page.locator("#preview-cases tbody tr").count(), moved.length);
    if (moved.length === 0) {
      assert.match(await page.textContent("#rule-preview-result"), /没有在办个案的答复期限因此改变/);
    }
    for (const c of moved) {
      const row = page.locator(`#preview-cases tr[data-id="${c.id}"]`);
      assert.equal(await row.getAttribute("data-old"), c.old.value);
      assert.equal(await row.getAttribute("data-new"), c.new.value);
    }

    mkdirSync(join(root, "target/screenshots"), { recursive: true });
    await page.screenshot({ path: join(root, "target/screenshots/rules-calendar.png"), fullPage: true });

    // Publish: a reason is required.
    await page.click("#rule-publish");
    await page.waitForSelector("#f-reason-error");
    await page.fill("#f-reason", "依据国务院办公厅通知录入（测试）");
    await page.click("#rule-publish");
    await page.waitForSelector('#rule-published[data-version="1"]');
    await page.waitForSelector('#rule-in-force[data-source="published"][data-version="1"]');
    assert.match(await page.textContent("#rule-in-force"), /已发布第1版.*admin.*依据国务院办公厅通知录入（测试）/);

    // The server now serves it: the fixture's days, names and all.
    const got = await api(page, server.url, "/api/calendars/2027");
    assert.equal(got.version, 1);
    assert.equal(got.published_by, "admin");
    assert.equal(got.reason, "依据国务院办公厅通知录入（测试）");
    assert.deepEqual(got.table.holidays, FIXTURE.holidays);
    assert.deepEqual(got.table.make_up_workdays, FIXTURE.make_up_workdays);
    assert.equal(got.table.source, "2027年节假日安排（测试用，日期为虚构）");

    // 考核细则: 2027 has none, 2018's is in force and laid out as the seed's table.
    await page.click('.rule-tabs a[href="/rules/rubric"]');
    await page.waitForSelector('#rules-rubric[data-loading="false"] #rubric-table');
    await chooseYear(page, 2027);
    assert.equal(await page.getAttribute("#rubric-table", "data-year"), "2018");
    assert.match(await page.textContent("#rule-in-force"), /2027年尚无自己的表，现行为2018年的表/);
    const rubric = JSON.parse(readFileSync(join(root, "shared/data/rubric-2018.json"), "utf8"));
    assert.deepEqual(
      await page.locator("#rubric-table tr.rubric-category").evaluateAll((rows) => rows.map((r) => r.dataset.category)),
      rubric.categories.map((c) => c.id),
    );
    assert.match(
      await page.textContent('#rubric-table [data-item="women_development.training"]'),
      /技能培训有通知、有内容、有名册、有图片，少一次扣1分/,
    );
    // A file whose points do not add up is refused by field, before anything is sent.
    rubric.year = 2027;
    rubric.title = "2027年各镇（区、街道）妇女工作考核细则";
    const wrong = { ...rubric, full_marks: "99" };
    const file = (name, json) => ({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(json)) });
    await page.setInputFiles("#rubric-file", file("wrong.json", wrong));
    await page.waitForSelector('#rules-rubric[data-file="wrong.json"] #rubric-errors li[data-field="full_marks"]');
    await page.setInputFiles("#rubric-file", file("rubric-2027.json", rubric));
    await page.waitForSelector('#rules-rubric[data-file="rubric-2027.json"] #rubric-check');
    assert.equal(await page.getAttribute("#rubric-table", "data-year"), "2027");
    await page.click("#rule-preview");
    await page.waitForSelector("#rule-preview-result");
    await page.screenshot({ path: join(root, "target/screenshots/rules-rubric.png"), fullPage: true });
    await page.fill("#f-reason", "2027年细则");
    await page.click("#rule-publish");
    await page.waitForSelector('#rule-published[data-version="1"]');
    const r = await api(page, server.url, "/api/rubrics/2027");
    assert.equal(r.table_year, 2027);
    assert.equal(r.table.title, rubric.title);

    // 月月谈主题: the built-in table, one box a month; March changed, previewed, published.
    await page.click('.rule-tabs a[href="/rules/themes"]');
    await page.waitForSelector('#rules-themes[data-loading="false"]');
    await chooseYear(page, 2027);
    assert.equal(await page.locator("#theme-months textarea").count(), 12);
    assert.equal(await page.getAttribute('.theme-month[data-month="3"]', "data-count"), "2");
    await page.fill("#theme-month-3", "学习宣传妇女权益保障法\n\n“三八”节主题活动\n");
    assert.equal(await page.getAttribute('.theme-month[data-month="3"]', "data-count"), "2");
    await page.click("#rule-preview");
    await page.waitForSelector("#preview-months");
    assert.match(await page.textContent("#preview-months"), /^主题改变的月份：3月$/);
    await page.fill("#f-reason", "2027年主题");
    await page.click("#rule-publish");
    await page.waitForSelector('#rule-published[data-version="1"]');
    const th = await api(page, server.url, "/api/themes/2027");
    assert.deepEqual(th.table.months["3"], ["学习宣传妇女权益保障法", "“三八”节主题活动"]);
    assert.equal(th.table.year, 2027);
  } finally {
    await app.tearDown();
  }
});

test("a village worker has no rule pages and cannot publish", async () => {
  const app = await freshApp(browser);
  const { page, server } = app;
  try {
    await page.goto(server.url);
    await logIn(page);
    assert.equal(await page.locator('nav.nav a[href="/rules/calendar"]').count(), 0);
    assert.ok(await page.locator('nav.nav a[href="/records"]').count() > 0, "the menu is there");
    const res = await page.request.put(`${server.url}/api/calendars/2027?reason=x`, { data: FIXTURE });
    assert.equal(res.status(), 403);
  } finally {
    await app.tearDown();
  }
});
