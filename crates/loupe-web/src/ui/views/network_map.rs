//! The map of the ILS network (more than two clusters): the geometry is
//! [`crate::network_map`]'s; a link, clicked or Enter, lists only the findings and rows of the
//! attempts between its two clusters.

use crate::k;
use std::rc::Rc;

use yew::prelude::*;

use super::use_view_ctx;
use crate::i18n::{role_key, t};
use crate::network_map::{self, RADIUS};
use crate::state::{Action, PairFilter};

#[derive(Properties, PartialEq)]
pub struct NetworkMapProps {
    pub pair: Option<PairFilter>,
}

#[function_component(NetworkMap)]
pub fn network_map_view(props: &NetworkMapProps) -> Html {
    let ctx = use_view_ctx();
    let (a, lang) = (ctx.analysis.clone(), ctx.lang);
    let map = {
        let a = a.clone();
        use_memo(Rc::as_ptr(&a) as usize, move |_| network_map::map(&a))
    };
    if map.nodes.len() <= 2 {
        return html! {};
    }
    let active = props.pair.as_ref().map(|p| p.key.clone());
    let clear = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetPairFilter(None)))
    };
    html! {
        <figure class="network-map-wrap">
            <figcaption>{ t(lang, k!("map.title")) }<span class="muted">{ " — " }{ t(lang, k!("map.hint")) }</span></figcaption>
            <svg class="network-map" data-network-map="" viewBox={format!("0 0 {} {}", map.width, map.height)} width={map.width.to_string()} role="group" aria-label={t(lang, k!("map.title"))}>
                { for map.links.iter().map(|l| {
                    let key = l.key(&map.nodes);
                    let (h, s) = (&map.nodes[l.hub], &map.nodes[l.spoke]);
                    let on = active.as_deref() == Some(key.as_str());
                    let pick = {
                        let dispatch = ctx.dispatch.clone();
                        let filter = (!on).then(|| PairFilter::new(key.clone(), l.connections.clone()));
                        move || dispatch.dispatch(Action::SetPairFilter(filter.clone()))
                    };
                    let onclick = { let pick = pick.clone(); Callback::from(move |_: MouseEvent| pick()) };
                    let onkeydown = Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " { e.prevent_default(); pick(); }
                    });
                    let label = format!("{key}: {} {}, {}", l.connections.len(), t(lang, k!("map.attempts")), l.verdict);
                    html! {
                        <g class={classes!("link", format!("v-{}", l.verdict), on.then_some("active"))} data-link={key.clone()}
                            data-verdict={l.verdict} tabindex="0" role="button" aria-pressed={on.to_string()} aria-label={label}
                            {onclick} {onkeydown}>
                            <line class="hit" x1={h.x.to_string()} y1={h.y.to_string()} x2={s.x.to_string()} y2={s.y.to_string()} />
                            <line class="wire" x1={h.x.to_string()} y1={h.y.to_string()} x2={s.x.to_string()} y2={s.y.to_string()} />
                            <text class="count" x={((h.x + s.x) / 2 + 6).to_string()} y={((h.y + s.y) / 2 - 4).to_string()}>{ format!("×{}", l.connections.len()) }</text>
                        </g>
                    }
                }) }
                { for map.nodes.iter().map(|n| {
                    let sub = n.detail();
                    let (name_y, sub_y) = n.label_ys();
                    html! {
                        <g class={classes!("node", format!("role-{}", n.role.as_str()))} data-cluster={n.key.clone()}>
                            <circle cx={n.x.to_string()} cy={n.y.to_string()} r={RADIUS.to_string()} />
                            <text class="name" x={n.x.to_string()} y={name_y.to_string()} text-anchor="middle">{ n.key.clone() }</text>
                            <text class="sub" x={n.x.to_string()} y={sub_y.to_string()} text-anchor="middle">{ format!("{} {sub}", t(lang, role_key(n.role))) }</text>
                        </g>
                    }
                }) }
            </svg>
            if let Some(key) = active {
                <p class="pair-filter" id="pair-filter">{ t(lang, k!("map.filtered")) }{ " " }<strong>{ key }</strong>{ " " }
                    <button class="link" id="pair-filter-clear" onclick={clear}>{ t(lang, k!("map.clear")) }</button></p>
            }
        </figure>
    }
}
