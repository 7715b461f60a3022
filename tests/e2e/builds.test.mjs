// The app's two builds (frontend/src/app_build.rs): a village phone downloads the village build
// only; a staff account on a device switches it to the staff build once (its password asked
// again), which then opens at every start, offline too; a village login hands the device back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, freshApp, launchBrowser, logIn, root, scratch, startServer, switchToStaffBuild, unlock, waitForWorker } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const STAFF_FILE = /\/staff(_bg)?-\w{16}\.(wasm|js)$/;
const build = (page) => page.getAttribute(".app", "data-build");

test("a village phone never downloads the staff build", async () => {
  const t = await freshApp(browser);
  const { page } = t;
  try {
    const staff = [];
    page.on("request", (r) => { if (STAFF_FILE.test(new URL(r.url()).pathname)) staff.push(r.url()); });
    await page.goto(t.server.url);
    await logIn(page);
    assert.equal(await build(page), "village");
    // The service worker has cached what it caches; a reload starts from it.
    await waitForWorker(page);
    await page.reload();
    await unlock(page);
    assert.equal(await build(page), "village");
    assert.deepEqual(staff, []);
  } finally {
    await t.tearDown();
  }
});

test("a town account switches the device to the staff build once; it opens offline; a village login hands it back", async () => {
  const t = await freshApp(browser);
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await page.waitForSelector("#login-username");
    await waitForWorker(page);
    await page.fill("#login-username", "baipu");
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    // The village build has the forms, not the dashboard: it says where the page is.
    await page.waitForSelector("#staff-build");
    assert.equal(await build(page), "village");
    assert.match(await page.textContent("#staff-build"), /完整版/);
    // The staff build is fetched in the background meanwhile; the switch asks the password again.
    await switchToStaffBuild(page);
    assert.equal(await page.evaluate(() => localStorage.getItem("jiajia.build")), "staff");
    await logIn(page, { username: "baipu", waitFor: "#dashboard" });
    assert.equal(await build(page), "staff");
    // Offline, the device opens the staff build from its cache.
    await waitForWorker(page);
    await context.setOffline(true);
    await page.reload();
    await unlock(page, { username: "baipu", waitFor: "#current-user" });
    assert.equal(await build(page), "staff");
    await context.setOffline(false);
    // A village worker logs in on it: the next start is the village build again.
    await page.click("#logout");
    await page.click("#logout-keep");
    await logIn(page);
    assert.equal(await page.evaluate(() => localStorage.getItem("jiajia.build")), "village");
    // …and the staff build leaves the caches, so new releases stop fetching it here.
    await page.waitForFunction(async () => {
      for (const key of await caches.keys()) {
        for (const r of await (await caches.open(key)).keys()) if (new URL(r.url).pathname.startsWith("/staff")) return false;
      }
      return true;
    }, null, { timeout: 15000 });
    await page.reload();
    await unlock(page);
    assert.equal(await build(page), "village");
  } finally {
    await t.tearDown();
  }
});

test("a new release precaches the staff build on a device that uses it; taken offline, it opens", async () => {
  const tmp = scratch();
  const dist = join(tmp.dir, "dist");
  cpSync(join(root, "dist"), dist, { recursive: true });
  const server = await startServer({ db: tmp.db, dist });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await waitForWorker(page);
    await logIn(page, { username: "baipu", waitFor: "#dashboard" });
    assert.equal(await build(page), "staff");
    await waitForWorker(page);
    // A new release on the server: a worker naming a new release (its compressed copies go).
    const sw = join(dist, "sw.js");
    writeFileSync(sw, readFileSync(sw, "utf8").replace(/const RELEASE = "[^"]+";/, 'const RELEASE = "release-2";'));
    for (const c of [".br", ".gz"]) rmSync(sw + c);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector("#update", { timeout: 30000 });
    const cached = await page.evaluate(async () =>
      (await (await caches.open("jiajia-shell-release-2")).keys()).map((r) => new URL(r.url).pathname));
    assert.ok(cached.some((p) => STAFF_FILE.test(p)), `the new release's cache: ${cached.join(" ")}`);
    // Taken offline: the staff build opens from it.
    await context.setOffline(true);
    await Promise.all([page.waitForEvent("load"), page.click("#update button")]);
    await unlock(page, { username: "baipu", waitFor: "#current-user" });
    assert.equal(await build(page), "staff");
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});

test("a device told to open the staff build that never got it opens the village build offline", async () => {
  const t = await freshApp(browser);
  const { page, context } = t;
  try {
    await page.goto(t.server.url);
    await logIn(page);
    await waitForWorker(page);
    // A town officer logged in here and left before the staff build came (a 2G line): the
    // device's choice says staff, its caches hold the village build only. Then no network.
    await page.evaluate(() => localStorage.setItem("jiajia.build", "staff"));
    await context.setOffline(true);
    await page.reload();
    await unlock(page);
    assert.equal(await build(page), "village");
  } finally {
    await context.setOffline(false);
    await t.tearDown();
  }
});

test("over plain HTTP the switch is refused, not made: a reload would lose what the page holds", async () => {
  const intranet = await launchBrowser(["--host-resolver-rules=MAP village.test 127.0.0.1"]);
  const t = await freshApp(intranet);
  const { page } = t;
  try {
    await page.goto(t.server.url.replace("127.0.0.1", "village.test"));
    await page.waitForSelector("#login-username");
    await page.fill("#login-username", "baipu");
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#staff-build");
    await page.evaluate(() => { window.samePage = true; });
    await page.click("#staff-build-load");
    await page.locator("#staff-build-refused").waitFor();
    assert.match(await page.textContent("#staff-build-refused"), /不是 HTTPS/);
    assert.equal(await page.evaluate(() => window.samePage), true, "no reload");
  } finally {
    await t.tearDown();
    await intranet.close();
  }
});
