//! 村级版 / 完整版 — which of the app's two builds runs. A village worker's phone loads the
//! village build, without the town, city and admin pages (工作台, 镇级考核, 年度规则: about a
//! fifth of the app), so it downloads and starts less. A device where a staff account logged in
//! loads the staff build from then on (boot.js reads the choice from `localStorage` before it
//! fetches a wasm); the service worker keeps whichever builds the device has used.

use wasm_bindgen::JsCast;

/// The `localStorage` key boot.js reads (the build's name, not personal).
const KEY: &str = "jiajia.v1.build";

/// One of the app's two builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// 村级版: the forms, records and tasks.
    Village,
    /// 完整版: everything, with the staff pages.
    Staff,
}

impl Build {
    /// The build running now.
    pub const CURRENT: Build = if cfg!(feature = "staff") {
        Build::Staff
    } else {
        Build::Village
    };

    /// The build a role's pages are in.
    pub fn for_role(role: &str) -> Build {
        if crate::route::has_dashboard(role) {
            Build::Staff
        } else {
            Build::Village
        }
    }

    fn name(self) -> &'static str {
        match self {
            Build::Village => "village",
            Build::Staff => "staff",
        }
    }
}

/// After a login: the device starts in the build this role needs from its next start on; a
/// staff build missing here is fetched now, in the background (the service worker keeps it),
/// so that switching to it is quick and works offline.
pub fn logged_in_as(role: &str) {
    let wanted = Build::for_role(role);
    if let Some(storage) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = storage.set_item(KEY, wanted.name());
    }
    if wanted != Build::CURRENT {
        call_boot("jiajiaPrefetch", wanted);
    }
}

/// Restarts the app in `build` (the password is asked again: the vault's key lives only in
/// this page's memory).
pub fn switch_to(build: Build) {
    if let Some(storage) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = storage.set_item(KEY, build.name());
    }
    let _ = gloo::utils::window().location().reload();
}

/// Calls boot.js's `name(build)`, if boot.js is there (it is not in the wasm tests).
fn call_boot(name: &str, build: Build) {
    let window = gloo::utils::window();
    if let Ok(f) = js_sys::Reflect::get(&window, &name.into())
        && let Some(f) = f.dyn_ref::<js_sys::Function>()
    {
        let _ = f.call1(&window, &build.name().into());
    }
}
