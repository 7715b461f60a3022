// Starts the real server binary on a free port with a fresh SQLite file, and Debian's Chromium.
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

/** Runs `backend serve` and resolves once it prints its address. */
export function startServer({ db, addr = "127.0.0.1:0" }) {
  const bin = join(root, "target/debug/backend");
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

export async function storedVisits(url) {
  const res = await fetch(`${url}/api/visits`);
  if (!res.ok) throw new Error(`GET /api/visits: ${res.status}`);
  return res.json();
}
