// The first start as a phone sees it: the wasm comes brotli-compressed, the login form shows (plain
// HTML) while it downloads and what is typed there is kept, and a failed download says so with a
// retry that works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DEMO, launchBrowser, scratch, startServer } from "./harness.mjs";

let browser;
let server;
let tmp;
before(async () => {
  browser = await launchBrowser();
  tmp = scratch();
  server = await startServer({ db: tmp.db });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  tmp?.remove();
});

const WASM = /\/app_bg-\w{16}\.wasm$/;

test("the browser gets the wasm brotli-compressed, cached for a year; the page revalidated; a real icon", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const wasm = page.waitForResponse((r) => WASM.test(new URL(r.url()).pathname));
    const main = await page.goto(server.url);
    const headers = await (await wasm).allHeaders();
    assert.equal(headers["content-encoding"], "br");
    assert.equal(headers["content-type"], "application/wasm");
    assert.equal(headers["cache-control"], "public, max-age=31536000, immutable");
    assert.match(headers.vary, /accept-encoding/i);
    assert.equal((await main.allHeaders())["cache-control"], "no-cache");
    await page.waitForSelector("#login-username");
    // The icon the page names is an image; the one browsers guess at is a 404, not the page.
    const icon = await page.request.get(`${server.url}/favicon.svg`);
    assert.equal(icon.headers()["content-type"], "image/svg+xml");
    assert.equal((await page.request.get(`${server.url}/favicon.ico`)).status(), 404);
  } finally {
    await context.close();
  }
});

/** Holds the wasm back until `release()`: a slow network. */
async function holdWasm(page) {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(WASM, async (route) => { await held; await route.continue(); });
  return release;
}

test("the login form shows while the wasm downloads; what was typed is kept and the caret stays", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const release = await holdWasm(page);
    await page.goto(server.url);
    await page.locator("#boot-username").waitFor({ state: "visible" });
    assert.match(await page.textContent("#boot-note"), /正在加载/);
    assert.ok(await page.locator("#boot-progress").isVisible());
    assert.ok(await page.locator("#boot-retry").isHidden());
    // She types while the app is on its way.
    await page.fill("#boot-username", DEMO.username);
    await page.click("#boot-password");
    await page.keyboard.type(DEMO.password.slice(0, 5));
    release();
    await page.waitForSelector("#login-username");
    assert.equal(await page.locator("#boot").count(), 0);
    assert.equal(await page.inputValue("#login-username"), DEMO.username);
    // The app's password field has the focus and what was typed: she goes on typing.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "login-password");
    await page.keyboard.type(DEMO.password.slice(5));
    assert.equal(await page.inputValue("#login-password"), DEMO.password);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#current-user");
    assert.equal(await page.getAttribute("#current-user", "data-username"), DEMO.username);
  } finally {
    await context.close();
  }
});

test("a returning worker finds her name filled in before the app is there; the device's first start makes no database", async () => {
  // No service worker, so that the wasm can be held back on the second start too.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  try {
    let release = await holdWasm(page);
    await page.goto(server.url);
    await page.locator("#boot-username").waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.inputValue("#boot-username"), "");
    assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), []);
    release();
    await page.waitForSelector("#login-username");
    await page.fill("#login-username", DEMO.username);
    await page.fill("#login-password", DEMO.password);
    await page.click('.login-form button[type="submit"]');
    await page.waitForSelector("#current-user");
    // The next start: her name is there at once; she types the password only.
    await page.unroute(WASM);
    release = await holdWasm(page);
    await page.reload();
    await page.waitForFunction((u) => document.querySelector("#boot-username")?.value === u, DEMO.username);
    await page.fill("#boot-password", DEMO.password);
    await page.click("#boot-submit");
    release();
    await page.waitForSelector("#current-user", { timeout: 30000 });
    assert.equal(await page.getAttribute("#current-user", "data-username"), DEMO.username);
  } finally {
    await context.close();
  }
});

test("登录 pressed before the app is there logs in once it has loaded; an empty field is named at once", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const release = await holdWasm(page);
    await page.goto(server.url);
    await page.fill("#boot-username", DEMO.username);
    await page.click("#boot-submit");
    assert.ok(await page.locator("#boot-missing").isVisible());
    await page.fill("#boot-password", DEMO.password);
    await page.click("#boot-submit");
    assert.ok(await page.locator("#boot-missing").isHidden());
    assert.ok(await page.locator("#boot-submit").isDisabled());
    assert.match(await page.textContent("#boot-note"), /自动登录/);
    release();
    await page.waitForSelector("#current-user", { timeout: 30000 });
    assert.equal(await page.getAttribute("#current-user", "data-username"), DEMO.username);
    assert.equal(await page.locator("#boot").count(), 0);
  } finally {
    await context.close();
  }
});

test("a wrong password typed before the app loaded gets the app's own message", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const release = await holdWasm(page);
    await page.goto(server.url);
    await page.fill("#boot-username", DEMO.username);
    await page.fill("#boot-password", "not-the-password");
    await page.click("#boot-submit");
    release();
    await page.locator("#login-error").waitFor();
    assert.equal(await page.getAttribute("#login-error", "data-status"), "401");
    assert.equal(await page.inputValue("#login-username"), DEMO.username);
    assert.equal(await page.inputValue("#login-password"), "");
  } finally {
    await context.close();
  }
});

test("a failed download says so, with a retry that starts the app", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.route(WASM, (route) => route.abort("internetdisconnected"));
    await page.goto(server.url);
    await page.locator("#boot.failed").waitFor();
    assert.match(await page.textContent("#boot-note"), /应用加载失败/);
    assert.ok(await page.locator("#boot-retry").isVisible());
    // The network is back; the user taps 重试.
    await page.unroute(WASM);
    await page.click("#boot-retry");
    await page.waitForSelector("#login-username");
    assert.equal(await page.locator("#boot").count(), 0);
  } finally {
    await context.close();
  }
});
