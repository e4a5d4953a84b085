//! The guide ("Hướng dẫn"): `locales/guide.<lang>.md` read (`domain::guide`) and drawn as text,
//! with its table of contents; prints as an A4 booklet. The help panel shows one paragraph of it.

use leptos::prelude::*;

use crate::domain::guide::{self, Block, Guide, Inline};
use crate::io::nav;
use crate::state::{use_app_state, Route};
use crate::ui::components::help::use_help;
use crate::ui::i18n::{t, tr};

/// The guide in the language shown, fetched once per language (the worker keeps it offline).
fn guide_text() -> LocalResource<Option<Guide>> {
    let state = use_app_state();
    LocalResource::new(move || {
        let lang = state.lang().get();
        async move { crate::io::guide::fetch(lang.tag()).await.map(|t| guide::parse(&t)) }
    })
}

/// The whole guide, scrolled to `at` (a section or a term) when given.
#[component]
pub fn GuidePage(at: Option<String>) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let text = guide_text();
    view! {
        <article class="ca-guide" data-testid="guide">
            <div class="ca-noprint ca-guide__tools">
                <button class="ca-button" data-testid="guide-print" on:click=move |_| nav::print()>{t("guide.print")}</button>
            </div>
            {move || match text.get() {
                None => view! { <p class="ca-muted" role="status">{tr(lang(), "guide.loading")}</p> }.into_any(),
                Some(None) => view! { <p class="ca-error" role="alert" data-testid="guide-unavailable">{tr(lang(), "guide.unavailable")}</p> }.into_any(),
                Some(Some(g)) => {
                    if let Some(id) = at.clone() {
                        nav::after_next_paint(move || nav::scroll_into_view(&format!("g-{id}")));
                    }
                    let toc = g
                        .sections()
                        .into_iter()
                        .map(|(id, title)| view! { <li><a class="ca-link" href=Route::Guide(Some(id.to_string())).href()>{title.to_string()}</a></li> })
                        .collect_view();
                    view! {
                        <nav class="ca-guide__toc" data-testid="guide-toc" aria-label=tr(lang(), "guide.toc")>
                            <h2>{tr(lang(), "guide.toc")}</h2>
                            <ol>{toc}</ol>
                        </nav>
                        {blocks(&g.blocks)}
                    }
                    .into_any()
                }
            }}
        </article>
    }
}

/// One paragraph of the guide for the help panel, with a link to the whole guide there.
#[component]
pub fn HelpPart(id: String) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let help = use_help();
    let text = guide_text();
    let whole = Route::Guide(Some(id.clone())).href();
    view! {
        {move || match text.get() {
            None => view! { <p class="ca-muted" role="status">{tr(lang(), "guide.loading")}</p> }.into_any(),
            Some(g) => match g.as_ref().and_then(|g| g.part(&id).map(<[Block]>::to_vec)) {
                Some(part) => blocks(&part).into_any(),
                None => view! { <p class="ca-error" role="alert">{tr(lang(), "guide.unavailable")}</p> }.into_any(),
            },
        }}
        <p>
            <a class="ca-link" href=whole.clone() data-testid="help-whole" on:click=move |_| help.0.set(None)>
                {move || tr(lang(), "guide.open_full")} " →"
            </a>
        </p>
    }
}

/// The blocks as elements; every text is a text node (the file cannot inject markup).
fn blocks(blocks: &[Block]) -> impl IntoView + use<> {
    blocks
        .iter()
        .map(|b| match b.clone() {
            Block::Heading { level, id, text } => {
                let id = format!("g-{id}");
                match level {
                    1 => view! { <h1 id=id>{text}</h1> }.into_any(),
                    2 => view! { <h2 id=id class="ca-guide__section">{text}</h2> }.into_any(),
                    _ => view! { <h3 id=id>{text}</h3> }.into_any(),
                }
            }
            Block::Para(inl) => view! { <p>{inlines(inl)}</p> }.into_any(),
            Block::Note(inl) => view! { <p class="ca-note">{inlines(inl)}</p> }.into_any(),
            Block::List { ordered: true, items } => {
                view! { <ol>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ol> }
                    .into_any()
            }
            Block::List { ordered: false, items } => {
                view! { <ul>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ul> }
                    .into_any()
            }
            Block::Image { src, alt } => {
                view! { <img class="ca-guide__img" src=format!("./{src}") alt=alt loading="lazy" /> }
                    .into_any()
            }
        })
        .collect_view()
}

