//! 完整版 — what a staff page shows in the village build: where the page is, and a button
//! that restarts the app in the staff build (app_build.rs).

use shared::Lang;
use yew::prelude::*;

use crate::app_build::{self, Build, SwitchRefused};
use crate::i18n::tr;

#[derive(Properties, PartialEq)]
pub struct StaffBuildProps {
    pub lang: Lang,
}

#[component]
pub fn StaffBuild(p: &StaffBuildProps) -> Html {
    let l = p.lang;
    let refused = use_state(|| None::<SwitchRefused>);
    let load = {
        let refused = refused.setter();
        Callback::from(move |_: MouseEvent| {
            let refused = refused.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(why) = app_build::switch_to(Build::Staff).await {
                    refused.set(Some(why));
                }
            });
        })
    };
    html! {
        <section class="staff-build" id="staff-build">
            <h2>{tr(l, "镇、市级功能", "Town and city pages")}</h2>
            <p>{tr(l,
                "工作台、镇级考核和年度规则在完整版应用中。村级手机只下载村级版，更快更省流量；本机正在后台下载完整版，下载后离线也能使用。",
                "The dashboard, town assessment and yearly rules are in the full app. Village phones download only the village app, which is smaller and faster; this device is fetching the full app in the background, and once fetched it works offline too.")}</p>
            <p class="hint">{tr(l,
                "切换后请再次输入密码（本机加密数据的钥匙只保存在本页内存中）。此后本机直接打开完整版。",
                "After switching, enter your password again (the key to this device's encrypted data is kept only in this page's memory). From then on this device opens the full app.")}</p>
            if let Some(why) = *refused {
                <p class="banner warn" id="staff-build-refused" role="alert">{ match why {
                    SwitchRefused::MemoryOnly => tr(l,
                        "此连接不是 HTTPS，本页内容只在内存中：现在切换会丢失它们。请先提交或放弃本页的草稿，再刷新页面进入完整版。",
                        "This connection is not HTTPS, so what this page holds is only in memory: switching now would lose it. Submit or discard this page's drafts first, then reload to open the full app."),
                    SwitchRefused::Unsaved => tr(l,
                        "本机存储空间已满，刚填写的内容还没有保存：切换会丢失它们。请先发送记录或删除旧草稿。",
                        "This device's storage is full and what you just typed is not stored yet: switching would lose it. Send records or discard old drafts first."),
                } }</p>
            }
            <div class="actions">
                <button type="button" class="primary" id="staff-build-load" onclick={load}>
                    {tr(l, "切换到完整版", "Switch to the full app")}
                </button>
            </div>
        </section>
    }
}
