//! A button that opens the file chooser and hands over the chosen file. Choosing the same file
//! twice works (the input is cleared after each choice).

use leptos::prelude::*;

use crate::state::use_app_state;
use crate::ui::i18n::tr;

/// "Chọn tệp"-style button around a hidden `<input type=file>`.
#[component]
pub fn FilePicker(
    /// Locale key of the button text.
    label: &'static str,
    /// The `accept` attribute, e.g. ".json,application/json".
    accept: &'static str,
    /// `data-testid` of the input, for tests.
    testid: &'static str,
    /// Called with the chosen file.
    on_file: Callback<web_sys::File>,
    /// Disables choosing (e.g. read-only assessment).
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    view! {
        <label class="ca-button ca-button--ghost">
            {move || tr(state.lang().get(), label)}
            <input
                type="file"
                accept=accept
                class="ca-visually-hidden"
                data-testid=testid
                disabled=disabled
                on:change:target=move |ev| {
                    if let Some(f) = ev.target().files().and_then(|l| l.get(0)) {
                        on_file.run(f);
                    }
                    ev.target().set_value("");
                }
            />
        </label>
    }
}
