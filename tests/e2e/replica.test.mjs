// The offline replica (issue 17): a village worker logs in online once; her unit's records come
// into her encrypted vault through the change feed, and the records page lists, filters and
// opens them offline, after an offline reload too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { DEMO, deviceStorage, freshApp, launchBrowser, logIn, root, unlock } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The server's answer to `path`, with the page's own session. */
async function api(page, url, path) {
  const res = await page.request.get(`${url}${path}`);
  assert.equal(res.status(), 200, `GET ${path}: ${await res.text()}`);
  return res.json();
}

const listed = (page) => page.getAttribute("#records-count", "data-count").then(Number);

async function openRecords(page) {
  await page.click('.nav a[href="/records"]');
  await page.waitForSelector('#records[data-loading="false"] #records-synced');
}

test("a village worker's records: replicated once online, then listed, filtered and opened offline after a reload", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    const visits = await api(page, t.server.url, "/api/visits?limit=200");
    const resolved = await api(page, t.server.url, "/api/visits?status=resolved&limit=200");
    const keyPersons = await api(page, t.server.url, "/api/key-persons?limit=200");
    assert.ok(visits.length > 1 && resolved.length > 0 && resolved.length < visits.length,
      `the demo village has open and resolved visits (${visits.length}, ${resolved.length})`);

    await openRecords(page);
    assert.equal(await listed(page), visits.length, "the replica holds what the server lists");
    // The replica is sealed like every vault item: no party's name in the clear.
    const { text } = await deviceStorage(page);
    for (const v of visits) {
      for (const p of v.record.parties) assert.ok(!text.includes(p.name), `${p.name} is stored sealed`);
    }

    // No server, no network: a reload opens the cached app, the password unlocks the vault.
    await t.server.stop();
    await page.route("**/*", (route) => route.abort());
    await page.reload().catch(() => {});
    await page.unroute("**/*");
    await unlock(page, { username: DEMO.username, waitFor: "#current-user" });
    await openRecords(page);
    assert.equal(await listed(page), visits.length);
    assert.match(await page.textContent("#records-synced"), /本机副本/);

    // Filters work on the replica as the server's list does.
    await page.selectOption('select[name="status"]', "resolved");
    await page.waitForFunction((n) => document.querySelector("#records-count")?.dataset.count === String(n), resolved.length);
    await page.selectOption('select[name="status"]', "");

    // A record opens whole: names unmasked, its risk level as of today.
    const one = visits[0];
    await page.click(`#records-table tr[data-id="${one.record.id}"] button.open-record`);
    await page.waitForSelector(`#record-detail[data-id="${one.record.id}"] #record-body`);
    assert.ok((await page.textContent("#record-body")).includes(one.record.parties[0].name));
    assert.equal(await page.getAttribute("#record-detail .level-line", "data-level"), one.assessment.level);
    // Its print view (附件3) is there offline too, filled from the device's copy.
    await page.click("#visit-print summary");
    const sheet = page.locator(`#visit-print .visit-print[data-record-id="${one.record.id}"]`);
    await sheet.waitFor();
    assert.ok((await sheet.locator("tr.party td.name").first().textContent()).includes(one.record.parties[0].name));

    // Another kind of her unit is there too.
    await page.click('.tabs button[data-kind="key_person"]');
    await page.waitForFunction((n) => document.querySelector("#records-count")?.dataset.count === String(n), keyPersons.length);
  } finally {
    t.server = { stop: async () => {} };
    await t.tearDown();
  }
});

// 续办 of every kind a village worker keeps (the rights case, whose change adds a stage, has
// its own test in report_case.test.mjs): after an offline reload, opened from the replica,
// changed, queued; stored as next versions once the network is back.
const CHANGES = [
  { kind: "visit", path: "visits", field: "remarks", form: "visits", value: "续办：已电话回访" },
  { kind: "key_person", path: "key-persons", field: "address", form: "key-persons" },
  { kind: "meeting", path: "meetings", field: "must_discuss", form: "meetings" },
  { kind: "monthly_report", path: "monthly-reports", field: "households_visited", form: "monthly-reports", value: "57" },
  { kind: "model_home", path: "model-homes", field: "featured_activities", form: "model-homes" },
  { kind: "self_assessment", path: "self-assessments", field: "remarks", form: "self-assessments", value: "续办补充的备注" },
];

