//! The finding cards, [`FINDINGS_PER_PAGE`] at a time; beyond one page, a per-rule summary that
//! filters them, and a pager.

use crate::k;
use std::rc::Rc;

use loupe_core::{Bilingual, Lang, Severity};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::pager::Pager;
use super::{outcome_key, range_text, scroll_into_view, use_drawn_in_steps, use_view_ctx};
use crate::i18n::{role_key, sev_key, t};
use crate::state::{
    listed_findings_in, page_count, page_range, rule_counts, thousands, Action, FindingsSlice,
    RuleCount, State, FINDINGS_PER_PAGE,
};
use crate::transfer::AnalysisView;
use crate::ui::icons;

/// Cards drawn with the rest of the page in the result's first render (a card of a finding that
/// stands for many attempts is about 70 elements; a screen shows three or four) ...
const CARDS_FIRST: usize = 4;
/// ... and then in each task after, until the page's cards are all drawn.
const CARDS_PER_TASK: usize = 10;

#[derive(Properties, PartialEq)]
pub struct FindingListProps {
    pub slice: FindingsSlice,
}

/// "820 × ils.joined.password": each rule's count, a button that lists only that rule.
fn rule_summary(
    lang: Lang,
    dispatch: &UseReducerDispatcher<State>,
    active: Option<&str>,
    counts: &[RuleCount],
) -> Html {
    let set = |rule: Option<String>| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetRuleFilter(rule.clone())))
    };
    html! {
        <div class="rule-summary" id="rule-summary" role="group" aria-label={t(lang, k!("rules.title"))}>
            { for counts.iter().map(|c| {
                let on = active == Some(c.rule.as_str());
                html! {
                    <button class={classes!("rule-chip", format!("sev-{}", c.severity.as_str()))} data-rule={c.rule.clone()}
                        aria-pressed={on.to_string()} title={t(lang, k!("rules.only"))}
                        onclick={set((!on).then(|| c.rule.clone()))}>
                        <span class="sev">{ icons::severity(c.severity.as_str()) }<span class="visually-hidden">{ t(lang, sev_key(c.severity)) }</span></span>
                        <span class="n">{ thousands(c.count) }</span>{ " × " }<code>{ c.rule.clone() }</code>
                    </button>
                }
            }) }
            if active.is_some() {
                <button class="link" id="rule-filter-clear" onclick={set(None)}>{ t(lang, k!("rules.clear")) }</button>
            }
        </div>
    }
}

