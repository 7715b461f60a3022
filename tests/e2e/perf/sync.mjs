// `cargo xtask bench sync`: the offline replica (issue 17) at scale, on a phone: a village
// worker whose unit holds 5,000 visit records more than the demo's logs in on a new device, her
// replica is pulled from the change feed (`GET /api/sync`, pages of 1,000) into her vault, and
// the records page lists and filters it. The release app (JIAJIA_DIST, default
// target/dist-release) served by the real server (JIAJIA_BACKEND, default target/release/backend)
// on loopback, in headless Chromium.
//
// Method. The phone profile of perf/load.mjs, through the DevTools protocol: 150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up (Network.emulateNetworkConditions), CPU ×4
// (Emulation.setCPUThrottlingRate).
// seed:   a fresh demo database; JIAJIA_RECORDS (default 5,000) visit records of 林梓村 posted
//         through the API as linzi, 8 at a time (dates over two years, categories A/B/C, half of
//         them resolved, some with a follow-up). Not timed into anything below.
// first:  a new browser context (no vault, no cache) opens the app (not timed), then: the login
//         click → the records page (opened from the menu as soon as the login is through)
//         listing its first rows (the first page, stored on its own), and listing the whole replica, `#records-count[data-total]` = every visit the server lists
//         for her. Split, from the DevTools network events: login click → the first /api/sync
//         request; each page's wait (request → first byte) and transfer (first → last byte);
//         the app's work between pages (parse, apply) and after the last (parse, apply, render);
//         bytes on the wire of /api/sync (encodedDataLength: the body as sent, and headers). Also
//         when the vault has sealed and stored the replica (the last `jiajia.vault.write`
//         measure: behind the list, off the user's path).
// incr:   10 more records posted through the API; the network goes off and on again (the app
//         pulls on reconnect): back online → the count shows them; its bytes on the wire.
// filter: the records page over the full replica, a filter changed (status, risk level,
//         category, in turn, and back): the `change` event dispatched → `#records-count` shows
//         the new total (a MutationObserver; "+frame": the next animation frame after it, i.e.
//         the list painted). JIAJIA_FILTERS changes per run (default 12).
// JIAJIA_RUNS runs (default 3; each its own browser context on the same seeded server).
// Prints each run, then p50 / p95 over the runs. Never asserts a timing.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { loadavg } from "node:os";
import { launchBrowser, root, scratch, startServer as startAppServer, DEMO } from "../harness.mjs";

const RUNS = Number(process.env.JIAJIA_RUNS ?? 3);
const RECORDS = Number(process.env.JIAJIA_RECORDS ?? 5000);
const FILTERS = Number(process.env.JIAJIA_FILTERS ?? 12);
const MORE = 10;
const backend = process.env.JIAJIA_BACKEND ?? join(root, "target/release/backend");
const dist = process.env.JIAJIA_DIST ?? join(root, "target/dist-release");

const PHONE = { latency: 150, down: 1.6e6, up: 750e3, cpu: 4 };

// ---- seeding, through the API ----------------------------------------------------------------

async function apiLogin(url) {
  const res = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: DEMO.username, password: DEMO.password }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}

const day = (d) => d.toISOString().slice(0, 10);
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const ROLES = ["妻子", "丈夫", "母亲", "儿子", "女儿", "婆婆", "儿媳"];
const SUMMARIES = [
  "邻里因宅基地边界发生争执，双方多次口角",
  "婚后夫妻因家务分担和子女教育经常争吵",
  "丈夫酒后多次动手，妻子多次求助",
  "赡养老人费用分担不均，兄弟之间矛盾加深",
  "父母离异后孩子抚养费迟迟未付",
];

