// `cargo xtask bench wasm`: the 考核细则 bench town (shared/benches/town) scored in wasm in
// headless Chromium — the same work as `cargo bench -p shared --bench rubric`, built like the
// shipped app (wasm-release profile, wasm-opt -Oz) by xtask into the folder given as argument.
//
// Method: after WARMUP calls, SAMPLES batches of RUNS calls each are timed with performance.now()
// (the page is cross-origin isolated, so the clock is not coarsened to 100 µs); a batch's time
// over RUNS is one sample. Prints the median and the spread; never asserts a timing.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { launchBrowser } from "../harness.mjs";

const WARMUP = 5000;
const RUNS = 500;
const SAMPLES = 30;

const dir = process.argv[2];
if (!dir || !existsSync(join(dir, "bench_wasm.js"))) {
  console.error("usage: node tests/e2e/perf/rubric.mjs DIR (built by `cargo xtask bench wasm`)");
  process.exit(2);
}

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  // Cross-origin isolation: performance.now() at full resolution.
  const headers = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
  };
  if (req.url === "/") {
    res.writeHead(200, { ...headers, "content-type": "text/html" });
    res.end("<!doctype html><meta charset=utf-8><title>rubric in wasm</title>");
    return;
  }
  const file = join(dir, basename(req.url));
  if (!existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.evaluate(async ({ RUNS, SAMPLES, WARMUP }) => {
    const m = await import("/bench_wasm.js");
    await m.default();
    const expected = m.setup();
    const time = (f) => {
      // Warm-up: long enough for V8 to tier the module up to its optimising compiler.
      let sum = 0;
      for (let i = 0; i < WARMUP; i++) sum += f();
      const us = [];
      for (let s = 0; s < SAMPLES; s++) {
        const t0 = performance.now();
        for (let i = 0; i < RUNS; i++) sum += f();
        us.push(((performance.now() - t0) / RUNS) * 1000);
      }
      if (sum !== expected * (WARMUP + RUNS * SAMPLES)) throw new Error("a run scored differently");
      us.sort((a, b) => a - b);
      const at = (q) => us[Math.min(us.length - 1, Math.floor(q * us.length))];
      return { median: at(0.5), min: us[0], p90: at(0.9) };
    };
    return {
      isolated: crossOriginIsolated,
      userAgent: navigator.userAgent,
      score: time(m.score_town),
      json: time(m.score_town_json),
    };
  }, { RUNS, SAMPLES, WARMUP });
  const f = (x) => `${x.toFixed(1)} µs`;
  console.log(`${result.userAgent}\ncross-origin isolated: ${result.isolated}; ${SAMPLES} samples of ${RUNS} runs`);
  console.log("| what (wasm, headless Chromium) | median | min | p90 |");
  console.log("|---|---|---|---|");
  for (const [what, r] of [
    ["parse + score one full town", result.score],
    ["JSON body → parse + score one town", result.json],
  ]) {
    console.log(`| ${what} | ${f(r.median)} | ${f(r.min)} | ${f(r.p90)} |`);
  }
} finally {
  await browser.close();
  server.close();
}
