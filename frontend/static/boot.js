// Starts the app built by `cargo xtask dist`. While the wasm downloads, index.html's login form
// (plain HTML) can be typed in and submitted: the app adopts what was typed (frontend/src/boot.rs)
// and logs in at once if 登录 was pressed. Below the form, how much of the wasm has arrived; a
// failure says so with a retry button. Once the app runs, the service worker (sw.js) is
// registered and a new release, when the worker has fetched one, is offered in a bar
// ("新版本可用，点此更新"); it is never forced on the user.
//
// Two builds of the app (frontend/src/app_build.rs): the village build, which a village phone
// loads (and index.html preloads), and the staff build with the town, city and admin pages,
// loaded on a device where a staff account has logged in (the app writes that choice in
// localStorage).
//
// A template: `cargo xtask dist` writes the builds' hashed file names in place of "./app.js",
// "/app_bg.wasm", "./staff.js" and "/staff_bg.wasm", and the wasms' sizes in APP_BYTES and
// STAFF_BYTES. Plain JS, so none of this costs wasm.

/** Each wasm's size as served once decoded; 0 when unknown (the bar then only moves at the end). */
const APP_BYTES = 0;
const STAFF_BYTES = 0;
const BUILDS = {
  village: { glue: "./app.js", wasm: "/app_bg.wasm", bytes: APP_BYTES },
  staff: { glue: "./staff.js", wasm: "/staff_bg.wasm", bytes: STAFF_BYTES },
};
const BUILD = BUILDS[chosenBuild()];

function chosenBuild() {
  try {
    return localStorage.getItem("jiajia.build") === "staff" ? "staff" : "village";
  } catch {
    return "village";
  }
}

/**
 * A village account logged in on a device that had the staff build: its files leave the
 * service worker's caches, so that new releases stop precaching them (sw.js).
 */
globalThis.jiajiaForgetStaff = async () => {
  try {
    for (const key of await caches.keys()) {
      if (!key.startsWith("jiajia-shell-")) continue;
      const cache = await caches.open(key);
      for (const request of await cache.keys()) {
        if (new URL(request.url).pathname.startsWith("/staff")) await cache.delete(request);
      }
    }
  } catch {
    // No Cache Storage here (plain HTTP): nothing was kept.
  }
};

/**
 * Fetches another build's files in the background (the app calls it after a staff login on
 * the village build): the service worker keeps them, so the switch is quick and works offline.
 */
globalThis.jiajiaPrefetch = (name) => {
  const build = BUILDS[name];
  if (!build) return;
  for (const url of [new URL(build.glue, import.meta.url).pathname, build.wasm]) {
    fetch(url).catch(() => {});
  }
};

/** No byte for this long: the network is stuck, so the retry button is shown beside the bar. */
const STALL_MS = 20000;

const screen = document.getElementById("boot");
const bar = document.getElementById("boot-progress");
const note = document.getElementById("boot-note");

// The app's language, as it saved it (i18n.rs): the start screen speaks it too.
try {
  if (localStorage.getItem("jiajia.v1.lang") === '"en"') {
    document.documentElement.lang = "en";
    for (const e of document.querySelectorAll("#boot [data-en]")) e.textContent = e.dataset.en;
  }
} catch {
  // No localStorage (a locked-down browser): Chinese.
}
holdLogin();
fillLastAccount();

// Both start at once (index.html preloads the village build's too): the glue is small, the
// wasm is not.
start(BUILD, import(BUILD.glue))
  .catch((e) => {
    // The staff build could not be had (offline before it was ever fetched, a full device): the
    // village build, which every device keeps, opens instead, so nobody is locked out of her
    // drafts and unsent records. Only while the start screen is there: once it has gone, the
    // app had started and this is an error of its own.
    if (BUILD === BUILDS.village || !screen?.isConnected) throw e;
    console.warn("完整版无法加载，改用村级版 / the staff build failed to load; the village build instead:", e);
    return start(BUILDS.village, import(BUILDS.village.glue));
  })
  .then(
    () => {
      // The app has cleared the body (the loading screen with it) and shows itself.
      screen?.remove();
      registerServiceWorker();
    },
    (e) => failed(e),
  );

async function start(build, glue) {
  // From the service worker's cache (a warm start): the plain URL, so that the browser can
  // reuse the machine code it compiled last time (its code cache needs the cached response,
  // not a copy); nothing to wait for, so no progress.
  if (navigator.serviceWorker?.controller) {
    const { default: init } = await glue;
    await init({ module_or_path: build.wasm });
    return;
  }
  let stall = setTimeout(stalled, STALL_MS);
  const response = await fetch(build.wasm);
  if (!response.ok) throw new Error(`${build.wasm}: HTTP ${response.status}`);
  let body = response.body;
  if (body && build.bytes > 0) {
    let received = 0;
    body = body.pipeThrough(new TransformStream({
      transform(chunk, out) {
        received += chunk.byteLength;
        progress(received / build.bytes);
        clearTimeout(stall);
        stall = setTimeout(stalled, STALL_MS);
        out.enqueue(chunk);
      },
      flush() {
        clearTimeout(stall);
        progress(1);
      },
    }));
  }
  // Compiled while it downloads (instantiateStreaming), as from the plain URL.
  const wasm = new Response(body, { headers: { "Content-Type": "application/wasm" } });
  const { default: init } = await glue;
  try {
    await init({ module_or_path: wasm });
  } finally {
    clearTimeout(stall);
  }
}

