// The app's two builds (frontend/src/app_build.rs): a village phone downloads the village build
// only; a staff account on a device switches it to the staff build once (its password asked
// again), which then opens at every start, offline too; a village login hands the device back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, freshApp, launchBrowser, logIn, switchToStaffBuild, unlock } from "./harness.mjs";

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
    await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === "activated");
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
    await page.fill("#login-username", "baipu");
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    // The village build has the forms, not the dashboard: it says where the page is.
    await page.waitForSelector("#staff-build");
    assert.equal(await build(page), "village");
    assert.match(await page.textContent("#staff-build"), /完整版/);
    // The staff build is fetched in the background meanwhile; the switch asks the password again.
    await switchToStaffBuild(page);
    assert.equal(await page.evaluate(() => localStorage.getItem("jiajia.v1.build")), "staff");
    await logIn(page, { username: "baipu", waitFor: "#dashboard" });
    assert.equal(await build(page), "staff");
    // Offline, the device opens the staff build from its cache.
    await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === "activated");
    await context.setOffline(true);
    await page.reload();
    await unlock(page, { username: "baipu", waitFor: "#current-user" });
    assert.equal(await build(page), "staff");
    await context.setOffline(false);
    // A village worker logs in on it: the next start is the village build again.
    await page.click("#logout");
    await page.click("#logout-keep");
    await logIn(page);
    assert.equal(await page.evaluate(() => localStorage.getItem("jiajia.v1.build")), "village");
    await page.reload();
    await unlock(page);
    assert.equal(await build(page), "village");
  } finally {
    await t.tearDown();
  }
});
