//! 村级版 / 完整版 — which of the app's two builds runs. A village worker's phone loads the
//! village build, without the town, city and admin pages (工作台, 镇级考核, 年度规则: about a
//! fifth of the app), so it downloads and starts less. A device where a staff account logged in
//! loads the staff build from then on (boot.js reads the choice from `localStorage` before it
//! fetches a wasm); the service worker keeps whichever builds the device has used.

use wasm_bindgen::JsCast;

/// The `localStorage` key boot.js reads (the build's name, not personal).
const KEY: &str = "jiajia.build";

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

    /// Its name, as boot.js reads it (and the app's `data-build`).
    pub fn name(self) -> &'static str {
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
    let before = choose(wanted);
    if wanted != Build::CURRENT {
        call_boot("jiajiaPrefetch", wanted);
    } else if wanted == Build::Village && before.as_deref() == Some(Build::Staff.name()) {
        // Handed back to village use: new releases stop fetching the staff build here.
        call_boot("jiajiaForgetStaff", wanted);
    }
}

/// Why the app cannot restart in another build now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchRefused {
    /// Plain HTTP: what was typed lives only in this page, and a reload would lose it.
    MemoryOnly,
    /// The device's storage is full: what was typed is not all stored yet.
    Unsaved,
}

/// Restarts the app in `build`, once everything typed is stored (the vault locked: the
/// password is asked again, its key living only in this page's memory).
pub async fn switch_to(build: Build) -> Result<(), SwitchRefused> {
    use crate::device::vault::{self, StoreProblem};
    if vault::problem() == Some(StoreProblem::MemoryOnly) {
        return Err(SwitchRefused::MemoryOnly);
    }
    // Only this tab restarts; the account's other tabs go on in the build they run.
    if !vault::lock().await {
        return Err(SwitchRefused::Unsaved);
    }
    choose(build);
    let _ = gloo::utils::window().location().reload();
    Ok(())
}

/// Writes `build` as the device's choice for its next start; the choice it replaces.
fn choose(build: Build) -> Option<String> {
    let storage = gloo::utils::window().local_storage().ok().flatten()?;
    let before = storage.get_item(KEY).ok().flatten();
    let _ = storage.set_item(KEY, build.name());
    before
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