test("续办 of each kind from the replica, offline: queued, then stored as the next version", async () => {
  const t = await freshApp(browser);
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    const before = {};
    for (const c of CHANGES) {
      const list = await api(page, t.server.url, `/api/${c.path}?limit=200`);
      assert.ok(list.length > 0, `the demo village has ${c.path}`);
      before[c.kind] = list[0];
    }
    await openRecords(page);
    // Offline from here, and the app reloaded: everything below comes from the device.
    await context.setOffline(true);
    await page.reload().catch(() => {});
    await unlock(page, { username: DEMO.username, waitFor: "#current-user" });
    for (const c of CHANGES) {
      const stored = before[c.kind];
      await page.click('.nav a[href="/records"]');
      await page.click(`.tabs button[data-kind="${c.kind}"]`);
      await page.click(`#records-table tr[data-id="${stored.record.id}"] button.open-record`);
      await page.click(`#record-detail[data-id="${stored.record.id}"] .continue button[data-kind="${c.kind}"]`);
      await page.waitForSelector(`#continuing[data-version="${stored.version}"]`);
      assert.equal(new URL(page.url()).pathname, `/${c.form}/new`);
      if (c.kind === "model_home") {
        // Opinions already given are signed: shown, not offered for change.
        const given = Object.entries(stored.record.opinions).filter(([, o]) => o);
        assert.ok(given.length > 0, "the demo application has opinions given");
        for (const [level] of given) {
          await page.waitForSelector(`fieldset.mh-opinion[data-level="${level}"][data-signed="true"]`);
          assert.equal(await page.locator(`[name="opinions.${level}.decision"]`).count(), 0, `${level}: no input`);
        }
        assert.equal(await page.locator('[name="opinions.city.decision"]').count() > 0, true, "the next level is open");
      }
      const was = await page.inputValue(`[name="${c.field}"]`);
      assert.ok(was !== "" || c.value, `${c.kind}: the stored ${c.field} is on the form`);
      await page.fill(`[name="${c.field}"]`, c.value ?? `${was}（续办补充）`);
      await page.click('form button[type="submit"]');
      await page.waitForSelector("#continuing", { state: "detached" });
    }
    const queued = await page.locator('#outbox li[data-id]').count();
    assert.ok(queued >= CHANGES.length, `queued offline: ${queued}`);

    await context.setOffline(false);
    for (const c of CHANGES) {
      const stored = before[c.kind];
      let now;
      for (let i = 0; i < 120; i++) {
        now = await api(page, t.server.url, `/api/${c.path}/${stored.record.id}`);
        if (now.version === stored.version + 1) break;
        await page.waitForTimeout(250);
      }
      assert.equal(now.version, stored.version + 1, `${c.kind} stored as its next version`);
      const field = c.field === "households_visited" ? String(now.record[c.field]) : now.record[c.field];
      assert.equal(field, c.value ?? `${stored.record[c.field]}（续办补充）`, `${c.kind}: the change is stored`);
    }
  } finally {
    await t.tearDown();
  }
});

// The eighth kind is the city's: a town assessment opened online is kept on the device, and
// continued offline.
test("续办 of a town assessment the city opened, offline: stored as its next version once back online", async () => {
  const t = await freshApp(browser);
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page, { username: "city", waitFor: "#current-user" });
    const [stored] = await api(page, t.server.url, "/api/town-assessments?limit=200");
    assert.ok(stored, "the demo city has town assessments");
    await page.click('.nav a[href="/records"]');
    await page.click('.tabs button[data-kind="town_assessment"]');
    await page.click(`#records-table tr[data-id="${stored.record.id}"] button.open-record`);
    await page.waitForSelector(`#record-detail[data-id="${stored.record.id}"] #continue-record`);
    await context.setOffline(true);
    await page.click(`#record-detail[data-id="${stored.record.id}"] #continue-record[data-kind="town_assessment"]`);
    await page.waitForSelector(`#continuing[data-version="${stored.version}"]`);
    const field = '[name="bonus.chunlei_class"]';
    const was = Number((await page.inputValue(field)) || 0);
    await page.fill(field, String(was + 1));
    await page.click('form button[type="submit"]');
    await page.waitForSelector("#continuing", { state: "detached" });
    await context.setOffline(false);
    const now = await waitForVersion(page, t.server.url, `/api/town-assessments/${stored.record.id}`, stored.version + 1);
    assert.equal(Number(now.record.bonus.chunlei_class ?? 0), was + 1);
  } finally {
    await t.tearDown();
  }
});

