// Starts the real server binary on a free port with a fresh SQLite file holding the demo city
// (`backend demo`: its units and logins), and Debian's Chromium.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const FLAGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"])
    .toString().trim();
}

/** Debian's Chromium, headless; `args` are extra flags. */
export async function launchBrowser(args = []) {
  return chromium.launch({ executablePath: chromiumPath(), args: [...FLAGS, ...args] });
}

/**
 * Chromium with an on-disk profile in `dir` (a persistent context): unlike `newContext`'s
 * in-memory profiles, its storage quota can be lowered through the DevTools protocol
 * (`Storage.overrideQuotaForOrigin`), so a full disk can be made real.
 */
export async function launchPersistent(dir, options = {}) {
  return chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: FLAGS, ...options });
}

/** A scratch folder for one test's database. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "jiajia-e2e-"));
  return { dir, db: join(dir, "e2e.sqlite3"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The demo city's village worker of 林梓村 (rugao/baipu/linzi), and every demo password. */
export const DEMO = { username: "linzi", password: "jiajia-demo-2026", unit: "rugao/baipu/linzi" };

/**
 * Installs the demo city in `db` (`backend demo`; a second run changes nothing), then runs
 * `backend serve` and resolves once it prints its address.
 */
export function startServer({
  db, addr = "127.0.0.1:0", bin = join(root, "target/debug/backend"), dist = join(root, "dist"),
}) {
  execFileSync(bin, ["demo", "--db", db], { stdio: ["ignore", "ignore", "inherit"] });
  const proc = spawn(bin, ["serve", "--addr", addr, "--db", db, "--dist", dist], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => { log += d; });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 15000);
    proc.stdout.on("data", (d) => {
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        ok({
          url: m[1],
          addr: m[1].replace("http://", ""),
          stop: () => new Promise((done) => { proc.once("exit", done); proc.kill("SIGTERM"); }),
        });
      }
    });
    proc.once("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${log}`)); });
  });
}

/** A fresh server (own database) and a fresh browser context (own storage and cookies). */
export async function freshApp(browser) {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext();
  const page = await context.newPage();
  return {
    tmp, server, context, page,
    async tearDown() {
      await context.close();
      await this.server.stop();
      tmp.remove();
    },
  };
}

/**
 * Every visit record the server holds for the logged-in user, read with the browser's own
 * session cookie (`request` is `page.request` or `context.request`).
 */
export async function storedVisits(request, url) {
  const res = await request.get(`${url}/api/visits`);
  if (!res.ok()) throw new Error(`GET /api/visits: ${res.status()} ${await res.text()}`);
  return res.json();
}

/**
 * Logs in through the app's login page and waits for `waitFor` (the visit form by default).
 * The page fills in the account used last on the device once it has read the device's vaults
 * (IndexedDB, asynchronously) and starts afresh then; a try that lost what was typed that way
 * ("请填写用户名和密码") is typed again. A staff account on the village build switches to the
 * staff build as its user would (切换到完整版, or the reload it makes) and logs in again.
 */
export async function logIn(page, { username = DEMO.username, password = DEMO.password, waitFor = "#risk-level" } = {}) {
  for (let switched = false; ; switched = true) {
    await page.waitForSelector("#login-username");
    for (let tries = 0; ; tries++) {
      await page.fill("#login-username", username);
      await page.fill("#login-password", password);
      await page.click('.login-form button[type="submit"]');
      const shown = await page.waitForSelector(`${waitFor}, #staff-build, #login-missing, #login-error`, { timeout: 30000 });
      const id = await shown.evaluate((e) => e.id);
      if (id === "login-error") throw new Error(`login refused: ${await shown.textContent()}`);
      if (id !== "login-missing" || tries >= 3) break;
    }
    // Attached, not visible: on a phone it sits behind the ☰ menu.
    await page.waitForSelector("#current-user", { state: "attached" });
    if (switched || !(await needsStaffBuild(page))) break;
    await switchToStaffBuild(page);
  }
  await page.waitForSelector(waitFor);
}

/** Whether the app just chose the staff build for this device while the village build runs. */
export const needsStaffBuild = (page) => page.evaluate(() =>
  localStorage.getItem("jiajia.build") === "staff"
    && document.querySelector(".app")?.dataset.build === "village");

/** 切换到完整版 (on a staff page) or the reload it makes: the staff build's login form. */
export async function switchToStaffBuild(page) {
  if (await page.locator("#staff-build-load").count()) {
    await Promise.all([page.waitForEvent("load"), page.click("#staff-build-load")]);
  } else {
    await page.reload();
  }
  await page.waitForSelector('#login-username');
}

/**
 * After a page load the vault is locked: the login page shows with the account used last on
 * the device filled in (`username`); its password unlocks it (offline too). Waits for `waitFor`.
 */
export async function unlock(page, { username = DEMO.username, password = DEMO.password, waitFor = "#risk-level" } = {}) {
  await page.waitForSelector("#login-password");
  await page.waitForFunction((u) => document.querySelector("#login-username")?.value === u, username, { timeout: 15000 });
  await page.fill("#login-password", password);
  await page.click('.login-form button[type="submit"]');
  await page.waitForSelector(waitFor, { timeout: 30000 });
}

/** Waits until the service worker controls the page (it has installed the shell by then, and
 * what the page fetches from then on goes through it). */
export const waitForWorker = (page) => page.waitForFunction(
  () => navigator.serviceWorker?.controller?.state === "activated", null, { timeout: 30000 });

/** The id of the record being typed on the open form page (its draft's). */
export const draftId = (page) => page.getAttribute("#drafts", "data-record-id");

/** The outbox as the page lists it: `{ id, state, kind, attempts, recordId }`, oldest last. */
export const outboxItems = (page) =>
  page.locator("#outbox li[data-id]").evaluateAll((els) => els.map((e) => ({
    id: e.dataset.id, state: e.dataset.state, kind: e.dataset.kind,
    attempts: Number(e.dataset.attempts), recordId: e.dataset.recordId,
  })));

/**
 * What this origin keeps on the device: the keys of the vault's IndexedDB items
 * (`account \u0001 id`), and all of IndexedDB and localStorage as text (binary fields decoded
 * as UTF-8), to look for personal text in the clear.
 */
export const deviceStorage = (page) =>
  page.evaluate(async () => {
    // (Opening a database that is not there would make an empty one the app cannot upgrade.)
    if (!(await indexedDB.databases()).some((d) => d.name === "jiajia")) return { keys: [], text: "" };
    const open = () => new Promise((ok, fail) => {
      const r = indexedDB.open("jiajia");
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const db = await open();
    const all = (store, what) => new Promise((ok, fail) => {
      const r = db.transaction(store).objectStore(store)[what]();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const text = (v) => {
      if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new TextDecoder().decode(v);
      if (v && typeof v === "object") return Object.values(v).map(text).join("\n");
      return String(v);
    };
    const keys = await all("items", "getAllKeys");
    const values = [...await all("items", "getAll"), ...await all("accounts", "getAll")];
    db.close();
    const local = Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`);
    return { keys, text: [...keys, ...values.map(text), ...local].join("\n") };
  });
