//! The root component: state (reducer), the worker bridge, inputs and the page layout.

use crate::k;
use std::cell::RefCell;
use std::rc::Rc;

use loupe_core::Lang;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::bridge::Bridge;
use super::files::{self, Inputs};
use super::icons;
use super::views::raw::Lines;
use super::views::{Checklist, FindingList, InputsView, NetworkMap, RawView, SideBySide, ViewCtx};
use crate::i18n::{lang_from_navigator, t};
use crate::line_cache::LineCache;
use crate::samples::SAMPLES;
use crate::state::{human_bytes, Action, Phase, State, Tab, Theme};
use crate::transfer::{FromWorker, Progress, Stage, ToWorker};

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

fn initial_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|l| lang_from_navigator(&l))
        .unwrap_or_default()
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(initial_lang()));
    let lines: Rc<RefCell<LineCache>> = use_mut_ref(LineCache::default);
    let lines_version = use_state(|| 0u32);
    let backend = use_state(|| 0u32);
    let inputs: Rc<RefCell<Inputs>> = use_mut_ref(Vec::new);
    let drag = use_state(|| false);
    let walk_errors = use_state(Vec::<String>::new);

    let bridge = {
        let dispatcher = state.dispatcher();
        let lines = lines.clone();
        let version = lines_version.setter();
        let counter = use_mut_ref(|| 0u32);
        let dispatcher2 = state.dispatcher();
        let backend = backend.setter();
        use_memo((), move |_| {
            Bridge::new(
                move |msg| match msg {
                    FromWorker::Ready
                    | FromWorker::ResultHead { .. }
                    | FromWorker::ResultFindings { .. }
                    | FromWorker::ResultConnections { .. }
                    | FromWorker::ResultEvents { .. }
                    | FromWorker::ResultEnd => {}
                    FromWorker::Progress(p) => dispatcher.dispatch(Action::Progress(p)),
                    FromWorker::Done { analysis } => {
                        dispatcher.dispatch(Action::Done(Rc::new(*analysis)))
                    }
                    FromWorker::Failed { message } | FromWorker::Crashed { message } => {
                        dispatcher.dispatch(Action::Failed(message))
                    }
                    FromWorker::Lines {
                        input,
                        start,
                        lines: ls,
                        kept,
                    } => {
                        let mut cache = lines.borrow_mut();
                        if let Some(kept) = kept {
                            cache.set_kept(input, kept);
                        }
                        cache.insert(input, start, ls);
                        drop(cache);
                        *counter.borrow_mut() += 1;
                        version.set(*counter.borrow());
                    }
                    FromWorker::Exported { file_name, blob } => {
                        let saved = blob
                            .ok_or_else(|| "the export arrived without its file".to_string())
                            .and_then(|blob| super::download(&file_name, &blob));
                        if let Err(e) = saved {
                            dispatcher.dispatch(Action::Failed(e));
                        }
                    }
                },
                move || dispatcher2.dispatch(Action::MainThread),
                move |id| backend.set(id),
            )
        })
    };

    // The analysis worker (and its spare) start with the page, not with the first request.
    {
        let bridge = bridge.clone();
        use_effect_with((), move |_| bridge.warm_up());
    }

    // <html lang> and data-theme follow the state.
    {
        let (lang, theme) = (state.lang, state.theme);
        use_effect_with((lang, theme), move |(lang, theme)| {
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("lang", if *lang == Lang::Ja { "ja" } else { "en" });
                match theme {
                    Theme::System => {
                        let _ = root.remove_attribute("data-theme");
                    }
                    t => {
                        let _ = root.set_attribute("data-theme", t.as_str());
                    }
                }
            }
        });
    }

    let start: Callback<(Inputs, bool)> = {
        let state = state.clone();
        let bridge = bridge.clone();
        let inputs = inputs.clone();
        let lines = lines.clone();
        Callback::from(move |(mut new_inputs, fresh): (Inputs, bool)| {
            if fresh {
                if new_inputs.is_empty() {
                    return;
                }
                // Evidence points at inputs by name: two files of the same name get distinct ones.
                let mut names: Vec<String> = new_inputs.iter().map(|(n, _)| n.clone()).collect();
                crate::input_names::make_distinct(&mut names);
                for ((name, _), distinct) in new_inputs.iter_mut().zip(names) {
                    *name = distinct;
                }
                *inputs.borrow_mut() = new_inputs;
                bridge.fresh_worker();
                state.dispatch(Action::NewInputs);
            }
            lines.borrow_mut().clear();
            let current = inputs.borrow();
            // The total size comes with the worker's first progress: reading a chosen File's
            // size here costs a synchronous stat per file on the main thread (37-64 ms for 102).
            state.dispatch(Action::Started(Progress {
                stage: Stage::Reading,
                bytes_read: 0,
                bytes_total: 0,
                inputs_done: 0,
                inputs_total: current.len(),
                current: String::new(),
                workers: 1,
                step: None,
            }));
            let names = current.iter().map(|(n, _)| n.clone()).collect();
            let blobs = current.iter().map(|(_, b)| b.clone()).collect();
            let roles = if fresh {
                Vec::new()
            } else {
                state.roles.clone()
            };
            // Posting chosen Files to the worker stats each one (~0.45 ms a file): in a task of its
            // own, not in the one in which the browser delivers them.
            let bridge = bridge.clone();
            gloo::timers::callback::Timeout::new(0, move || {
                bridge.send(ToWorker::Analyze { names, roles }, blobs)
            })
            .forget();
        })
    };

    // Role corrections re-run the analysis with the same inputs.
    {
        let start = start.clone();
        let roles = state.roles.clone();
        use_effect_with(roles, move |roles| {
            if !roles.is_empty() {
                start.emit((Vec::new(), false));
            }
        });
    }

    let on_files = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let relative = input.has_attribute("webkitdirectory");
            if let Some(list) = input.files() {
                start.emit((files::file_list(&list, relative), true));
            }
            input.set_value("");
        })
    };

    let on_dragover = {
        let drag = drag.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*drag {
                drag.set(true);
            }
        })
    };
    let on_dragleave = {
        let drag = drag.clone();
        Callback::from(move |e: DragEvent| {
            // Only when leaving the page, not when moving between children.
            if e.related_target().is_none() {
                drag.set(false);
            }
        })
    };
    let on_drop = {
        let start = start.clone();
        let drag = drag.clone();
        let walk_errors = walk_errors.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag.set(false);
            let Some(dt) = e.data_transfer() else { return };
            let (entries, plain) = files::drop_entries(&dt);
            if entries.is_empty() {
                start.emit((plain, true));
                return;
            }
            let start = start.clone();
            let walk_errors = walk_errors.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (found, errors) = files::walk(entries).await;
                walk_errors.set(errors);
                start.emit((found, true));
            });
        })
    };

    let paste_ref = use_node_ref();
    let on_paste = {
        let start = start.clone();
        let paste_ref = paste_ref.clone();
        let lang = state.lang;
        Callback::from(move |_| {
            if let Some(area) = paste_ref.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    let name = format!("{}.txt", t(lang, k!("paste.name")));
                    start.emit((vec![(name, files::blob_of(text.as_bytes()))], true));
                }
            }
        })
    };

    let on_sample = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let v = sel.value();
            sel.set_value("");
            if let Some(s) = v.parse::<usize>().ok().and_then(|i| SAMPLES.get(i)) {
                let inputs = s
                    .files
                    .iter()
                    .map(|(n, b)| (format!("{}/{}", s.id, n), files::blob_of(b)))
                    .collect();
                start.emit((inputs, true));
            }
        })
    };

    let on_cancel = {
        let bridge = bridge.clone();
        let state = state.clone();
        Callback::from(move |_| {
            bridge.cancel();
            state.dispatch(Action::Cancelled);
        })
    };
    let on_reset = {
        let state = state.clone();
        let bridge = bridge.clone();
        Callback::from(move |_| {
            bridge.cancel();
            state.dispatch(Action::Reset);
        })
    };

    let lang = state.lang;
    let tr = |k: crate::i18n::Key| t(lang, k);
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            state.dispatch(Action::SetLang(
                Lang::parse(&sel.value()).unwrap_or_default(),
            ));
        })
    };
    let on_theme = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            state.dispatch(Action::SetTheme(match sel.value().as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::System,
            }));
        })
    };

    let file_ref = use_node_ref();
    let folder_ref = use_node_ref();
    let click = |r: &NodeRef| {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = r.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };

    let sample_menu = html! {
        <label class="sample">
            <span class="label">{ tr(k!("sample.label")) }</span>
            <select id="sample-select" onchange={on_sample} aria-label={tr(k!("sample.label"))} disabled={SAMPLES.is_empty()}>
                <option value="" selected=true>{ if SAMPLES.is_empty() { tr(k!("sample.none")) } else { tr(k!("sample.choose")) } }</option>
                { for ["ils", "securex"].iter().map(|g| html! {
                    <optgroup label={SAMPLES.iter().find(|s| s.group == *g).map(|s| s.group_label()).unwrap_or(g)}>
                        { for SAMPLES.iter().enumerate().filter(|(_, s)| s.group == *g).map(|(i, s)| html! {
                            <option value={i.to_string()}>{ s.label(lang) }</option>
                        }) }
                    </optgroup>
                }) }
                { for SAMPLES.iter().enumerate().filter(|(_, s)| s.group != "ils" && s.group != "securex").map(|(i, s)| html! {
                    <option value={i.to_string()}>{ s.label(lang) }</option>
                }) }
            </select>
        </label>
    };

    let pickers = html! {
        <>
            <input ref={file_ref.clone()} id="file-input" class="visually-hidden" type="file" multiple=true
                onchange={on_files.clone()} aria-label={tr(k!("drop.choose"))} tabindex="-1" />
            <input ref={folder_ref.clone()} id="folder-input" class="visually-hidden" type="file" multiple=true
                webkitdirectory=true onchange={on_files} aria-label={tr(k!("drop.folder"))} tabindex="-1" />
            <button class="btn primary" onclick={click(&file_ref)}>{ icons::upload() }{ tr(k!("drop.choose")) }</button>
            <button class="btn" onclick={click(&folder_ref)}>{ tr(k!("drop.folder")) }</button>
        </>
    };

    let has_result = state.analysis.is_some();
    let running = matches!(state.phase, Phase::Running(_));

    let status = match &state.phase {
        Phase::Running(p) => {
            let pct = if let Some(step) = p.step.as_ref().filter(|_| p.stage == Stage::Diagnosing) {
                step.fraction() * 100.0
            } else if p.bytes_total > 0 {
                (p.bytes_read as f64 / p.bytes_total as f64 * 100.0).min(100.0)
            } else {
                0.0
            };
            // The spinner only while the bar cannot move (diagnosing, or inputs of unknown size):
            // a running animation costs the page a frame 60 times a second, on the two cores the
            // workers need (spinning beside the bar made the 210 MB bench run 8-10 % slower).
            // The diagnosis moves the bar by its steps.
            let indeterminate =
                (p.stage == Stage::Diagnosing && p.step.is_none()) || p.bytes_total == 0;
            let current = match (&p.step, p.stage) {
                (Some(step), Stage::Diagnosing) => crate::i18n::diagnose_step(lang, step),
                _ => p.current.clone(),
            };
            html! {
                <div class="status running" role="status" aria-live="polite">
                    if indeterminate { <span class="spinner" aria-hidden="true"></span> }
                    <span>{ match p.stage {
                        Stage::Opening => format!("{} — {} / {} · {} {}", tr(k!("status.opening")), human_bytes(p.bytes_read), human_bytes(p.bytes_total), tr(k!("status.entries")), p.inputs_done),
                        Stage::Reading if p.bytes_total == 0 => format!("{} — {} / {} {}", tr(k!("status.reading")), p.inputs_done, p.inputs_total, tr(k!("status.inputs"))),
                        Stage::Reading => format!("{} — {} / {} · {} / {} {}", tr(k!("status.reading")), human_bytes(p.bytes_read), human_bytes(p.bytes_total), p.inputs_done, p.inputs_total, tr(k!("status.inputs"))),
                        Stage::Diagnosing => format!("{} — {} · {} {}", tr(k!("status.diagnosing")), human_bytes(p.bytes_total), p.inputs_total, tr(k!("status.inputs"))),
                        Stage::Receiving => format!("{} — {} / {} {}", tr(k!("status.receiving")), p.bytes_read, p.bytes_total, tr(k!("status.parts"))),
                    } }</span>
                    <progress id="progress" max="100" value={format!("{pct:.0}")} aria-label={tr(k!("status.reading"))}></progress>
                    <span class="current">{ current }</span>
                    <button id="cancel" class="btn" onclick={on_cancel}>{ tr(k!("status.cancel")) }</button>
                </div>
            }
        }
        Phase::Failed(m) => html! {
            <div class="status failed" role="alert" id="error">
                { icons::severity("error") }
                <span>{ format!("{}: ", tr(k!("status.failed"))) }<span class="msg">{ m.clone() }</span></span>
                <button id="retry" class="btn" onclick={on_reset.clone()}>{ tr(k!("status.retry")) }</button>
            </div>
        },
        Phase::Cancelled => html! {
            <div class="status" role="status">
                <span>{ tr(k!("status.cancelled")) }</span>
                <button class="btn" onclick={on_reset.clone()}>{ tr(k!("status.retry")) }</button>
            </div>
        },
        _ => html! {},
    };

    let raw_lines = Lines {
        bridge: (*bridge).clone(),
        cache: lines.clone(),
        version: *lines_version,
        worker: *backend,
    };
    let view_ctx = state.analysis.clone().map(|analysis| ViewCtx {
        analysis,
        lang,
        dispatch: state.dispatcher(),
    });

    let export = {
        let mk = |fmt: &'static str, label: crate::i18n::Key| {
            let state = state.clone();
            let bridge = bridge.clone();
            let onclick = Callback::from(move |_| {
                let lang = if state.lang == Lang::Ja { "ja" } else { "en" };
                bridge.send(
                    ToWorker::Export {
                        format: fmt.into(),
                        redact: state.redact,
                        lang: lang.into(),
                    },
                    Vec::new(),
                );
            });
            html! { <button class="btn" id={format!("export-{fmt}")} {onclick}>{ icons::download() }{ tr(label) }</button> }
        };
        let on_redact = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let i: HtmlInputElement = e.target_unchecked_into();
                state.dispatch(Action::SetRedact(i.checked()));
            })
        };
        html! {
            <div class="export" role="group" aria-label={tr(k!("export.title"))}>
                <span class="label">{ tr(k!("export.title")) }</span>
                { mk("md", k!("export.md")) }{ mk("html", k!("export.html")) }{ mk("json", k!("export.json")) }
                <label class="check"><input id="redact" type="checkbox" checked={state.redact} onchange={on_redact} />{ tr(k!("export.redact")) }</label>
            </div>
        }
    };

    let tabs = [
        (Tab::SideBySide, k!("nav.sidebyside"), "tab-sbs"),
        (Tab::Raw, k!("nav.raw"), "tab-raw"),
        (Tab::Checklist, k!("nav.checklist"), "tab-checklist"),
        (Tab::Inputs, k!("nav.inputs"), "tab-inputs"),
    ];
    let on_tab_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let order = [Tab::SideBySide, Tab::Raw, Tab::Checklist, Tab::Inputs];
            let i = order.iter().position(|t| *t == state.tab).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => order[(i + 1) % 4],
                "ArrowLeft" => order[(i + 3) % 4],
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::SetTab(next));
            let id = ["tab-sbs", "tab-raw", "tab-checklist", "tab-inputs"]
                [order.iter().position(|t| *t == next).unwrap_or(0)];
            if let Some(el) = gloo::utils::document().get_element_by_id(id) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    html! {
        <div class={classes!("page", (*drag).then_some("dragging"))}
            ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
            <header class="top">
                <div class="brand">{ icons::logo() }<h1 class="name">{ "Loupe" }</h1><span class="tagline">{ tr(k!("app.tagline")) }</span></div>
                <div class="prefs">
                    if has_result || running {
                        <button class="btn ghost" id="new-analysis" onclick={on_reset.clone()}>{ tr(k!("status.new")) }</button>
                    }
                    <label><span class="visually-hidden">{ tr(k!("lang.label")) }</span>
                        <select id="lang" onchange={on_lang} aria-label={tr(k!("lang.label"))}>
                            <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                            <option value="ja" selected={lang == Lang::Ja}>{ "日本語" }</option>
                        </select>
                    </label>
                    <label><span class="visually-hidden">{ tr(k!("theme.label")) }</span>
                        <select id="theme" onchange={on_theme} aria-label={tr(k!("theme.label"))}>
                            <option value="system" selected={state.theme == Theme::System}>{ tr(k!("theme.system")) }</option>
                            <option value="light" selected={state.theme == Theme::Light}>{ tr(k!("theme.light")) }</option>
                            <option value="dark" selected={state.theme == Theme::Dark}>{ tr(k!("theme.dark")) }</option>
                        </select>
                    </label>
                </div>
            </header>
            if state.on_main_thread {
                <div class="notice" role="note" id="main-thread-notice">{ tr(k!("status.fallback")) }</div>
            }
            { status }
            if !walk_errors.is_empty() {
                <ul class="notice">{ for walk_errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
            }
            if !has_result {
                <main class="landing">
                    <section id="dropzone" class={classes!("dropzone", (*drag).then_some("over"))} aria-label={tr(k!("drop.title"))}>
                        <div class="drop-icon">{ icons::upload() }</div>
                        <h2>{ tr(k!("drop.title")) }</h2>
                        <p class="hint">{ tr(k!("drop.hint")) }</p>
                        <div class="row">{ pickers.clone() }</div>
                        <p class="private">{ tr(k!("app.private")) }</p>
                    </section>
                    <section class="side-inputs">
                        { sample_menu.clone() }
                        <label class="paste" for="paste">{ tr(k!("paste.label")) }</label>
                        <textarea id="paste" ref={paste_ref.clone()} rows="8" spellcheck="false" placeholder={tr(k!("paste.placeholder"))} />
                        <button id="paste-go" class="btn" onclick={on_paste.clone()}>{ tr(k!("paste.analyze")) }</button>
                    </section>
                    <super::guide::Guide {lang} />
                </main>
            } else {
                <ContextProvider<ViewCtx> context={view_ctx.expect("a result to show")}>
                <main class="result">
                    <div class="toolbar">
                        <div class="row">{ pickers }{ sample_menu }</div>
                        { export }
                    </div>
                    <div class="workspace">
                        <section class="findings-pane" aria-label={tr(k!("nav.findings"))}>
                            <h2>{ tr(k!("nav.findings")) }<span class="count">{ state.analysis.as_ref().map(|a| a.findings.len()).unwrap_or(0) }</span></h2>
                            <NetworkMap pair={state.pair_filter.clone()} />
                            <FindingList slice={state.findings_slice()} />
                        </section>
                        <section class="panel">
                            <div class="tabs" role="tablist" aria-label={tr(k!("nav.views"))} onkeydown={on_tab_key}>
                                { for tabs.iter().map(|(tab, key, id)| {
                                    let selected = state.tab == *tab;
                                    let onclick = { let state = state.clone(); let tab = *tab; Callback::from(move |_| state.dispatch(Action::SetTab(tab))) };
                                    html! {
                                        <button role="tab" id={*id} class="tab" aria-selected={selected.to_string()}
                                            aria-controls="tabpanel" tabindex={if selected { "0" } else { "-1" }} {onclick}>{ tr(*key) }</button>
                                    }
                                }) }
                            </div>
                            <div class="tabpanel" id="tabpanel" role="tabpanel">
                                { match state.tab {
                                    Tab::SideBySide => html! { <SideBySide slice={state.rows_slice()} lines={raw_lines} /> },
                                    Tab::Raw => html! { <RawView slice={state.raw_slice()} lines={raw_lines} /> },
                                    Tab::Checklist => html! { <Checklist /> },
                                    Tab::Inputs => html! { <InputsView /> },
                                } }
                            </div>
                        </section>
                    </div>
                </main>
                </ContextProvider<ViewCtx>>
            }
            <div class="drop-overlay" aria-hidden="true"><div>{ icons::upload() }{ tr(k!("drop.title")) }</div></div>
        </div>
    }
}
