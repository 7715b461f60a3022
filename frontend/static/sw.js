// 家家 service worker: the app opens from the device at once, online or not, after the first
// visit; a new release is fetched in the background and offered, never forced.
//
// - One release's files (index.html, boot.js, the wasm app and its glue, style.css, the icon)
//   are cached when its worker installs, all of them or none (`cache.addAll`), in a cache named
//   after the release. `cargo xtask dist` writes the release's content-hashed file names and
//   RELEASE into this file, so every build is a new worker to the browser.
// - Cache first: pages (any app address: /visits/new, /records, …) get the cached index.html
//   and the app's files come from the cache, on any network or none. The network is used only
//   for what is not cached.
// - A new release: the browser checks this file on each visit (and the app asks hourly). The
//   new worker caches its files in the background, then waits while the old one keeps serving;
//   the page offers "新版本可用，点此更新" (boot.js), and a tap posts "take-over". Only then does
//   the new worker activate and delete the old release's cache.
// - Nothing under /api/ (nor /healthz) is ever cached or answered from the cache: records,
//   sessions and the user's data go to the server or not at all.

const RELEASE = "dev";
const CACHE_PREFIX = "jiajia-shell-";
const CACHE = CACHE_PREFIX + RELEASE;
const SHELL = ["/index.html", "/boot.js", "/app.js", "/app_bg.wasm", "/style.css", "/favicon.svg"];
/**
 * The staff build (frontend/src/app_build.rs): cached once a device uses it (fetched through
 * this worker, or precached by a new release when the release before had it), never on a
 * village phone that has no use for it.
 */
const STAFF = ["/staff.js", "/staff_bg.wasm"];

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

/**
 * Caches this release's files, all or none. index.html is checked with the server (its name
 * does not change) and must be this release's, naming the same files (a deploy half done would
 * otherwise pair it with another release's files; the install then fails and is tried again at
 * the next check). The hashed files are mostly in the HTTP cache already.
 */
async function install() {
  const page = await fetch(new Request("/index.html", { cache: "no-cache" }));
  const text = await page.clone().text();
  const named = SHELL.filter((url) => url !== "/index.html");
  if (!page.ok || !named.every((url) => text.includes(`"${url}"`))) {
    throw new Error("index.html is not this release's");
  }
  // A device that used the staff build keeps it across releases (offline too).
  if (await usedStaffBuild()) named.push(...STAFF);
  const others = await Promise.all(named.map((url) => fetch(url)));
  if (!others.every((r) => r.ok)) throw new Error("a file of the release is missing");
  const cache = await caches.open(CACHE);
  await Promise.all([
    cache.put("/index.html", page),
    ...named.map((url, i) => cache.put(url, others[i])),
  ]);
}

/** Whether an earlier release's cache holds a staff build: this device uses it. */
async function usedStaffBuild() {
  for (const key of await caches.keys()) {
    if (!key.startsWith(CACHE_PREFIX) || key === CACHE) continue;
    const cached = await (await caches.open(key)).keys();
    if (cached.some((r) => new URL(r.url).pathname.startsWith("/staff"))) return true;
  }
  return false;
}

self.addEventListener("message", (event) => {
  if (event.data === "take-over") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The server's data: straight to the network, never cached.
  if (isApi(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(cachedOr("/index.html", request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(cachedOr(url.pathname, request));
  } else if (STAFF.includes(url.pathname)) {
    event.respondWith(cachedOrKept(url.pathname, request, event));
  }
  // Anything else (the worker itself, files added later) goes to the network as usual.
});

function isApi(path) {
  return path === "/api" || path.startsWith("/api/") || path === "/healthz";
}

/** This release's cached copy of `path`; the network only if it is missing (evicted). */
async function cachedOr(path, request) {
  const hit = await caches.match(path, { cacheName: CACHE });
  return hit || fetch(request);
}

/**
 * As `cachedOr`, and what the network gives is kept in this release's cache, behind the answer
 * (the page compiles the wasm as it arrives; a full device that cannot keep it still gets it).
 */
async function cachedOrKept(path, request, event) {
  const hit = await caches.match(path, { cacheName: CACHE });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(path, copy)).catch(() => {}));
  }
  return response;
}
