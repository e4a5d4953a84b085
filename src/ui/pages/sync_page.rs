//! Settings → Đồng bộ: the server, the database and the province; signing in (the password is
//! sent to the server only); "Kiểm tra kết nối" naming what is wrong; and the state of sync:
//! unsynced records, last sync, last error, refused records with the server's reason,
//! conflicts to resolve, records deleted on the server while edited here.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;
use leptos::task::spawn_local;

use crate::domain::sync::Config;
use crate::io::nav;
use crate::state::sync::{self, use_sync};
use crate::state::{use_app_state, Route};
use crate::ui::i18n::{t, tr};

#[component]
pub fn SyncPage() -> impl IntoView {
    let state = use_app_state();
    let sync = use_sync();
    let lang = move || state.lang().get();
    let initial = sync.config().get_untracked();
    let (server, set_server) =
        signal(if initial.server.is_empty() { "/couch/".to_string() } else { initial.server.clone() });
    let (db, set_db) = signal(initial.db.clone());
    let (province, set_province) = signal(initial.province.clone());
    let (auto, set_auto) = signal(initial.auto);
    let (name, set_name) = signal(initial.user.clone());
    let (password, set_password) = signal(String::new());
    let (message, set_message) = signal(None::<(bool, String)>);
    let (busy, set_busy) = signal(false);
    let config = move || Config {
        server: server.get_untracked().trim().to_string(),
        db: db.get_untracked().trim().to_string(),
        user: sync.config().get_untracked().user,
        province: province.get_untracked().trim().to_string(),
        auto: auto.get_untracked(),
        signer: sync.config().get_untracked().signer,
    };
    let save = move || {
        let c = config();
        if !c.is_set() {
            set_message.set(Some((false, tr(lang(), "sync.need_address"))));
            return None;
        }
        match sync::save_config(sync, c.clone()) {
            Ok(()) => Some(c),
            Err(e) => {
                set_message.set(Some((false, e.message(lang()))));
                None
            }
        }
    };
    let on_check = move |_| {
        let Some(c) = save() else { return };
        set_busy.set(true);
        spawn_local(async move {
            let l = lang();
            match crate::io::couch::check(&c).await {
                Ok(who) => set_message.set(Some((true, format!("{} ({who})", tr(l, "sync.check_ok"))))),
                Err(p) => set_message.set(Some((false, p.message(l)))),
            }
            set_busy.set(false);
        });
    };
    let on_sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(_) = save() else { return };
        let (n, p) = (name.get_untracked(), password.get_untracked());
        set_password.set(String::new());
        set_busy.set(true);
        spawn_local(async move {
            let l = lang();
            match sync::sign_in(state, sync, n, p).await {
                Ok(who) => set_message.set(Some((true, format!("{}: {who}", tr(l, "sync.signed_in"))))),
                Err(p) => set_message.set(Some((false, p.message(l)))),
            }
            set_busy.set(false);
        });
    };
    let on_sign_out = move |_| spawn_local(async move { sync::sign_out(sync).await });
    let on_now = move |_| sync::run(state, sync);
    let status = move || sync.status().get();
    let when = move |t: Option<f64>| {
        t.map(|t| format!("{} {}", nav::date(t), nav::hh_mm(t))).unwrap_or_else(|| "—".into())
    };
    let conflicts = move || state.conflicts().with(|c| c.keys().cloned().collect::<Vec<_>>());
    let name_of = move |id: &str| {
        state.assessments().with_untracked(|m| {
            m.get(id)
                .map(|a| format!("{}, {} · {}", a.commune.name, a.commune.province, a.round))
                .unwrap_or_else(|| id.to_string())
        })
    };

    view! {
        <section class="ca-section" data-testid="sync-status">
            <h1>{t("sync.title")}</h1>
            <HelpTerms terms=&["xung-dot", "tham-tra", "dong-bo"] />
            <p class="ca-muted">{t("sync.explain")}</p>
            <h2>{t("sync.state")}</h2>
            <dl class="ca-facts">
                <dt>{t("sync.signed_in")}</dt>
                <dd data-testid="sync-who">{move || {
                    let s = status();
                    let account = sync.config().with(|c| c.account().map(String::from));
                    match (s.signed_in, s.session_known || account.is_none()) {
                        (Some(who), _) => who,
                        (None, true) => tr(lang(), "sync.signed_out"),
                        // Asked again by itself: an account signed in before stays signed in.
                        (None, false) => format!(
                            "{} ({})",
                            tr(lang(), if state.online().get() { "sync.chip.connecting" } else { "sync.chip.waiting" }),
                            account.unwrap_or_default(),
                        ),
                    }
                }}</dd>
                <dt>{t("sync.unsynced")}</dt>
                <dd data-testid="sync-unsynced">{move || status().unsynced}</dd>
                <dt>{t("sync.last")}</dt>
                <dd data-testid="sync-last">{move || when(status().last_sync)}</dd>
                <dt>{t("sync.last_error")}</dt>
                <dd data-testid="sync-error">{move || status().last_error.unwrap_or_else(|| "—".into())}</dd>
                <dt>{t("sync.summary")}</dt>
                <dd data-testid="sync-summary" data-passes=move || status().passes.to_string()>{move || status().summary.unwrap_or_else(|| "—".into())}</dd>
                <dt>{t("sync.retry")}</dt>
                <dd data-testid="sync-retry">{move || status().next_try.map(|t| format!("{} ({} {})", nav::hh_mm(t), status().failures, tr(lang(), "sync.retry.failures"))).unwrap_or_else(|| "—".into())}</dd>
            </dl>
            {move || (!status().leader).then(|| view! { <p class="ca-muted">{t("sync.other_tab")}</p> })}
            {move || status().oldest_unsynced_days.filter(|d| *d >= 3.0).map(|d| view! {
                <p class="ca-error" data-testid="sync-old">{format!("{} {:.0} {}", tr(lang(), "sync.old.before"), d, tr(lang(), "sync.old.after"))}</p>
            })}
            <p>
                <button class="ca-button" data-testid="sync-now" disabled=move || status().running || status().signed_in.is_none() on:click=on_now>{t("sync.now")}</button>
                " "
                <button class="ca-button ca-button--ghost" data-testid="sync-sign-out" disabled=move || status().signed_in.is_none() on:click=on_sign_out>{t("sync.sign_out")}</button>
            </p>
            {move || {
                let blocked = status().blocked;
                (!blocked.is_empty()).then(|| view! {
                    <h3>{t("sync.blocked")}</h3>
                    <ul data-testid="sync-blocked">
                        {blocked.into_iter().map(|(id, reason)| view! {
                            <li><a href=Route::Assessment(id.clone()).href()>{name_of(&id)}</a> ": " {crate::domain::text::in_lang(&reason, lang()).to_string()}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || status().recreated_at.map(|t| view! {
                <p class="ca-banner" role="status" data-testid="sync-recreated">
                    {format!("{} ({})", tr(lang(), "sync.recreated"), when(Some(t)))}
                </p>
            })}
            {move || {
                let list = status().rejected;
                (!list.is_empty()).then(|| {
                    let l = lang();
                    view! {
                        <h3 data-testid="sync-rejected-title">{format!("{} {} {}", tr(l, "sync.rejected.before"), list.len(), tr(l, "sync.rejected.after"))}</h3>
                        <p class="ca-muted">{t("sync.rejected.hint")}</p>
                        <ul data-testid="sync-rejected">
                            {list.into_iter().map(|r| view! {
                                <li><code>{r.id.clone()}</code> ": " {r.problem.message(l)}</li>
                            }).collect_view()}
                        </ul>
                    }
                })
            }}
            {move || {
                let list = conflicts();
                (!list.is_empty()).then(|| view! {
                    <h3>{t("sync.conflicts")}</h3>
                    <ul data-testid="sync-conflicts">
                        {list.into_iter().map(|id| view! {
                            <li><a href=Route::Conflict(id.clone()).href()>{name_of(&id)}</a></li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || {
                let list = status().deleted_elsewhere;
                (!list.is_empty()).then(|| view! {
                    <h3>{t("sync.deleted")}</h3>
                    <ul data-testid="sync-deleted">
                        {list.into_iter().map(|id| {
                            let (k, d) = (id.clone(), id.clone());
                            view! {
                                <li>
                                    {name_of(&id)} " "
                                    <button class="ca-button ca-button--ghost" on:click=move |_| sync::decide_deleted(state, sync, &k, true)>{t("sync.deleted.keep")}</button>
                                    " "
                                    <button class="ca-button ca-button--ghost" on:click=move |_| sync::decide_deleted(state, sync, &d, false)>{t("sync.deleted.drop")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
        <section class="ca-section" data-testid="sync-page">
            <h2>{t("sync.settings")}</h2>
            <div class="ca-form">
                <label class="ca-field">
                    <span class="ca-field__label">{t("sync.server")}</span>
                    <input class="ca-input" data-testid="sync-server" prop:value=server on:input:target=move |ev| set_server.set(ev.target().value()) />
                    <span class="ca-muted">{t("sync.server.hint")}</span>
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("sync.db")}</span>
                    <input class="ca-input" data-testid="sync-db" placeholder="tieuchi_p96" prop:value=db on:input:target=move |ev| set_db.set(ev.target().value()) />
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("sync.province")}</span>
                    <input class="ca-input" data-testid="sync-province" placeholder="96" prop:value=province on:input:target=move |ev| set_province.set(ev.target().value()) />
                </label>
                <label class="ca-check">
                    <input type="checkbox" data-testid="sync-auto" prop:checked=auto
                        on:change:target=move |ev| {
                            set_auto.set(ev.target().checked());
                            let _ = save();
                        } />
                    {t("sync.auto")}
                </label>
                <button class="ca-button ca-button--ghost" data-testid="sync-check" disabled=busy on:click=on_check>{t("sync.check")}</button>
            </div>
            <form class="ca-form" on:submit=on_sign_in>
                <label class="ca-field">
                    <span class="ca-field__label">{t("sync.user")}</span>
                    <input class="ca-input" data-testid="sync-user" autocomplete="username" prop:value=name on:input:target=move |ev| set_name.set(ev.target().value()) />
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("sync.password")}</span>
                    <input class="ca-input" type="password" data-testid="sync-password" autocomplete="current-password" prop:value=password on:input:target=move |ev| set_password.set(ev.target().value()) />
                    <span class="ca-muted">{t("sync.password.hint")}</span>
                </label>
                <button class="ca-button" type="submit" data-testid="sync-sign-in" disabled=busy>{t("sync.sign_in")}</button>
            </form>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ca-ok" } else { "ca-error" } role="status" data-testid="sync-message">{m}</p>
            })}
        </section>
    }
}