fn inlines(items: Vec<Inline>) -> impl IntoView {
    items
        .into_iter()
        .map(|i| match i {
            Inline::Text(t) => t.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            // "#id" is a paragraph of the guide itself.
            Inline::Link { text, href } if href.starts_with('#') && !href.starts_with("#/") => {
                view! { <a class="ca-link" href=Route::Guide(Some(href[1..].to_string())).href()>{text}</a> }
                    .into_any()
            }
            Inline::Link { text, href } if href.starts_with("https://") => {
                view! { <a class="ca-link" href=href rel="noopener noreferrer" target="_blank">{text}</a> }
                    .into_any()
            }
            Inline::Link { text, href } => view! { <a class="ca-link" href=href>{text}</a> }.into_any(),
        })
        .collect_view()
}

/// The first-start welcome: a card above the list, never in the way; gone for good once
/// dismissed. Each role is pointed at the part of the guide written for it.
#[component]
pub fn Welcome() -> impl IntoView {
    let state = use_app_state();
    let (shown, set_shown) = signal(true);
    let dismiss = move || {
        set_shown.set(false);
        crate::state::actions::dismiss_welcome(state);
    };
    let roles = [
        ("welcome.role.commune", "bat-dau"),
        ("welcome.role.review", "cong-nhan"),
        ("welcome.role.leader", "bao-cao"),
        ("welcome.role.admin", "quan-tri"),
    ];
    move || {
        shown.get().then(|| view! {
        <section class="ca-welcome" data-testid="welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">{t("welcome.title")}</h2>
            <p>{t("welcome.what")}</p>
            <ul class="ca-welcome__go">
                <li><a class="ca-link" href=Route::New.href() data-testid="welcome-start">{t("welcome.start")}</a></li>
                <li><a class="ca-link" href=Route::Dashboard.href() data-testid="welcome-demo">{t("welcome.demo")}</a></li>
            </ul>
            <p>
                {t("welcome.role")} " "
                {roles.into_iter().enumerate().map(|(i, (key, at))| view! {
                    {(i > 0).then_some(" · ")}
                    <a class="ca-link" href=Route::Guide(Some(at.to_string())).href() data-testid=format!("welcome-{at}")>{t(key)}</a>
                }).collect_view()}
            </p>
            <button class="ca-button ca-button--ghost" data-testid="welcome-dismiss" on:click=move |_| dismiss()>
                {t("welcome.dismiss")}
            </button>
        </section>
    })
    }
}

/// The help panel: one paragraph of the guide beside the page, over it on a narrow screen.
/// Closing it (the button, or Escape) leaves the officer on the same page at the same place,
/// with the focus back on the "?" they pressed.
#[component]
pub fn HelpAside(id: String) -> impl IntoView {
    let state = use_app_state();
    let help = use_help();
    let lang = move || state.lang().get();
    let term = id.clone();
    let close = move || {
        help.0.set(None);
        // Back to the "?" that was pressed (else the first of its term), where the officer was.
        let back = format!("a[data-guide=\"{term}\"]");
        nav::after_next_paint(move || nav::focus_first(&["[data-return-point]", back.as_str()]));
    };
    let close_key = close.clone();
    nav::after_next_paint(|| nav::focus_first(&["[data-testid=\"help-close\"]"]));
    view! {
        <aside
            class="ca-help-panel"
            role="dialog"
            aria-modal="false"
            aria-label=move || tr(lang(), "guide.title")
            data-testid="help-panel"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close_key();
                }
            }
        >
            <div class="ca-help-panel__bar">
                <strong>{move || tr(lang(), "guide.title")}</strong>
                <button class="ca-button ca-button--ghost" data-testid="help-close" on:click=move |_| close()>
                    {move || tr(lang(), "guide.close")} " ×"
                </button>
            </div>
            <HelpPart id=id />
        </aside>
    }
}
