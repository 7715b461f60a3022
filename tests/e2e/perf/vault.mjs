// `cargo xtask bench vault`: the device vault in the release app (JIAJIA_DIST, default
// target/dist-release) served by the real server (JIAJIA_BACKEND, default
// target/release/backend), in headless Chromium with the CPU slowed 4× (CDP).
//
// Figures, each read from the app's own User Timing measures (device/vault.rs) or the clock
// around what the user waits for:
//   unlock:    offline unlock after a reload (login API blocked): `jiajia.vault.key` (PBKDF2
//              600,000 iterations + unwrapping the data key), `jiajia.vault.unlock` (that plus
//              opening every item), and click → usable form (#risk-level);
//   keystroke: `jiajia.vault.write` for each draft write while typing 情况概述 (seal with
//              AES-GCM + one IndexedDB transaction), done behind the typing, off the input
//              handler;
//   1,000:     the vault holding 1,000 more drafts (sealed here with WebCrypto in the vault's
//              own format), then offline unlock → the drafts list shown with all of them.
// Prints p50 / p95 / max; never asserts a timing.
import { join } from "node:path";
import { launchBrowser, logIn, root, scratch, startServer as startAppServer, DEMO } from "../harness.mjs";

const backend = process.env.JIAJIA_BACKEND ?? join(root, "target/release/backend");
const dist = process.env.JIAJIA_DIST ?? join(root, "target/dist-release");
const RATE = Number(process.env.JIAJIA_CPU_RATE ?? 4);
const DRAFTS = Number(process.env.JIAJIA_DRAFTS ?? 1000);

const startServer = (db) => startAppServer({ db, bin: backend, dist });

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const show = (name, xs) =>
  console.log(`${name.padEnd(44)} n=${String(xs.length).padStart(4)}  p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms  p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms  max ${Math.max(...xs).toFixed(1).padStart(7)} ms`);
const measures = (page, name) =>
  page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

/** Reload, then unlock offline; returns [key, unlock, click → form] in ms. */
async function offlineUnlock(page, waitFor = "#risk-level") {
  await page.reload();
  await page.waitForFunction((u) => document.querySelector("#login-username")?.value === u, DEMO.username);
  await page.fill("#login-password", DEMO.password);
  const t0 = Date.now();
  await page.click('.login-form button[type="submit"]');
  await page.waitForSelector(waitFor, { state: "attached", timeout: 120000 });
  const wall = Date.now() - t0;
  const [key] = await measures(page, "jiajia.vault.key");
  const [unlock] = await measures(page, "jiajia.vault.unlock");
  return [key, unlock, wall];
}

/** Seals `n` visit drafts into linzi's vault, as the app would (device/vault.rs, crypto.rs). */
function sealDrafts(page, n) {
  return page.evaluate(async ({ n, user, password }) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open("jiajia");
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const get = (store, key) => new Promise((ok) => {
      const r = db.transaction(store).objectStore(store).get(key);
      r.onsuccess = () => ok(r.result);
    });
    const h = await get("accounts", user);
    const enc = new TextEncoder();
    const base = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveKey"]);
    const kek = await crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: h.salt, iterations: h.iterations },
      base, { name: "AES-GCM", length: 256 }, false, ["wrapKey", "unwrapKey"]);
    const key = await crypto.subtle.unwrapKey("raw", h.by_password.slice(12), kek,
      { name: "AES-GCM", iv: h.by_password.slice(0, 12), additionalData: enc.encode(`password:${user}`) },
      { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    const rows = [];
    for (let i = 0; i < n; i++) {
      const id = `draft:${crypto.randomUUID()}`;
      const text = JSON.stringify({
        kind: "visit", edited: true, edited_ms: Date.now() - i * 60000,
        input: { id: crypto.randomUUID(), org_unit: "rugao/baipu/linzi", category: "A",
          parties: [{ name: `住户${i}`, phone: "13812341234" }], summary: `第 ${i} 户：邻里因宅基地争执`,
          visitor: "李娟", visit_date: "2026-11-28" },
      });
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ct = new Uint8Array(await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: enc.encode(`${user}/${id}`) }, key, enc.encode(text)));
      const sealed = new Uint8Array(12 + ct.length);
      sealed.set(iv);
      sealed.set(ct, 12);
      rows.push([`${user}\u0001${id}`, { id, rev: 1, sealed }]);
    }
    await new Promise((ok, fail) => {
      const tx = db.transaction("items", "readwrite");
      for (const [k, v] of rows) tx.objectStore("items").put(v, k);
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, { n, user: DEMO.username, password: DEMO.password });
}

const tmp = scratch();
const server = await startServer(tmp.db);
const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url);
  await logIn(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: RATE });
  console.log(`vault, CPU ×${RATE} (Chromium ${browser.version()})`);

  // Keystrokes: 200 letters into 情况概述, as a person types (≈8 a second).
  await page.evaluate(() => performance.clearMeasures());
  await page.click('[name="summary"]');
  await page.keyboard.type("家".repeat(20), { delay: 120 });
  await page.keyboard.type("abcdefghij".repeat(18), { delay: 120 });
  await page.waitForTimeout(1000);
  show("keystroke: seal + store one draft write", await measures(page, "jiajia.vault.write"));

  // Offline unlocks (the login API blocked: the password alone).
  await page.route("**/api/login", (r) => r.abort());
  const unlocks = [];
  for (let i = 0; i < 5; i++) unlocks.push(await offlineUnlock(page));
  show("unlock: key derivation + unwrap (PBKDF2 600k)", unlocks.map((u) => u[0]));
  show("unlock: + every item opened", unlocks.map((u) => u[1]));
  show("unlock: click → usable form", unlocks.map((u) => u[2]));

  // 1,000 drafts more in the vault.
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await sealDrafts(page, DRAFTS);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: RATE });
  const big = [];
  for (let i = 0; i < 3; i++) big.push(await offlineUnlock(page, `#drafts[data-count="${DRAFTS + 1}"]`));
  show(`${DRAFTS} drafts: + every item opened`, big.map((u) => u[1]));
  show(`${DRAFTS} drafts: click → drafts list shown`, big.map((u) => u[2]));
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}
