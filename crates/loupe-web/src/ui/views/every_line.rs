//! The side-by-side view's "Every line": every line of each side of one connection attempt (from
//! the attempt's first to its last line on that side), or of whole inputs, [`LINES_PER_PAGE`] a
//! side at a time. The result holds only the attempts' events: the lines are read back from the
//! dropped files through the worker, as the raw view reads them, and kept in the page's bounded
//! line cache, so nothing of them stays in the worker's memory or in the result.

use crate::k;
use std::collections::HashMap;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::pager::Pager;
use super::raw::Lines;
use super::{outcome_key, range_text, use_view_ctx};
use crate::export::clock;
use crate::i18n::{role_key, t};
use crate::state::{
    evidence_of, line_windows, lines_page_count, Action, LinesScope, LINES_PER_PAGE,
};

#[derive(Properties, PartialEq)]
pub struct EveryLineProps {
    pub scope: LinesScope,
    pub page: usize,
    pub selected_line: Option<(usize, u32)>,
    pub selected_finding: Option<usize>,
    pub lines: Lines,
}

#[function_component(EveryLine)]
pub fn every_line(props: &EveryLineProps) -> Html {
    let ctx = use_view_ctx();
    let (a, lang) = (ctx.analysis.clone(), ctx.lang);
    let windows = line_windows(&a, props.scope);
    let pages = lines_page_count(&windows);
    let page = props.page.min(pages - 1);
    // The 0-based lines of each side on this page.
    let shown: Vec<(usize, u32, u32)> = windows
        .iter()
        .map(|w| {
            let from = (w.first - 1 + (page * LINES_PER_PAGE) as u32).min(w.last);
            let to = (from + LINES_PER_PAGE as u32).min(w.last);
            (w.input, from, to)
        })
        .collect();
    // Ask the worker for the blocks of this page that the cache neither holds nor awaits.
    {
        let lines = props.lines.clone();
        let key = (
            std::rc::Rc::as_ptr(&a) as usize,
            shown.clone(),
            lines.worker,
        );
        use_effect_with(key, move |(_, shown, worker)| {
            for &(input, from, to) in shown {
                if from >= to {
                    continue;
                }
                lines.request(input, from, to, *worker);
            }
        });
    }
    let on_scope = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let v = s.value();
            let scope = if v == "inputs" {
                Some(LinesScope::Inputs)
            } else {
                v.parse().ok().map(LinesScope::Attempt)
            };
            if let Some(scope) = scope {
                dispatch.dispatch(Action::SetLinesScope(scope));
            }
        })
    };
    // Attempts in time order, for the chooser.
    let mut attempts: Vec<usize> = (0..a.connections.len()).collect();
    attempts.sort_by_key(|&c| (a.connections[c].start_ms, c));
    let chooser = html! {
        <label>{ t(lang, k!("lines.scope")) }{ " " }
            <select id="lines-scope" onchange={on_scope}>
                { for attempts.iter().map(|&ci| {
                    let c = &a.connections[ci];
                    let text = format!("#{} {} · {} · {}", c.id, t(lang, outcome_key(&c.outcome)), clock(c.start_ms),
                        c.client.clone().unwrap_or_default());
                    html! { <option value={ci.to_string()} selected={props.scope == LinesScope::Attempt(ci)}>{ text }</option> }
                }) }
                <option value="inputs" selected={props.scope == LinesScope::Inputs}>{ t(lang, k!("lines.inputs")) }</option>
            </select>
        </label>
    };
    // The attempt's events, to mark their lines among the others.
    let mut events: HashMap<(usize, u32), usize> = HashMap::new();
    if let LinesScope::Attempt(c) = props.scope {
        if let Some(c) = a.connections.get(c) {
            for &ei in &c.events {
                if let Some(e) = a.events.get(ei) {
                    events.entry((e.input, e.line)).or_insert(ei);
                }
            }
        }
    }
    let evidence = evidence_of(&a, props.selected_finding);
    let longest = windows.iter().map(|w| w.len()).max().unwrap_or(0) as usize;
    let range = {
        let start = (page * LINES_PER_PAGE).min(longest);
        start..(start + LINES_PER_PAGE).min(longest)
    };
    let pager = |id: &'static str, live: bool| {
        if pages <= 1 {
            return html! {};
        }
        let dispatch = ctx.dispatch.clone();
        let on_page = Callback::from(move |p| dispatch.dispatch(Action::SetLinesPage(p)));
        html! {
            <Pager id={id} label={t(lang, k!("lines.pager_label"))} lang={lang} {live}
                text={range_text(t(lang, k!("lines.pager")), &range, longest)}
                page={page} {pages} {on_page} />
        }
    };
    let cache = props.lines.cache.borrow();
    let body = if windows.is_empty() {
        html! { <p class="empty">{ t(lang, k!("lines.none")) }</p> }
    } else {
        html! {
            <div class="lines-grid" id="every-line" style={format!("grid-template-columns: repeat({}, minmax(0, 1fr))", windows.len())}>
                { for windows.iter().zip(&shown).map(|(w, &(input, from, to))| {
                    let info = &a.inputs[input];
                    let head = html! {
                        <div class="colhead" data-role={info.role.as_str()}>
                            <span class={classes!("role", format!("role-{}", info.role.as_str()))}>{ t(lang, role_key(info.role)) }</span>
                            <span class="name" title={info.name.clone()}>{ info.name.clone() }</span>
                            <span class="muted mono">{ t(lang, k!("lines.window")).replace("{first}", &w.first.to_string()).replace("{last}", &w.last.to_string()) }</span>
                        </div>
                    };
                    // A window past what the worker kept of a decoded input is not kept either.
                    let kept = w.kept && cache.shown(input, a.stored_lines(input)) >= w.last;
                    let rows = if !kept {
                        html! { <p class="empty">{ t(lang, k!("raw.not_kept")) }</p> }
                    } else {
                        html! { <>{ for (from..to).map(|i| {
                            let n = i + 1;
                            let text = cache.line(input, i).map(str::to_owned);
                            let event = events.get(&(input, n)).and_then(|&ei| a.events.get(ei));
                            let hl = evidence.contains(&(input, n));
                            let sel = props.selected_line == Some((input, n));
                            let onclick = { let dispatch = ctx.dispatch.clone(); Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectLine(input, n))) };
                            html! {
                                <div class={classes!("line-row", event.is_some().then_some("is-event"), hl.then_some("hl"), sel.then_some("sel"), text.is_none().then_some("loading"))}
                                    data-input={input.to_string()} data-line={n.to_string()} {onclick}>
                                    <span class="ln mono">{ n }</span>
                                    if let Some(e) = event { <span class="evlabel">{ e.label.get(lang) }</span> }
                                    <span class="tx mono">{ text.unwrap_or_default() }</span>
                                </div>
                            }
                        }) }</> }
                    };
                    html! { <div class="lines-col" data-input={input.to_string()}>{ head }{ rows }</div> }
                }) }
            </div>
        }
    };
    html! {
        <div class="lines-wrap">
            <div class="lines-toolbar">{ chooser }</div>
            { pager("lines-pager-top", true) }
            { body }
            { pager("lines-pager-bottom", false) }
        </div>
    }
}