/** Opens key person `id` from the replica on its form (续办). */
async function continueKeyPerson(page, id) {
  await page.click('.nav a[href="/records"]');
  await page.click('.tabs button[data-kind="key_person"]');
  await page.click(`#records-table tr[data-id="${id}"] button.open-record`);
  await page.click(`#record-detail[data-id="${id}"] #continue-record`);
  await page.waitForSelector("#continuing");
}

async function waitForVersion(page, url, path, version) {
  let now;
  for (let i = 0; i < 120; i++) {
    now = await api(page, url, path);
    if (now.version >= version) return now;
    await page.waitForTimeout(250);
  }
  assert.fail(`${path} never reached version ${version}: ${JSON.stringify(now).slice(0, 200)}`);
}

test("two phones change one record offline: different fields merge by themselves; the same field is the second worker's choice", async () => {
  const t = await freshApp(browser);
  const a = t.page;
  const other = await browser.newContext();
  const b = await other.newPage();
  try {
    const url = t.server.url;
    for (const page of [a, b]) {
      await page.goto(url);
      await logIn(page);
      await openRecords(page);
    }
    const [one, two] = await api(a, url, "/api/key-persons?limit=200");
    const path = (k) => `/api/key-persons/${k.record.id}`;

    // Different fields: the address on one phone, the phone number on the other.
    for (const ctx of [t.context, other]) await ctx.setOffline(true);
    await continueKeyPerson(a, one.record.id);
    await a.fill('[name="address"]', "林梓村6组1号");
    await a.click('form button[type="submit"]');
    await continueKeyPerson(b, one.record.id);
    await b.fill('[name="phone"]', "13812345678");
    await b.click('form button[type="submit"]');
    await t.context.setOffline(false);
    await waitForVersion(a, url, path(one), one.version + 1);
    await other.setOffline(false);
    const merged = await waitForVersion(a, url, path(one), one.version + 2);
    assert.equal(merged.record.address, "林梓村6组1号", "the first phone's change kept");
    assert.equal(merged.record.phone, "13812345678", "the second phone's change kept");

    // The same field on both: the second phone is asked, theirs beside mine.
    for (const ctx of [t.context, other]) await ctx.setOffline(true);
    await continueKeyPerson(a, two.record.id);
    await a.fill('[name="address"]', "甲写的地址");
    await a.click('form button[type="submit"]');
    await continueKeyPerson(b, two.record.id);
    await b.fill('[name="address"]', "乙写的地址");
    await b.click('form button[type="submit"]');
    await t.context.setOffline(false);
    await waitForVersion(a, url, path(two), two.version + 1);
    await other.setOffline(false);
    const row = b.locator('#outbox li[data-state="rejected"] .merge tr[data-field="address"]');
    await row.waitFor({ timeout: 30000 });
    assert.match(await row.textContent(), /甲写的地址/);
    assert.match(await row.textContent(), /乙写的地址/);
    assert.equal(await row.locator("th").textContent(), "家庭住址", "the field in words, not its name");
    assert.equal(await b.isDisabled("#outbox .send-merged"), true, "nothing goes before the choice");
    await row.locator('input[value="mine"]').check();
    await b.click("#outbox .send-merged");
    const chosen = await waitForVersion(a, url, path(two), two.version + 2);
    assert.equal(chosen.record.address, "乙写的地址");
  } finally {
    await other.close();
    await t.tearDown();
  }
});

// Issue 18: the year's rules reach the phone with the sync and are used offline. An admin
// publishes a 2027 calendar (the test fixture's made-up dates: 1–3 January off); a worker's
// phone, after its next sync and with no network, counts a case's reply deadline with it.
test("a calendar published on the server counts deadlines on the phone offline after its next sync", async () => {
  const t = await freshApp(browser);
  const { page, context } = t;
  const admin = await browser.newContext();
  try {
    const url = t.server.url;
    const fixture = JSON.parse(readFileSync(join(root, "backend/tests/fixtures/calendar-2027.json"), "utf8"));
    const login = await admin.request.post(`${url}/api/login`, { data: { username: "admin", password: DEMO.password } });
    assert.equal(login.status(), 200);
    const put = await admin.request.put(`${url}/api/calendars/2027?reason=${encodeURIComponent("国务院通知")}`, { data: fixture });
    assert.ok(put.ok(), `published: ${put.status()} ${await put.text()}`);

    // The phone's clock says 28 December 2026 (the server's is today's).
    await page.clock.setFixedTime(new Date("2026-12-28T02:00:00Z"));
    await page.goto(url);
    await logIn(page);
    await openRecords(page);
    await context.setOffline(true);
    await page.click('.nav a[href="/rights-cases/new"]');
    await page.waitForSelector("#reply-deadline");
    await page.fill('[name="stages[0].date"]', "2026-12-28");
    await page.fill('[name="stages[0].handler"]', "李娟");
    await page.click("#add-stage");
    await page.fill('[name="stages[1].date"]', "2026-12-28");
    await page.check('input[name="stages[1].complexity"][value="ordinary"]');
    await page.waitForSelector('#reply-deadline:not([data-date=""])');
    // 7 working days from Monday 28 December, 1–3 January off: 7 January (Monday to Friday
    // alone, without the table, would give 6 January and a "no holiday table" note).
    assert.equal(await page.getAttribute("#reply-deadline", "data-date"), "2027-01-07");
    assert.equal(await page.locator("#calendar-note").count(), 0);
  } finally {
    await admin.close();
    await t.tearDown();
  }
});

