//! The result views: finding cards, side-by-side timeline, raw logs (virtualised), SecureX
//! checklist, inputs. All log text and file names are rendered as text nodes, never as markup.

use std::rc::Rc;

use loupe_core::Lang;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::app::Ctx;
use super::icons;
use crate::export::clock;
use crate::i18n::t;
use crate::state::{
    columns, human_bytes, offset_text, page_count, page_range, rows, rule_counts, thousands,
    Action, Filter, Row, RuleCount, State, FINDINGS_PER_PAGE, ROWS_PER_PAGE,
};
use crate::transfer::{AnalysisView, Text};

#[derive(Properties, PartialEq)]
pub struct StateProps {
    pub state: UseReducerHandle<State>,
}

fn sev_key(s: &str) -> &'static str {
    match s {
        "error" => "sev.error",
        "warning" => "sev.warning",
        "info" => "sev.info",
        _ => "sev.ok",
    }
}

fn role_key(r: &str) -> &'static str {
    match r {
        "hub" => "role.hub",
        "spoke" => "role.spoke",
        "device" => "role.device",
        _ => "role.unknown",
    }
}

fn tx(text: &Text, lang: Lang) -> String {
    text.get(lang).to_string()
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

#[derive(Properties, PartialEq)]
struct PagerProps {
    id: AttrValue,
    /// What the pager pages through, for assistive technology.
    label: AttrValue,
    /// Which items are shown: `Findings 51–100 of 1,640`.
    text: AttrValue,
    lang: Lang,
    page: usize,
    pages: usize,
    on_page: Callback<usize>,
    /// Announce the range when it changes (one pager of a pair does).
    #[prop_or(true)]
    live: bool,
}

/// Previous, a page select and next, around the range shown.
#[function_component(Pager)]
fn pager(props: &PagerProps) -> Html {
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
    html! {
        <nav class="pager" id={props.id.clone()} aria-label={props.label.clone()}>
            <button class="btn pager-prev" disabled={page == 0} onclick={go(page.saturating_sub(1))}>{ "‹ " }{ t(lang, "pager.prev") }</button>
            <span class="pager-range" aria-live={props.live.then_some("polite")}>{ props.text.clone() }</span>
            <label class="pager-page">{ t(lang, "pager.page") }{ " " }
                // Keyed by the page: a fresh select shows the page whatever the user picked before.
                <select class="pager-select" key={page.to_string()} onchange={on_select} disabled={pages < 2}>
                    { for (0..pages).map(|p| html! { <option value={p.to_string()} selected={p == page}>{ thousands(p + 1) }</option> }) }
                </select>
                { format!(" / {}", thousands(pages)) }
            </label>
            <button class="btn pager-next" disabled={page + 1 >= pages} onclick={go(page + 1)}>{ t(lang, "pager.next") }{ " ›" }</button>
        </nav>
    }
}

/// "820 × ils.joined.password": each rule's count, a button that lists only that rule.
fn rule_summary(state: &UseReducerHandle<State>, counts: &[RuleCount]) -> Html {
    let lang = state.lang;
    let active = state.rule_filter.as_deref();
    let set = |rule: Option<String>| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetRuleFilter(rule.clone())))
    };
    html! {
        <div class="rule-summary" id="rule-summary" role="group" aria-label={t(lang, "rules.title")}>
            { for counts.iter().map(|c| {
                let on = active == Some(c.rule.as_str());
                html! {
                    <button class={classes!("rule-chip", format!("sev-{}", c.severity))} data-rule={c.rule.clone()}
                        aria-pressed={on.to_string()} title={t(lang, "rules.only")}
                        onclick={set((!on).then(|| c.rule.clone()))}>
                        <span class="sev">{ icons::severity(&c.severity) }<span class="visually-hidden">{ t(lang, sev_key(&c.severity)) }</span></span>
                        <span class="n">{ thousands(c.count) }</span>{ " × " }<code>{ c.rule.clone() }</code>
                    </button>
                }
            }) }
            if active.is_some() {
                <button class="link" id="rule-filter-clear" onclick={set(None)}>{ t(lang, "rules.clear") }</button>
            }
        </div>
    }
}

