//! wasm-bindgen tests in headless Chromium: the transfer types across the JS boundary, the state
//! reducer, the side-by-side rows, the worker's session, and the App component mounted in a page.
//! Run by `cargo xtask test` (`cargo test -p loupe-web --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use loupe_core::Lang;
use loupe_web::session::Session;
use loupe_web::state::{rows, Action, Filter, State, Tab};
use loupe_web::transfer::{
    AnalysisView, DiagnoseStep, FromWorker, Progress, ResultAssembly, Stage, ToWorker,
};
use loupe_web::worker::{analyse, answer, decode_request, encode_request, from_js, to_js, Sources};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HUB: &str =
    "00000001.001 |17:06:30.100 |AppInfo |IlsD IlsHandler: <img src=x onerror=alert(1)> 10.0.0.1\n";

fn view() -> AnalysisView {
    serde_json::from_str(include_str!("view.json")).expect("view.json")
}

#[wasm_bindgen_test]
fn messages_cross_the_js_boundary() {
    let msgs = [
        FromWorker::Progress(Progress {
            stage: Stage::Receiving,
            bytes_read: 1 << 40,
            bytes_total: 1 << 41,
            inputs_done: 1,
            inputs_total: 3,
            current: "a".into(),
            workers: 1,
            step: None,
        }),
        FromWorker::Progress(Progress {
            stage: Stage::Diagnosing,
            step: Some(DiagnoseStep::preparing()),
            ..Progress::default()
        }),
        FromWorker::Done {
            analysis: Box::new(view()),
        },
        FromWorker::Lines {
            input: 0,
            start: 256,
            lines: vec!["<script>x</script>".into()],
            kept: Some(256),
        },
        FromWorker::Failed {
            message: "boom".into(),
        },
    ];
    for m in msgs {
        let js = to_js(&m);
        assert!(
            js.is_instance_of::<js_sys::ArrayBuffer>(),
            "messages cross as JSON bytes"
        );
        assert_eq!(from_js(&js), m);
    }
    let blob = web_sys::Blob::new().unwrap();
    let req = ToWorker::Analyze {
        names: vec!["hub.txt".into()],
        roles: vec![("hub.txt".into(), "spoke".into())],
    };
    let (back, blobs) = decode_request(&encode_request(&req, &[blob])).unwrap();
    assert_eq!(back, req);
    assert_eq!(blobs.len(), 1);
}

#[wasm_bindgen_test]
fn reducer_selects_evidence_and_rows_pair_connections() {
    let a = Rc::new(view());
    let s = State::new(Lang::En)
        .apply(Action::Done(a.clone()))
        .apply(Action::SelectFinding(0));
    assert_eq!(s.tab, Tab::SideBySide);
    assert!(s.is_highlighted(0, 11) && s.is_highlighted(1, 21));
    let r = rows(&a, Filter::All, "");
    let paired = r.iter().find(|r| r.connection == Some(0)).unwrap();
    assert!(
        paired.cells.iter().all(|c| !c.is_empty()),
        "hub and spoke on one row"
    );
    let s = s.apply(Action::Cancelled);
    assert!(s.analysis.is_none());
    assert_eq!(s.apply(Action::Reset).tab, Tab::SideBySide);
}

