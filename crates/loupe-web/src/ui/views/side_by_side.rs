//! The timeline, hub and spoke side by side, [`ROWS_PER_PAGE`] rows at a time, and the details
//! of the selected line; with "Every line", the lines of both sides around one attempt
//! ([`super::every_line`]).

use crate::k;
use std::rc::Rc;

use loupe_core::Lang;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::every_line::EveryLine;
use super::pager::Pager;
use super::raw::Lines;
use super::{outcome_key, range_text, scroll_to, use_drawn_in_steps, use_view_ctx};
use crate::export::clock;
use crate::i18n::{role_key, t};
use crate::state::{
    columns, default_lines_scope, evidence_of, findings_at, offset_text, page_count, page_range,
    rows, rows_of_pair, Action, Column, Filter, Row, RowsSlice, State, ROWS_PER_PAGE,
};
use crate::transfer::AnalysisView;
use crate::ui::icons;

#[derive(Properties, PartialEq)]
pub struct SideBySideProps {
    pub slice: RowsSlice,
    /// The page's line cache, for "Every line".
    pub lines: Lines,
}

/// Rows of a side-by-side page drawn in its first render (the task after the result's first
/// render) ...
const ROWS_FIRST: usize = 10;
/// ... and then in each task after, until the page's rows are all drawn.
const ROWS_PER_TASK: usize = 25;

/// The timeline, drawn in the task after the result's first render: its rows are computed over
/// every event (about 30 ms for 100,000 attempts, before their DOM), and the first render already
/// draws the findings and the map (with the rows, a 153 ms task).
#[function_component(SideBySide)]
pub fn side_by_side(props: &SideBySideProps) -> Html {
    let ctx = use_view_ctx();
    // The timeline as one item drawn in steps: none with the result, itself in the next task.
    let drawn = use_drawn_in_steps(Rc::as_ptr(&ctx.analysis) as usize, 1, 0, 1);
    if drawn == 0 {
        return html! {
            <div class="sbs-wrap" aria-busy="true">
                <p class="empty" id="sbs-preparing">{ t(ctx.lang, k!("sbs.preparing")) }</p>
            </div>
        };
    }
    html! { <Timeline slice={props.slice.clone()} lines={props.lines.clone()} /> }
}

