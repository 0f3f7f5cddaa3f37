//! The result views, one module each: finding cards ([`findings`]), the side-by-side timeline
//! ([`side_by_side`]), raw logs, virtualised ([`raw`]), the SecureX checklist ([`checklist`]) and
//! the inputs ([`inputs`]), every line of an attempt's sides read back from the files
//! ([`every_line`], inside the side-by-side view), the ladder diagram of a connection attempt ([`ladder`]) and the map of
//! the ILS network ([`network_map`]); [`pager`] is shared.
//!
//! Every view reads the result, the language and the dispatcher from one context ([`ViewCtx`],
//! which changes only with a new result or language) and takes the slice of the state it draws as
//! `PartialEq` props (`state::FindingsSlice`, ...): a dispatch re-renders only the views whose
//! slice changed. Side effects (scrolling, requests to the worker) run in effects, not in render.
//! All log text and file names are rendered as text nodes, never as markup.

pub mod checklist;
pub mod every_line;
pub mod findings;
pub mod inputs;
pub mod ladder;
pub mod network_map;
pub mod pager;
pub mod raw;
pub mod side_by_side;

use crate::k;
use std::rc::Rc;

use loupe_core::Lang;
use yew::prelude::*;

use crate::state::{thousands, State};
use crate::transfer::AnalysisView;

pub use checklist::Checklist;
pub use findings::FindingList;
pub use inputs::InputsView;
pub use ladder::Ladder;
pub use network_map::NetworkMap;
pub use raw::RawView;
pub use side_by_side::SideBySide;

/// What every view reads: the result, the language and the dispatcher.
#[derive(Clone)]
pub struct ViewCtx {
    pub analysis: Rc<AnalysisView>,
    pub lang: Lang,
    pub dispatch: UseReducerDispatcher<State>,
}

impl PartialEq for ViewCtx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && self.lang == other.lang
            && self.dispatch == other.dispatch
    }
}

/// The views' context; they are only drawn inside its provider.
#[hook]
fn use_view_ctx() -> ViewCtx {
    use_context::<ViewCtx>().expect("views are drawn inside the ViewCtx provider")
}

/// How many of `total` items to draw now: `first` at once, then `step` more per task, task after
/// task, so that no task of the main thread is long (a finding card or a side-by-side row is
/// dozens of elements). Starts again from `first` whenever `key` changes (another result, page,
/// filter...).
#[hook]
fn use_drawn_in_steps<K>(key: K, total: usize, first: usize, step: usize) -> usize
where
    K: PartialEq + Clone + 'static,
{
    let drawn = use_state(|| (key.clone(), first));
    let count = if drawn.0 == key { drawn.1 } else { first }.min(total);
    {
        let drawn = drawn.clone();
        use_effect_with((key, count, total), move |(key, count, total)| {
            let more = (*count < *total).then(|| {
                let (key, next) = (key.clone(), count + step);
                gloo::timers::callback::Timeout::new(0, move || drawn.set((key, next)))
            });
            move || drop(more)
        });
    }
    count
}

/// Connection outcomes are the core's words (`joined`, `failed`, ...), not an enum.
fn outcome_key(o: &str) -> crate::i18n::Key {
    match o {
        "joined" => k!("conn.joined"),
        "failed" => k!("conn.failed"),
        "unanswered" => k!("conn.unanswered"),
        _ => k!("conn.in-progress"),
    }
}

/// Scroll the element matching `selector` into view (centred).
fn scroll_to(selector: &str) {
    if let Ok(Some(el)) = gloo::utils::document().query_selector(selector) {
        scroll_into_view(&el, web_sys::ScrollLogicalPosition::Center);
    }
}

fn scroll_into_view(el: &web_sys::Element, block: web_sys::ScrollLogicalPosition) {
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(block);
    opts.set_behavior(web_sys::ScrollBehavior::Smooth);
    el.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// `Findings 51–100 of 1,640` from a sentence with `{from}`, `{to}` and `{total}`.
fn range_text(sentence: &str, range: &std::ops::Range<usize>, total: usize) -> String {
    sentence
        .replace("{from}", &thousands(range.start + 1))
        .replace("{to}", &thousands(range.end))
        .replace("{total}", &thousands(total))
}
