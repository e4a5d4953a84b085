//! The small line that says where one record stands, on its home card and its page: its stage,
//! and with sync set up a conflict to resolve, the server's refusal with its reason, a deletion
//! on the server to decide, or the day since which it waits to be sent. Each links to where the
//! officer acts (the conflict screen, the sync page), so nobody has to open Đồng bộ to know.

use leptos::prelude::*;

use crate::ui::components::help::HelpLink;

use crate::domain::workflow::Stage;
use crate::state::{use_app_state, Route};
use crate::ui::i18n::tr;

/// Where record `id` (at `stage`) stands.
#[component]
pub fn RecordState(
    /// The assessment id.
    id: String,
    /// Its stage.
    #[prop(into)]
    stage: Signal<Stage>,
) -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let lang = move || state.lang().get();
    let id = StoredValue::new(id);
    let conflict = move || state.conflicts().with(|c| c.contains_key(&id.get_value()));
    let synced = move || sync.config().with(|c| c.is_set()) && !crate::domain::demo::is_demo(&id.get_value());
    let refused = move || {
        synced()
            .then(|| {
                sync.status()
                    .with(|s| s.blocked.iter().find(|(b, _)| *b == id.get_value()).map(|(_, r)| r.clone()))
            })
            .flatten()
    };
    let deleted = move || synced() && sync.status().with(|s| s.deleted_elsewhere.contains(&id.get_value()));
    let waiting = move || {
        synced()
            .then(|| {
                sync.status()
                    .with(|s| s.unsynced_ids.iter().find(|(u, _)| *u == id.get_value()).map(|(_, t)| *t))
            })
            .flatten()
    };
    view! {
        <span class="ca-record-state" data-testid="record-state">
            <span class="ca-chip" data-testid="record-stage">{move || stage.get().label(lang())}</span>
            {move || matches!(stage.get(), crate::domain::workflow::Stage::Reviewed | crate::domain::workflow::Stage::Appraised).then(|| view! { <HelpLink term="tham-tra" /> })}
            {move || conflict().then(|| view! {
                <a class="ca-chip ca-chip--error" data-testid="record-conflict" href=Route::Conflict(id.get_value()).href()>
                    {tr(lang(), "record.conflict")}
                </a>
                <HelpLink term="xung-dot" />
            })}
            {move || refused().map(|why| view! {
                <a class="ca-chip ca-chip--error" data-testid="record-refused" href=Route::Sync.href()>
                    {format!("{}: {}", tr(lang(), "record.refused"), crate::domain::text::in_lang(&why, lang()))}
                </a>
            })}
            {move || deleted().then(|| view! {
                <a class="ca-chip ca-chip--error" data-testid="record-deleted" href=Route::Sync.href()>
                    {tr(lang(), "record.deleted")}
                </a>
            })}
            {move || (refused().is_none() && !deleted() && !conflict()).then(waiting).flatten().map(|t| view! {
                <a class="ca-chip ca-chip--pending" data-testid="record-unsynced" href=Route::Sync.href()>
                    {format!("{} {}", tr(lang(), "record.unsynced_since"), crate::io::nav::date(t))}
                </a>
            })}
        </span>
    }
}
