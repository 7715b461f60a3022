// Offline first: after one visit the service worker (frontend/static/sw.js) has the app, so it
// opens with the server gone; a record made then waits in the outbox and reaches the server
// exactly once when it is back. A new release is fetched in the background and offered while
// the old one keeps working, offline too; taking the offer switches to it and drops the old
// release's cache.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DEMO, deviceStorage, draftId, launchBrowser, logIn, root, scratch, startServer, unlock,
  waitForWorker,
} from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The files the worker of `dist` caches, as `cargo xtask dist` wrote them into sw.js. */
function shellOf(dist) {
  const sw = readFileSync(join(dist, "sw.js"), "utf8");
  return JSON.parse(/const SHELL = (\[[^\]]*\]);/.exec(sw)[1]);
}
const releaseOf = (dist) => /const RELEASE = "([^"]+)";/.exec(readFileSync(join(dist, "sw.js"), "utf8"))[1];


/** Every cache of the origin and the paths it holds. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => new URL(r.url).pathname).sort();
    }
    return out;
  });
}

async function fillVisit(page, name) {
  await page.fill('[name="parties[0].name"]', name);
  await page.fill('[name="parties[0].phone"]', "139 0000 1111");
  await page.fill('[name="summary"]', "婆媳长期不和，多次争吵");
  await page.fill('[name="visitor"]', "李娟");
  await page.check('input[name="category"][value="A"]');
}

test("after one visit the app opens with the server stopped; the record made then is sent once it is back", async () => {
  const tmp = scratch();
  let server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await logIn(page);
    await waitForWorker(page);
    const cached = await cacheContents(page);
    const cache = `jiajia-shell-${releaseOf(join(root, "dist"))}`;
    assert.deepEqual(Object.keys(cached), [cache]);
    const shell = shellOf(join(root, "dist"));
    assert.deepEqual(cached[cache], [...shell].sort());
    // The page, the wasm, its glue, the stylesheet, the loader and the icon.
    for (const file of [/^\/index\.html$/, /^\/app_bg-\w{16}\.wasm$/, /^\/app-\w{16}\.js$/, /^\/style-\w{16}\.css$/, /^\/boot-\w{16}\.js$/, /^\/favicon\.svg$/]) {
      assert.ok(shell.some((f) => file.test(f)), `${file} not cached: ${shell}`);
    }
    // The server's data is never in the cache.
    await page.evaluate(() => fetch("/api/me"));
    assert.ok(Object.values(await cacheContents(page)).flat().every((p) => !p.startsWith("/api")));

    const { url, addr } = server;
    await server.stop();
    // The server is really gone.
    await assert.rejects(page.request.get(`${url}/healthz`));

    // The app opens, locked: the password unlocks it without the server.
    await page.reload();
    await unlock(page);
    assert.equal(await page.textContent("#current-user"), "林梓村 李娟");
    assert.equal(await page.inputValue('select[name="org_unit"]'), DEMO.unit);
    // The stylesheet came from the cache too.
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".top")).position), "sticky");
    // An app address typed in (or a bookmark) opens the app as well.
    await page.goto(`${url}/visits/new`);
    await unlock(page);
    assert.equal(await page.locator(".nav-link.active").textContent(), "排查登记");
    // API requests are not answered from the cache: they fail like the server.
    assert.equal(await page.evaluate(() => fetch("/api/me").then((r) => r.status, () => "failed")), "failed");

    await fillVisit(page, "吴霞");
    const id = await draftId(page);
    await page.click('.visit-form button[type="submit"]');
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="waiting"] .detail`, { timeout: 15000 });
    assert.equal(await page.locator("#unsent-count").getAttribute("data-count"), "1");
    await page.waitForSelector('#net-state[data-reach="unreachable"]');
    // It waits on the device, in the account's vault, encrypted.
    const key = `${DEMO.username}\u0001outbox:${id}`;
    let kept;
    for (let i = 0; i < 50 && !kept?.keys.includes(key); i++) {
      if (i) await page.waitForTimeout(100);
      kept = await deviceStorage(page);
    }
    assert.ok(kept.keys.includes(key), JSON.stringify(kept.keys));
    assert.ok(!kept.text.includes("吴霞"), "no name in the clear on the device");

    server = await startServer({ db: tmp.db, addr });
    assert.equal(server.url, url);
    await page.waitForSelector(`#outbox li[data-id="${id}"][data-state="sent"]`, { timeout: 45000 });
    await page.waitForSelector('#unsent-count[data-count="0"]');

    // Stored exactly once: one record under that id, in one version.
    const one = await page.request.get(`${url}/api/visits/${id}`);
    assert.equal(one.status(), 200);
    const stored = await one.json();
    assert.equal(stored.record.id, id);
    assert.equal(stored.record.parties[0].name, "吴霞");
    assert.equal(stored.version, 1);
    const versions = await (await page.request.get(`${url}/api/visits/${id}/versions`)).json();
    assert.equal(versions.length, 1);
    const listed = await (await page.request.get(`${url}/api/visits`)).json();
    assert.equal(listed.filter((v) => v.record.id === id).length, 1);
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});

/**
 * `backend serve` on a copy of dist/ that the test may change (a "new build"). The harness
 * always serves dist/ itself, which other tests share.
 */
