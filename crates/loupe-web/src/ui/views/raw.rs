//! The raw log of one input, virtualised: only the rows in view (plus a margin) are in the DOM.
//! Their text comes from the worker in blocks of [`BLOCK`] lines, asked for in an effect and
//! kept in the page's bounded [`LineCache`].

use crate::k;
use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::use_view_ctx;
use crate::i18n::{role_key, t};
use crate::line_cache::{LineCache, BLOCK};
use crate::state::{evidence_of, thousands, Action, RawSlice};
use crate::transfer::ToWorker;
use crate::ui::bridge::Bridge;

/// Row height of the raw view in pixels (must match `.raw-row` in the CSS).
pub const ROW_PX: f64 = 18.0;

/// The page's line cache and the bridge that fills it.
#[derive(Clone)]
pub struct Lines {
    pub bridge: Bridge,
    pub cache: Rc<RefCell<LineCache>>,
    /// Bumped when lines arrive, so the raw view re-renders.
    pub version: u32,
    /// The worker answering requests now: a block asked of another one is asked again.
    pub worker: u32,
}

impl Lines {
    /// Ask `worker` for the blocks of lines `from..to` of `input` that the cache neither holds
    /// nor awaits from it (the raw view and "Every line" both read lines this way).
    pub fn request(&self, input: usize, from: u32, to: u32, worker: u32) {
        let ask = self.cache.borrow_mut().want(input, from, to, worker);
        for start in ask {
            self.bridge.send(
                ToWorker::Lines {
                    input,
                    start,
                    count: BLOCK,
                },
                Vec::new(),
            );
        }
    }
}

impl PartialEq for Lines {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.worker == other.worker
            && Rc::ptr_eq(&self.cache, &other.cache)
    }
}

#[derive(Properties, PartialEq)]
pub struct RawProps {
    pub slice: RawSlice,
    pub lines: Lines,
}

#[function_component(RawView)]
pub fn raw_view(props: &RawProps) -> Html {
    let ctx = use_view_ctx();
    let (a, lang, slice) = (ctx.analysis.clone(), ctx.lang, props.slice);
    let scroller = use_node_ref();
    let scroll_top = use_state(|| 0.0f64);
    let height = use_state(|| 600.0f64);
    let input = slice.input.min(a.inputs.len().saturating_sub(1));
    let stored = a.stored_lines(input);
    // The worker may keep fewer lines than announced (a decoded input past its budget).
    let total = props.lines.cache.borrow().shown(input, stored);

    // Jump to a line when asked (evidence link, go-to box).
    {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        use_effect_with((slice.goto, input), move |(goto, _)| {
            if let (Some((line, _)), Some(el)) = (goto, scroller.cast::<HtmlElement>()) {
                let top =
                    ((*line as f64 - 1.0) * ROW_PX - el.client_height() as f64 / 2.0).max(0.0);
                el.set_scroll_top(top as i32);
                scroll_top.set(top);
            }
        });
    }
    // Measure the viewport once mounted.
    {
        let scroller = scroller.clone();
        let height = height.clone();
        use_effect_with(input, move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                height.set(el.client_height().max(100) as f64);
            }
        });
    }

    // Never more than a few screens of rows, whatever the layout reports.
    let view_px = height.min(4000.0);
    let first = ((*scroll_top / ROW_PX) as u32)
        .saturating_sub(20)
        .min(total);
    let last = (((*scroll_top + view_px) / ROW_PX) as u32 + 20).min(total);
    // Ask for the blocks in view that are neither held nor asked of the current worker (again
    // when the worker that was asked has been replaced, or the block was evicted).
    {
        let lines = props.lines.clone();
        let blocks = (first / BLOCK, last.div_ceil(BLOCK));
        let key = (Rc::as_ptr(&a) as usize, input, blocks, lines.worker);
        use_effect_with(key, move |&(_, input, _, worker)| {
            lines.request(input, first, last, worker);
        });
    }
    let onscroll = {
        let scroll_top = scroll_top.clone();
        let height = height.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            scroll_top.set(el.scroll_top() as f64);
            height.set(el.client_height().max(100) as f64);
        })
    };
    let on_input = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = s.value().parse() {
                dispatch.dispatch(Action::SetRawInput(i));
            }
        })
    };
    let on_goto = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                let i: HtmlInputElement = e.target_unchecked_into();
                if let Ok(line) = i.value().trim().parse::<u32>() {
                    dispatch.dispatch(Action::ShowEvidence(input, line.max(1)));
                }
            }
        })
    };
    let cache = props.lines.cache.borrow();
    let info = a.inputs.get(input);
    let body = if info.is_some_and(|i| total == 0 && i.counts.lines > 0) {
        html! { <p class="empty">{ t(lang, k!("raw.not_kept")) }</p> }
    } else if total == 0 {
        html! { <p class="empty">{ t(lang, k!("raw.empty")) }</p> }
    } else {
        let not_understood: std::collections::HashSet<u32> = info
            .map(|i| i.not_understood_lines.iter().copied().collect())
            .unwrap_or_default();
        let evidence = evidence_of(&a, slice.selected_finding);
        html! {
            <div class="raw-scroll" id="raw-scroll" ref={scroller.clone()} {onscroll} tabindex="0" role="log" aria-label={t(lang, k!("nav.raw"))}>
                <div class="raw-spacer" style={format!("height:{}px", total as f64 * ROW_PX)}>
                    <div class="raw-rows" style={format!("transform:translateY({}px)", first as f64 * ROW_PX)}>
                        { for (first..last).map(|i| {
                            let text = cache.line(input, i).map(str::to_owned);
                            let n = i + 1;
                            let hl = evidence.contains(&(input, n));
                            let sel = slice.selected_line == Some((input, n));
                            let onclick = { let dispatch = ctx.dispatch.clone(); Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectLine(input, n))) };
                            html! {
                                <div class={classes!("raw-row", hl.then_some("hl"), sel.then_some("sel"), not_understood.contains(&n).then_some("nu"))} data-line={n.to_string()} {onclick}>
                                    <span class="ln">{ n }</span>
                                    <span class="tx">{ text.unwrap_or_default() }</span>
                                </div>
                            }
                        }) }
                    </div>
                </div>
            </div>
        }
    };
    // The lines shown, as the toolbar and the note give them.
    let shown = thousands(total as usize);
    html! {
        <div class="raw-wrap">
            <div class="raw-toolbar">
                <label>{ t(lang, k!("raw.input")) }{ " " }
                    <select id="raw-input" onchange={on_input}>
                        { for a.inputs.iter().enumerate().map(|(i, inp)| html! {
                            <option value={i.to_string()} selected={i == input}>{ format!("{} ({})", inp.name, t(lang, role_key(inp.role))) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t(lang, k!("raw.goto")) }{ " " }<input id="raw-goto" type="number" min="1" max={total.to_string()} onkeydown={on_goto} /></label>
                <span class="muted">{ t(lang, k!("raw.count")).replace("{n}", &shown) }</span>
            </div>
            if total < stored {
                <p class="muted" id="raw-cut">{ t(lang, k!("raw.cut")).replace("{n}", &shown) }</p>
            }
            { body }
        </div>
    }
}
