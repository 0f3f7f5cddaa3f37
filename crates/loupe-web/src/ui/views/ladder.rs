//! The ladder diagram of one connection attempt as SVG elements: the geometry is
//! [`crate::ladder`]'s; each arrow is focusable and Enter (or a click) shows its log lines.

use crate::k;
use std::rc::Rc;

use loupe_core::Lang;
use yew::prelude::*;

use crate::export::clock;
use crate::i18n::t;
use crate::ladder::{self, height, x_of, y_of, HUB_X, SPOKE_X, TOP, WIDTH};
use crate::state::{Action, State};
use crate::transfer::AnalysisView;

#[derive(Properties, PartialEq)]
pub struct LadderProps {
    pub analysis: Rc<AnalysisView>,
    pub connection: usize,
    /// The finding the diagram is shown for, selected with the step's lines.
    pub finding: Option<usize>,
    pub lang: Lang,
    pub dispatch: UseReducerDispatcher<State>,
}

#[function_component(Ladder)]
pub fn ladder_view(props: &LadderProps) -> Html {
    let (a, conn, lang) = (&props.analysis, props.connection, props.lang);
    let steps = {
        let a = a.clone();
        use_memo((Rc::as_ptr(&a) as usize, conn), move |_| {
            ladder::steps(&a, conn)
        })
    };
    let active = use_state(|| None::<usize>);
    if steps.is_empty() {
        return html! {};
    }
    let failing = ladder::failing_step(&steps);
    let (spoke, hub) = ladder::lifeline_labels(a, conn, lang);
    let h = height(steps.len());
    let title = format!("{} #{conn}", t(lang, k!("ladder.title")));
    let show = |i: usize| {
        let (dispatch, active, a, finding) = (
            props.dispatch.clone(),
            active.clone(),
            a.clone(),
            props.finding,
        );
        // The failing event on a failing step (the line its finding cites), else the first.
        let first = steps[i]
            .key_event(&a)
            .and_then(|e| a.events.get(e))
            .map(|e| (e.input, e.line));
        move || {
            active.set(Some(i));
            if let Some(f) = finding {
                dispatch.dispatch(Action::SelectFinding(f));
            }
            if let Some((input, line)) = first {
                dispatch.dispatch(Action::ShowEvidence(input, line));
            }
        }
    };
    html! {
        <figure class="ladder-wrap">
            <figcaption>{ title.clone() }<span class="muted">{ " — " }{ t(lang, k!("ladder.hint")) }</span></figcaption>
            <svg class="ladder" data-ladder={conn.to_string()} viewBox={format!("0 0 {WIDTH} {h}")} width={WIDTH.to_string()}
                role="group" aria-label={title}>
                <text class="lifeline-label spoke" x={SPOKE_X.to_string()} y="20" text-anchor="middle">{ spoke }</text>
                <text class="lifeline-label hub" x={HUB_X.to_string()} y="20" text-anchor="middle">{ hub }</text>
                <line class="lifeline spoke" x1={SPOKE_X.to_string()} y1={(TOP - 18).to_string()} x2={SPOKE_X.to_string()} y2={h.to_string()} />
                <line class="lifeline hub" x1={HUB_X.to_string()} y1={(TOP - 18).to_string()} x2={HUB_X.to_string()} y2={h.to_string()} />
                { for steps.iter().enumerate().map(|(i, s)| {
                    let y = y_of(i);
                    let (x1, x2) = (x_of(s.from), x_of(s.to));
                    let text = ladder::arrow_text(a, s, lang);
                    let is_failing = failing == Some(i);
                    // The accessible name is the visible text (time, step, and the failing mark),
                    // so what a screen reader says is what is shown.
                    let text = if is_failing {
                        format!("{text} ({})", t(lang, k!("ladder.failing")))
                    } else {
                        text
                    };
                    let onclick = { let go = show(i); Callback::from(move |_: MouseEvent| go()) };
                    let onkeydown = { let go = show(i); Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " { e.prevent_default(); go(); }
                    }) };
                    let head = if x2 > x1 { x2 - 8 } else { x2 + 8 };
                    html! {
                        <g class={classes!("step", s.failing.then_some("failing"), (*active == Some(i)).then_some("active"))}
                            data-step={s.name} data-failing={is_failing.then_some("true")} tabindex="0" role="button"
                            {onclick} {onkeydown}>
                            <rect class="hit" x="0" y={(y - 22).to_string()} width={WIDTH.to_string()} height={ladder::ROW.to_string()} />
                            <text class="time" x="4" y={(y + 4).to_string()}>{ format!("{} ", clock(s.time_ms)) }</text>
                            if x1 == x2 {
                                <circle class="note" cx={x1.to_string()} cy={y.to_string()} r="6" />
                            } else {
                                <line class="arrow" x1={x1.to_string()} y1={y.to_string()} x2={x2.to_string()} y2={y.to_string()} />
                                <polygon class="head" points={format!("{x2},{y} {head},{} {head},{}", y - 5, y + 5)} />
                            }
                            <text class="label" x={((SPOKE_X + HUB_X) / 2).to_string()} y={(y - 8).to_string()} text-anchor="middle">{ text }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}
