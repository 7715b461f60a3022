// The first start as a phone sees it: the wasm comes brotli-compressed, a loading screen shows
// while it downloads, and a failed download says so with a retry that works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, scratch, startServer } from "./harness.mjs";

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

test("a loading screen shows while the wasm downloads and goes once the login form is there", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    // A slow network: the wasm arrives 2 s late.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(WASM, async (route) => { await held; await route.continue(); });
    await page.goto(server.url);
    await page.locator("#boot").waitFor({ state: "visible" });
    assert.match(await page.textContent("#boot"), /正在加载/);
    assert.ok(await page.locator("#boot-progress").isVisible());
    assert.ok(await page.locator("#boot-retry").isHidden());
    release();
    await page.waitForSelector("#login-username");
    assert.equal(await page.locator("#boot").count(), 0);
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
