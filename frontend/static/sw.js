// 家家 service worker: the app opens with no network after the first visit.
//
// - The app shell (index.html, boot.js, the wasm app and its glue, style.css) is precached when
//   the worker installs, all of it or nothing (`cache.addAll`).
// - Shell files and navigations are network first, so an online device always runs the newest
//   build; the cache answers only when the server cannot be reached (or does not answer within
//   NETWORK_TIMEOUT_MS). Any app address (/visits/new, /records, …) is the single-page app, so
//   offline it is answered with the cached index.html.
// - The cached shell is refreshed as one set after an online page load: the files are written
//   only once every one of them came through, so a connection lost half-way never leaves
//   app.js of one build next to app_bg.wasm of another.
// - Nothing under /api/ (nor /healthz) is ever cached or answered from the cache: records,
//   sessions and the user's data go to the server or not at all. The app keeps its own data
//   in localStorage.
//
// Bump CACHE_VERSION when this file's caching changes; the new worker deletes every older
// jiajia cache when it activates. New builds of the app itself need no bump: they are picked
// up from the network.

const CACHE_PREFIX = "jiajia-shell-";
const CACHE_VERSION = "v1";
const CACHE = CACHE_PREFIX + CACHE_VERSION;
const SHELL = ["/", "/index.html", "/boot.js", "/app.js", "/app_bg.wasm", "/style.css"];
/** How long to wait for the server's first byte before the cached copy is used. */
const NETWORK_TIMEOUT_MS = 6000;
/** Pages opened from the cache: their files come from the cache too (one build, no waits). */
const fromCache = new Set();

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // `no-cache`: checked with the server, so a stale HTTP-cached file is never stored; the
      // page has just loaded the same files, so the server mostly answers 304 Not Modified.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
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
    event.respondWith(navigation(event));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(shellFile(event, url.pathname));
  }
  // Anything else (the worker itself, files added later) goes to the network as usual.
});

function isApi(path) {
  return path === "/api" || path.startsWith("/api/") || path === "/healthz";
}

/** An app address: the server's page when it answers, else the cached index.html. */
async function navigation(event) {
  const cached = async () => {
    const hit = (await caches.match("/index.html", { cacheName: CACHE }))
      || (await caches.match("/", { cacheName: CACHE }));
    if (hit && event.resultingClientId) fromCache.add(event.resultingClientId);
    return hit;
  };
  let response;
  try {
    response = await withTimeout(fetch(event.request));
  } catch (e) {
    const hit = await cached();
    if (hit) return hit;
    throw e;
  }
  if (response.ok) {
    event.waitUntil(refreshShell());
    return response;
  }
  // A proxy's error page (502 while the server restarts): the app is more use.
  return (await cached()) || response;
}

/** A shell file: the network's copy, or the cached one when the server cannot be reached. */
async function shellFile(event, path) {
  const cached = () => caches.match(path, { cacheName: CACHE });
  if (fromCache.has(event.clientId)) {
    const hit = await cached();
    if (hit) return hit;
  }
  try {
    // `no-cache`: revalidated with the server, so a new build is never hidden by the HTTP cache.
    const response = await withTimeout(fetch(new Request(event.request, { cache: "no-cache" })));
    if (response.ok) return response;
    return (await cached()) || response;
  } catch (e) {
    const hit = await cached();
    if (hit) return hit;
    throw e;
  }
}

/**
 * Fetches the whole shell again and stores it only if every file came through. Cheap when
 * nothing changed: the files were just loaded, so the server answers 304 Not Modified.
 */
let refreshing = null;
function refreshShell() {
  refreshing ??= (async () => {
    try {
      const responses = await Promise.all(
        SHELL.map((url) => fetch(new Request(url, { cache: "no-cache" }))),
      );
      if (!responses.every((r) => r.ok)) return;
      const bodies = await Promise.all(responses.map(plain));
      const cache = await caches.open(CACHE);
      await Promise.all(SHELL.map((url, i) => cache.put(url, bodies[i])));
    } catch (_) {
      // Offline again, or a file failed: the cached set stays as it was.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A stored copy without the `redirected` mark (a redirected response cannot answer a page). */
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not answer in time")), NETWORK_TIMEOUT_MS);
    promise.then(
      (r) => { clearTimeout(timer); resolve(r); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}