/// An export as the page receives it: a Blob made by the worker, posted beside its message
/// (`{ msg, blob }`), holding the redacted, escaped report.
#[wasm_bindgen_test]
async fn session_keeps_lines_and_redacts_exports() {
    let mut s = Session::new();
    s.start(&[]);
    s.begin("hub.txt", 0);
    s.push(HUB.as_bytes());
    let v = s.finish();
    assert_eq!(v.stored_lines(0), 1);
    assert!(s.lines_from(0, 0, 5, HUB.as_bytes())[0].contains("<img src=x"));
    let export = ToWorker::Export {
        format: "html".into(),
        redact: true,
        lang: "ja".into(),
    };
    let reply = answer(Rc::new(RefCell::new(s)), Sources::default(), export).await;
    let Some(FromWorker::Exported {
        file_name,
        blob: Some(blob),
    }) = reply
    else {
        panic!("not an export: {reply:?}");
    };
    assert_eq!(file_name, "loupe-report-redacted.html");
    assert_eq!(blob.type_(), "text/html;charset=utf-8");
    // Across the boundary as the worker posts it.
    let posted = js_sys::Object::new();
    let msg = to_js(&FromWorker::Exported {
        file_name: file_name.clone(),
        blob: None,
    });
    js_sys::Reflect::set(&posted, &"msg".into(), &msg).unwrap();
    js_sys::Reflect::set(&posted, &"blob".into(), &blob).unwrap();
    let FromWorker::Exported {
        file_name: got,
        blob: Some(received),
    } = from_js(&posted)
    else {
        panic!("the export did not cross the boundary");
    };
    assert_eq!(got, file_name);
    let html = wasm_bindgen_futures::JsFuture::from(received.text())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert!(html.contains("<html") && html.contains("hub.txt"), "{html}");
    assert!(!html.contains("<img src=x") && !html.contains("10.0.0.1"));
}