/**
 * 登录 pressed before the app is there: the form is marked (the app reads `data-submitted` when
 * it takes over and logs in with what was typed); an empty field is named at once, as the
 * app's own form does.
 */
function holdLogin() {
  const form = document.getElementById("boot-login");
  if (!form) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const filled = ["boot-username", "boot-password"].every((id) => document.getElementById(id).value.trim() !== "");
    document.getElementById("boot-missing").hidden = filled;
    if (!filled || screen.classList.contains("failed")) return;
    form.dataset.submitted = "1";
    const button = document.getElementById("boot-submit");
    button.disabled = true;
    button.textContent = document.documentElement.lang === "en" ? "Logging in…" : "登录中…";
    if (note) note.textContent = "应用加载完成后自动登录… / Logging in once the app has loaded…";
  });
  document.getElementById("boot-submit").disabled = false;
  // The login form is usable from here (and once painted): `cargo xtask bench load` reads it.
  performance.mark("boot-form-ready");
}

/**
 * The account used last on this device, filled in as the app's login page would (the vault's
 * headers keep account names in the clear for that page), so a returning worker types only
 * her password. Read from IndexedDB; never creates the database (the app does, with its stores).
 */
function fillLastAccount() {
  const input = document.getElementById("boot-username");
  let req;
  try {
    req = indexedDB.open("jiajia");
  } catch {
    return;
  }
  req.onupgradeneeded = () => req.transaction.abort();
  req.onerror = () => {};
  req.onsuccess = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains("accounts")) return db.close();
    const all = db.transaction("accounts").objectStore("accounts").getAll();
    all.onsuccess = () => {
      const last = all.result
        .filter((h) => typeof h?.username === "string")
        .sort((a, b) => (b.used_ms ?? 0) - (a.used_ms ?? 0))[0];
      if (last && input && input.value === "" && document.activeElement !== input) {
        input.value = last.username;
      }
    };
    db.close();
  };
}

function progress(fraction) {
  if (!bar) return;
  bar.value = Math.min(1, fraction);
  const waiting = document.getElementById("boot-login")?.dataset.submitted;
  if (fraction >= 1 && note && !waiting) note.textContent = "正在启动… / Starting…";
}

function stalled() {
  if (note) note.textContent = "网络很慢，仍在下载。可以继续等待或重试。 / The network is slow; still downloading.";
  showRetry();
}

function failed(e) {
  console.error("应用加载失败 / the app failed to load:", e);
  if (!screen) {
    document.body.textContent = "应用加载失败，请刷新重试。 / The app failed to load: " + e;
    return;
  }
  // The app may have cleared the body before it failed: the screen comes back.
  if (!screen.isConnected) document.body.append(screen);
  screen.classList.add("failed");
  if (note) {
    note.textContent = navigator.onLine === false
      ? "应用加载失败：本机没有网络。连上网络后点“重试”。 / The app failed to load: this device is offline."
      : "应用加载失败，请检查网络后点“重试”。 / The app failed to load; check the network and retry.";
  }
  const detail = document.getElementById("boot-detail");
  if (detail) detail.textContent = String(e);
  showRetry();
}

function showRetry() {
  const retry = document.getElementById("boot-retry");
  if (!retry) return;
  retry.hidden = false;
  retry.onclick = () => location.reload();
}

// Without a service worker (an old browser, or plain HTTP other than localhost) the app still
// works while online; a failed registration is only logged.
function registerServiceWorker() {
  try {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(watchReleases, (e) => {
      console.warn("离线缓存未启用 / offline cache not installed:", e);
    });
  } catch (e) {
    console.warn("离线缓存未启用 / offline cache not installed:", e);
  }
}

/** How often an open app asks whether a new release is out (also when the network returns). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * A new release's worker installs (its files cached) in the background and then waits; the bar
 * offers it. A first install has no worker to replace: nothing is offered.
 */
function watchReleases(registration) {
  const offerIfReady = (worker) => {
    if (worker && worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
  };
  offerIfReady(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => offerIfReady(worker));
  });
  const check = () => registration.update().catch(() => {});
  setInterval(check, CHECK_EVERY_MS);
  addEventListener("online", check);
}

/**
 * Shows the update bar; a tap lets the waiting worker take over and reloads the page. Made
 * here, not in index.html: the app clears the page's body when it starts.
 */
function offer(worker) {
  let bar = document.getElementById("update");
  if (!bar) {
    bar = document.createElement("div");
    bar.id = "update";
    bar.className = "update-offer";
    bar.setAttribute("role", "status");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "新版本可用，点此更新 / New version: tap to update";
    bar.append(button);
    document.body.append(bar);
  }
  bar.querySelector("button").onclick = () => {
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
    worker.postMessage("take-over");
  };
}
