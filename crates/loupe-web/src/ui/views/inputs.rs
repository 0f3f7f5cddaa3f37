//! The inputs: what each was detected as, its role (which the user may correct), its line
//! accounting; and the ILS cluster rows found in them.

use crate::k;
use loupe_core::Role;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::use_view_ctx;
use crate::i18n::{role_key, t};
use crate::state::{human_bytes, Action};

/// Drawn from the context alone: it changes only with the result and the language.
#[function_component(InputsView)]
pub fn inputs_view() -> Html {
    let ctx = use_view_ctx();
    let (a, lang) = (&ctx.analysis, ctx.lang);
    html! {
        <div class="inputs">
            <p class="muted">{ t(lang, k!("inputs.role_hint")) }</p>
            <table class="table" id="inputs-table">
                <thead><tr>
                    <th>{ t(lang, k!("inputs.name")) }</th><th>{ t(lang, k!("inputs.kind")) }</th><th>{ t(lang, k!("inputs.role")) }</th>
                    <th>{ t(lang, k!("inputs.host")) }</th><th class="num">{ t(lang, k!("inputs.size")) }</th><th class="num">{ t(lang, k!("inputs.lines")) }</th>
                    <th class="num">{ t(lang, k!("inputs.recognised")) }</th><th class="num">{ t(lang, k!("inputs.continuation")) }</th>
                    <th class="num">{ t(lang, k!("inputs.blank")) }</th><th class="num">{ t(lang, k!("inputs.not_understood")) }</th>
                </tr></thead>
                <tbody>{ for a.inputs.iter().enumerate().map(|(i, inp)| {
                    let onchange = { let dispatch = ctx.dispatch.clone(); let name = inp.name.clone(); Callback::from(move |e: Event| {
                        let s: HtmlSelectElement = e.target_unchecked_into();
                        dispatch.dispatch(Action::SetRole(name.clone(), s.value()));
                    }) };
                    let show_nu = { let dispatch = ctx.dispatch.clone(); let first = inp.not_understood_lines.first().copied(); Callback::from(move |_: MouseEvent| {
                        if let Some(l) = first { dispatch.dispatch(Action::ShowEvidence(i, l)); }
                    }) };
                    html! {
                        <tr data-input={inp.name.clone()}>
                            <td class="mono name">{ inp.name.clone() }</td>
                            <td>{ inp.kind.label().get(lang).to_string() }</td>
                            <td><select class="role-select" aria-label={format!("{} {}", t(lang, k!("inputs.role")), inp.name)} {onchange}>
                                { for [Role::Hub, Role::Spoke, Role::Device, Role::Unknown].into_iter().map(|r| html! {
                                    <option value={r.as_str()} selected={inp.role == r}>{ t(lang, role_key(r)) }</option>
                                }) }
                            </select></td>
                            <td class="mono">{ [inp.host.clone(), inp.host_ip.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ") }</td>
                            <td class="num">{ human_bytes(inp.bytes) }</td>
                            <td class="num">{ inp.counts.lines }</td>
                            <td class="num">{ inp.counts.recognised }</td>
                            <td class="num">{ inp.counts.continuation }</td>
                            <td class="num">{ inp.counts.blank }</td>
                            <td class="num">if inp.counts.not_understood > 0 {
                                <button class="link" onclick={show_nu}>{ inp.counts.not_understood }</button>
                            } else { { 0 } }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
            if !a.clusters.is_empty() {
                <table class="table" id="clusters-table">
                    <thead><tr><th>{ t(lang, k!("clusters.id")) }</th><th>{ t(lang, k!("clusters.name")) }</th><th>{ t(lang, k!("clusters.role")) }</th><th>{ t(lang, k!("clusters.last")) }</th><th>{ t(lang, k!("clusters.sync")) }</th><th>{ t(lang, k!("clusters.version")) }</th></tr></thead>
                    <tbody>{ for a.clusters.iter().map(|c| html! {
                        <tr><td class="mono">{ c.cluster_id.clone() }</td><td class="mono">{ c.name.clone().unwrap_or_default() }</td>
                        <td>{ c.role.clone().unwrap_or_default() }</td><td>{ c.last_contact.clone().unwrap_or_default() }</td>
                        <td>{ c.sync_status.clone().unwrap_or_default() }</td><td>{ c.version.clone().unwrap_or_default() }</td></tr>
                    }) }</tbody>
                </table>
            }
        </div>
    }
}
