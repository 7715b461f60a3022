// Town and city staff log in through the app and read their dashboard: every figure on the
// page is the server's (`/api/views/…` for the demo city, read with the same session), the
// warnings lead to their records, the records list masks people until a record is opened, and
// without the network the pages say so instead of showing figures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, launchBrowser, logIn, root, scratch, startServer } from "./harness.mjs";

const SHOTS = join(root, "target/screenshots");

let browser;
before(async () => {
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => { await browser?.close(); });

async function setUp() {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  return {
    tmp, server, context, page,
    async tearDown() {
      await context.close();
      await server.stop();
      tmp.remove();
    },
  };
}

/** Logs in through the login page; town and city staff land on the dashboard. */
async function logInAs(page, username) {
  await logIn(page, { username, waitFor: `#current-user[data-username="${username}"]` });
}

/** The server's answer to `path`, with the page's own session. */
async function api(page, url, path) {
  const res = await page.request.get(`${url}${path}`);
  assert.equal(res.status(), 200, `GET ${path}: ${await res.text()}`);
  return res.json();
}

/** A full-page screenshot from the top (the header is sticky). */
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

async function dashboardReady(page) {
  await page.waitForSelector('#dashboard[data-loading="false"]', { timeout: 15000 });
  for (const sel of ["#warn-counts", "#completeness-grid", "#stat-figures", "#category-chart rect.bar"]) {
    await page.waitForSelector(sel, { timeout: 15000 });
  }
}

/** 张三芳 → 张*芳, 王芳 → 王* (names without a bracketed note). */
function maskName(name) {
  const c = [...name];
  return c.length === 2 ? `${c[0]}*` : c[0] + "*".repeat(c.length - 2) + c.at(-1);
}

const attrs = (page, selector, name) =>
  page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

/** The warnings, the cases due and the grid on the page against the API's. */
async function checkWarningsAndGrid(page, url, scopeQuery) {
  const w = await api(page, url, `/api/views/warnings${scopeQuery}`);
  for (const sev of ["critical", "high", "medium", "low"]) {
    assert.equal(
      await page.getAttribute(`#warn-counts [data-severity="${sev}"]`, "data-count"),
      String(w.counts[sev]), `${sev} warnings`);
  }
  assert.deepEqual(await attrs(page, "#warnings-table tbody tr", "data-code"), w.warnings.map((x) => x.code));
  assert.deepEqual(await attrs(page, "#warnings-table tbody tr", "data-unit"), w.warnings.map((x) => x.unit));
  // The per-unit totals.
  const perUnit = {};
  for (const x of w.warnings) perUnit[x.unit] = (perUnit[x.unit] ?? 0) + 1;
  for (const [unit, n] of Object.entries(perUnit)) {
    assert.equal(await page.textContent(`#warnings-by-unit tr[data-unit="${unit}"] td.total`), String(n), unit);
  }
  // Every warning about a record links to it.
  const links = await attrs(page, "#warnings-table tbody tr a.open-record", "href");
  assert.deepEqual(links, w.warnings.filter((x) => x.record)
    .map((x) => `/records?kind=${x.record.kind}&id=${x.record.id}`));
  // Rights cases due soon and overdue.
  const overdue = w.warnings.filter((x) => x.code === "case.overdue").length;
  const dueSoon = w.warnings.filter((x) => x.code === "case.due_soon").length;
  assert.equal(await page.getAttribute('#case-counts [data-kind="overdue"]', "data-count"), String(overdue));
  assert.equal(await page.getAttribute('#case-counts [data-kind="due_soon"]', "data-count"), String(dueSoon));
  assert.equal(await page.locator("#cases-table tbody tr").count(), overdue + dueSoon);

  // The completeness grid: every village's status in every month shown, and each town's rate.
  const months = await attrs(page, "#completeness-grid th.month", "data-month");
  assert.equal(months.length, 6);
  let cells = 0;
  for (const month of months) {
    const c = await api(page, url, `/api/views/completeness?month=${month}${gridScope(scopeQuery)}`);
    for (const t of c.towns) {
      const rate = page.locator(`#completeness-grid td.rate[data-town="${t.town}"][data-month="${month}"]`);
      assert.equal(await rate.getAttribute("data-on-time"), String(t.on_time), `${t.town} ${month}`);
      assert.equal(await rate.getAttribute("data-expected"), String(t.expected));
      for (const v of t.villages) {
        const cell = page.locator(`#completeness-grid td.cell[data-unit="${v.unit}"][data-month="${month}"]`);
        assert.equal(await cell.getAttribute("data-status"), v.status, `${v.unit} ${month}`);
        assert.equal(await cell.getAttribute("data-zero"), String(v.zero_report === true));
        cells += 1;
      }
    }
  }
  assert.equal(await page.locator("#completeness-grid td.cell").count(), cells);
  return w;
}

/** `town=` for the grid when the dashboard is narrowed to one town. */
function gridScope(scopeQuery) {
  const m = /unit=(rugao\/[a-z]+)$/.exec(scopeQuery);
  return m ? `&town=${m[1]}` : "";
}

/** The SPEC §7 figures on the page against the API's. */
async function checkStatistics(page, url, scopeQuery) {
  const from = await page.inputValue("#dash-from");
  const to = await page.inputValue("#dash-to");
  const sep = scopeQuery ? "&" : "?";
  const s = await api(page, url, `/api/views/statistics${scopeQuery}${sep}from=${from}&to=${to}`);
  const fig = (key) => page.getAttribute(`#stat-${key}`, "data-value");
  assert.equal(await fig("key_people"), String(s.key_people));
  assert.equal(await fig("key_households"), String(s.key_households));
  assert.equal(await fig("disputes_found"), String(s.disputes_found));
  assert.equal(await fig("disputes_resolved"), String(s.disputes_resolved));
  assert.equal(await fig("calls_and_visits"), String(s.calls_and_visits));
  assert.equal(await fig("resolution_rate"), s.resolution_rate_text);
  assert.deepEqual(
    [await fig("disputes_a"), await fig("disputes_b"), await fig("disputes_c")],
    s.disputes_by_category.map(String));
  for (const part of s.parts) {
    const cell = (key) => page.textContent(`#stats-table tbody tr[data-unit="${part.unit}"] td[data-key="${key}"]`);
    assert.equal(await cell("disputes_found"), String(part.disputes_found), part.unit);
    assert.equal(await cell("resolution_rate"), part.resolution_rate_text, part.unit);
  }
  assert.equal(await page.locator("#stats-table tbody tr").count(), s.parts.length);
  return s;
}

/** The category chart: one bar per category, heights in proportion to the scores. */
async function checkCategoryChart(page, score) {
  const bars = page.locator("#category-chart rect.bar");
  assert.equal(await bars.count(), score.categories.length);
  const heights = (await attrs(page, "#category-chart rect.bar", "height")).map(Number);
  const points = Number(score.categories[0].points);
  // The plot is 120 units high: a full category fills it.
  score.categories.forEach((c, i) => {
    assert.ok(Math.abs(heights[i] / 120 - Number(c.score) / points) < 0.001,
      `${c.id}: height ${heights[i]} for ${c.score}`);
  });
  assert.deepEqual(await attrs(page, "#category-chart rect.bar", "data-key"), score.categories.map((c) => c.id));
}

test("town dashboard: the server's figures for 白蒲镇, exports, and a warning opens its record", async () => {
  const t = await setUp();
  const { page, server: { url } } = t;
  try {
    await page.goto(url);
    await logInAs(page, "baipu");
    await dashboardReady(page);
    assert.equal(await page.textContent("#dash-scope"), "白蒲镇");
    // A town has no scope to choose: its own figures.
    assert.equal(await page.locator("#dash-scope-select").count(), 0);

    const w = await checkWarningsAndGrid(page, url, "");
    assert.ok(w.warnings.length > 0, "the demo town has open warnings");
    await checkStatistics(page, url, "");

    // Its own assessment: rank among every town, scores, and the category chart.
    const r = await api(page, url, "/api/views/ranking");
    assert.equal(r.rows.length, 1);
    const own = r.rows[0];
    assert.equal(await page.getAttribute("#own-rank", "data-rank"), String(own.rank));
    assert.equal(await page.getAttribute("#own-rank", "data-normalised"), own.normalised);
    assert.equal(await page.getAttribute("#own-rank", "data-raw"), own.raw);
    assert.match(await page.textContent("#own-rank"), new RegExp(`${own.rank}/${r.towns_ranked}`));
    assert.equal(await page.textContent("#ranking-year"), String(r.year));
    await checkCategoryChart(page, own.score);
    assert.equal(await page.locator("#ranking-table").count(), 0, "a town sees no other town");

    // Exports: every table as the server's XLSX and CSV, with the page's filters.
    const xlsx = await page.getAttribute('#dash-ranking a.download[data-file="assessments.xlsx"]', "href");
    assert.equal(xlsx, `/api/export/assessments.xlsx?year=${r.year}`);
    const res = await page.request.get(`${url}${xlsx}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()["content-type"], /spreadsheetml/);
    const from = await page.inputValue("#dash-from");
    const to = await page.inputValue("#dash-to");
    const months = await attrs(page, "#completeness-grid th.month", "data-month");
    const links = {
      "#dash-warnings": "/api/export/warnings.{ext}?unit=rugao%2Fbaipu",
      "#dash-cases": "/api/export/rights-cases-due.{ext}?unit=rugao%2Fbaipu",
      "#dash-completeness":
        `/api/export/completeness.{ext}?town=rugao%2Fbaipu&from=${months[0]}&to=${months[months.length - 1]}`,
      "#dash-statistics": `/api/export/statistics.{ext}?unit=rugao%2Fbaipu&from=${from}&to=${to}`,
    };
    for (const [section, href] of Object.entries(links)) {
      for (const ext of ["xlsx", "csv"]) {
        const file = href.slice("/api/export/".length, href.indexOf("."));
        const got = await page.getAttribute(`${section} a.download[data-file="${file}.${ext}"]`, "href");
        assert.equal(got, href.replace("{ext}", ext), section);
        const res = await page.request.get(`${url}${got}`);
        assert.equal(res.status(), 200, `${got}: ${await res.text()}`);
      }
    }
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('#dash-warnings a.download[data-file="warnings.csv"]'),
    ]);
    const csv = readFileSync(await download.path(), "utf8");
    // Every cell quoted (a spreadsheet splitting on ";" cannot cut a cell open).
    assert.ok(csv.startsWith('\ufeff"序号","严重程度","单位","预警类型","预警内容","记录编号"\r\n'), csv.slice(0, 80));
    assert.equal(csv.trim().split("\r\n").length, w.warnings.length + 1);
    assert.ok(csv.includes(w.warnings[0].message));

    await shot(page, "dashboard-town.png");

    // A red visit warning opens its record, whole, and the list shows people masked.
    const red = w.warnings.find((x) => x.code === "risk.red" && x.record?.kind === "visit");
    const record = await api(page, url, `/api/visits/${red.record.id}`);
    const name = record.record.parties[0].name;
    await page.click(`#warnings-table tr[data-code="risk.red"][data-unit="${red.unit}"] a.open-record`);
    await page.waitForSelector('#records[data-kind="visit"][data-loading="false"]');
    await page.waitForSelector(`#record-detail[data-id="${red.record.id}"] #record-body`);
    assert.equal(new URL(page.url()).search, `?kind=visit&id=${red.record.id}`);
    assert.ok((await page.textContent("#record-body")).includes(name), "the opened record names the party");
    assert.equal(await page.getAttribute("#record-detail .level-line", "data-level"), record.assessment.level);
    assert.equal(await page.textContent('#record-body > dl > dd[data-key="org_unit"]'), red.unit_name);
    await page.waitForSelector("#records-table");
    const list = await api(page, url, "/api/visits?limit=200");
    assert.equal(await page.getAttribute("#records-count", "data-count"), String(list.length));
    const row = page.locator(`#records-table tr[data-id="${red.record.id}"]`);
    const who = await row.locator("td.who").textContent();
    assert.ok(!who.includes(name), `masked in the list: ${who}`);
    assert.equal(who.split("、")[0], maskName(name));
    const phone = record.record.parties[0].phone;
    if (phone) assert.equal((await row.locator("td.phone").textContent()).split("、")[0], `${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const table = await page.textContent("#records-table");
    for (const v of list) {
      for (const p of v.record.parties) assert.ok(!table.includes(p.name), `${p.name} is not shown whole in the list`);
    }
    // Filters (on the replica, as the server filters): red ones only.
    await page.selectOption('select[name="level"]', "red");
    const reds = await api(page, url, "/api/visits?level=red&limit=200");
    await page.waitForSelector(`#records[data-loading="false"] #records-count[data-count="${reds.length}"]`);
    assert.ok(reds.length < list.length);
    await shot(page, "records-town.png");
  } finally {
    await t.tearDown();
  }
});

test("city dashboard: every town, the ranking with the server's scores, and one town's figures", async () => {
  const t = await setUp();
  const { page, server: { url } } = t;
  try {
    await page.goto(url);
    await logInAs(page, "city");
    await dashboardReady(page);
    await page.waitForSelector("#ranking-table");
    assert.equal(await page.textContent("#dash-scope"), "如皋市");

    await checkWarningsAndGrid(page, url, "");
    const grid = await api(page, url, "/api/views/completeness");
    assert.equal(await page.locator("#completeness-grid tbody[data-town]").count(), grid.towns.length);
    assert.ok(grid.towns.length > 1, "the grid is across towns");
    await checkStatistics(page, url, "");

    // The year's ranking: rank, normalised and raw scores, bonus, per town.
    const r = await api(page, url, "/api/views/ranking");
    assert.deepEqual(await attrs(page, "#ranking-table tbody tr", "data-town"), r.rows.map((x) => x.town));
    for (const row of r.rows) {
      const tr = page.locator(`#ranking-table tr[data-town="${row.town}"]`);
      assert.equal(await tr.locator("td.rank").textContent(), String(row.rank));
      assert.equal(await tr.locator("td.normalised").textContent(), row.normalised);
      assert.equal(await tr.locator("td.raw").textContent(), row.raw);
      assert.ok((await tr.locator("td.bonus").textContent()).startsWith(row.score.bonus), row.town);
    }
    await checkCategoryChart(page, r.rows[0].score);
    // Another town's categories on request.
    const last = r.rows.at(-1);
    await page.click(`#ranking-table tr[data-town="${last.town}"] button.show-categories`);
    await page.waitForSelector(`#ranking-table tr.chosen[data-town="${last.town}"]`);
    await checkCategoryChart(page, last.score);
    assert.deepEqual(await attrs(page, "#towns-chart rect.bar", "data-value"),
      r.rows.map((x) => String(Number(x.normalised))));

    await shot(page, "dashboard-city.png");

    // Narrowed to one town, the figures are that town's.
    await page.selectOption("#dash-scope-select", "rugao/changjiang");
    await page.waitForSelector('#dashboard[data-scope="rugao/changjiang"][data-loading="false"]');
    await checkWarningsAndGrid(page, url, "?unit=rugao/changjiang");
    await checkStatistics(page, url, "?unit=rugao/changjiang");
    assert.equal(await page.locator("#completeness-grid tbody[data-town]").count(), 1);
  } finally {
    await t.tearDown();
  }
});

test("offline, the dashboard says so and shows no figures, the records come from the device's copy; back online they return", async () => {
  const t = await setUp();
  const { page, context, server: { url } } = t;
  try {
    await page.goto(url);
    await logInAs(page, "baipu");
    await dashboardReady(page);

    // Figures already on screen are marked with the time they were read.
    await context.setOffline(true);
    await page.waitForSelector("#offline-note");
    assert.match(await page.textContent("#offline-note"), /以下数据是 \d\d:\d\d 从服务器读取的/);

    // Opened anew while offline: the records are the device's copy, and say when it was
    // brought up to date (the town's records were replicated at the login).
    await page.click('.nav a[href="/records"]');
    await page.waitForSelector("#records-synced.stale");
    assert.match(await page.textContent("#records-synced"), /当前离线：以下是本机副本，\d\d:\d\d 与服务器同步/);
    await page.click('.nav a[href="/dashboard"]');
    await page.waitForSelector("#dash-warnings .load-error.offline");
    for (const sel of ["#warn-counts", "#completeness-grid", "#stat-figures", "#own-rank"]) {
      assert.equal(await page.locator(sel).count(), 0, `${sel} is not shown offline`);
    }
    assert.match(await page.textContent("#dash-warnings .load-error"), /离线或无法连接服务器/);

    await context.setOffline(false);
    await dashboardReady(page);
    assert.equal(await page.locator(".load-error").count(), 0);
  } finally {
    await t.tearDown();
  }
});
