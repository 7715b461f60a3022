// Loads the wasm app built by `cargo xtask dist`.
import init from "./app.js";

init().catch((e) => {
  document.body.textContent = "应用加载失败，请刷新重试。 / The app failed to load: " + e;
});
