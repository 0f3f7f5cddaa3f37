//! Previous, a page chooser and next: the pager of the findings list and of the side-by-side view.
//! Up to [`PAGES_LISTED`] pages the chooser is a select listing them; beyond, a number field.

use crate::k;
use loupe_core::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::t;
use crate::state::thousands;

/// Pages the select lists; with more, the page number is typed. 83,334 findings are 1,667 pages
/// and 100,000 attempts 500 pages of rows, shown by two pagers: their options were most of the
/// DOM of the result's first render (a 149 ms task on the page).
pub const PAGES_LISTED: usize = 100;

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub id: AttrValue,
    /// What the pager pages through, for assistive technology.
    pub label: AttrValue,
    /// Which items are shown: `Findings 51–100 of 1,640`.
    pub text: AttrValue,
    pub lang: Lang,
    pub page: usize,
    pub pages: usize,
    pub on_page: Callback<usize>,
    /// Announce the range when it changes (one pager of a pair does).
    #[prop_or(true)]
    pub live: bool,
}

/// Previous, a page select and next, around the range shown.
#[function_component(Pager)]
pub fn pager(props: &PagerProps) -> Html {
    let lang = props.lang;
    let (page, pages) = (props.page, props.pages);
    let go = |to: usize| {
        let on_page = props.on_page.clone();
        Callback::from(move |_: MouseEvent| on_page.emit(to))
    };
    let on_select = {
        let on_page = props.on_page.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(p) = s.value().parse() {
                on_page.emit(p);
            }
        })
    };
    // A typed page: a number from 1 to `pages`; anything else shows the page again.
    let on_number = {
        let on_page = props.on_page.clone();
        Callback::from(move |e: Event| {
            let field: HtmlInputElement = e.target_unchecked_into();
            match field.value().trim().parse::<usize>() {
                Ok(n) if (1..=pages).contains(&n) => on_page.emit(n - 1),
                _ => field.set_value(&(page + 1).to_string()),
            }
        })
    };
    // Keyed by the page: a fresh chooser shows the page whatever the user picked before.
    let chooser = if pages <= PAGES_LISTED {
        html! {
            <select class="pager-select" key={page.to_string()} onchange={on_select} disabled={pages < 2}>
                { for (0..pages).map(|p| html! { <option value={p.to_string()} selected={p == page}>{ thousands(p + 1) }</option> }) }
            </select>
        }
    } else {
        html! {
            <input type="number" class="pager-number" key={page.to_string()} min="1" max={pages.to_string()}
                value={(page + 1).to_string()} onchange={on_number} />
        }
    };
    html! {
        <nav class="pager" id={props.id.clone()} aria-label={props.label.clone()}>
            <button class="btn pager-prev" disabled={page == 0} onclick={go(page.saturating_sub(1))}>{ "‹ " }{ t(lang, k!("pager.prev")) }</button>
            <span class="pager-range" aria-live={props.live.then_some("polite")}>{ props.text.clone() }</span>
            <label class="pager-page">{ t(lang, k!("pager.page")) }{ " " }
                { chooser }
                { format!(" / {}", thousands(pages)) }
            </label>
            <button class="btn pager-next" disabled={page + 1 >= pages} onclick={go(page + 1)}>{ t(lang, k!("pager.next")) }{ " ›" }</button>
        </nav>
    }
}
