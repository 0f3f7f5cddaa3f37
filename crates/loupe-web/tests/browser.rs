//! wasm-bindgen tests in headless Chromium: the transfer types across the JS boundary, the state
//! reducer, the side-by-side rows, the worker's session, and the App component mounted in a page.
//! Run by `cargo xtask test` (`cargo test -p loupe-web --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use loupe_core::Lang;
use loupe_web::session::Session;
use loupe_web::state::{rows, Action, Filter, State, Tab};
use loupe_web::transfer::{AnalysisView, FromWorker, Progress, ToWorker};
use loupe_web::worker::{decode_request, encode_request, to_js};
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
            bytes_read: 1 << 40,
            bytes_total: 1 << 41,
            inputs_done: 1,
            inputs_total: 3,
            current: "a".into(),
        }),
        FromWorker::Done {
            analysis: Box::new(view()),
        },
        FromWorker::Lines {
            input: 0,
            start: 256,
            lines: vec!["<script>x</script>".into()],
        },
        FromWorker::Failed {
            message: "boom".into(),
        },
    ];
    for m in msgs {
        let js = to_js(&m);
        let back: FromWorker = serde_wasm_bindgen::from_value(js).expect("decode");
        assert_eq!(back, m);
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
    let r = rows(&a, Filter::Every, "");
    let paired = r.iter().find(|r| r.connection == Some(0)).unwrap();
    assert!(
        paired.cells.iter().all(|c| !c.is_empty()),
        "hub and spoke on one row"
    );
    let s = s.apply(Action::Cancelled);
    assert!(s.analysis.is_none());
    assert_eq!(s.apply(Action::Reset).tab, Tab::SideBySide);
}

#[wasm_bindgen_test]
fn session_keeps_lines_and_redacts_exports() {
    let mut s = Session::new();
    s.start(&[]);
    s.begin("hub.txt");
    s.push(HUB.as_bytes());
    let v = s.finish();
    assert_eq!(v.inputs[0].stored_lines, 1);
    assert!(s.lines(0, 0, 5)[0].contains("<img src=x"));
    let (_, _, html) = s.export("html", true, "ja").unwrap();
    assert!(!html.contains("<img src=x") && !html.contains("10.0.0.1"));
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
