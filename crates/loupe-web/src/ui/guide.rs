//! The landing page's "What to collect" guide ([`crate::guide::GUIDE`]): one collapsible section
//! per product, each command as text with a copy button (Clipboard API, "Copied" for 2 s).

use crate::k;
use loupe_core::Lang;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::guide::GUIDE;
use crate::i18n::t;

#[derive(Clone, Copy, PartialEq)]
enum Copy {
    Idle,
    Copied,
    Failed,
}

#[derive(Properties, PartialEq)]
struct CommandProps {
    text: &'static str,
    lang: Lang,
}

#[function_component(Command)]
fn command(p: &CommandProps) -> Html {
    let state = use_state(|| Copy::Idle);
    let onclick = {
        let state = state.clone();
        let text = p.text;
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            spawn_local(async move {
                let done = match web_sys::window() {
                    Some(w) => JsFuture::from(w.navigator().clipboard().write_text(text))
                        .await
                        .is_ok(),
                    None => false,
                };
                state.set(if done { Copy::Copied } else { Copy::Failed });
                let state = state.clone();
                gloo::timers::callback::Timeout::new(2000, move || state.set(Copy::Idle)).forget();
            });
        })
    };
    let tr = |key| t(p.lang, key);
    let (label, class) = match *state {
        Copy::Idle => (tr(k!("guide.copy")), ""),
        Copy::Copied => (tr(k!("guide.copied")), "copied"),
        Copy::Failed => (tr(k!("guide.copy_failed")), "failed"),
    };
    html! {
        <li class="cmd-line">
            <code class="cmd-text">{ p.text }</code>
            <button type="button" class={classes!("btn", "copy", class)} {onclick}
                aria-label={format!("{}: {}", tr(k!("guide.copy")), p.text)}>{ label }</button>
            <span class="visually-hidden" role="status" aria-live="polite">{ if *state == Copy::Copied { tr(k!("guide.copied")) } else { "" } }</span>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct GuideProps {
    pub lang: Lang,
}

/// "What to collect", for the landing page.
#[function_component(Guide)]
pub fn guide(p: &GuideProps) -> Html {
    let lang = p.lang;
    let ja = lang == Lang::Ja;
    html! {
        <section id="guide" class="guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{ t(lang, k!("guide.title")) }</h2>
            <p class="hint">{ t(lang, k!("guide.hint")) }</p>
            { for GUIDE.iter().map(|prod| html! {
                <details class="guide-product" id={format!("guide-{}", prod.id)} open=true>
                    <summary><h3>{ if ja { prod.ja } else { prod.en } }</h3></summary>
                    <ol>
                        { for prod.steps.iter().map(|s| html! {
                            <li>
                                <span>{ if ja { s.ja } else { s.en } }</span>
                                if !s.commands.is_empty() {
                                    <ul class="cmds">
                                        { for s.commands.iter().map(|c| html! { <Command text={*c} {lang} /> }) }
                                    </ul>
                                }
                            </li>
                        }) }
                    </ol>
                </details>
            }) }
        </section>
    }
}