test("a long list draws its first rows; 显示更多 draws the rest", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    // 30 more visits of her village on the server before she signs in on this phone.
    const login = await page.request.post(`${t.server.url}/api/login`, { data: { username: DEMO.username, password: DEMO.password } });
    assert.equal(login.status(), 200, await login.text());
    for (let n = 0; n < 30; n++) {
      const res = await page.request.post(`${t.server.url}/api/visits`, {
        data: {
          id: randomUUID(), org_unit: DEMO.unit, category: "A", visitor: "李娟",
          parties: [{ name: `王${n}芳`, address: `林梓村${n}号` }],
          summary: `邻里纠纷第 ${n} 起`, handling: "已调解", visit_date: "2026-11-02",
        },
      });
      assert.equal(res.status(), 201, await res.text());
    }
    const visits = await api(page, t.server.url, "/api/visits?limit=200");
    await page.goto(t.server.url);
    await logIn(page);
    await openRecords(page);
    await page.waitForFunction((n) => document.querySelector("#records-count")?.dataset.count === String(n), visits.length);
    const rows = () => page.locator("#records-table tbody tr").count();
    const first = await rows();
    assert.ok(first < visits.length, `${first} of ${visits.length} drawn first`);
    assert.match(await page.textContent("#records-more"), new RegExp(`已显示 ${first} / ${visits.length} 条`));
    while (await page.locator("#records-more").count()) await page.click("#records-more");
    assert.equal(await rows(), visits.length, "every row once 显示更多 is done");
    // Another filter starts from the first rows again.
    const a = await api(page, t.server.url, "/api/visits?category=A&limit=200");
    await page.selectOption('select[name="category"]', "A");
    await page.waitForFunction((n) => document.querySelector("#records-count")?.dataset.count === String(n), a.length);
    assert.equal(await rows(), Math.min(first, a.length));
  } finally {
    await t.tearDown();
  }
});

test("a first sync lists what its first page brought at once, says it is still syncing, then lists everything", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    const login = await page.request.post(`${t.server.url}/api/login`, { data: { username: DEMO.username, password: DEMO.password } });
    assert.equal(login.status(), 200, await login.text());
    const feed = await api(page, t.server.url, "/api/sync?since=&limit=1000");
    assert.equal(feed.more, false);
    // Pages that end with the feed's first visit record: the first page brings one visit, and
    // the pages after it are held back (a slow phone network) until released.
    const size = feed.changes.findIndex((r) => r.kind === "visits") + 1;
    const visits = feed.changes.filter((r) => r.kind === "visits").length;
    assert.ok(size > 0 && visits > 1, `the demo feed has visits (${visits}) after the first`);
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(/\/api\/sync\?/, async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set("limit", String(size));
      if (url.searchParams.get("since")) await held;
      await route.continue({ url: url.toString() });
    });
    await page.goto(t.server.url);
    await logIn(page);
    await page.click('.nav a[href="/records"]');
    await page.waitForSelector("#records-syncing");
    await page.waitForFunction(() => document.querySelector("#records-count")?.dataset.total === "1");
    assert.match(await page.textContent("#records-syncing"), /正在与服务器同步/);
    release();
    await page.waitForSelector("#records-synced", { timeout: 30000 });
    assert.equal(await page.getAttribute("#records-count", "data-total"), String(visits));
    assert.equal(await page.locator("#records-syncing").count(), 0);
  } finally {
    await t.tearDown();
  }
});
