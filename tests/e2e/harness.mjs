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

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), args: FLAGS });
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
export function startServer({ db, addr = "127.0.0.1:0" }) {
  const bin = join(root, "target/debug/backend");
  execFileSync(bin, ["demo", "--db", db], { stdio: ["ignore", "ignore", "inherit"] });
  const proc = spawn(bin, ["serve", "--addr", addr, "--db", db, "--dist", join(root, "dist")], {
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

/**
 * Every visit record the server holds for the logged-in user, read with the browser's own
 * session cookie (`request` is `page.request` or `context.request`).
 */
export async function storedVisits(request, url) {
  const res = await request.get(`${url}/api/visits`);
  if (!res.ok()) throw new Error(`GET /api/visits: ${res.status()} ${await res.text()}`);
  return res.json();
}

/** Logs in through the app's login page and waits for the form. */
export async function logIn(page, { username = DEMO.username, password = DEMO.password } = {}) {
  await page.waitForSelector("#login-username");
  await page.fill("#login-username", username);
  await page.fill("#login-password", password);
  await page.click('.login-form button[type="submit"]');
  await page.waitForSelector("#risk-level");
}
