//! The analysis side: reads the dropped files chunk by chunk into a [`Session`] and answers the
//! page. It runs in a classic Web Worker started from a blob: URL (see `web/boot.js`), or on the
//! page itself when no worker can be started.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use serde::Serialize;

use crate::session::{LineAnswer, RangeLines, Session};
use crate::transfer::{result_parts, FromWorker, Progress, Stage, ToWorker};

/// Bytes read from a file at a time. The next reads are started before this one is analysed, so the
/// browser reads while the engine works.
const CHUNK: f64 = (8 << 20) as f64;
/// Bytes the engine runs over when a worker starts ([`warm_up`]).
const WARM_UP_BYTES: usize = 4 << 20;
/// The first read of an analysis; reads then double up to [`CHUNK`].
const FIRST_CHUNK: f64 = (1 << 20) as f64;
/// Bytes copied into wasm memory and given to the engine at a time: small enough that the copy
/// is still in the CPU's L2 cache when the engine scans it (as the CLI's 64 KiB reads).
const PUSH: usize = 64 << 10;
/// Reads started ahead of the one the engine is given.
const READS_AHEAD: usize = 2;
/// Bytes read at a time when the raw view asks for lines again.
const LINE_READ: f64 = (4 << 20) as f64;
/// At most this long between two progress messages (while the engine works).
const PROGRESS_MS: f64 = 100.0;

/// The files of the current analysis, in the order they were given: the raw view reads lines of
/// plain-text inputs back from them.
pub type Sources = Rc<RefCell<Vec<Blob>>>;

/// Encode a message for `postMessage`: JSON text, which crosses to the page as one string (cheaper
/// to clone and to parse than a tree of JS objects).
pub fn to_js(msg: &FromWorker) -> JsValue {
    match serde_json::to_string(msg) {
        Ok(s) => JsValue::from_str(&s),
        Err(e) => JsValue::from_str(
            &serde_json::to_string(&FromWorker::Failed {
                message: format!("serialisation failed: {e}"),
            })
            .unwrap_or_default(),
        ),
    }
}

/// Decode a message from [`to_js`] (or from `web/boot.js`, which uses the same JSON form).
pub fn from_js(value: &JsValue) -> FromWorker {
    let parsed = value
        .as_string()
        .ok_or_else(|| format!("not text: {value:?}"))
        .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()));
    parsed.unwrap_or_else(|e| FromWorker::Failed {
        message: format!("unreadable message from the worker: {e}"),
    })
}

/// Start reading `start..end` of `blob`; the bytes arrive when the future is awaited.
fn start_read(blob: &Blob, start: f64, end: f64) -> Result<JsFuture, String> {
    let part = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| format!("{e:?}"))?;
    Ok(JsFuture::from(part.array_buffer()))
}

async fn finish_read(read: JsFuture) -> Result<ArrayBuffer, String> {
    read.await
        .map(|b| b.unchecked_into())
        .map_err(|e| format!("cannot read the file: {e:?}"))
}

