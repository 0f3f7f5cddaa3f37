//! The analysis side: reads the dropped files chunk by chunk into a [`Session`] and answers the
//! page. It runs in a classic Web Worker started from a blob: URL (see `web/boot.js`), or on the
//! page itself when no worker can be started.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use crate::session::Session;
use crate::transfer::{FromWorker, Progress, ToWorker};

const CHUNK: f64 = (1 << 20) as f64;
/// At most this long between two progress messages.
const PROGRESS_MS: f64 = 200.0;

/// Encode a message for `postMessage`.
pub fn to_js(msg: &FromWorker) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    msg.serialize(&ser)
        .unwrap_or_else(|e| JsValue::from_str(&format!("serialisation failed: {e}")))
}

use serde::Serialize;

async fn read_slice(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let part = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| format!("{e:?}"))?;
    let buf = JsFuture::from(part.array_buffer())
        .await
        .map_err(|e| format!("cannot read the file: {e:?}"))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Analyse `inputs` (name, blob) with the user's `roles`; post progress, then the result.
/// `cancelled` is polled between chunks (the worker itself is simply terminated to cancel).
pub async fn analyse(
    session: Rc<RefCell<Session>>,
    inputs: Vec<(String, Blob)>,
    roles: Vec<(String, String)>,
    post: Rc<dyn Fn(FromWorker)>,
    cancelled: Rc<dyn Fn() -> bool>,
) {
    let now = || js_sys::Date::now();
    let mut progress = Progress {
        bytes_read: 0,
        bytes_total: inputs.iter().map(|(_, b)| b.size() as u64).sum(),
        inputs_done: 0,
        inputs_total: inputs.len(),
        current: String::new(),
    };
    session.borrow_mut().start(&roles);
    let mut last = now();
    post(FromWorker::Progress(progress.clone()));
    for (name, blob) in inputs {
        progress.current = name.clone();
        let size = blob.size();
        let head = match read_slice(&blob, 0.0, size.min(4.0)).await {
            Ok(h) => h,
            Err(e) => {
                return post(FromWorker::Failed {
                    message: format!("{name}: {e}"),
                })
            }
        };
        if Session::needs_whole(&name, &head) {
            match read_slice(&blob, 0.0, size).await {
                Ok(bytes) => session.borrow_mut().add_whole(&name, bytes),
                Err(e) => {
                    return post(FromWorker::Failed {
                        message: format!("{name}: {e}"),
                    })
                }
            }
            progress.bytes_read += size as u64;
        } else {
            session.borrow_mut().begin(&name);
            let mut at = 0.0;
            while at < size {
                let end = (at + CHUNK).min(size);
                let chunk = match read_slice(&blob, at, end).await {
                    Ok(c) => c,
                    Err(e) => {
                        return post(FromWorker::Failed {
                            message: format!("{name}: {e}"),
                        })
                    }
                };
                if cancelled() {
                    return;
                }
                session.borrow_mut().push(&chunk);
                progress.bytes_read += (end - at) as u64;
                at = end;
                if now() - last >= PROGRESS_MS {
                    last = now();
                    post(FromWorker::Progress(progress.clone()));
                }
            }
            session.borrow_mut().end();
        }
        if cancelled() {
            return;
        }
        progress.inputs_done += 1;
        last = now();
        post(FromWorker::Progress(progress.clone()));
    }
    let view = session.borrow_mut().finish();
    post(FromWorker::Done {
        analysis: Box::new(view),
    });
}

/// Answer a request that is not an analysis.
pub fn answer(session: &Session, msg: ToWorker) -> Option<FromWorker> {
    match msg {
        ToWorker::Lines {
            input,
            start,
            count,
        } => Some(FromWorker::Lines {
            input,
            start,
            lines: session.lines(input, start, count),
        }),
        ToWorker::Export {
            format,
            redact,
            lang,
        } => Some(match session.export(&format, redact, &lang) {
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
    let post: Rc<dyn Fn(FromWorker)> = {
        let scope = scope.clone();
        Rc::new(move |m: FromWorker| {
            let _ = scope.post_message(&to_js(&m));
        })
    };
    let handler = {
        let post = post.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            match decode_request(&e.data()) {
                Ok((ToWorker::Analyze { names, roles }, blobs)) => {
                    let inputs = names.into_iter().zip(blobs).collect();
                    wasm_bindgen_futures::spawn_local(analyse(
                        session.clone(),
                        inputs,
                        roles,
                        post.clone(),
                        Rc::new(|| false),
                    ));
                }
                Ok((other, _)) => {
                    if let Some(reply) = answer(&session.borrow(), other) {
                        post(reply);
                    }
                }
                Err(message) => post(FromWorker::Failed { message }),
            }
        })
    };
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(FromWorker::Ready);
}
