//! The SecureX connectivity checklist.

use crate::k;
use loupe_core::CheckState;
use yew::prelude::*;

use super::use_view_ctx;
use crate::i18n::{state_key, t};

/// A check's state as the page's classes and data attributes name it (the core's JSON name).
fn state_name(s: CheckState) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Drawn from the context alone: it changes only with the result and the language.
#[function_component(Checklist)]
pub fn checklist() -> Html {
    let ctx = use_view_ctx();
    let (a, lang) = (&ctx.analysis, ctx.lang);
    if a.checklist.is_empty() {
        return html! { <p class="empty">{ t(lang, k!("check.none")) }</p> };
    }
    html! {
        <>
        <p class="muted" id="checklist-note">{ loupe_core::securex::checklist::note(lang) }</p>
        <table class="table checklist" id="checklist">
            <thead><tr><th>{ t(lang, k!("check.item")) }</th><th>{ t(lang, k!("check.step")) }</th><th>{ t(lang, k!("check.state")) }</th><th>{ t(lang, k!("check.command")) }</th></tr></thead>
            <tbody>{ for a.checklist.iter().map(|c| {
                let (state, key) = (state_name(c.state), state_key(c.state));
                html! {
                    <tr data-check={c.id.clone()} data-state={state.clone()}>
                        <td>{ c.title.get(lang) }</td>
                        <td><code>{ c.step.as_str() }</code></td>
                        <td><span class={classes!("badge", format!("st-{state}"))}>{ t(lang, key) }</span></td>
                        <td><code class="cmd">{ c.command.clone() }</code></td>
                    </tr>
                }
            }) }</tbody>
        </table>
        </>
    }
}