/** Visit record `n` of the seed: varied as a village's year or two of visits would be. */
function visit(n, today) {
  const visitDate = new Date(today.getTime() - (1 + (n * 7919) % 700) * 86400000);
  const category = ["A", "A", "A", "A", "A", "A", "A", "B", "B", "C"][n % 10];
  const later = (days) => {
    const d = new Date(visitDate.getTime() + days * 86400000);
    return day(d > today ? today : d);
  };
  const name = (k) => `${SURNAMES[(n + k) % SURNAMES.length]}${"秀英桂兰建国志强海燕"[(n * 3 + k) % 10]}${"芳明华"[k % 3]}`;
  const form = {
    id: randomUUID(),
    org_unit: DEMO.unit,
    parties: [
      { name: name(0), address: `林梓村${1 + (n % 12)}组${1 + (n % 40)}号`, age: String(25 + (n % 50)),
        family_role: ROLES[n % ROLES.length], phone: `138 ${String(1000 + (n % 9000))} ${String(1000 + ((n * 7) % 9000))}` },
      { name: name(1), family_role: ROLES[(n + 1) % ROLES.length] },
    ],
    category,
    summary: `${SUMMARIES[n % SUMMARIES.length]}（第 ${n} 号）`,
    handling: "老舅妈调解员上门调解，已报村两委",
    visitor: "李娟",
    visit_date: day(visitDate),
    unstable_signs: n % 7 === 0,
    severe_violence: category === "B" && n % 3 === 0,
  };
  if (n % 3 === 0) {
    form.follow_ups = [{ date: later(10), by: "李娟", outcome: "近期未再发生冲突", satisfaction: "basically_satisfied" }];
  }
  if (n % 2 === 0) form.resolved_on = later(20);
  if (category === "B") form.reports = { village_committee: later(1) };
  return form;
}