/// The timeline, hub and spoke side by side, [`ROWS_PER_PAGE`] rows at a time. The rows are
/// computed once per result, filter and search.
#[function_component(Timeline)]
fn timeline(props: &SideBySideProps) -> Html {
    let ctx = use_view_ctx();
    let (a, lang, slice) = (ctx.analysis.clone(), ctx.lang, &props.slice);
    let analysis_key = Rc::as_ptr(&a) as usize;
    let cols = {
        let a = a.clone();
        use_memo(analysis_key, move |_| columns(&a))
    };
    let all_rows = {
        let a = a.clone();
        use_memo(
            (
                analysis_key,
                slice.filter,
                slice.search.clone(),
                slice.pair.clone(),
            ),
            move |(_, filter, search, pair)| rows_of_pair(rows(&a, *filter, search), pair.as_ref()),
        )
    };
    let page = slice.page_shown(&a, &all_rows);
    let page_len = page_range(page, all_rows.len(), ROWS_PER_PAGE).len();
    // A page is drawn a few rows at a time, one task after the other, so that no task is long.
    let page_key = (
        analysis_key,
        slice.filter,
        slice.search.clone(),
        slice.pair.clone(),
        page,
    );
    let drawn_rows = use_drawn_in_steps(page_key, page_len, ROWS_FIRST, ROWS_PER_TASK);
    // A filter chosen with the arrow keys keeps the focus on its radio: switching to or from
    // "Every line" re-renders the toolbar's group, and the focus fell to the page's body.
    {
        let previous = use_mut_ref(|| slice.filter);
        use_effect_with(slice.filter, move |filter| {
            let changed = *previous.borrow() != *filter;
            *previous.borrow_mut() = *filter;
            let doc = gloo::utils::document();
            let lost = doc
                .active_element()
                .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body"));
            if changed && lost {
                if let Ok(Some(radio)) = doc.query_selector("input[name=filter]:checked") {
                    if let Ok(radio) = radio.dyn_into::<HtmlElement>() {
                        let _ = radio.focus();
                    }
                }
            }
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
    let request = (slice.generation, slice.selected_line);
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
    let set_filter = |f: Filter| {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: Event| dispatch.dispatch(Action::SetFilter(f)))
    };
    let on_search = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetSearch(i.value()));
        })
    };
    let offset = match a.clock_offset_ms {
        Some(ms) => {
            html! { <span class="offset" id="clock-offset"><strong>{ t(lang, k!("sbs.offset")) }{ ": " }{ offset_text(ms) }</strong>{ " — " }{ t(lang, k!("sbs.offset_applied")) }</span> }
        }
        None => {
            html! { <span class="offset muted" id="clock-offset">{ t(lang, k!("sbs.offset_none")) }</span> }
        }
    };
    let toolbar = html! {
        <div class="sbs-toolbar">
            <fieldset class="seg" role="radiogroup" aria-label={t(lang, k!("sbs.filter"))}>
                <label><input type="radio" name="filter" id="filter-events" checked={slice.filter == Filter::Diagnostic} onchange={set_filter(Filter::Diagnostic)} />{ t(lang, k!("sbs.events")) }</label>
                <label><input type="radio" name="filter" id="filter-all" checked={slice.filter == Filter::All} onchange={set_filter(Filter::All)} />{ t(lang, k!("sbs.all_events")) }</label>
                <label><input type="radio" name="filter" id="filter-lines" checked={slice.filter == Filter::Lines} onchange={set_filter(Filter::Lines)} />{ t(lang, k!("sbs.lines")) }</label>
            </fieldset>
            if slice.filter != Filter::Lines {
                <input type="search" id="search" class="search" value={slice.search.clone()} oninput={on_search}
                    placeholder={t(lang, k!("sbs.search_placeholder"))} aria-label={t(lang, k!("sbs.search"))} />
            }
            { offset }
        </div>
    };
    if slice.filter == Filter::Lines {
        let scope = slice.lines_scope.unwrap_or_else(|| {
            default_lines_scope(&a, slice.selected_finding, slice.selected_line)
        });
        let detail = line_detail(lang, &ctx.dispatch, &a, slice.selected_line);
        return html! {
            <div class="sbs-wrap">
                { toolbar }
                <EveryLine {scope} page={slice.lines_page} selected_line={slice.selected_line}
                    selected_finding={slice.selected_finding} lines={props.lines.clone()} />
                { detail }
            </div>
        };
    }
    if cols.is_empty() {
        return html! { <div class="sbs-wrap">{ toolbar }<p class="empty">{ t(lang, k!("sbs.none")) }</p></div> };
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
        let dispatch = ctx.dispatch.clone();
        let on_page = Callback::from(move |p| dispatch.dispatch(Action::SetRowsPage(p)));
        html! {
            <Pager id={id} label={t(lang, k!("pager.rows_label"))} lang={lang} {live}
                text={range_text(t(lang, k!("pager.rows")), &range, all_rows.len())}
                page={page} pages={page_count(all_rows.len(), ROWS_PER_PAGE)} {on_page} />
        }
    };
    // Evidence of the selected finding, to highlight.
    let evidence = evidence_of(&a, slice.selected_finding);
    let detail = line_detail(lang, &ctx.dispatch, &a, slice.selected_line);
    // The ladder of the selected line's attempt, unless the selected finding's card shows it.
    let line_conn = slice.selected_line.and_then(|(input, line)| {
        a.events
            .iter()
            .find(|e| e.input == input && e.line == line)
            .and_then(|e| e.connection)
    });
    let finding_conn = slice
        .selected_finding
        .and_then(|f| a.findings.get(f))
        .and_then(|f| f.connection);
    let ladder = match line_conn {
        Some(c) if Some(c) != finding_conn => html! {
            <super::Ladder analysis={a.clone()} connection={c} finding={None::<usize>} lang={lang} dispatch={ctx.dispatch.clone()} />
        },
        _ => html! {},
    };
    // The drawn rows are a keyed list of their own (collected into one node): among the grid's
    // other children (the head row), Yew would diff them unkeyed, from the end, so that each new
    // step re-rendered every row drawn before it as another row.
    let drawn: Html = drawn_range
        .map(|index| {
            let events = all_rows[index].cells.iter().flatten().map(|&ei| (ei, &a.events[ei]));
            let mut highlighted = Vec::new();
            let mut selected = None;
            for (ei, e) in events {
                if evidence.contains(&(e.input, e.line)) {
                    highlighted.push(ei);
                }
                if slice.selected_line == Some((e.input, e.line)) {
                    selected = Some(ei);
                }
            }
            html! {
                <SbsRow key={index} analysis={a.clone()} rows={all_rows.clone()} cols={cols.clone()} {index} template={template.clone()}
                    {lang} {highlighted} {selected} dispatch={ctx.dispatch.clone()} />
            }
        })
        .collect();
    html! {
        <div class="sbs-wrap">
            { toolbar }
            { ladder }
            { pager("rows-pager-top", true) }
            <div class="sbs" id="sbs" role="grid" aria-rowcount={(all_rows.len() + 1).to_string()} ref={grid_ref}>
                <div class="sbs-row head" role="row" aria-rowindex="1" style={template.clone()}>
                    <div role="columnheader" class="time">{ t(lang, k!("sbs.time")) }</div>
                    { for cols.iter().map(|c| {
                        let i = &a.inputs[c.inputs[0]];
                        // A host's rolled files share its column: their count, each name in the title.
                        let (name, title) = match &c.inputs[..] {
                            [_] => (i.name.clone(), i.name.clone()),
                            all => (
                                format!("{} {}", all.len(), t(lang, k!("sbs.files"))),
                                all.iter().map(|&n| a.inputs[n].name.as_str()).collect::<Vec<_>>().join("\n"),
                            ),
                        };
                        html! {
                            <div role="columnheader" class="colhead" data-role={i.role.as_str()}>
                                <span class={classes!("role", format!("role-{}", i.role.as_str()))}>{ t(lang, role_key(i.role)) }</span>
                                <span class="name" {title}>{ name }</span>
                                if let Some(h) = &i.host { <span class="host">{ h.clone() }</span> }
                            </div>
                        }
                    }) }
                </div>
                if all_rows.is_empty() {
                    <p class="empty">{ t(lang, k!("sbs.no_match")) }</p>
                }
                { drawn }
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
    cols: Rc<Vec<Column>>,
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
    // The row's accessible name: its time and connection.
    let name = match conn {
        Some(c) => format!(
            "{} · {} #{} {}",
            clock(row.time_ms),
            t(lang, k!("sbs.belongs_connection")),
            c.id,
            t(lang, outcome_key(&c.outcome))
        ),
        None => format!("{} · {}", clock(row.time_ms), t(lang, k!("sbs.unmatched"))),
    };
    html! {
        <div class={classes!("sbs-row", paired.then_some("paired"), row.connection.is_none().then_some("unmatched"))} role="row"
            aria-label={name} aria-rowindex={(props.index + 2).to_string()} style={props.template.clone()}
            data-connection={row.connection.map(|c| c.to_string()).unwrap_or_default()}>
            <div class="time" role="rowheader">
                <span class="mono">{ clock(row.time_ms) }</span>
                if let Some(c) = conn {
                    <span class={classes!("badge", format!("out-{}", c.outcome))}>{ format!("#{} {}", c.id, t(lang, outcome_key(&c.outcome))) }</span>
                    if let Some(m) = &c.method { <span class="badge method">{ m.clone() }</span> }
                } else {
                    <span class="badge muted">{ t(lang, k!("sbs.unmatched")) }</span>
                }
            </div>
            { for row.cells.iter().enumerate().map(|(ci, cell)| html! {
                <div class="cell" role="gridcell">
                    { for cell.iter().map(|&ei| {
                        let e = &a.events[ei];
                        // In a column of several files, the line's file is named too.
                        let shared = props.cols.get(ci).is_some_and(|c| c.inputs.len() > 1);
                        let line = match a.inputs.get(e.input) {
                            Some(i) if shared => format!("{} · {} {}", i.name, t(lang, k!("sbs.line")), e.line),
                            _ => format!("{} {}", t(lang, k!("sbs.line")), e.line),
                        };
                        let hl = props.highlighted.contains(&ei);
                        let sel = props.selected == Some(ei);
                        let onclick = {
                            let dispatch = props.dispatch.clone();
                            let (inp, line) = (e.input, e.line);
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectLine(inp, line)))
                        };
                        html! {
                            <button class={classes!("ev", format!("k-{}", e.kind), hl.then_some("hl"), sel.then_some("sel"))}
                                data-input={e.input.to_string()} data-line={e.line.to_string()} data-kind={e.kind.to_string()}
                                aria-pressed={sel.to_string()} {onclick}>
                                <span class="evhead"><span class="t mono">{ clock(e.aligned_ms) }</span><span class="label">{ e.label.get(lang) }</span><span class="ln mono">{ line }</span></span>
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
fn line_detail(
    lang: Lang,
    dispatch: &UseReducerDispatcher<State>,
    a: &AnalysisView,
    selected_line: Option<(usize, u32)>,
) -> Html {
    let Some((input, line)) = selected_line else {
        return html! {};
    };
    let findings = findings_at(a, input, line);
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
        <aside class="line-detail" id="line-detail" aria-live="polite" aria-label={t(lang, k!("sbs.selected"))}>
            <div><strong>{ t(lang, k!("sbs.selected")) }</strong>{ " " }<span class="mono">{ format!("{name}:{line}") }</span></div>
            if findings.is_empty() {
                <div class="muted">{ t(lang, k!("sbs.belongs_none")) }</div>
            }
            { for findings.iter().map(|&fi| {
                let f = &a.findings[fi];
                // The findings list brings the card into view, on its page.
                let onclick = { let dispatch = dispatch.clone(); Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectFinding(fi))) };
                html! { <div>{ t(lang, k!("sbs.belongs_finding")) }{ ": " }
                    <button class="link" {onclick}>{ icons::severity(f.severity.as_str()) }{ f.title.get(lang) }</button>{ " " }<code class="rule">{ f.rule.clone() }</code></div> }
            }) }
            if let Some(c) = conn {
                <div>{ t(lang, k!("sbs.belongs_connection")) }{ ": " }<span class="mono">{ format!("#{} {} → {} · {} · {}", c.id, c.client.clone().unwrap_or_default(), c.server.clone().unwrap_or_default(), c.paired_by, c.outcome) }</span></div>
            }
        </aside>
    }
}
