// `cargo xtask bench keystroke`: keystroke → painted preview on the visit form, in the release
// app (JIAJIA_DIST, default target/dist-release) served by the real server (JIAJIA_BACKEND,
// default target/release/backend) on a fresh demo database, in headless Chromium.
//
// Method. A script in the page notes the `event.timeStamp` of the key event that makes the
// change (when the browser made the input event, on the page's clock), and then waits:
//   tick: Space on the focused 可能激化成较大矛盾 checkbox flips the item between yellow and
//         red. A checkbox toggles when the key is released, so the clock starts at the keyup.
//         A MutationObserver waits for the first DOM change inside the preview panel
//         (aside.preview), i.e. after the app has handled the change, recomputed the preview
//         and Yew has patched the DOM;
//   type: a letter typed into 情况概述 (summary); the clock starts at the keydown. Waits for the
//         `input` event to have reached window (after the app's own handler), the app's
//         re-render running in the microtasks that follow it (the preview is recomputed, though
//         its text stays the same).
// That moment is `handled` (the app's own work). Then `requestAnimationFrame`: the frame that
// shows the change starts (`frame`: the DOM has changed and a requestAnimationFrame has run, the
// figure held against the goal), and a `setTimeout(0)` queued from that callback runs once
// that frame's style, layout and paint are done (`painted`).
// The wait for the frame is the browser's 60 Hz frame clock: up to 16.7 ms whatever the app does. Each sample waits a random 0–20 ms first
// so keystrokes fall at random points of the 60 Hz frame clock, as a person's do.
// Prints p50 / p95 / max; never asserts a timing. JIAJIA_CPU_RATE=4 slows the page's CPU 4×.
import { join } from "node:path";
import { launchBrowser, logIn, root, scratch, startServer as startAppServer } from "../harness.mjs";

const SAMPLES = Number(process.env.JIAJIA_SAMPLES ?? 200);
const WARMUP = 20;
const backend = process.env.JIAJIA_BACKEND ?? join(root, "target/release/backend");
const dist = process.env.JIAJIA_DIST ?? join(root, "target/dist-release");

const startServer = (db) => startAppServer({ db, bin: backend, dist });

/** Installs the probe in the page (see the method above). */
function installProbe() {
  const S = { armed: false, t0: 0, seen: false, mode: "", pending: null, done: null };
  window.__latency = S;
  const inPreview = (n) => {
    const el = n.nodeType === 1 ? n : n.parentElement;
    return !!el && !!el.closest("aside.preview");
  };
  const finish = () => {
    S.seen = true;
    const handled = performance.now() - S.t0;
    requestAnimationFrame(() => {
      const frame = performance.now() - S.t0;
      setTimeout(() => {
        const painted = performance.now() - S.t0;
        S.armed = false;
        S.done({ handled, frame, painted });
      }, 0);
    });
  };
  const start = (e) => {
    if (S.armed && !S.t0 && e.type === (S.mode === "tick" ? "keyup" : "keydown")) S.t0 = e.timeStamp;
  };
  document.addEventListener("keydown", start, true);
  document.addEventListener("keyup", start, true);
  new MutationObserver((records) => {
    if (S.armed && S.t0 && !S.seen && S.mode === "tick" && records.some((r) => inPreview(r.target))) finish();
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  window.addEventListener("input", () => {
    // Yew re-renders in a microtask queued by its own handler, which ran before this one:
    // a microtask queued now runs after that render.
    if (S.armed && S.t0 && !S.seen && S.mode === "type") queueMicrotask(finish);
  });
  S.arm = (mode) => {
    Object.assign(S, { armed: true, t0: 0, seen: false, mode });
    S.pending = new Promise((ok) => {
      S.done = ok;
      setTimeout(() => ok(null), 3000);
    });
  };
}

/** The median interval between animation frames, in ms (the browser's frame clock). */
function frameInterval() {
  return new Promise((ok) => {
    const t = [];
    const step = (now) => {
      t.push(now);
      if (t.length < 61) requestAnimationFrame(step);
      else ok(t.slice(1).map((x, i) => x - t[i]).sort((a, b) => a - b)[30]);
    };
    requestAnimationFrame(step);
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function measure(page, mode, key) {
  const out = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    await sleep(Math.random() * 20);
    await page.evaluate((m) => window.__latency.arm(m), mode);
    await page.keyboard.press(key(i));
    const r = await page.evaluate(() => window.__latency.pending);
    if (!r) throw new Error(`${mode}: no ${mode === "tick" ? "change in the preview" : "input event"} within 3 s of keystroke ${i}`);
    if (i >= WARMUP) out.push(r);
  }
  return out;
}

function quantiles(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: v[v.length - 1] };
}

const tmp = scratch();
const server = await startServer(tmp.db);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await logIn(page);
  // JIAJIA_CPU_RATE=4: the page's CPU slowed as on a weak phone (CDP).
  const rate = Number(process.env.JIAJIA_CPU_RATE ?? 1);
  if (rate !== 1) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    console.log(`CPU ×${rate}`);
  }
  await page.check('input[name="category"][value="A"]');
  await page.evaluate(installProbe);

  await page.focus('input[name="escalation.may_intensify"]');
  const levels = new Set();
  const tick = await measure(page, "tick", () => "Space");
  levels.add(await page.locator("#risk-level").getAttribute("data-level"));
  await page.keyboard.press("Space");
  levels.add(await page.locator("#risk-level").getAttribute("data-level"));
  if (!(levels.has("red") && levels.has("yellow"))) throw new Error(`the tick did not flip the level: ${[...levels]}`);

  await page.focus('textarea[name="summary"]');
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const type = await measure(page, "type", (i) => letters[i % letters.length]);

  const ua = await page.evaluate(() => navigator.userAgent);
  const interval = await page.evaluate(frameInterval);
  console.log(`${ua}\n${SAMPLES} keystrokes each after ${WARMUP} warm-up; release app from ${dist}`);
  console.log(`frame interval ${interval.toFixed(1)} ms (median of 60)`);
  console.log("| keystroke → | p50 | p95 | max |");
  console.log("|---|---|---|---|");
  const ms = (x) => `${x.toFixed(1)} ms`;
  const steps = {
    handled: "app done (preview DOM changed / input handled)",
    frame: "next frame starts (requestAnimationFrame)",
    painted: "that frame painted",
  };
  for (const [name, rows] of [["tick a risk box (keyup)", tick], ["type into summary (keydown)", type]]) {
    for (const [which, label] of Object.entries(steps)) {
      const q = quantiles(rows.map((r) => r[which]));
      console.log(`| ${name}: ${label} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(q.max)} |`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}
