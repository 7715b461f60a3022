// The city assessor logs in, fills in 白蒲镇's annual assessment in the browser and submits it:
// the raw total the page previews while typing is the score the server stores.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, draftId, launchBrowser, logIn, scratch, startServer, unlock } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const CITY = { username: "city", password: DEMO.password };
const BAIPU = "rugao/baipu";

const total = (page) => page.getAttribute("#ta-raw-total", "data-score");
const item = (id, field) => `[name="items.${id}.${field}"]`;

/** Logs in through the app's login page (the city lands on the page it asked for). */
async function logInAsCity(page) {
  await logIn(page, { ...CITY, waitFor: "#ta-raw-total" });
}

test("the city assesses 白蒲镇: the previewed raw total is the score the server stores", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/town-assessments/new`);
    await logInAsCity(page);
    assert.equal(await page.getAttribute("#current-user", "data-username"), "city");
    assert.equal(await page.textContent("h2"), "镇（区、街道）妇女工作年度考核");
    // The city has three towns: none is picked for the assessor. The year is this one, filled
    // against the newest rubric published before it (the built-in 2018 one), as a note says.
    assert.equal(await page.inputValue('select[name="town"]'), "");
    const thisYear = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4);
    assert.equal(await page.inputValue('select[name="year"]'), thisYear);
    assert.equal(await page.getAttribute("#rubric-note", "data-rubric-year"), "2018");
    await page.selectOption('select[name="town"]', BAIPU);
    assert.equal(await page.locator('select[name="town"] option:checked').textContent(), "白蒲镇");
    // Nothing entered: ten items wait for an answer; an innovation not applied for costs 10.
    assert.equal(await total(page), "90.00");
    assert.equal(await page.getAttribute("#ta-pending", "data-count"), "10");
    // Each item quotes the 考核细则.
    assert.match(
      await page.textContent('[data-item="women_development.training"] .ta-clause q'),
      /技能培训有通知、有内容、有名册、有图片，少一次扣1分/,
    );

    // 妇女发展: one training short (−1), one element missing (−1), no 巾帼文明岗 (−2).
    await page.fill(item("women_development.training", "count"), "1");
    await page.check(`${item("women_development.pairing", "checked")}[value="pairing"]`);
    await page.check(`${item("women_development.pairing", "checked")}[value="spring_jobs"]`);
    await page.check(item("women_development.civilised_post", "holds"));
    await page.waitForSelector('section[data-category="women_development"] .ta-cat-score[data-score="6.00"]');
    // 妇女维权: two of six 平安家庭 elements missing (−2), council not active (−0.5).
    await page.fill(item("rights.activities", "count"), "4");
    for (const el of ["plan", "assessment", "commendation", "activities"]) {
      await page.check(`${item("rights.safe_family", "checked")}[value="${el}"]`);
    }
    await page.fill(item("rights.mediator", "count"), "1");
    await page.fill(item("rights.council_inactive", "deduction"), "0.5");
    await page.fill(item("rights.council_inactive", "reason"), "议事会全年仅开会一次");
    // 妇儿工委: one petition (−2).
    await page.fill(item("committee.single_mothers_care", "count"), "1");
    await page.fill(item("committee.cancer_aid_petitions", "count"), "1");
    // 儿童家庭工作: a brand without activities (−1).
    await page.check(`${item("children_family.brand", "option")}[value="inactive"]`);
    // 组织工作: regional organisation lacking (−2.5, within 2–3, with a reason).
    await page.fill(item("organisation.regional", "deduction"), "2.5");
    await page.fill(item("organisation.regional", "reason"), "辖区内企业妇联组织覆盖率不足50%");
    // 宣传工作 −1, 信息调研工作 −2, 创新工作 7.5 of 10, 其他 −0.5 and −3.33.
    await page.fill(item("publicity.media_campaigns", "count"), "3");
    await page.fill(item("information.published", "count"), "10");
    await page.check(item("innovation.work", "applied"));
    await page.fill(item("innovation.work", "score"), "7.5");
    await page.fill(item("other.city_activities", "count"), "1");
    await page.fill(item("other.publicity_tasks", "done"), "2");
    await page.fill(item("other.publicity_tasks", "total"), "3");
    assert.equal(await page.getAttribute('[data-item="other.publicity_tasks"] .ta-cost', "data-points"), "3.33");
    // Bonus: 2 city meetings, 4 investment projects: 22 points, capped at 20.
    await page.fill('[name="bonus.city_meeting"]', "2");
    await page.fill('[name="bonus.investment"]', "4");

    await page.waitForSelector('#ta-pending[data-count="0"]');
    assert.equal(await page.getAttribute("#ta-base", "data-score"), "78.67");
    assert.equal(await page.getAttribute("#ta-bonus-raw", "data-score"), "22.00");
    assert.equal(await page.getAttribute("#ta-bonus", "data-score"), "20.00");
    const previewed = await total(page);
    assert.equal(previewed, "98.67");
    assert.equal(await page.textContent("#ta-raw-total strong"), previewed);
    const categories = await page.locator("#ta-categories tbody tr").evaluateAll((rows) =>
      Object.fromEntries(rows.map((r) => [r.dataset.category, r.dataset.score])));
    assert.equal(await page.locator(".error").count(), 0);

    // The draft survives a reload (and the unlock that follows it) with its preview.
    const id = await draftId(page);
    await page.reload();
    await unlock(page, { ...CITY, waitFor: "#ta-raw-total" });
    await page.waitForSelector(`#ta-raw-total[data-score="${previewed}"]`);
    assert.equal(await page.inputValue('select[name="town"]'), BAIPU);

    assert.equal(await draftId(page), id);
    await page.click('.ta-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 15000 });
    // A fresh form for the next town.
    assert.equal(await page.inputValue('select[name="town"]'), "");
    assert.equal(await total(page), "90.00");

    const res = await page.request.get(`${server.url}/api/town-assessments`);
    assert.equal(res.status(), 200);
    const stored = (await res.json()).filter((r) => r.record.id === id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].unit, BAIPU);
    assert.equal(stored[0].author, "city");
    assert.equal(stored[0].assessment.raw_total, previewed, "the server's score is the one previewed");
    assert.equal(stored[0].assessment.bonus, "20.00");
    assert.deepEqual(
      Object.fromEntries(stored[0].assessment.categories.map((c) => [c.id, c.score])),
      categories,
    );
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});