/// The finding cards, [`FINDINGS_PER_PAGE`] at a time. Beyond one page: a per-rule summary that
/// filters the list, and a pager.
#[function_component(FindingList)]
pub fn finding_list(props: &StateProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let counts = {
        let analysis = state.analysis.clone();
        use_memo(state.analysis_id, move |_| {
            analysis.as_deref().map(rule_counts).unwrap_or_default()
        })
    };
    let listed = {
        let state = state.clone();
        use_memo((state.analysis_id, state.rule_filter.clone()), move |_| {
            state.listed_findings()
        })
    };
    let page = state.findings_page_shown(listed.len());
    let cards_ref = use_node_ref();
    // Another page (or rule) starts at its top.
    {
        let cards_ref = cards_ref.clone();
        use_effect_with((page, state.rule_filter.clone()), move |_| {
            if let Some(el) = cards_ref.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
        });
    }
    // A finding selected from elsewhere (a line's details) is brought into view on its page; a
    // card already in view (partly at least) stays where it is.
    {
        let cards_ref = cards_ref.clone();
        use_effect_with(
            (state.generation, state.selected_finding),
            move |(_, selected)| {
                let (Some(i), Some(list)) = (selected, cards_ref.cast::<web_sys::Element>()) else {
                    return;
                };
                if let Ok(Some(card)) = list.query_selector(&format!("#finding-{i}")) {
                    let (c, l) = (
                        card.get_bounding_client_rect(),
                        list.get_bounding_client_rect(),
                    );
                    if c.bottom() <= l.top() || c.top() >= l.bottom() {
                        scroll_into_view(&card, web_sys::ScrollLogicalPosition::Start);
                    }
                }
            },
        );
    }
    let Some(a) = state.analysis.clone() else {
        return html! {};
    };
    if a.findings.is_empty() {
        return html! { <p class="empty">{ t(lang, "findings.none") }</p> };
    }
    let paged = a.findings.len() > FINDINGS_PER_PAGE;
    let range = page_range(page, listed.len(), FINDINGS_PER_PAGE);
    let on_page = {
        let dispatch = state.dispatcher();
        Callback::from(move |p| dispatch.dispatch(Action::SetFindingsPage(p)))
    };
    html! {
        <>
            if paged {
                { rule_summary(state, &counts) }
                <Pager id="findings-pager" label={t(lang, "pager.findings_label")} lang={lang}
                    text={range_text(t(lang, "pager.findings"), &range, listed.len())}
                    page={page} pages={page_count(listed.len(), FINDINGS_PER_PAGE)} {on_page} />
            }
            <div class="cards" role="list" ref={cards_ref}>
                { for listed[range].iter().map(|&i| html! {
                    <FindingCard key={i} analysis={a.clone()} index={i} selected={state.selected_finding == Some(i)}
                        lang={lang} dispatch={state.dispatcher()} />
                }) }
                if !a.diagnostics.is_empty() {
                    <section class="diagnostics" aria-label={t(lang, "diag.title")}>
                        <h3>{ t(lang, "diag.title") }</h3>
                        <ul>{ for a.diagnostics.iter().map(|d| html! {
                            <li><span class="mono">{ if d.line > 0 { format!("{}:{}", d.input, d.line) } else { d.input.clone() } }</span>{ " " }{ tx(&d.message, lang) }</li>
                        }) }</ul>
                    </section>
                }
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FindingCardProps {
    analysis: Rc<AnalysisView>,
    index: usize,
    selected: bool,
    lang: Lang,
    dispatch: UseReducerDispatcher<State>,
}

/// One finding. A component of its own so that a click re-renders only the cards it changes.
#[function_component(FindingCard)]
fn finding_card(props: &FindingCardProps) -> Html {
    let (a, i, lang, selected) = (&props.analysis, props.index, props.lang, props.selected);
    let Some(f) = a.findings.get(i) else {
        return html! {};
    };
    let select = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectFinding(i)))
    };
    let list = |key: &'static str, items: &[Text], ordered: bool| {
        if items.is_empty() {
            return html! {};
        }
        let lis = items.iter().map(|s| html! { <li>{ tx(s, lang) }</li> });
        html! {
            <div class={classes!("block", key.replace('.', "-"))}>
                <h4>{ t(lang, key) }</h4>
                if ordered { <ol>{ for lis }</ol> } else { <ul>{ for lis }</ul> }
            </div>
        }
    };
    let conn = f.connection.and_then(|c| a.connections.get(c));
    let open = matches!(f.severity.as_str(), "error" | "warning") || selected;
    html! {
        <article class={classes!("card", format!("sev-{}", f.severity), selected.then_some("selected"))}
            role="listitem" data-rule={f.rule.clone()} data-severity={f.severity.clone()} id={format!("finding-{i}")}>
            <header>
                <span class="sev" title={t(lang, sev_key(&f.severity))}>{ icons::severity(&f.severity) }<span class="visually-hidden">{ t(lang, sev_key(&f.severity)) }</span></span>
                <button class="title" onclick={select.clone()} aria-pressed={selected.to_string()}>{ tx(&f.title, lang) }</button>
                <code class="rule" title={t(lang, "report.rule")}>{ f.rule.clone() }</code>
            </header>
            if !f.what.en.is_empty() {
                <p class="what">{ tx(&f.what, lang) }</p>
            }
            if let Some(c) = conn {
                <p class="conn-line">
                    <span class={classes!("badge", format!("out-{}", c.outcome))}>{ format!("#{} {}", c.id, t(lang, outcome_key(&c.outcome))) }</span>
                    { " " }<span class="mono">{ format!("{} → {}", c.client.clone().unwrap_or_else(|| "?".into()), c.server.clone().unwrap_or_else(|| "?".into())) }</span>
                </p>
            }
            <details open={open}>
                <summary>{ t(lang, "findings.why") }{ " · " }{ t(lang, "findings.fix") }</summary>
                if !f.why.en.is_empty() {
                    <div class="block"><h4>{ t(lang, "findings.why") }</h4><p>{ tx(&f.why, lang) }</p></div>
                }
                { list("findings.fix", &f.fix, true) }
                { list("findings.verify", &f.verify, false) }
                { list("findings.collect", &f.collect, false) }
                if !f.codes.is_empty() {
                    <div class="block"><h4>{ t(lang, "findings.codes") }</h4>
                        <dl class="codes">{ for f.codes.iter().map(|c| html! {
                            <>
                                <dt><code>{ format!("{} {}", c.kind, c.code) }</code>{ " " }<code class="name">{ c.name.clone() }</code></dt>
                                <dd>{ tx(&c.meaning, lang) }</dd>
                            </>
                        }) }</dl>
                    </div>
                }
            </details>
            if !f.evidence.is_empty() {
                <div class="evidence">
                    <h4>{ t(lang, "findings.evidence") }</h4>
                    <ul>{ for f.evidence.iter().map(|e| {
                        let onclick = {
                            let dispatch = props.dispatch.clone();
                            let target = e.input_index.map(|ii| (ii, e.line));
                            Callback::from(move |_: MouseEvent| {
                                dispatch.dispatch(Action::SelectFinding(i));
                                if let Some((ii, line)) = target { dispatch.dispatch(Action::ShowEvidence(ii, line)); }
                            })
                        };
                        html! {
                            <li><button class="ev-link" {onclick} title={t(lang, "findings.show")}
                                data-input={e.input_index.map(|ii| ii.to_string())} data-line={e.line.to_string()}>
                                <span class={classes!("role", format!("role-{}", e.role))}>{ t(lang, role_key(&e.role)) }</span>
                                <span class="loc">{ format!("{}:{}", e.input, e.line) }</span>
                                <span class="text">{ e.text.clone() }</span>
                            </button></li>
                        }
                    }) }</ul>
                </div>
            }
        </article>
    }
}

