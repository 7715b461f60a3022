// `cargo xtask bench load`: how long a phone on a weak network waits for the login form, and
// how many bytes it downloads, in the release app (JIAJIA_DIST, default target/dist-release)
// served by the real server (JIAJIA_BACKEND, default target/release/backend) on loopback.
//
// Method. Headless Chromium, throttled through the DevTools protocol
// (Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate) to two profiles:
//   phone   150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU ×4 (a village phone on 3G/4G)
//   bad-2g  2 s round trip, 256 kbit/s down and up, CPU ×4
// cold: a new browser profile (no HTTP cache, no service worker) opens the app. Two moments, on
//       the page's own clock (from the start of the navigation): "form", when index.html's login
//       form can be typed in and submitted (painted: first-contentful-paint; held by boot.js:
//       its "boot-form-ready" mark), and "app", when the app's own login form (#login-username)
//       is on screen (a submit pressed earlier goes through then). bytes: the sum of
//       encodedDataLength of the requests finished by then (what came over the wire,
//       compressed as sent).
// warm: the same profile, once the service worker has installed, opens the app in a new tab
//       (the 2nd visit), and once more (the 3rd: the browser may reuse the wasm's machine code).
// uncompressed: cold, with the same build minus its .br/.gz copies (the server then sends the
//       files as they are: what the issue measured before this change).
// first paint: first-contentful-paint: index.html's login form (the start screen).
// JIAJIA_RUNS runs of each (default 3), JIAJIA_PROFILES=phone,bad-2g to pick; prints each run
// and the medians. Never asserts a timing.
import { cpSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, root, scratch, startServer as startAppServer } from "../harness.mjs";

const RUNS = Number(process.env.JIAJIA_RUNS ?? 3);
const backend = process.env.JIAJIA_BACKEND ?? join(root, "target/release/backend");
const dist = process.env.JIAJIA_DIST ?? join(root, "target/dist-release");

const PROFILES = {
  phone: { latency: 150, down: 1.6e6, up: 750e3, cpu: 4 },
  "bad-2g": { latency: 2000, down: 256e3, up: 256e3, cpu: 4 },
};

const startServer = (db, folder) => startAppServer({ db, bin: backend, dist: folder });

/** A page of `context` throttled to `profile`, counting the bytes its requests bring. */
async function throttledPage(context, profile) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.down / 8,
    uploadThroughput: profile.up / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  const wire = { bytes: 0, requests: 0 };
  cdp.on("Network.loadingFinished", (e) => { wire.bytes += e.encodedDataLength; wire.requests += 1; });
  return { page, wire };
}

/**
 * Opens the app and returns the page's clock when the login form can be typed in (index.html's
 * form, painted and held by boot.js: `form`, with the bytes of the requests finished by then)
 * and when the app's own login form shows (`ms`), with the bytes so far.
 */
async function open(page, wire, url) {
  await page.goto(url, { waitUntil: "commit", timeout: 120000 });
  await page.waitForFunction(() =>
    performance.getEntriesByName("boot-form-ready").length > 0
      && performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 120000, polling: 10 });
  const formBytes = wire.bytes;
  const form = await page.evaluate(() => Math.max(
    performance.getEntriesByName("boot-form-ready")[0].startTime,
    performance.getEntriesByName("first-contentful-paint")[0].startTime));
  await page.waitForSelector("#login-username", { state: "visible", timeout: 120000 });
  const ms = await page.evaluate(() => performance.now());
  // The first paint with content: the loading screen on a cold start.
  const paint = await page.evaluate(() =>
    performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
  return { ms, paint, form, formBytes, bytes: wire.bytes, requests: wire.requests };
}

async function run(browser, url, profile, twice) {
  const context = await browser.newContext();
  try {
    const first = await throttledPage(context, profile);
    const cold = await open(first.page, first.wire, url);
    if (!twice) return { cold };
    await first.page.waitForFunction(
      () => navigator.serviceWorker?.controller?.state === "activated", null, { timeout: 120000 },
    );
    await first.page.close();
    // The second visit compiles the wasm from the worker's cache (and the browser keeps the
    // machine code); the third may reuse that code.
    const warm = [];
    for (let visit = 2; visit <= 3; visit++) {
      const next = await throttledPage(context, profile);
      warm.push(await open(next.page, next.wire, url));
      await next.page.close();
    }
    return { cold, warm: warm[0], warm3: warm[1] };
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (r) => `form ${(r.form / 1000).toFixed(2)} s (${r.formBytes.toLocaleString("en")} B), app ${(r.ms / 1000).toFixed(2)} s, ${r.bytes.toLocaleString("en")} B in ${r.requests} requests`;

const tmp = scratch();
const plain = join(tmp.dir, "dist-uncompressed");
cpSync(dist, plain, { recursive: true });
for (const f of readdirSync(plain)) if (/\.(br|gz)$/.test(f)) rmSync(join(plain, f));
const server = await startServer(tmp.db, dist);
const plainServer = await startServer(join(tmp.dir, "plain.sqlite3"), plain);
const browser = await launchBrowser();
try {
  console.log(`load: ${dist}, ${RUNS} runs each, the login form on screen`);
  const only = process.env.JIAJIA_PROFILES?.split(",");
  for (const [name, profile] of Object.entries(PROFILES)) {
    if (only && !only.includes(name)) continue;
    const rows = { cold: [], warm: [], "warm, 3rd": [], uncompressed: [] };
    for (let i = 0; i < RUNS; i++) {
      const r = await run(browser, server.url, profile, true);
      rows.cold.push(r.cold);
      rows.warm.push(r.warm);
      rows["warm, 3rd"].push(r.warm3);
      console.log(`  ${name} run ${i + 1}: cold ${fmt(r.cold)}; warm ${fmt(r.warm)}; 3rd visit ${fmt(r.warm3)}`);
    }
    for (let i = 0; i < RUNS; i++) {
      const r = await run(browser, plainServer.url, profile, false);
      rows.uncompressed.push(r.cold);
      console.log(`  ${name} run ${i + 1}: cold without .br/.gz ${fmt(r.cold)}`);
    }
    for (const [kind, rs] of Object.entries(rows)) {
      const s = (f) => (median(rs.map(f)) / 1000).toFixed(2);
      console.log(`${name.padEnd(7)} ${kind.padEnd(13)} median: form usable ${s((r) => r.form)} s after ${median(rs.map((r) => r.formBytes)).toLocaleString("en")} B; app's login ${s((r) => r.ms)} s (first paint ${s((r) => r.paint)} s), ${median(rs.map((r) => r.bytes)).toLocaleString("en")} B on the wire`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
  await plainServer.stop();
  tmp.remove();
}
