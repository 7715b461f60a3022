// The app's size budget: the release build's wasm + js + css, each compressed with brotli,
// must fit in 200 KB (200,000 bytes) — village networks are slow and often metered. Sizes are
// deterministic for a given source and toolchain, so this is a hard limit, not a timing.
//
// `cargo xtask test` builds the release app (the `wasm-release` profile, then wasm-opt -Oz)
// into target/dist-release and points JIAJIA_RELEASE_DIST at it; it never measures the debug
// dist/ the other end-to-end tests use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const BUDGET = 200_000;
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

test("the release app's wasm + js + css fit in 200 KB with brotli", () => {
  assert.ok(
    existsSync(join(dir, "app_bg.wasm")),
    `no release build in ${dir}: run \`cargo xtask dist --out ${dir}\` (or \`cargo xtask test\`)`,
  );
  const files = readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
  for (const needed of ["app_bg.wasm", "app.js", "style.css"]) {
    assert.ok(files.includes(needed), `${needed} missing from ${dir}`);
  }
  const rows = files.map((f) => {
    const bytes = readFileSync(join(dir, f));
    return { file: f, raw: bytes.length, brotli: brotli(bytes) };
  });
  const total = rows.reduce((sum, r) => sum + r.brotli, 0);
  const table = rows
    .map((r) => `  ${r.file.padEnd(16)} ${String(r.raw).padStart(9)} B raw ${String(r.brotli).padStart(8)} B brotli`)
    .join("\n");
  console.log(`release app in ${dir}:\n${table}\n  total ${total} B brotli of a ${BUDGET} B budget`);
  assert.ok(
    total <= BUDGET,
    `the app is ${total} B with brotli: ${total - BUDGET} B (${(((total - BUDGET) / BUDGET) * 100).toFixed(1)} %) over the ${BUDGET} B budget\n${table}`,
  );
});
