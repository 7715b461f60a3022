// Loads the wasm app built by `cargo xtask dist`, then registers the service worker (sw.js)
// that lets the app open with no network after this visit.
import init from "./app.js";

init().then(registerServiceWorker, (e) => {
  document.body.textContent = "应用加载失败，请刷新重试。 / The app failed to load: " + e;
});

// Without a service worker (an old browser, or plain HTTP other than localhost) the app still
// works while online; a failed registration is only logged.
function registerServiceWorker() {
  try {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((e) => {
      console.warn("离线缓存未启用 / offline cache not installed:", e);
    });
  } catch (e) {
    console.warn("离线缓存未启用 / offline cache not installed:", e);
  }
}