/// The worker's own path: a real Blob read in chunks, the result sent in parts and put together
/// again, and the raw view's lines read back from the Blob.
#[wasm_bindgen_test]
async fn the_worker_reads_a_blob_and_reads_its_lines_back() {
    let text: String = (0..600)
        .map(|i| {
            format!(
                "{:08}.001 |17:06:30.{:03} |AppInfo |IlsD line {i} <b>\r\n",
                i,
                i % 1000
            )
        })
        .collect();
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(text.as_bytes()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    let session = Rc::new(RefCell::new(Session::new()));
    let sources = Sources::default();
    let got: Rc<RefCell<Vec<FromWorker>>> = Rc::default();
    let post = {
        let got = got.clone();
        Rc::new(move |m: FromWorker| got.borrow_mut().push(from_js(&to_js(&m))))
    };
    analyse(
        session.clone(),
        sources.clone(),
        vec![("hub.txt".into(), blob)],
        Vec::new(),
        post,
        Rc::new(|| false),
        false,
    )
    .await;
    let mut asm = ResultAssembly::default();
    let done: Vec<FromWorker> = got
        .borrow_mut()
        .drain(..)
        .filter_map(|m| asm.take(m))
        .collect();
    let view = done
        .iter()
        .find_map(|m| match m {
            FromWorker::Done { analysis } => Some(analysis.clone()),
            _ => None,
        })
        .expect("a whole result");
    assert_eq!(view.inputs[0].counts.lines, 600);
    assert_eq!(view.stored_lines(0), 600);
    let reply = answer(
        session,
        sources,
        ToWorker::Lines {
            input: 0,
            start: 512,
            count: 256,
        },
    )
    .await;
    match reply {
        Some(FromWorker::Lines { start, lines, .. }) => {
            assert_eq!(start, 512);
            assert_eq!(lines.len(), 88);
            assert_eq!(
                lines[0],
                "00000512.001 |17:06:30.512 |AppInfo |IlsD line 512 <b>"
            );
            assert_eq!(
                lines[87],
                "00000599.001 |17:06:30.599 |AppInfo |IlsD line 599 <b>"
            );
        }
        other => panic!("no lines: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn app_mounts_with_a_real_file_input() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    root.set_id("app");
    document.body().unwrap().append_child(&root).unwrap();
    loupe_web::ui::mount();
    gloo::timers::future::TimeoutFuture::new(50).await;
    let input = document
        .get_element_by_id("file-input")
        .expect("file input");
    assert_eq!(input.get_attribute("type").as_deref(), Some("file"));
    assert!(input.has_attribute("multiple"));
    assert!(document.get_element_by_id("paste").is_some());
    assert!(document.get_element_by_id("dropzone").is_some());
}

/// A pager of many pages (83,334 findings are 1,667) offers a number field, not a select of every
/// page; a page typed there is asked for, anything else shows the page again. Few pages keep the
/// select.
#[wasm_bindgen_test]
async fn a_pager_of_many_pages_takes_a_typed_page() {
    use loupe_web::ui::views::pager::{Pager, PagerProps, PAGES_LISTED};
    let document = gloo::utils::document();
    let asked = Rc::new(RefCell::new(Vec::new()));
    let mount = |id: &str, pages: usize| {
        let root = document.create_element("div").unwrap();
        root.set_id(id);
        document.body().unwrap().append_child(&root).unwrap();
        let asked = asked.clone();
        let props = PagerProps {
            id: id.to_string().into(),
            label: "Findings".into(),
            text: "Findings 501–550 of 83,334".into(),
            lang: Lang::En,
            page: 10,
            pages,
            on_page: yew::Callback::from(move |p| asked.borrow_mut().push(p)),
            live: true,
        };
        yew::Renderer::<Pager>::with_root_and_props(root, props).render();
        id.to_string()
    };
    let many = mount("many-pages", 1_667);
    let few = mount("few-pages", PAGES_LISTED);
    gloo::timers::future::TimeoutFuture::new(50).await;
    let find = |sel: &str| document.query_selector(sel).unwrap();
    assert!(find(&format!("#{few} select.pager-select")).is_some());
    assert!(find(&format!("#{many} select")).is_none());
    let field: web_sys::HtmlInputElement = find(&format!("#{many} input.pager-number"))
        .expect("a number field")
        .dyn_into()
        .unwrap();
    assert_eq!(field.value(), "11");
    assert_eq!(field.get_attribute("max").as_deref(), Some("1667"));
    for typed in ["1667", "2", "0", "1668", "abc"] {
        field.set_value(typed);
        field
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    }
    assert_eq!(
        *asked.borrow(),
        vec![1_666, 1],
        "pages 1,667 and 2 asked for"
    );
    assert_eq!(field.value(), "11", "an invalid page shows the page again");
}

/// In the browser the candidate searches run on `simd128` lanes: they must find exactly what
/// aho-corasick finds (and `Ils(` what memmem finds), on text mixing needles, cut needles and
/// their letters.
#[wasm_bindgen_test]
fn the_simd128_candidate_search_matches_aho_corasick() {
    use loupe_core::sdl::candidates::{
        find, find_signal, find_signal_with_memmem, find_with_aho_corasick,
    };
    use loupe_core::sdl::events::CANDIDATE_LITERALS;
    const {
        assert!(
            cfg!(target_feature = "simd128"),
            "built with simd128 (.cargo/config.toml)"
        )
    };
    let letters = CANDIDATE_LITERALS.concat() + " \n|()=0\u{3042}";
    let letters = letters.as_bytes();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..300 {
        let mut hay = Vec::new();
        for _ in 0..next(200) {
            match next(6) {
                0 => hay.extend_from_slice(
                    CANDIDATE_LITERALS[next(CANDIDATE_LITERALS.len())].as_bytes(),
                ),
                1 => {
                    let n = CANDIDATE_LITERALS[next(CANDIDATE_LITERALS.len())].as_bytes();
                    hay.extend_from_slice(&n[..n.len() - 1]);
                }
                _ => hay.push(letters[next(letters.len())]),
            }
        }
        for from in 0..=hay.len() {
            assert_eq!(
                find_signal(&hay, from),
                find_signal_with_memmem(&hay, from),
                "`Ils(` from {from} in {:?}",
                String::from_utf8_lossy(&hay)
            );
        }
        let mut at = 0;
        loop {
            let want = find_with_aho_corasick(&hay, at);
            assert_eq!(
                find(&hay, at),
                want,
                "from {at} in {:?}",
                String::from_utf8_lossy(&hay)
            );
            match want {
                Some(s) => at = s + 1,
                None => break,
            }
        }
    }
}