/// The finding cards of the page shown, with the summary and the pager when there are more.
#[function_component(FindingList)]
pub fn finding_list(props: &FindingListProps) -> Html {
    let ctx = use_view_ctx();
    let (a, lang, slice) = (ctx.analysis.clone(), ctx.lang, &props.slice);
    let counts = {
        let a = a.clone();
        use_memo(Rc::as_ptr(&a) as usize, move |_| rule_counts(&a))
    };
    let listed = {
        let a = a.clone();
        use_memo(
            (
                Rc::as_ptr(&a) as usize,
                slice.rule_filter.clone(),
                slice.pair.clone(),
            ),
            move |(_, rule, pair)| listed_findings_in(&a, rule.as_deref(), pair.as_ref()),
        )
    };
    let page = slice.page_shown(listed.len());
    let cards_ref = use_node_ref();
    // Another page (or rule) starts at its top.
    {
        let cards_ref = cards_ref.clone();
        use_effect_with((page, slice.rule_filter.clone()), move |_| {
            if let Some(el) = cards_ref.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
        });
    }
    let range = page_range(page, listed.len(), FINDINGS_PER_PAGE);
    // A page's cards are drawn a few at a time, one task after the other.
    let drawn = use_drawn_in_steps(
        (
            Rc::as_ptr(&a) as usize,
            slice.rule_filter.clone(),
            slice.pair.clone(),
            page,
        ),
        range.len(),
        CARDS_FIRST,
        CARDS_PER_TASK,
    );
    // A finding selected from elsewhere (a line's details) is brought into view on its page, once
    // its card is drawn; a card already in view (partly at least) stays where it is.
    {
        let cards_ref = cards_ref.clone();
        let scrolled_for = use_mut_ref(|| None::<(u32, Option<usize>)>);
        let request = (slice.generation, slice.selected);
        use_effect_with((request, drawn), move |(request, _)| {
            if *scrolled_for.borrow() == Some(*request) {
                return;
            }
            let (Some(i), Some(list)) = (request.1, cards_ref.cast::<web_sys::Element>()) else {
                return;
            };
            if let Ok(Some(card)) = list.query_selector(&format!("#finding-{i}")) {
                *scrolled_for.borrow_mut() = Some(*request);
                let (c, l) = (
                    card.get_bounding_client_rect(),
                    list.get_bounding_client_rect(),
                );
                if c.bottom() <= l.top() || c.top() >= l.bottom() {
                    scroll_into_view(&card, web_sys::ScrollLogicalPosition::Start);
                }
            }
        });
    }
    if a.findings.is_empty() {
        return html! { <p class="empty">{ t(lang, k!("findings.none")) }</p> };
    }
    let paged = a.findings.len() > FINDINGS_PER_PAGE;
    let on_page = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |p| dispatch.dispatch(Action::SetFindingsPage(p)))
    };
    // A keyed list of their own (collected into one node): beside the diagnostics, Yew would diff
    // the cards unkeyed, from the end, and each step would re-render every card drawn before.
    let cards: Html = listed[range.start..range.start + drawn]
        .iter()
        .map(|&i| {
            html! {
                <FindingCard key={i} analysis={a.clone()} index={i} selected={slice.selected == Some(i)}
                    lang={lang} dispatch={ctx.dispatch.clone()} />
            }
        })
        .collect();
    html! {
        <>
            if paged {
                { rule_summary(lang, &ctx.dispatch, slice.rule_filter.as_deref(), &counts) }
                <Pager id="findings-pager" label={t(lang, k!("pager.findings_label"))} lang={lang}
                    text={range_text(t(lang, k!("pager.findings")), &range, listed.len())}
                    page={page} pages={page_count(listed.len(), FINDINGS_PER_PAGE)} {on_page} />
            }
            <div class="cards" role="list" ref={cards_ref}>
                { cards }
                if !a.diagnostics.is_empty() {
                    <section class="diagnostics" aria-label={t(lang, k!("diag.title"))}>
                        <h3>{ t(lang, k!("diag.title")) }</h3>
                        <ul>{ for a.diagnostics.iter().map(|d| html! {
                            <li><span class="mono">{ if d.line > 0 { format!("{}:{}", d.input, d.line) } else { d.input.clone() } }</span>{ " " }{ d.message.get(lang) }</li>
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
    let list = |key: crate::i18n::Key, items: &[Bilingual], ordered: bool| {
        if items.is_empty() {
            return html! {};
        }
        let lis = items.iter().map(|s| html! { <li>{ s.get(lang) }</li> });
        html! {
            <div class={classes!("block", key.name().replace('.', "-"))}>
                <h4>{ t(lang, key) }</h4>
                if ordered { <ol>{ for lis }</ol> } else { <ul>{ for lis }</ul> }
            </div>
        }
    };
    // Evidence lines as buttons that show the line in the side-by-side view.
    let evidence_list = |evs: &[loupe_core::Evidence]| {
        html! {
            <ul>{ for evs.iter().map(|e| {
                let input_index = a.input_index(&e.input);
                let onclick = {
                    let dispatch = props.dispatch.clone();
                    let target = input_index.map(|ii| (ii, e.line));
                    Callback::from(move |_: MouseEvent| {
                        dispatch.dispatch(Action::SelectFinding(i));
                        if let Some((ii, line)) = target { dispatch.dispatch(Action::ShowEvidence(ii, line)); }
                    })
                };
                html! {
                    <li><button class="ev-link" {onclick} title={t(lang, k!("findings.show"))}
                        data-input={input_index.map(|ii| ii.to_string())} data-line={e.line.to_string()}>
                        <span class={classes!("role", format!("role-{}", e.role.as_str()))}>{ t(lang, role_key(e.role)) }</span>
                        <span class="loc">{ format!("{}:{}", e.input, e.line) }</span>
                        <span class="text">{ e.text.clone() }</span>
                    </button></li>
                }
            }) }</ul>
        }
    };
    let e = &f.explanation;
    let conn = f.connection.and_then(|c| a.connections.get(c));
    let open = matches!(f.severity, Severity::Error | Severity::Warning) || selected;
    let sev = f.severity.as_str();
    html! {
        <div class={classes!("card", format!("sev-{sev}"), selected.then_some("selected"))}
            role="listitem" aria-labelledby={format!("finding-{i}-title")} data-rule={f.rule.clone()} data-severity={sev} id={format!("finding-{i}")}>
            <header>
                <span class="sev" title={t(lang, sev_key(f.severity))}>{ icons::severity(sev) }<span class="visually-hidden">{ t(lang, sev_key(f.severity)) }</span></span>
                <h3 class="title-h"><button class="title" id={format!("finding-{i}-title")} onclick={select.clone()} aria-pressed={selected.to_string()}>{ f.title.get(lang) }</button></h3>
                <code class="rule" title={t(lang, k!("report.rule"))}>{ f.rule.clone() }</code>
            </header>
            if !e.what.en.is_empty() {
                <p class="what">{ e.what.get(lang) }</p>
            }
            if selected {
                if let Some(c) = f.connection {
                    <super::Ladder analysis={a.clone()} connection={c} finding={Some(i)} lang={lang} dispatch={props.dispatch.clone()} />
                }
            }
            if let Some(c) = conn {
                <p class="conn-line">
                    <span class={classes!("badge", format!("out-{}", c.outcome))}>{ format!("#{} {}", c.id, t(lang, outcome_key(&c.outcome))) }</span>
                    { " " }<span class="mono">{ format!("{} → {}", c.client.clone().unwrap_or_else(|| "?".into()), c.server.clone().unwrap_or_else(|| "?".into())) }</span>
                </p>
            }
            <details open={open}>
                <summary>{ t(lang, k!("findings.why")) }{ " · " }{ t(lang, k!("findings.fix")) }</summary>
                if !e.why.en.is_empty() {
                    <div class="block"><h4>{ t(lang, k!("findings.why")) }</h4><p>{ e.why.get(lang) }</p></div>
                }
                { list(k!("findings.fix"), &e.fix, true) }
                { list(k!("findings.verify"), &e.verify, false) }
                { list(k!("findings.collect"), &e.collect, false) }
                if !f.codes.is_empty() {
                    <div class="block"><h4>{ t(lang, k!("findings.codes")) }</h4>
                        <dl class="codes">{ for f.codes.iter().map(|c| html! {
                            <>
                                <dt><code>{ format!("{} {}", c.kind, c.code) }</code>{ " " }<code class="name">{ c.name.clone() }</code></dt>
                                <dd>{ c.meaning.get(lang) }</dd>
                            </>
                        }) }</dl>
                    </div>
                }
            </details>
            if !f.evidence.is_empty() {
                <div class="evidence">
                    <h4>{ t(lang, k!("findings.evidence")) }</h4>
                    { evidence_list(&f.evidence) }
                </div>
            }
            if !f.attempts.is_empty() {
                <details class="attempts">
                    <summary>{ attempts_summary(f, lang) }</summary>
                    <ol>{ for f.attempts.iter().take(ATTEMPTS_DRAWN).map(|t| html! {
                        <li data-connection={t.connection.to_string()}><details>
                            <summary>{ format!("{}  #{}", loupe_core::clock_text(t.start_ms), t.connection) }</summary>
                            { evidence_list(&t.evidence) }
                        </details></li>
                    }) }</ol>
                    if f.attempts.len() > ATTEMPTS_DRAWN {
                        <p class="muted">{ t(lang, k!("findings.attempts_more")).replace("{n}", &(f.attempts.len() - ATTEMPTS_DRAWN).to_string()) }</p>
                    }
                </details>
            }
        </div>
    }
}

/// How many attempts of one finding the page draws (the exports list them all).
const ATTEMPTS_DRAWN: usize = 50;

fn attempts_summary(f: &loupe_core::Finding, lang: loupe_core::Lang) -> String {
    let first = f
        .attempts
        .first()
        .map(|t| loupe_core::clock_text(t.start_ms))
        .unwrap_or_default();
    let last = f
        .attempts
        .last()
        .map(|t| loupe_core::clock_text(t.start_ms))
        .unwrap_or_default();
    t(lang, k!("findings.attempts"))
        .replace("{n}", &f.attempts.len().to_string())
        .replace("{first}", &first)
        .replace("{last}", &last)
}