async fn read_slice(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let buf = finish_read(start_read(blob, start, end)?).await?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Give the bytes of `buf` to `push` in [`PUSH`]-byte pieces, each copied into `piece` (reused:
/// no allocation, and the copy is still in the CPU's cache when the engine scans it).
fn push_in_pieces(buf: &ArrayBuffer, piece: &mut [u8], mut push: impl FnMut(&[u8])) {
    let view = Uint8Array::new(buf);
    let len = view.length();
    let mut at = 0;
    while at < len {
        let n = (len - at).min(piece.len() as u32);
        view.subarray(at, at + n).copy_to(&mut piece[..n as usize]);
        push(&piece[..n as usize]);
        at += n;
    }
}

/// One read of the plan: bytes `start..end` of input `input`.
#[derive(Clone, Copy)]
struct Piece {
    input: usize,
    start: f64,
    end: f64,
}

/// Every read of an analysis, in order: each input in [`CHUNK`]s (one piece for an empty file),
/// a `.zip` as one piece (archives are expanded whole). The first reads are smaller (1, 2, 4 MiB),
/// so that the first progress shows soon after the start.
fn read_plan(inputs: &[(String, Blob)]) -> Vec<Piece> {
    let mut plan = Vec::new();
    let mut chunk = FIRST_CHUNK;
    for (input, (name, blob)) in inputs.iter().enumerate() {
        let size = blob.size();
        if name.to_ascii_lowercase().ends_with(".zip") {
            plan.push(Piece {
                input,
                start: 0.0,
                end: size,
            });
            continue;
        }
        let mut start = 0.0;
        loop {
            let end = (start + chunk).min(size);
            chunk = (chunk * 2.0).min(CHUNK);
            plan.push(Piece { input, start, end });
            if end >= size {
                break;
            }
            start = end;
        }
    }
    plan
}

/// Analyse `inputs` (name, blob) with the user's `roles`; post progress, then the result in parts.
/// `cancelled` is polled between chunks (the worker itself is simply terminated to cancel).
///
/// The reads of all inputs form one pipeline: the next read is started before the bytes of the
/// current one go to the engine, across file boundaries too, so the browser reads while the
/// engine works.
pub async fn analyse(
    session: Rc<RefCell<Session>>,
    sources: Sources,
    inputs: Vec<(String, Blob)>,
    roles: Vec<(String, String)>,
    post: Rc<dyn Fn(FromWorker)>,
    cancelled: Rc<dyn Fn() -> bool>,
) {
    let now = js_sys::Date::now;
    let mut progress = Progress {
        stage: Stage::Reading,
        bytes_read: 0,
        bytes_total: inputs.iter().map(|(_, b)| b.size() as u64).sum(),
        inputs_done: 0,
        inputs_total: inputs.len(),
        current: String::new(),
    };
    session.borrow_mut().start(&roles);
    *sources.borrow_mut() = inputs.iter().map(|(_, b)| b.clone()).collect();
    let mut last = now();
    post(FromWorker::Progress(progress.clone()));
    let failed = |name: &str, e: String| FromWorker::Failed {
        message: format!("{name}: {e}"),
    };
    let plan = read_plan(&inputs);
    let begin_read = |k: usize| -> Result<Option<JsFuture>, FromWorker> {
        let Some(p) = plan.get(k) else {
            return Ok(None);
        };
        let (name, blob) = &inputs[p.input];
        start_read(blob, p.start, p.end)
            .map(Some)
            .map_err(|e| failed(name, e))
    };
    // Reads in flight, in plan order.
    let mut ahead = std::collections::VecDeque::new();
    for k in 0..READS_AHEAD {
        match begin_read(k) {
            Ok(Some(r)) => ahead.push_back(r),
            Ok(None) => break,
            Err(m) => return post(m),
        }
    }
    // Inputs read whole (their later pieces are skipped).
    let mut whole = vec![false; inputs.len()];
    let mut buf = vec![0u8; PUSH];
    for (k, piece) in plan.iter().enumerate() {
        let (name, blob) = &inputs[piece.input];
        let size = blob.size();
        let read = match ahead.pop_front() {
            Some(read) => finish_read(read).await,
            None => Err("no read".to_string()),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) => return post(failed(name, e)),
        };
        match begin_read(k + READS_AHEAD) {
            Ok(Some(r)) => ahead.push_back(r),
            Ok(None) => {}
            Err(m) => return post(m),
        }
        if cancelled() {
            return;
        }
        if whole[piece.input] {
            continue;
        }
        if piece.start == 0.0 {
            progress.current = name.clone();
            let view = Uint8Array::new(&bytes);
            let head = view.subarray(0, view.length().min(4)).to_vec();
            if Session::needs_whole(name, &head) {
                whole[piece.input] = true;
                let all = if piece.end >= size {
                    view.to_vec()
                } else {
                    match read_slice(blob, 0.0, size).await {
                        Ok(b) => b,
                        Err(e) => return post(failed(name, e)),
                    }
                };
                session.borrow_mut().add_whole(name, all);
            } else {
                session.borrow_mut().begin(name, piece.input);
            }
        }
        if !whole[piece.input] {
            let mut session = session.borrow_mut();
            push_in_pieces(&bytes, &mut buf, |b| session.push(b));
        }
        progress.bytes_read += if whole[piece.input] {
            size as u64
        } else {
            (piece.end - piece.start) as u64
        };
        if whole[piece.input] || piece.end >= size {
            session.borrow_mut().end();
            progress.inputs_done += 1;
            last = now();
            post(FromWorker::Progress(progress.clone()));
        } else if now() - last >= PROGRESS_MS {
            last = now();
            post(FromWorker::Progress(progress.clone()));
        }
    }
    progress.stage = Stage::Diagnosing;
    progress.current.clear();
    post(FromWorker::Progress(progress));
    let view = session.borrow_mut().finish();
    for part in result_parts(view) {
        post(part);
    }
}

/// Lines for the raw view: from memory, or read back from the input's file.
async fn lines(
    session: &Rc<RefCell<Session>>,
    sources: &Sources,
    input: usize,
    start: u32,
    count: u32,
) -> Result<Vec<String>, String> {
    let answer = session.borrow().lines(input, start, count);
    let (source, from, to, skip, count) = match answer {
        LineAnswer::Ready(lines) => return Ok(lines),
        LineAnswer::Read {
            source,
            from,
            to,
            skip,
            count,
        } => (source, from as f64, to as f64, skip, count),
    };
    let Some(blob) = sources.borrow().get(source).cloned() else {
        return Ok(Vec::new());
    };
    let mut range = RangeLines::new(skip, count);
    let mut at = from;
    while at < to {
        let end = (at + LINE_READ).min(to);
        if range.push(&read_slice(&blob, at, end).await?) {
            break;
        }
        at = end;
    }
    Ok(range.finish())
}

/// Answer a request that is not an analysis.
pub async fn answer(
    session: Rc<RefCell<Session>>,
    sources: Sources,
    msg: ToWorker,
) -> Option<FromWorker> {
    match msg {
        ToWorker::Lines {
            input,
            start,
            count,
        } => Some(match lines(&session, &sources, input, start, count).await {
            Ok(lines) => FromWorker::Lines {
                input,
                start,
                lines,
            },
            Err(message) => FromWorker::Failed { message },
        }),
        ToWorker::Export {
            format,
            redact,
            lang,
        } => Some(match session.borrow().export(&format, redact, &lang) {
            Ok((file_name, mime, text)) => FromWorker::Exported {
                file_name,
                mime,
                text,
            },
            Err(message) => FromWorker::Failed { message },
        }),
        ToWorker::Analyze { .. } => None,
    }
}

/// Split a page message `{ msg, blobs }` into the request and its blobs.
pub fn decode_request(data: &JsValue) -> Result<(ToWorker, Vec<Blob>), String> {
    let msg = js_sys::Reflect::get(data, &"msg".into()).map_err(|e| format!("{e:?}"))?;
    let msg: ToWorker = serde_wasm_bindgen::from_value(msg).map_err(|e| e.to_string())?;
    let blobs = js_sys::Reflect::get(data, &"blobs".into()).unwrap_or(JsValue::UNDEFINED);
    let blobs = if blobs.is_array() {
        Array::from(&blobs)
            .iter()
            .filter_map(|b| b.dyn_into::<Blob>().ok())
            .collect()
    } else {
        Vec::new()
    };
    Ok((msg, blobs))
}

/// Encode a page request.
pub fn encode_request(msg: &ToWorker, blobs: &[Blob]) -> JsValue {
    let obj = js_sys::Object::new();
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let _ = js_sys::Reflect::set(
        &obj,
        &"msg".into(),
        &msg.serialize(&ser).unwrap_or(JsValue::NULL),
    );
    let arr = Array::new();
    for b in blobs {
        arr.push(b);
    }
    let _ = js_sys::Reflect::set(&obj, &"blobs".into(), &arr);
    obj.into()
}

/// Worker entry point: handle the page's requests until terminated.
pub fn install() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // A panic is reported to the page as a failure (the page then starts a fresh worker).
    std::panic::set_hook(Box::new(|info| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.post_message(&to_js(&FromWorker::Crashed {
            message: format!("the analysis stopped: {info}"),
        }));
    }));
    let session = Rc::new(RefCell::new(Session::new()));
    let sources: Sources = Rc::default();
    let warming = Rc::new(Cell::new(true));
    let post: Rc<dyn Fn(FromWorker)> = {
        let scope = scope.clone();
        Rc::new(move |m: FromWorker| {
            let _ = scope.post_message(&to_js(&m));
        })
    };
    let handler = {
        let post = post.clone();
        let warming = warming.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            match decode_request(&e.data()) {
                Ok((ToWorker::Analyze { names, roles }, blobs)) => {
                    warming.set(false);
                    let inputs = names.into_iter().zip(blobs).collect();
                    wasm_bindgen_futures::spawn_local(analyse(
                        session.clone(),
                        sources.clone(),
                        inputs,
                        roles,
                        post.clone(),
                        Rc::new(|| false),
                    ));
                }
                Ok((other, _)) => {
                    let (session, sources, post) = (session.clone(), sources.clone(), post.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(reply) = answer(session, sources, other).await {
                            post(reply);
                        }
                    });
                }
                Err(message) => post(FromWorker::Failed { message }),
            }
        })
    };
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(FromWorker::Ready);
    wasm_bindgen_futures::spawn_local(warm_up(warming));
}

/// Run the engine over a few MB made of the embedded samples, so that the browser has optimised
/// its hot code before the user's first analysis (V8 starts wasm on a baseline compiler and
/// optimises functions as they run). It goes in small steps and stops as soon as an analysis is
/// asked for (`go_on` turns false), so it never delays one.
async fn warm_up(go_on: Rc<Cell<bool>>) {
    let mut text = Vec::new();
    for sample in crate::samples::SAMPLES {
        for (_, bytes) in sample.files {
            text.extend_from_slice(bytes);
            text.push(b'\n');
        }
    }
    if text.is_empty() {
        return;
    }
    let mut session = Session::new();
    session.start(&[]);
    session.begin("warm-up", 0);
    let mut done = 0;
    while done < WARM_UP_BYTES && go_on.get() {
        session.push(&text);
        done += text.len();
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
    if go_on.get() {
        session.finish();
    }
}