async function serveCopy(tmp) {
  const dist = join(tmp.dir, "dist");
  cpSync(join(root, "dist"), dist, { recursive: true });
  const bin = join(root, "target/debug/backend");
  execFileSync(bin, ["demo", "--db", tmp.db], { stdio: ["ignore", "ignore", "inherit"] });
  const proc = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", tmp.db, "--dist", dist], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => { log += d; });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 15000);
    proc.stdout.on("data", (d) => {
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(d.toString());
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    proc.once("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${log}`)); });
  });
  return {
    url, dist,
    stop: () => new Promise((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once("exit", done);
      proc.kill("SIGTERM");
    }),
  };
}

/** Polls `fn` in the page (it may be async, unlike waitForFunction's) until it gives true. */
async function waitInPage(page, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(fn))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The mark of the test's "new release" on the page's root element, or null. */
const buildMark = (page) => page.evaluate(() => document.documentElement.dataset.build ?? null);

test("a new release is offered while the old one keeps working, offline too; taking it switches", async () => {
  const tmp = scratch();
  const server = await serveCopy(tmp);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await logIn(page);
    await waitForWorker(page);
    const oldCache = `jiajia-shell-${releaseOf(server.dist)}`;
    assert.equal(await buildMark(page), null);
    assert.equal(await page.locator("#update").count(), 0);

    // A new release on the server: a new page and a worker naming a new release. (Their .br
    // and .gz copies go, or the server would send those.)
    const index = join(server.dist, "index.html");
    writeFileSync(index, readFileSync(index, "utf8").replace('<html lang="zh-CN">', '<html lang="zh-CN" data-build="2">'));
    const sw = join(server.dist, "sw.js");
    writeFileSync(sw, readFileSync(sw, "utf8").replace(/const RELEASE = "[^"]+";/, 'const RELEASE = "release-2";'));
    for (const f of ["index.html", "sw.js"]) for (const c of [".br", ".gz"]) rmSync(join(server.dist, f + c));

    // The user is typing when the browser finds the release (here: the app's own check).
    await page.fill('[name="summary"]', "正在输入的内容");
    await page.evaluate(() => { window.stillThisPage = true; });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector("#update", { timeout: 30000 });
    assert.match(await page.textContent("#update"), /新版本可用，点此更新/);
    // Offered, not forced: the same page, the text being typed untouched, the old release running.
    assert.equal(await page.evaluate(() => window.stillThisPage), true);
    assert.equal(await page.inputValue('[name="summary"]'), "正在输入的内容");
    assert.equal(await buildMark(page), null);
    // The new release is already on the device, beside the old one.
    assert.deepEqual(Object.keys(await cacheContents(page)).sort(), [oldCache, "jiajia-shell-release-2"].sort());

    // The server gone, the old release still opens, and the offer stands.
    await server.stop();
    await page.reload();
    await unlock(page);
    assert.equal(await buildMark(page), null);
    await page.waitForSelector("#update", { timeout: 15000 });

    // Taken (still offline): the page reloads into the new release, from the device.
    await Promise.all([
      page.waitForEvent("load", { timeout: 30000 }),
      page.click("#update button"),
    ]);
    await unlock(page);
    assert.equal(await buildMark(page), "2");
    assert.equal(await page.locator("#update").count(), 0);
    await waitInPage(page, async () => {
      const keys = await caches.keys();
      return keys.length === 1 && keys[0] === "jiajia-shell-release-2";
    });
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});