fn outcome_key(o: &str) -> &'static str {
    match o {
        "joined" => "conn.joined",
        "failed" => "conn.failed",
        "unanswered" => "conn.unanswered",
        _ => "conn.in-progress",
    }
}

/// Rows of a side-by-side page drawn in one task (the page's others follow, task after task).
const ROWS_PER_TASK: usize = 50;

/// The timeline, hub and spoke side by side, [`ROWS_PER_PAGE`] rows at a time. The rows are
/// computed once per result, filter and search.
#[function_component(SideBySide)]
pub fn side_by_side(props: &StateProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let a = state.analysis.clone();
    let cols = {
        let a = a.clone();
        use_memo(state.analysis_id, move |_| {
            a.as_deref().map(columns).unwrap_or_default()
        })
    };
    let all_rows = {
        let a = a.clone();
        use_memo(
            (state.analysis_id, state.filter, state.search.clone()),
            move |(_, filter, search)| {
                a.as_deref()
                    .map(|a| rows(a, *filter, search))
                    .unwrap_or_default()
            },
        )
    };
    let page = a
        .as_deref()
        .map(|a| state.rows_page_shown(a, &all_rows))
        .unwrap_or(0);
    let page_len = page_range(page, all_rows.len(), ROWS_PER_PAGE).len();
    // A page is drawn ROWS_PER_TASK rows at a time, one task after the other, so that no task is
    // long; `drawn` is how many rows of which page (result, filter, search, page) are drawn.
    let page_key = (state.analysis_id, state.filter, state.search.clone(), page);
    let drawn = use_state(|| (page_key.clone(), ROWS_PER_TASK));
    let drawn_rows = if drawn.0 == page_key {
        drawn.1
    } else {
        ROWS_PER_TASK
    }
    .min(page_len);
    {
        let drawn = drawn.clone();
        use_effect_with((page_key, drawn_rows), move |(key, count)| {
            let more = (*count < page_len).then(|| {
                let (key, next) = (key.clone(), count + ROWS_PER_TASK);
                gloo::timers::callback::Timeout::new(0, move || drawn.set((key, next)))
            });
            move || drop(more)
        });
    }
    let grid_ref = use_node_ref();
    // Another page starts at its top (before the scroll to a selected line below, if any).
    {
        let grid_ref = grid_ref.clone();
        use_effect_with(page, move |_| {
            if let Some(el) = grid_ref.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
        });
    }
    // Scroll to the selected line once per request, as soon as its row is drawn.
    let scrolled_for = use_mut_ref(|| None::<(u32, Option<(usize, u32)>)>);
    let request = (state.generation, state.selected_line);
    use_effect_with((request, drawn_rows), move |(request, _)| {
        if *scrolled_for.borrow() == Some(*request) {
            return;
        }
        let Some((input, line)) = request.1 else {
            return;
        };
        let selector = format!("#sbs .ev[data-input=\"{input}\"][data-line=\"{line}\"]");
        if matches!(
            gloo::utils::document().query_selector(&selector),
            Ok(Some(_))
        ) {
            scroll_to(&selector);
            *scrolled_for.borrow_mut() = Some(*request);
        }
    });
    let Some(a) = a else { return html! {} };
    let set_filter = |f: Filter| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::SetFilter(f)))
    };
    let on_search = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            state.dispatch(Action::SetSearch(i.value()));
        })
    };
    let offset = match a.clock_offset_ms {
        Some(ms) => {
            html! { <span class="offset" id="clock-offset"><strong>{ t(lang, "sbs.offset") }{ ": " }{ offset_text(ms) }</strong>{ " — " }{ t(lang, "sbs.offset_applied") }</span> }
        }
        None => {
            html! { <span class="offset muted" id="clock-offset">{ t(lang, "sbs.offset_none") }</span> }
        }
    };
    let toolbar = html! {
        <div class="sbs-toolbar">
            <fieldset class="seg" role="radiogroup" aria-label={t(lang, "sbs.filter")}>
                <label><input type="radio" name="filter" id="filter-events" checked={state.filter == Filter::Diagnostic} onchange={set_filter(Filter::Diagnostic)} />{ t(lang, "sbs.events") }</label>
                <label><input type="radio" name="filter" id="filter-every" checked={state.filter == Filter::Every} onchange={set_filter(Filter::Every)} />{ t(lang, "sbs.lines") }</label>
            </fieldset>
            <input type="search" id="search" class="search" value={state.search.clone()} oninput={on_search}
                placeholder={t(lang, "sbs.search_placeholder")} aria-label={t(lang, "sbs.search")} />
            { offset }
        </div>
    };
    if cols.is_empty() {
        return html! { <div class="sbs-wrap">{ toolbar }<p class="empty">{ t(lang, "sbs.none") }</p></div> };
    }
    let template: AttrValue = format!(
        "grid-template-columns: 7.5em repeat({}, minmax(0, 1fr))",
        cols.len()
    )
    .into();
    let range = page_range(page, all_rows.len(), ROWS_PER_PAGE);
    let drawn_range = range.start..range.start + drawn_rows;
    let pager = |id: &'static str, live: bool| {
        if all_rows.len() <= ROWS_PER_PAGE {
            return html! {};
        }
        let dispatch = state.dispatcher();
        let on_page = Callback::from(move |p| dispatch.dispatch(Action::SetRowsPage(p)));
        html! {
            <Pager id={id} label={t(lang, "pager.rows_label")} lang={lang} {live}
                text={range_text(t(lang, "pager.rows"), &range, all_rows.len())}
                page={page} pages={page_count(all_rows.len(), ROWS_PER_PAGE)} {on_page} />
        }
    };
    // Evidence of the selected finding, to highlight.
    let evidence: Vec<(usize, u32)> = state
        .selected_finding
        .and_then(|f| a.findings.get(f))
        .map(|f| {
            f.evidence
                .iter()
                .filter_map(|e| e.input_index.map(|i| (i, e.line)))
                .collect()
        })
        .unwrap_or_default();
    let detail = line_detail(state, &a);
    html! {
        <div class="sbs-wrap">
            { toolbar }
            { pager("rows-pager-top", true) }
            <div class="sbs" id="sbs" role="grid" aria-rowcount={(all_rows.len() + 1).to_string()} ref={grid_ref}>
                <div class="sbs-row head" role="row" aria-rowindex="1" style={template.clone()}>
                    <div role="columnheader" class="time">{ t(lang, "sbs.time") }</div>
                    { for cols.iter().map(|&c| {
                        let i = &a.inputs[c];
                        html! {
                            <div role="columnheader" class="colhead" data-role={i.role.clone()}>
                                <span class={classes!("role", format!("role-{}", i.role))}>{ t(lang, role_key(&i.role)) }</span>
                                <span class="name" title={i.name.clone()}>{ i.name.clone() }</span>
                                if let Some(h) = &i.host { <span class="host">{ h.clone() }</span> }
                            </div>
                        }
                    }) }
                </div>
                if all_rows.is_empty() {
                    <p class="empty">{ t(lang, "sbs.no_match") }</p>
                }
                { for drawn_range.map(|index| {
                    let events = all_rows[index].cells.iter().flatten().map(|&ei| (ei, &a.events[ei]));
                    let mut highlighted = Vec::new();
                    let mut selected = None;
                    for (ei, e) in events {
                        if evidence.contains(&(e.input, e.line)) {
                            highlighted.push(ei);
                        }
                        if state.selected_line == Some((e.input, e.line)) {
                            selected = Some(ei);
                        }
                    }
                    html! {
                        <SbsRow key={index} analysis={a.clone()} rows={all_rows.clone()} {index} template={template.clone()}
                            {lang} {highlighted} {selected} dispatch={state.dispatcher()} />
                    }
                }) }
            </div>
            { pager("rows-pager-bottom", false) }
            { detail }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SbsRowProps {
    analysis: Rc<AnalysisView>,
    rows: Rc<Vec<Row>>,
    index: usize,
    template: AttrValue,
    lang: Lang,
    /// Events of this row that are evidence of the selected finding.
    highlighted: Vec<usize>,
    /// The event of this row on the selected line.
    selected: Option<usize>,
    dispatch: UseReducerDispatcher<State>,
}

/// One row of the side-by-side view. A component of its own so that a click re-renders only the
/// rows it changes.
#[function_component(SbsRow)]
fn sbs_row(props: &SbsRowProps) -> Html {
    let (a, lang) = (&props.analysis, props.lang);
    let Some(row) = props.rows.get(props.index) else {
        return html! {};
    };
    let paired = row.cells.iter().filter(|c| !c.is_empty()).count() > 1;
    let conn = row.connection.and_then(|c| a.connections.get(c));
    html! {
        <div class={classes!("sbs-row", paired.then_some("paired"), row.connection.is_none().then_some("unmatched"))} role="row"
            aria-rowindex={(props.index + 2).to_string()} style={props.template.clone()}
            data-connection={row.connection.map(|c| c.to_string()).unwrap_or_default()}>
            <div class="time" role="rowheader">
                <span class="mono">{ clock(row.time_ms) }</span>
                if let Some(c) = conn {
                    <span class={classes!("badge", format!("out-{}", c.outcome))}>{ format!("#{} {}", c.id, t(lang, outcome_key(&c.outcome))) }</span>
                    if let Some(m) = &c.method { <span class="badge method">{ m.clone() }</span> }
                } else {
                    <span class="badge muted">{ t(lang, "sbs.unmatched") }</span>
                }
            </div>
            { for row.cells.iter().map(|cell| html! {
                <div class="cell" role="gridcell">
                    { for cell.iter().map(|&ei| {
                        let e = &a.events[ei];
                        let hl = props.highlighted.contains(&ei);
                        let sel = props.selected == Some(ei);
                        let onclick = {
                            let dispatch = props.dispatch.clone();
                            let (inp, line) = (e.input, e.line);
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectLine(inp, line)))
                        };
                        html! {
                            <button class={classes!("ev", format!("k-{}", e.kind), hl.then_some("hl"), sel.then_some("sel"))}
                                data-input={e.input.to_string()} data-line={e.line.to_string()} data-kind={e.kind.clone()}
                                aria-pressed={sel.to_string()} {onclick}>
                                <span class="evhead"><span class="t mono">{ clock(e.aligned_ms) }</span><span class="label">{ tx(&e.label, lang) }</span><span class="ln mono">{ format!("{} {}", t(lang, "sbs.line"), e.line) }</span></span>
                                <span class="raw mono">{ e.text.clone() }</span>
                            </button>
                        }
                    }) }
                </div>
            }) }
        </div>
    }
}

