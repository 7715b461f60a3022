// The app's size: what a village phone downloads of the release build, i.e. the village build's
// wasm + js + css, each compressed with brotli (the staff build, loaded only on devices where a
// staff account has logged in, is printed beside it, not counted; frontend/src/app_build.rs).
//
// The goal (issue 7) is 200 KB (200,000 bytes): village networks are slow and often metered.
// The app is far over it (BENCHMARKS.md says by how much, why, and what would close it), so two
// checks:
// - the ceiling, in `cargo xtask test` (so CI): the app may not grow past the size recorded in
//   size-ceiling.json. Lower the ceiling whenever the app shrinks; raising it is a decision
//   made in review, with the reason written beside it.
// - the goal, in `cargo xtask size` (JIAJIA_SIZE_GOAL=1): fails, saying by how much, until the
//   app fits 200 KB; then it replaces the ceiling in `cargo xtask test`.
// Sizes are deterministic for a given source and toolchain, so these are hard limits, not
// timings. Both measure the release build in target/dist-release (JIAJIA_RELEASE_DIST), never
// the debug dist/ the other end-to-end tests use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

const GOAL = 200_000;
const ceiling = JSON.parse(readFileSync(join(here, "size-ceiling.json"), "utf8"));
const dir = process.env.JIAJIA_RELEASE_DIST ?? join(root, "target/dist-release");

/** Brotli at its best quality, as a server or CDN precompresses static files. */
function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

/** Each file's size, raw and with brotli, and the total with brotli. */
function measure() {
  assert.ok(
    existsSync(join(dir, "index.html")),
    `no release build in ${dir}: run \`cargo xtask dist --out ${dir}\` (or \`cargo xtask size\`)`,
  );
  // The files as built, not their .br/.gz copies; the app's carry a content hash in their name
  // (app_bg-0123456789abcdef.wasm).
  const files = readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
  for (const needed of [/^app_bg-\w{16}\.wasm$/, /^app-\w{16}\.js$/, /^style-\w{16}\.css$/, /^staff_bg-\w{16}\.wasm$/]) {
    assert.ok(files.some((f) => needed.test(f)), `${needed} missing from ${dir}`);
  }
  const rows = files.map((f) => {
    const bytes = readFileSync(join(dir, f));
    return { file: f, raw: bytes.length, brotli: brotli(bytes), staff: /^staff/.test(f) };
  });
  const total = rows.filter((r) => !r.staff).reduce((sum, r) => sum + r.brotli, 0);
  const staffTotal = rows.filter((r) => r.staff).reduce((sum, r) => sum + r.brotli, 0);
  const table = rows
    .map((r) => `  ${r.file.padEnd(33)} ${String(r.raw).padStart(9)} B raw ${String(r.brotli).padStart(8)} B brotli${r.staff ? " (staff build: not counted)" : ""}`)
    .join("\n");
  return { total, staffTotal, table };
}

const over = (total, limit) =>
  `${total - limit} B (${(((total - limit) / limit) * 100).toFixed(1)} %) over`;

test(`the release app does not grow past its ceiling of ${ceiling.bytes} B with brotli`, () => {
  const { total, staffTotal, table } = measure();
  console.log(`release app in ${dir}:\n${table}\n  total ${total} B brotli (the village build): ceiling ${ceiling.bytes} B, goal ${GOAL} B; the staff build's wasm + js ${staffTotal} B`);
  assert.ok(
    total <= ceiling.bytes,
    `the app is ${total} B with brotli: ${over(total, ceiling.bytes)} its ceiling (size-ceiling.json)\n${table}`,
  );
  if (total < ceiling.bytes - 5_000) {
    console.log(`  the app is ${ceiling.bytes - total} B under its ceiling: lower size-ceiling.json to ${total}`);
  }
});

test(
  "the release app's wasm + js + css fit in 200 KB with brotli (the goal)",
  { skip: process.env.JIAJIA_SIZE_GOAL ? false : "the goal is `cargo xtask size`; see BENCHMARKS.md" },
  () => {
    const { total, table } = measure();
    assert.ok(total <= GOAL, `the app is ${total} B with brotli: ${over(total, GOAL)} the ${GOAL} B goal\n${table}`);
  },
);