/** Posts `count` visit records as linzi, `concurrency` at a time. */
async function seed(url, cookie, count, from = 0, concurrency = 8) {
  const today = new Date();
  let next = from;
  const worker = async () => {
    for (let n = next++; n < from + count; n = next++) {
      const res = await fetch(`${url}/api/visits`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify(visit(n, today)),
      });
      if (res.status !== 201) throw new Error(`POST /api/visits #${n}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** How many visit records the server lists for linzi (paged by its list's limit). */
async function listed(url, cookie) {
  const res = await fetch(`${url}/api/sync?limit=2000`, { headers: { cookie } });
  let page = await res.json();
  let n = page.changes.filter((c) => c.kind === "visits").length;
  while (page.more) {
    page = await (await fetch(`${url}/api/sync?limit=2000&since=${encodeURIComponent(page.next)}`, { headers: { cookie } })).json();
    n += page.changes.filter((c) => c.kind === "visits").length;
  }
  return n;
}

// ---- the phone -------------------------------------------------------------------------------

const network = (cdp, offline) => cdp.send("Network.emulateNetworkConditions", {
  offline,
  latency: PHONE.latency,
  downloadThroughput: PHONE.down / 8,
  uploadThroughput: PHONE.up / 8,
});

/** A page of `context` on the phone profile, recording every /api/sync exchange. */
async function phonePage(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await network(cdp, false);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE.cpu });
  // Network events carry a monotonic clock; a request's wallTime ties it to the epoch.
  const clock = { offset: null };
  const syncs = new Map();
  cdp.on("Network.requestWillBeSent", (e) => {
    clock.offset ??= e.wallTime * 1000 - e.timestamp * 1000;
    if (new URL(e.request.url).pathname === "/api/sync") syncs.set(e.requestId, { sent: e.timestamp * 1000 });
  });
  // The first of the response's events: with the network emulated they may come in either
  // order (the headers' event after the body's).
  cdp.on("Network.responseReceived", (e) => {
    const s = syncs.get(e.requestId);
    if (s) s.firstByte = Math.min(s.firstByte ?? Infinity, e.timestamp * 1000);
  });
  cdp.on("Network.dataReceived", (e) => {
    const s = syncs.get(e.requestId);
    if (s) s.firstByte = Math.min(s.firstByte ?? Infinity, e.timestamp * 1000);
  });
  cdp.on("Network.loadingFinished", (e) => {
    const s = syncs.get(e.requestId);
    if (s) { s.done = e.timestamp * 1000; s.bytes = e.encodedDataLength; s.firstByte = Math.min(s.firstByte ?? Infinity, s.done); }
  });
  const wall = (t) => t + clock.offset;
  /** The /api/sync exchanges since `since` (epoch ms), finished, in order, times in epoch ms. */
  const exchanges = (since) => [...syncs.values()]
    .filter((s) => s.done && wall(s.sent) >= since)
    .map((s) => ({ sent: wall(s.sent), firstByte: wall(s.firstByte), done: wall(s.done), bytes: s.bytes }))
    .sort((a, b) => a.sent - b.sent);
  return { page, cdp, exchanges };
}

/** Progress on stderr, so that a run that stalls says where. */
const began = Date.now();
const note = (msg) => process.stderr.write(`  [${((Date.now() - began) / 1000).toFixed(1)} s] ${msg}\n`);

/** Epoch ms (the page's clock) when `#records-count` first shows `total`; fails after 5 min
 * with what it shows then. */
const watchTotal = (page, total) => page.evaluate((total) => new Promise((ok, fail) => {
  const shown = () => document.querySelector("#records-count")?.dataset.total;
  const seen = () => shown() === String(total);
  if (seen()) return ok(performance.timeOrigin + performance.now());
  const obs = new MutationObserver(() => {
    if (seen()) { obs.disconnect(); ok(performance.timeOrigin + performance.now()); }
  });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-total"] });
  setTimeout(() => {
    obs.disconnect();
    fail(new Error(`waited 5 min for ${total} listed; shown: ${shown()} at ${location.pathname}, body: ${document.body.innerText.slice(0, 300)}`));
  }, 300000);
}), total);

/** Epoch ms when `#records-count` first lists any record (a first sync shows its first page
 * before the rest; the records page opened as soon as the login is through). */
const watchFirstRows = (page) => page.evaluate(() => new Promise((ok) => {
  const some = () => Number(document.querySelector("#records-count")?.dataset.total ?? 0) > 0;
  if (some()) return ok(performance.timeOrigin + performance.now());
  const obs = new MutationObserver(() => {
    if (some()) { obs.disconnect(); ok(performance.timeOrigin + performance.now()); }
  });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-total"] });
}));

/** Logs in on the login form; the epoch ms of the click that went through. */
async function logIn(page) {
  for (let tries = 0; ; tries++) {
    await page.fill("#login-username", DEMO.username);
    await page.fill("#login-password", DEMO.password);
    const clicked = Date.now();
    await page.click('.login-form button[type="submit"]');
    const shown = await page.waitForSelector("#current-user, #login-missing, #login-error", { timeout: 120000 });
    const id = await shown.evaluate((e) => e.id);
    if (id === "login-error") throw new Error(`login refused: ${await shown.textContent()}`);
    if (id === "current-user" || tries >= 3) return clicked;
  }
}

/** Splits a sync's time: the pages' waits and transfers, the app's work between and after. */
function split(xs, start, shown) {
  const r = { start: xs[0].sent - start, wait: 0, transfer: 0, between: 0, tail: shown - xs.at(-1).done, bytes: 0, pages: xs.length };
  xs.forEach((x, i) => {
    r.wait += x.firstByte - x.sent;
    r.transfer += x.done - x.firstByte;
    r.bytes += x.bytes;
    if (i > 0) r.between += x.sent - xs[i - 1].done;
  });
  return r;
}

const FILTER_STEPS = [
  ["status", "resolved"], ["status", ""], ["level", "red"], ["level", ""],
  ["category", "B"], ["category", ""], ["status", "open"], ["status", ""],
];

/** Changes filter `name` to `value`; ms to the new total on screen, and to the frame after. */
const filterOnce = (page, name, value) => page.evaluate(({ name, value }) => new Promise((ok) => {
  const count = () => document.querySelector("#records-count")?.dataset.total;
  const before = count();
  const select = document.querySelector(`select[name="${name}"]`);
  const timer = setTimeout(() => {
    obs.disconnect();
    ok({ dom: NaN, frame: NaN, total: `unchanged ${count()} after 60 s` });
  }, 60000);
  const obs = new MutationObserver(() => {
    if (count() === before) return;
    obs.disconnect();
    clearTimeout(timer);
    const dom = performance.now() - t0;
    requestAnimationFrame(() => setTimeout(() => ok({ dom, frame: performance.now() - t0, total: count() }), 0));
  });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-total"] });
  const t0 = performance.now();
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}), { name, value });

async function run(browser, url, cookie, base, n) {
  const context = await browser.newContext();
  try {
    const { page, cdp, exchanges } = await phonePage(context);
    await page.goto(url, { waitUntil: "commit", timeout: 120000 });
    await page.waitForSelector("#login-username", { state: "visible", timeout: 120000 });
    await page.waitForTimeout(500);

    // First sync, from the login click to the whole list.
    const shown = watchTotal(page, base);
    const firstRows = watchFirstRows(page);
    const clicked = await logIn(page);
    note(`run ${n + 1}: logged in; waiting for ${base} listed`);
    await page.click('.nav a[href="/records"]');
    const listedAt = await shown;
    note(`run ${n + 1}: listed; waiting for the vault to settle`);
    const first = { ms: listedAt - clicked, rows: (await firstRows) - clicked, ...split(exchanges(clicked), clicked, listedAt) };
    // The replica sealed and stored (behind the list): the vault's last write.
    await page.waitForFunction(() => {
      const w = performance.getEntriesByName("jiajia.vault.write");
      return w.length > 0 && performance.now() - (w.at(-1).startTime + w.at(-1).duration) > 2000;
    }, null, { timeout: 300000, polling: 500 });
    const writes = await page.evaluate(() => performance.getEntriesByName("jiajia.vault.write")
      .map((e) => ({ end: performance.timeOrigin + e.startTime + e.duration, ms: e.duration })));
    first.stored = Math.max(...writes.map((w) => w.end)) - clicked;
    first.sealMs = writes.reduce((s, w) => s + w.ms, 0);
    first.writes = writes.length;

    note(`run ${n + 1}: stored; incremental`);
    // Incremental: 10 more on the server, then off and on again.
    await seed(url, cookie, MORE, 1_000_000 + n * MORE);
    const more = watchTotal(page, base + MORE);
    await network(cdp, true);
    await page.waitForFunction(() => !navigator.onLine);
    const online = Date.now();
    await network(cdp, false);
    const moreAt = await more;
    const incr = { ms: moreAt - online, ...split(exchanges(online), online, moreAt) };

    note(`run ${n + 1}: incremental listed; filtering`);
    // Filtering the full replica.
    const filters = [];
    for (let i = 0; i < FILTERS; i++) {
      const [name, value] = FILTER_STEPS[i % FILTER_STEPS.length];
      filters.push({ step: `${name}=${value || "—"}`, ...(await filterOnce(page, name, value)) });
      await page.waitForTimeout(200);
    }
    return { first, incr, filters };
  } finally {
    await context.close();
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const kb = (b) => `${b.toLocaleString("en")} B`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

const tmp = scratch();
const server = await startAppServer({ db: tmp.db, bin: backend, dist });
const browser = await launchBrowser();
try {
  const cookie = await apiLogin(server.url);
  const demo = await listed(server.url, cookie);
  const seeding = Date.now();
  await seed(server.url, cookie, RECORDS);
  const base = await listed(server.url, cookie);
  console.log(`sync: ${dist}, Chromium ${browser.version()}, phone profile (150 ms, 1.6 Mbit/s down, 750 kbit/s up, CPU ×${PHONE.cpu})`);
  console.log(`  seeded ${RECORDS} visit records in ${s(Date.now() - seeding)} (the demo's ${demo} before): linzi's replica holds ${base} visits; load ${load()}`);
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(browser, server.url, cookie, base + MORE * i, i);
    rows.push(r);
    const f = r.first;
    console.log(`  run ${i + 1} (load ${load()}):`);
    console.log(`    first sync: login click → the first rows listed ${s(f.rows)}, ${base + MORE * i} listed ${s(f.ms)}: to the first /api/sync ${s(f.start)}; ${f.pages} pages waited ${s(f.wait)}, transferred ${s(f.transfer)}, ${kb(f.bytes)} (${Math.round(f.bytes / (base + MORE * i))} B a record); the app between pages ${s(f.between)}, after the last ${s(f.tail)}; stored in the vault at ${s(f.stored)} (${f.writes} sealed writes, ${s(f.sealMs)} of them)`);
    const m = r.incr;
    console.log(`    incremental (+${MORE}): back online → listed ${s(m.ms)}: to the first /api/sync ${s(m.start)}; ${m.pages} page(s) waited ${s(m.wait)}, transferred ${s(m.transfer)}, ${kb(m.bytes)}; the app after ${s(m.tail)}`);
    console.log(`    filter: ${r.filters.map((x) => `${x.step} ${x.dom.toFixed(0)}/${x.frame.toFixed(0)} ms (${x.total})`).join(", ")}`);
  }
  const show = (name, all, unit = s, xs = all.filter(Number.isFinite)) => console.log(`${name.padEnd(44)} p50 ${unit(pct(xs, 50)).padStart(12)}  p95 ${unit(pct(xs, 95)).padStart(12)}  (n=${xs.length})`);
  const ms = (x) => `${x.toFixed(0)} ms`;
  show("first sync: login click → the first rows", rows.map((r) => r.first.rows));
  show("first sync: login click → full list", rows.map((r) => r.first.ms));
  show("first sync: bytes of /api/sync", rows.map((r) => r.first.bytes), kb);
  show("first sync: replica stored in the vault", rows.map((r) => r.first.stored));
  show(`incremental (+${MORE}): online → listed`, rows.map((r) => r.incr.ms));
  show(`incremental (+${MORE}): bytes of /api/sync`, rows.map((r) => r.incr.bytes), kb);
  show("filter change → new total on screen", rows.flatMap((r) => r.filters.map((x) => x.dom)), ms);
  show("filter change → the frame after", rows.flatMap((r) => r.filters.map((x) => x.frame)), ms);
  console.log(`load average at the end: ${load()}`);
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}