/// What the clicked line belongs to: findings and connection.
fn line_detail(state: &UseReducerHandle<State>, a: &AnalysisView) -> Html {
    let lang = state.lang;
    let Some((input, line)) = state.selected_line else {
        return html! {};
    };
    let findings = state.findings_at(input, line);
    let event = a.events.iter().find(|e| e.input == input && e.line == line);
    let conn = event
        .and_then(|e| e.connection)
        .and_then(|c| a.connections.get(c));
    let name = a
        .inputs
        .get(input)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    html! {
        <aside class="line-detail" id="line-detail" aria-live="polite" aria-label={t(lang, "sbs.selected")}>
            <div><strong>{ t(lang, "sbs.selected") }</strong>{ " " }<span class="mono">{ format!("{name}:{line}") }</span></div>
            if findings.is_empty() {
                <div class="muted">{ t(lang, "sbs.belongs_none") }</div>
            }
            { for findings.iter().map(|&fi| {
                let f = &a.findings[fi];
                // The findings list brings the card into view, on its page.
                let onclick = { let state = state.clone(); Callback::from(move |_: MouseEvent| state.dispatch(Action::SelectFinding(fi))) };
                html! { <div>{ t(lang, "sbs.belongs_finding") }{ ": " }
                    <button class="link" {onclick}>{ icons::severity(&f.severity) }{ tx(&f.title, lang) }</button>{ " " }<code class="rule">{ f.rule.clone() }</code></div> }
            }) }
            if let Some(c) = conn {
                <div>{ t(lang, "sbs.belongs_connection") }{ ": " }<span class="mono">{ format!("#{} {} → {} · {} · {}", c.id, c.client.clone().unwrap_or_default(), c.server.clone().unwrap_or_default(), c.paired_by, c.outcome) }</span></div>
            }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
pub struct RawProps {
    pub state: UseReducerHandle<State>,
    pub ctx: Ctx,
}

/// Row height of the raw view in pixels (must match `.raw-row` in the CSS).
pub const ROW_PX: f64 = 18.0;
/// Lines fetched from the worker per request.
pub const BLOCK: u32 = 256;

/// The raw log of one input, virtualised: only the rows in view (plus a margin) are in the DOM;
/// their text is fetched from the worker in blocks of [`BLOCK`] lines.
#[function_component(RawView)]
pub fn raw_view(props: &RawProps) -> Html {
    let state = &props.state;
    let ctx = &props.ctx;
    let lang = state.lang;
    let scroller = use_node_ref();
    let scroll_top = use_state(|| 0.0f64);
    let height = use_state(|| 600.0f64);
    let Some(a) = state.analysis.clone() else {
        return html! {};
    };
    let input = state.raw_input.min(a.inputs.len().saturating_sub(1));
    let total = a.inputs.get(input).map(|i| i.stored_lines).unwrap_or(0);

    // Jump to a line when asked (evidence link, go-to box).
    {
        let scroller = scroller.clone();
        let goto = state.raw_goto;
        let scroll_top = scroll_top.clone();
        use_effect_with((goto, input), move |(goto, _)| {
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
    // Request the blocks in view that are not cached yet (each once: an empty entry marks it as asked).
    {
        let missing: Vec<u32> = {
            let cache = ctx.lines.borrow();
            (first / BLOCK..last.div_ceil(BLOCK))
                .map(|b| b * BLOCK)
                .filter(|b| !cache.contains_key(&(input, *b)))
                .collect()
        };
        for b in missing {
            ctx.lines.borrow_mut().insert((input, b), Vec::new());
            ctx.bridge.send(
                crate::transfer::ToWorker::Lines {
                    input,
                    start: b,
                    count: BLOCK,
                },
                Vec::new(),
            );
        }
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
        let state = state.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = s.value().parse() {
                state.dispatch(Action::SetRawInput(i));
            }
        })
    };
    let on_goto = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                let i: HtmlInputElement = e.target_unchecked_into();
                if let Ok(line) = i.value().trim().parse::<u32>() {
                    state.dispatch(Action::ShowEvidence(input, line.max(1)));
                }
            }
        })
    };
    let cache = ctx.lines.borrow();
    let info = a.inputs.get(input);
    let body = if info.is_some_and(|i| i.stored_lines == 0 && i.counts.lines > 0) {
        html! { <p class="empty">{ t(lang, "raw.not_kept") }</p> }
    } else if total == 0 {
        html! { <p class="empty">{ t(lang, "raw.empty") }</p> }
    } else {
        let not_understood: std::collections::HashSet<u32> = info
            .map(|i| i.not_understood_lines.iter().copied().collect())
            .unwrap_or_default();
        html! {
            <div class="raw-scroll" id="raw-scroll" ref={scroller.clone()} {onscroll} tabindex="0" role="log" aria-label={t(lang, "nav.raw")}>
                <div class="raw-spacer" style={format!("height:{}px", total as f64 * ROW_PX)}>
                    <div class="raw-rows" style={format!("transform:translateY({}px)", first as f64 * ROW_PX)}>
                        { for (first..last).map(|i| {
                            let block = i / BLOCK * BLOCK;
                            let text = cache.get(&(input, block)).and_then(|b| b.get((i - block) as usize)).cloned();
                            let n = i + 1;
                            let hl = state.is_highlighted(input, n);
                            let sel = state.selected_line == Some((input, n));
                            let onclick = { let state = state.clone(); Callback::from(move |_: MouseEvent| state.dispatch(Action::SelectLine(input, n))) };
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
    html! {
        <div class="raw-wrap">
            <div class="raw-toolbar">
                <label>{ t(lang, "raw.input") }{ " " }
                    <select id="raw-input" onchange={on_input}>
                        { for a.inputs.iter().enumerate().map(|(i, inp)| html! {
                            <option value={i.to_string()} selected={i == input}>{ format!("{} ({})", inp.name, t(lang, role_key(&inp.role))) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t(lang, "raw.goto") }{ " " }<input id="raw-goto" type="number" min="1" max={total.to_string()} onkeydown={on_goto} /></label>
                <span class="muted">{ format!("{} {}", total, t(lang, "inputs.lines")) }</span>
            </div>
            { body }
        </div>
    }
}

#[function_component(Checklist)]
pub fn checklist(props: &StateProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let Some(a) = state.analysis.clone() else {
        return html! {};
    };
    if a.checklist.is_empty() {
        return html! { <p class="empty">{ t(lang, "check.none") }</p> };
    }
    let state_key = |s: &str| match s {
        "passed" => "state.passed",
        "failed" => "state.failed",
        "inconclusive" => "state.inconclusive",
        _ => "state.missing",
    };
    html! {
        <>
        <p class="muted" id="checklist-note">{ loupe_core::securex::checklist::note(lang) }</p>
        <table class="table checklist" id="checklist">
            <thead><tr><th>{ t(lang, "check.item") }</th><th>{ t(lang, "check.step") }</th><th>{ t(lang, "check.state") }</th><th>{ t(lang, "check.command") }</th></tr></thead>
            <tbody>{ for a.checklist.iter().map(|c| html! {
                <tr data-check={c.id.clone()} data-state={c.state.clone()}>
                    <td>{ tx(&c.title, lang) }</td>
                    <td><code>{ c.step.clone() }</code></td>
                    <td><span class={classes!("badge", format!("st-{}", c.state))}>{ t(lang, state_key(&c.state)) }</span></td>
                    <td><code class="cmd">{ c.command.clone() }</code></td>
                </tr>
            }) }</tbody>
        </table>
        </>
    }
}

#[function_component(InputsView)]
pub fn inputs_view(props: &StateProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let Some(a) = state.analysis.clone() else {
        return html! {};
    };
    html! {
        <div class="inputs">
            <p class="muted">{ t(lang, "inputs.role_hint") }</p>
            <table class="table" id="inputs-table">
                <thead><tr>
                    <th>{ t(lang, "inputs.name") }</th><th>{ t(lang, "inputs.kind") }</th><th>{ t(lang, "inputs.role") }</th>
                    <th>{ t(lang, "inputs.host") }</th><th class="num">{ t(lang, "inputs.size") }</th><th class="num">{ t(lang, "inputs.lines") }</th>
                    <th class="num">{ t(lang, "inputs.recognised") }</th><th class="num">{ t(lang, "inputs.continuation") }</th>
                    <th class="num">{ t(lang, "inputs.blank") }</th><th class="num">{ t(lang, "inputs.not_understood") }</th>
                </tr></thead>
                <tbody>{ for a.inputs.iter().enumerate().map(|(i, inp)| {
                    let onchange = { let state = state.clone(); let name = inp.name.clone(); Callback::from(move |e: Event| {
                        let s: HtmlSelectElement = e.target_unchecked_into();
                        state.dispatch(Action::SetRole(name.clone(), s.value()));
                    }) };
                    let show_nu = { let state = state.clone(); let first = inp.not_understood_lines.first().copied(); Callback::from(move |_: MouseEvent| {
                        if let Some(l) = first { state.dispatch(Action::ShowEvidence(i, l)); }
                    }) };
                    html! {
                        <tr data-input={inp.name.clone()}>
                            <td class="mono name">{ inp.name.clone() }</td>
                            <td>{ tx(&inp.kind_label, lang) }</td>
                            <td><select class="role-select" aria-label={format!("{} {}", t(lang, "inputs.role"), inp.name)} {onchange}>
                                { for ["hub", "spoke", "device", "unknown"].iter().map(|r| html! {
                                    <option value={*r} selected={inp.role == *r}>{ t(lang, role_key(r)) }</option>
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
                    <thead><tr><th>{ t(lang, "clusters.id") }</th><th>{ t(lang, "clusters.name") }</th><th>{ t(lang, "clusters.role") }</th><th>{ t(lang, "clusters.last") }</th><th>{ t(lang, "clusters.sync") }</th><th>{ t(lang, "clusters.version") }</th></tr></thead>
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

#[allow(dead_code)]
fn focus(el: &web_sys::Element) {
    if let Some(h) = el.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}
