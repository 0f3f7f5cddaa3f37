//! The analysis side: reads the dropped files chunk by chunk into a [`Session`] and answers the
//! page. It runs in a classic Web Worker started from a blob: URL (see `web/boot.js`), or on the
//! page itself when no worker can be started.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

use serde::Serialize;

use crate::session::{split_inputs, HandOver, LineAnswer, ParsedPart, RangeLines, Session};
use crate::transfer::{result_parts, DiagnoseStep, FromWorker, Progress, Stage, ToWorker};

#[wasm_bindgen]
extern "C" {
    /// Defined in the worker by `web/boot.js`: starts a helper worker from the same blob: URL and
    /// posts it the compiled module.
    #[wasm_bindgen(catch, js_name = loupeSpawnWorker)]
    fn spawn_helper() -> Result<Worker, JsValue>;
}

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
/// Bytes read at a time when a gzip or UTF-16 file is decoded again for the raw view.
const DECODE_READ: f64 = (8 << 20) as f64;
/// At most this long between two progress messages (while the engine works).
const PROGRESS_MS: f64 = 100.0;

/// The files of the current analysis, in the order they were given: the raw view reads lines of
/// plain-text inputs back from them.
pub type Sources = Rc<RefCell<Vec<Blob>>>;

/// Encode a message for `postMessage`: its JSON as UTF-8 bytes in an `ArrayBuffer` of its own, to
/// be transferred (see [`post_to`]). A result is megabytes of JSON: as a string it was decoded
/// from UTF-8 to a JS string in the worker, copied by `postMessage` and encoded back to UTF-8 for
/// wasm on the page (~150 ms of the 210 MB run, after the last progress); as bytes it is copied
/// once out of wasm memory and once into the page's.
pub fn to_js(msg: &FromWorker) -> JsValue {
    let bytes = serde_json::to_vec(msg).unwrap_or_else(|e| {
        serde_json::to_vec(&FromWorker::Failed {
            message: format!("serialisation failed: {e}"),
        })
        .unwrap_or_default()
    });
    bytes_to_js(&bytes).into()
}

/// `bytes` copied into a new `ArrayBuffer`.
fn bytes_to_js(bytes: &[u8]) -> ArrayBuffer {
    let out = Uint8Array::new_with_length(bytes.len() as u32);
    out.copy_from(bytes);
    out.buffer()
}

/// Post `msg` ([`to_js`]) to `target`, its bytes transferred, not copied. An export's Blob goes
/// beside them, as `{ msg, blob }` ([`from_js`] puts them together again).
pub fn post_to(target: &JsValue, msg: &FromWorker) {
    let buffer = to_js(msg);
    let transfer = Array::of1(&buffer);
    let message = match msg {
        FromWorker::Exported {
            blob: Some(blob), ..
        } => {
            let obj = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&obj, &"msg".into(), &buffer);
            let _ = js_sys::Reflect::set(&obj, &"blob".into(), blob);
            obj.into()
        }
        _ => buffer,
    };
    let _ = match target.dyn_ref::<Worker>() {
        Some(w) => w.post_message_with_transfer(&message, &transfer),
        None => target
            .unchecked_ref::<DedicatedWorkerGlobalScope>()
            .post_message_with_transfer(&message, &transfer),
    };
}

/// The bytes of a message: an `ArrayBuffer` (or a view of one) copied out, or a string's UTF-8.
fn message_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = value.as_string() {
        return Some(s.into_bytes());
    }
    if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(b).to_vec());
    }
    value.dyn_ref::<Uint8Array>().map(|v| v.to_vec())
}

/// Decode a message from [`to_js`] (bytes), or JSON text (`web/boot.js` reports a worker that
/// cannot start as a string of the same JSON form).
pub fn from_js(value: &JsValue) -> FromWorker {
    // An export: `{ msg, blob }` (see [`post_to`]).
    if let Ok(blob) = js_sys::Reflect::get(value, &"blob".into()) {
        if let Some(blob) = blob.dyn_ref::<Blob>() {
            let msg = js_sys::Reflect::get(value, &"msg".into()).unwrap_or(JsValue::NULL);
            return match from_js(&msg) {
                FromWorker::Exported { file_name, .. } => FromWorker::Exported {
                    file_name,
                    blob: Some(blob.clone()),
                },
                other => other,
            };
        }
    }
    let parsed = message_bytes(value)
        .ok_or_else(|| format!("not a message: {value:?}"))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()));
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

/// Every read of an analysis, in order: each input in [`CHUNK`]s (one piece for an empty file).
/// The first reads are smaller (1, 2, 4 MiB), so that the first progress shows soon after the
/// start. (Archives were opened before, [`expand_archives`]; a zip named as a trace is found by
/// its first piece and then read whole, [`read_into`].)
fn read_plan(inputs: &[Input]) -> Vec<Piece> {
    let mut plan = Vec::new();
    let mut chunk = FIRST_CHUNK;
    for (input, i) in inputs.iter().enumerate() {
        let size = i.blob.size();
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

/// One input to read: its name, its file, and its index among the files of the analysis (the raw
/// view reads its lines back from there).
#[derive(Clone)]
pub struct Input {
    pub name: String,
    pub blob: Blob,
    pub source: usize,
}

/// How far one worker's reading has got.
#[derive(Debug, Clone, Default)]
struct Reading {
    bytes_read: u64,
    inputs_done: usize,
    current: String,
}

/// Read `inputs` into `session` (started by the caller): every read of all inputs forms one
/// pipeline, the next read started before the bytes of the current one go to the engine, across
/// file boundaries too, so the browser reads while the engine works. `tick(reading, done_one)`
/// follows each read (`done_one` when an input has ended). False when cancelled.
async fn read_into(
    session: &Rc<RefCell<Session>>,
    inputs: &[Input],
    tick: &mut dyn FnMut(&Reading, bool),
    cancelled: &dyn Fn() -> bool,
) -> Result<bool, FromWorker> {
    let failed = |name: &str, e: String| FromWorker::Failed {
        message: format!("{name}: {e}"),
    };
    let plan = read_plan(inputs);
    let begin_read = |k: usize| -> Result<Option<JsFuture>, FromWorker> {
        let Some(p) = plan.get(k) else {
            return Ok(None);
        };
        let i = &inputs[p.input];
        start_read(&i.blob, p.start, p.end)
            .map(Some)
            .map_err(|e| failed(&i.name, e))
    };
    // Reads in flight, in plan order.
    let mut ahead = std::collections::VecDeque::new();
    for k in 0..READS_AHEAD {
        match begin_read(k)? {
            Some(r) => ahead.push_back(r),
            None => break,
        }
    }
    let mut reading = Reading::default();
    // Inputs read whole (their later pieces are skipped).
    let mut whole = vec![false; inputs.len()];
    let mut buf = vec![0u8; PUSH];
    for (k, piece) in plan.iter().enumerate() {
        let Input { name, blob, source } = &inputs[piece.input];
        let size = blob.size();
        let read = match ahead.pop_front() {
            Some(read) => finish_read(read).await,
            None => Err("no read".to_string()),
        };
        let bytes = read.map_err(|e| failed(name, e))?;
        if let Some(r) = begin_read(k + READS_AHEAD)? {
            ahead.push_back(r);
        }
        if cancelled() {
            return Ok(false);
        }
        if whole[piece.input] {
            continue;
        }
        if piece.start == 0.0 {
            reading.current = name.clone();
            let view = Uint8Array::new(&bytes);
            let head = view.subarray(0, view.length().min(4)).to_vec();
            if Session::needs_whole(name, &head) {
                whole[piece.input] = true;
                let all = if piece.end >= size {
                    view.to_vec()
                } else {
                    read_slice(blob, 0.0, size)
                        .await
                        .map_err(|e| failed(name, e))?
                };
                // An archive's entries one at a time, the progress moving with them (its
                // size shared out evenly), as for files given one by one.
                let entries = session.borrow_mut().begin_whole(name, all) as u64;
                let (before, size) = (reading.bytes_read, size as u64);
                let mut done = 0;
                loop {
                    let Some(entry) = session.borrow_mut().next_whole_entry() else {
                        break;
                    };
                    done += 1;
                    reading.current = entry;
                    reading.bytes_read = before + size * done / entries;
                    tick(&reading, false);
                    if cancelled() {
                        return Ok(false);
                    }
                }
                reading.current = name.clone();
                reading.bytes_read = before + size;
            } else {
                session.borrow_mut().begin(name, *source);
            }
        }
        if !whole[piece.input] {
            let mut session = session.borrow_mut();
            push_in_pieces(&bytes, &mut buf, |b| session.push(b));
            reading.bytes_read += (piece.end - piece.start) as u64;
        }
        let ended = whole[piece.input] || piece.end >= size;
        if ended {
            session.borrow_mut().end();
            reading.inputs_done += 1;
        }
        tick(&reading, ended);
    }
    Ok(true)
}

/// A helper worker started ahead, once this worker has warmed up: by the time an analysis comes,
/// its module is instantiated and its engine built (started with the analysis, a helper began
/// reading 200-300 ms after this worker, and the analysis waited for it at the end).
struct SpareHelper {
    worker: Worker,
    /// It said it is ready (its message loop runs).
    ready: Rc<Cell<bool>>,
    /// It could not start.
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    /// This worker's spare helper, if one was started ([`warm_up`]) and not yet used.
    static SPARE_HELPER: RefCell<Option<SpareHelper>> = const { RefCell::new(None) };
}

impl SpareHelper {
    fn start() -> Option<SpareHelper> {
        let worker = spawn_helper().ok()?;
        let (ready, failed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let on_message = {
            let ready = ready.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if matches!(from_js(&e.data()), FromWorker::Ready) {
                    ready.set(true);
                }
            })
        };
        let on_error = {
            let failed = failed.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
                e.prevent_default();
                failed.set(true);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(SpareHelper {
            worker,
            ready,
            failed,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The spare helper of this worker, if it has one that has not failed.
    fn take() -> Option<SpareHelper> {
        let spare = SPARE_HELPER.with(|s| s.borrow_mut().take())?;
        if spare.failed.get() {
            spare.worker.terminate();
            return None;
        }
        Some(spare)
    }
}

/// A second worker reading part of the inputs ([`parse_for_helper`]) while this one reads the
/// rest: inputs are independent until diagnosis. Started by this worker (a nested worker, from
/// the same blob: URL and compiled module), so terminating this worker ends it too.
struct Helper {
    worker: Worker,
    /// The helper's loop runs (it said it is ready): it has been given its inputs.
    started: Rc<Cell<bool>>,
    /// The parts the helper has handed over and this worker has not yet taken in, as
    /// `{ parsed, kept, last }` ([`post_parsed`]): one per input, as each ends.
    parts: Rc<RefCell<Vec<JsValue>>>,
    /// Resolves once the last part has come, or rejects with a message.
    done: JsFuture,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Helper {
    /// Start a helper for `inputs`; `progress` receives its progress. None when no worker can
    /// be started here.
    fn start(inputs: &[Input], progress: Rc<dyn Fn(Reading)>) -> Option<Helper> {
        // The spare's handlers are replaced below, then dropped with it.
        let spare = SpareHelper::take();
        let (worker, ready) = match &spare {
            Some(h) => (h.worker.clone(), h.ready.get()),
            None => (spawn_helper().ok()?, false),
        };
        let (mut resolve, mut reject) = (None, None);
        let promise = js_sys::Promise::new(&mut |res, rej| {
            resolve = Some(res);
            reject = Some(rej);
        });
        let (resolve, reject) = (resolve?, reject?);
        let blobs: Vec<Blob> = inputs.iter().map(|i| i.blob.clone()).collect();
        let request = encode_request(
            &ToWorker::Parse {
                names: inputs.iter().map(|i| i.name.clone()).collect(),
                sources: inputs.iter().map(|i| i.source).collect(),
            },
            &blobs,
        );
        let started = Rc::new(Cell::new(false));
        // The request goes once the helper is ready: now, or on its Ready message.
        let request = Rc::new(RefCell::new(Some(request)));
        let (request_now, reject_now) = (request.clone(), reject.clone());
        let parts = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let (worker, reject, started) = (worker.clone(), reject.clone(), started.clone());
            let parts = parts.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                // What the helper parsed comes as `{ parsed, kept, last }` ([`post_parsed`]).
                let data = e.data();
                if let Ok(part) = js_sys::Reflect::get(&data, &"parsed".into()) {
                    if part.is_instance_of::<ArrayBuffer>() {
                        let last = js_sys::Reflect::get(&data, &"last".into())
                            .is_ok_and(|l| l.is_truthy());
                        parts.borrow_mut().push(data);
                        if last {
                            let _ = resolve.call0(&JsValue::NULL);
                        }
                        return;
                    }
                }
                match from_js(&data) {
                    // Messages posted before the helper's loop is installed would be lost: the
                    // request goes once it says it is ready.
                    FromWorker::Ready => {
                        started.set(true);
                        if let Some(r) = request.borrow_mut().take() {
                            if let Err(err) = worker.post_message(&r) {
                                let _ = reject.call1(&JsValue::NULL, &format!("{err:?}").into());
                            }
                        }
                    }
                    FromWorker::Progress(p) => progress(Reading {
                        bytes_read: p.bytes_read,
                        inputs_done: p.inputs_done,
                        current: p.current,
                    }),
                    FromWorker::Failed { message } | FromWorker::Crashed { message } => {
                        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
                    }
                    _ => {}
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            // Handled here: not passed on as this worker's own error (the page would take this
            // worker for failed).
            e.prevent_default();
            let _ = reject.call1(
                &JsValue::NULL,
                &format!("the helper worker failed: {}", e.message()).into(),
            );
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        drop(spare);
        // A spare that is ready already will not say so again: its request goes now.
        if ready {
            started.set(true);
            let r = request_now.borrow_mut().take();
            if let Some(r) = r {
                if let Err(err) = worker.post_message(&r) {
                    let _ = reject_now.call1(&JsValue::NULL, &format!("{err:?}").into());
                }
            }
        }
        Some(Helper {
            worker,
            started,
            parts,
            done: JsFuture::from(promise),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The parts handed over since the last call, read.
    fn take_parts(&self) -> Result<Vec<ParsedPart>, String> {
        take_parts(&self.parts)
    }

    /// The parts not yet taken, once the last has come; the helper is ended. The error says
    /// whether the helper had started (been given its inputs) before it failed.
    async fn finish(self) -> Result<Vec<ParsedPart>, (String, bool)> {
        let Helper {
            worker,
            started,
            parts,
            done,
            _on_message,
            _on_error,
        } = self;
        let done = done.await;
        worker.terminate();
        done.map_err(|e| {
            let message = e.as_string().unwrap_or_else(|| format!("{e:?}"));
            (message, started.get())
        })?;
        take_parts(&parts).map_err(|m| (m, true))
    }
}

/// The parts in `parts` ([`Helper::parts`]) taken out and read.
fn take_parts(parts: &RefCell<Vec<JsValue>>) -> Result<Vec<ParsedPart>, String> {
    let parts = std::mem::take(&mut *parts.borrow_mut());
    parts.iter().map(read_part).collect()
}

/// A part a helper handed over ([`post_parsed`]), read.
fn read_part(part: &JsValue) -> Result<ParsedPart, String> {
    let field = |name: &str| js_sys::Reflect::get(part, &name.into()).ok();
    let head = field("parsed")
        .and_then(|p| message_bytes(&p))
        .unwrap_or_default();
    let kept = field("kept")
        .map(|k| {
            Array::from(&k)
                .iter()
                .filter_map(|b| message_bytes(&b))
                .collect()
        })
        .unwrap_or_default();
    ParsedPart::from_hand_over(HandOver { head, kept })
}

/// Is `name` a trace's (`.txt`, `.log`, `.gz`)? Such an input is read as text or gzip without a
/// look at its first bytes before the analysis.
fn named_as_trace(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [".txt", ".log", ".gz"].iter().any(|e| name.ends_with(e))
}

/// Which of `inputs` are zip archives: those named `.zip`, and those whose name is no trace's
/// ([`named_as_trace`]) and whose first bytes are a zip's (all of them read at once: a file
/// downloaded without its extension, `collect.bin`, is opened as `collect.zip` would be).
async fn find_archives(inputs: &[(String, Blob)]) -> Result<Vec<bool>, FromWorker> {
    let mut archive: Vec<bool> = inputs
        .iter()
        .map(|(name, _)| Session::needs_whole(name, &[]))
        .collect();
    let mut heads = Vec::new();
    for (i, (name, blob)) in inputs.iter().enumerate() {
        if !archive[i] && !named_as_trace(name) && blob.size() >= 4.0 {
            let failed = |e: String| FromWorker::Failed {
                message: format!("{name}: {e}"),
            };
            heads.push((i, start_read(blob, 0.0, 4.0).map_err(failed)?));
        }
    }
    for (i, read) in heads {
        let head = finish_read(read).await.map_err(|e| FromWorker::Failed {
            message: format!("{}: {e}", inputs[i].0),
        })?;
        archive[i] = Session::needs_whole(&inputs[i].0, &Uint8Array::new(&head).to_vec());
    }
    Ok(archive)
}

/// Zip archives ([`find_archives`]: an RTMT collection) opened into their entries, each a `Blob`
/// of its own: the entries are then read as files are, split between the workers and read again
/// for the raw view. A deflated entry of text stays compressed (a gzip member of its deflate
/// data, `decode::container`), so each worker inflates the entries it reads, and the raw view
/// decodes it again as it does a `.gz` file. An archive is read in [`CHUNK`]s and each entry
/// becomes a `Blob` as soon as it is opened, so the worker holds the archive and one entry, not
/// every entry at once; progress ([`Stage::Opening`]) follows the archive's bytes,
/// then its entries. (A zip named as a trace, `.txt`, is found by its first bytes while it is
/// read, and analysed whole, [`Session::begin_whole`].) `None` when cancelled.
async fn expand_archives(
    session: &Rc<RefCell<Session>>,
    inputs: Vec<(String, Blob)>,
    post: &dyn Fn(FromWorker),
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Vec<(String, Blob)>>, FromWorker> {
    let archive = find_archives(&inputs).await?;
    let bytes_total: f64 = inputs
        .iter()
        .zip(&archive)
        .filter(|(_, a)| **a)
        .map(|((_, b), _)| b.size())
        .sum();
    if bytes_total == 0.0 {
        return Ok(Some(inputs));
    }
    let progress = RefCell::new(Progress {
        stage: Stage::Opening,
        bytes_total: bytes_total as u64,
        workers: 1,
        ..Progress::default()
    });
    let last = Cell::new(f64::NEG_INFINITY);
    let show = |force: bool| {
        let now = js_sys::Date::now();
        if force || now - last.get() >= PROGRESS_MS {
            last.set(now);
            post(FromWorker::Progress(progress.borrow().clone()));
        }
    };
    let mut out = Vec::with_capacity(inputs.len());
    for ((name, blob), archive) in inputs.into_iter().zip(archive) {
        if !archive {
            out.push((name, blob));
            continue;
        }
        let failed = |e: String| FromWorker::Failed {
            message: format!("{name}: {e}"),
        };
        progress.borrow_mut().current = name.clone();
        show(true);
        // The archive in slices, the next one read while this one is copied.
        let size = blob.size();
        let mut bytes = Vec::with_capacity(size as usize);
        let mut next = Some(start_read(&blob, 0.0, size.min(CHUNK)).map_err(failed)?);
        while let Some(read) = next.take() {
            let buf = finish_read(read).await.map_err(failed)?;
            let buf = Uint8Array::new(&buf);
            let at = bytes.len();
            let end = at as f64 + buf.length() as f64;
            if end < size {
                next = Some(start_read(&blob, end, size.min(end + CHUNK)).map_err(failed)?);
            }
            bytes.resize(at + buf.length() as usize, 0);
            buf.copy_to(&mut bytes[at..]);
            progress.borrow_mut().bytes_read += buf.length() as u64;
            if cancelled() {
                return Ok(None);
            }
            show(false);
        }
        let mut unmade = None;
        session
            .borrow_mut()
            .expand_archive_each(&name, bytes, |entry| {
                if unmade.is_some() {
                    return;
                }
                let parts = Array::of1(&Uint8Array::from(&entry.bytes[..]));
                match Blob::new_with_u8_array_sequence(&parts) {
                    Ok(blob) => {
                        let mut p = progress.borrow_mut();
                        p.inputs_done += 1;
                        p.current = entry.name.clone();
                        drop(p);
                        show(false);
                        out.push((entry.name, blob));
                    }
                    Err(e) => unmade = Some(failed(format!("{}: {e:?}", entry.name))),
                }
            });
        if let Some(e) = unmade {
            return Err(e);
        }
        if cancelled() {
            return Ok(None);
        }
    }
    show(true);
    Ok(Some(out))
}

/// Analyse `inputs` (name, blob) with the user's `roles`; post progress, then the result in parts.
/// `cancelled` is polled between chunks (the worker itself is simply terminated to cancel).
///
/// With `helpers` (in a worker) and two inputs or more, the inputs are split in two groups of
/// about the same size (`session::split_inputs`): a helper worker reads one, this worker the
/// other, and this one diagnoses both (the result is the same as one worker's: the diagnosis puts
/// inputs in a canonical order). Progress counts the bytes both have read.
pub async fn analyse(
    session: Rc<RefCell<Session>>,
    sources: Sources,
    inputs: Vec<(String, Blob)>,
    roles: Vec<(String, String)>,
    post: Rc<dyn Fn(FromWorker)>,
    cancelled: Rc<dyn Fn() -> bool>,
    helpers: bool,
) {
    let now = js_sys::Date::now;
    session.borrow_mut().start(&roles);
    let inputs = match expand_archives(&session, inputs, &*post, &*cancelled).await {
        Ok(Some(inputs)) => inputs,
        Ok(None) => return,
        Err(m) => return post(m),
    };
    let inputs: Vec<Input> = inputs
        .into_iter()
        .enumerate()
        .map(|(source, (name, blob))| Input { name, blob, source })
        .collect();
    let base = Progress {
        stage: Stage::Reading,
        bytes_read: 0,
        bytes_total: inputs.iter().map(|i| i.blob.size() as u64).sum(),
        inputs_done: 0,
        inputs_total: inputs.len(),
        current: String::new(),
        workers: 1,
        step: None,
    };
    *sources.borrow_mut() = inputs.iter().map(|i| i.blob.clone()).collect();
    post(FromWorker::Progress(base.clone()));
    let (mine, theirs) = if helpers {
        let sizes: Vec<(&str, f64)> = inputs
            .iter()
            .map(|i| (i.name.as_str(), i.blob.size()))
            .collect();
        split_inputs(&sizes)
    } else {
        ((0..inputs.len()).collect(), Vec::new())
    };
    // Mine, the helper's, when progress was last posted.
    let shared = Rc::new(RefCell::new((
        Reading::default(),
        Reading::default(),
        now(),
    )));
    // Workers reading: 2 with a helper, back to 1 if it could not start.
    let workers = Rc::new(Cell::new(if theirs.is_empty() { 1 } else { 2 }));
    let show: Rc<dyn Fn(bool)> = {
        let (shared, post, base) = (shared.clone(), post.clone(), base.clone());
        let workers = workers.clone();
        let handing_over = Cell::new(false);
        Rc::new(move |ended: bool| {
            let mut s = shared.borrow_mut();
            // An input's end is shown with the next update, not at once: each update re-renders
            // the page, and with many files (a trace rolled every 10 MB) the ends alone made 20
            // to 40 updates a second on the main thread, beside the two workers on two cores
            // (Chromium trace, 210 MB in 20 files). The last input's end is shown at once: it
            // completes the count.
            let all_done = ended && s.0.inputs_done + s.1.inputs_done >= base.inputs_total;
            if !all_done && now() - s.2 < PROGRESS_MS {
                return;
            }
            s.2 = now();
            // Both workers have read everything: what is left before the diagnosis is taking in
            // the helper's last parts (each input is handed over as it ends).
            if all_done && workers.get() == 2 {
                if handing_over.replace(true) {
                    return;
                }
                post(FromWorker::Progress(Progress {
                    stage: Stage::Diagnosing,
                    bytes_read: base.bytes_total,
                    inputs_done: base.inputs_total,
                    workers: 2,
                    step: Some(DiagnoseStep::taking_over()),
                    ..base.clone()
                }));
                return;
            }
            let current = if s.0.current.is_empty() {
                s.1.current.clone()
            } else {
                s.0.current.clone()
            };
            post(FromWorker::Progress(Progress {
                bytes_read: s.0.bytes_read + s.1.bytes_read,
                inputs_done: s.0.inputs_done + s.1.inputs_done,
                current,
                workers: workers.get(),
                ..base.clone()
            }));
        })
    };
    let group: Vec<Input> = theirs.iter().map(|&i| inputs[i].clone()).collect();
    let helper = if theirs.is_empty() {
        None
    } else {
        let (shared, show) = (shared.clone(), show.clone());
        Helper::start(
            &group,
            Rc::new(move |r: Reading| {
                let ended = r.inputs_done > shared.borrow().1.inputs_done;
                shared.borrow_mut().1 = r;
                show(ended);
            }),
        )
    };
    let mine: Vec<Input> = match helper {
        Some(_) => mine.iter().map(|&i| inputs[i].clone()).collect(),
        None => inputs.clone(),
    };
    // The helper's parts are taken in as they come, between this worker's own reads.
    let unreadable = RefCell::new(None);
    let take_in = || {
        if let Some(h) = &helper {
            match h.take_parts() {
                Ok(parts) => parts
                    .into_iter()
                    .for_each(|p| session.borrow_mut().absorb(p)),
                Err(m) => {
                    unreadable.borrow_mut().get_or_insert(m);
                }
            }
        }
    };
    let mut tick = |r: &Reading, ended: bool| {
        take_in();
        shared.borrow_mut().0 = r.clone();
        show(ended);
    };
    match read_into(&session, &mine, &mut tick, &*cancelled).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(m) => return post(m),
    }
    take_in();
    if let Some(message) = unreadable.take() {
        return post(FromWorker::Failed { message });
    }
    if let Some(helper) = helper {
        match helper.finish().await {
            Ok(parts) => parts
                .into_iter()
                .for_each(|p| session.borrow_mut().absorb(p)),
            // The helper could not start (a browser that refuses the nested worker's script):
            // its files are read here, after this worker's own.
            Err((_, false)) => {
                workers.set(1);
                let before = shared.borrow().0.clone();
                let mut tick = |r: &Reading, ended: bool| {
                    shared.borrow_mut().0 = Reading {
                        bytes_read: before.bytes_read + r.bytes_read,
                        inputs_done: before.inputs_done + r.inputs_done,
                        current: r.current.clone(),
                    };
                    show(ended);
                };
                match read_into(&session, &group, &mut tick, &*cancelled).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(m) => return post(m),
                }
            }
            Err((message, true)) => return post(FromWorker::Failed { message }),
        }
    }
    if cancelled() {
        return;
    }
    let s = shared.borrow();
    let diagnosing = Progress {
        stage: Stage::Diagnosing,
        bytes_read: s.0.bytes_read + s.1.bytes_read,
        inputs_done: s.0.inputs_done + s.1.inputs_done,
        current: String::new(),
        workers: workers.get(),
        ..base
    };
    drop(s);
    // The diagnosis's steps (17 in all) and a long step's parts are shown as they come, since on
    // 100,000 attempts it is seconds of work here; but no more often than the reading's updates
    // (each re-renders the page, and all 17 steps of a 210 MB diagnosis come within some 50 ms).
    // The first is always shown.
    let mut last = now() - PROGRESS_MS;
    let view = session.borrow_mut().finish_with(&mut |step| {
        if now() - last < PROGRESS_MS {
            return;
        }
        last = now();
        post(FromWorker::Progress(Progress {
            step: Some(step.into()),
            ..diagnosing.clone()
        }))
    });
    post(FromWorker::Progress(Progress {
        step: Some(DiagnoseStep::preparing()),
        ..diagnosing
    }));
    for part in result_parts(view) {
        post(part);
    }
}

/// A helper's side of [`analyse`]: read `inputs` (with the indices the analysing worker gave
/// them) and post progress, then everything parsed, to the worker that started this one.
pub async fn parse_for_helper(
    session: Rc<RefCell<Session>>,
    inputs: Vec<Input>,
    post: Rc<dyn Fn(FromWorker)>,
) {
    let now = js_sys::Date::now;
    session.borrow_mut().start(&[]);
    let mut last = now();
    let failed = RefCell::new(None);
    let mut tick = |r: &Reading, ended: bool| {
        // Each input is handed over as it ends: the worker that diagnoses takes it in while it
        // reads its own.
        if ended && failed.borrow().is_none() {
            match session.borrow_mut().take_parsed().into_hand_over() {
                Ok(part) => post_parsed(part, false),
                Err(e) => *failed.borrow_mut() = Some(e),
            }
        }
        if ended || now() - last >= PROGRESS_MS {
            last = now();
            post(FromWorker::Progress(Progress {
                bytes_read: r.bytes_read,
                inputs_done: r.inputs_done,
                current: r.current.clone(),
                ..Progress::default()
            }));
        }
    };
    match read_into(&session, &inputs, &mut tick, &|| false).await {
        Ok(_) => {
            let rest = session.borrow_mut().into_parsed().into_hand_over();
            match (failed.take(), rest) {
                (None, Ok(part)) => post_parsed(part, true),
                (Some(e), _) | (None, Err(e)) => post(FromWorker::Failed {
                    message: format!("parsed inputs not sent: {e}"),
                }),
            }
        }
        Err(m) => post(m),
    }
}

/// A helper's answer to the worker that started it: what it parsed, as
/// `{ parsed: ArrayBuffer, kept: [ArrayBuffer], last: bool }` ([`HandOver`], every buffer
/// transferred; not inside a [`FromWorker`] message, where it would be a string escaped into JSON
/// once more): one per input as it ends, then the `last`, what is left.
fn post_parsed(part: HandOver, last: bool) {
    let transfer = Array::new();
    let buffer = |bytes: &[u8]| {
        let b: JsValue = bytes_to_js(bytes).into();
        transfer.push(&b);
        b
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"parsed".into(), &buffer(&part.head));
    let kept: Array = part.kept.iter().map(|k| buffer(k)).collect();
    let _ = js_sys::Reflect::set(&msg, &"kept".into(), &kept);
    let _ = js_sys::Reflect::set(&msg, &"last".into(), &last.into());
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message_with_transfer(&msg, &transfer);
}

/// Lines for the raw view: from memory, or read back from the input's file.
async fn lines(
    session: &Rc<RefCell<Session>>,
    sources: &Sources,
    input: usize,
    start: u32,
    count: u32,
) -> Result<Vec<String>, String> {
    let mut answer = session.borrow().lines(input, start, count);
    if let LineAnswer::Decode { source } = answer {
        // A gzip or UTF-16 input: its file, decoded again a slice at a time, and kept.
        let Some(blob) = sources.borrow().get(source).cloned() else {
            return Ok(Vec::new());
        };
        let Some(mut redecode) = session.borrow().start_decode(input) else {
            return Ok(Vec::new());
        };
        let mut at = 0.0;
        while at < blob.size() {
            let end = (at + DECODE_READ).min(blob.size());
            let bytes = read_slice(&blob, at, end).await?;
            session.borrow_mut().decode_slice(&mut redecode, &bytes);
            at = end;
        }
        session.borrow_mut().keep_decoded(redecode);
        answer = session.borrow().lines(input, start, count);
    }
    let (source, from, to, skip, count) = match answer {
        LineAnswer::Ready(lines) => return Ok(lines),
        LineAnswer::Decode { .. } => return Ok(Vec::new()),
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

/// Parts of an export gathered into one Blob at a time: 64 parts of [`crate::export::PART`], so
/// that no more than 64 MiB of it wait in JS memory as separate arrays.
const PARTS_PER_BLOB: u32 = 64;

/// The export of the session's analysis as a Blob, and its file name. Each part of the text is
/// copied once out of wasm memory (which never holds the text whole) and gathered into Blobs of
/// Blobs, which the browser may keep on disk.
fn export_blob(
    session: &Session,
    format: &str,
    redact: bool,
    lang: &str,
) -> Result<(String, Blob), String> {
    let blob_of = |parts: &Array, mime: &str| {
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        Blob::new_with_u8_array_sequence_and_options(parts, &opts).map_err(|e| format!("{e:?}"))
    };
    let (done, parts) = (Array::new(), Array::new());
    let mut failed = None;
    let (file_name, mime) = session.export(format, redact, lang, &mut |bytes| {
        parts.push(&Uint8Array::from(bytes));
        if parts.length() >= PARTS_PER_BLOB {
            match blob_of(&parts, "") {
                Ok(b) => {
                    done.push(&b);
                }
                Err(e) => failed = Some(e),
            }
            parts.set_length(0);
        }
    })?;
    if let Some(e) = failed {
        return Err(format!("the export could not be put together: {e}"));
    }
    let last = blob_of(&parts, "")?;
    done.push(&last);
    let blob = blob_of(&done, &format!("{mime};charset=utf-8"))?;
    Ok((file_name, blob))
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
                kept: session.borrow().lines_kept(input),
            },
            Err(message) => FromWorker::Failed { message },
        }),
        ToWorker::Export {
            format,
            redact,
            lang,
        } => Some(
            match export_blob(&session.borrow(), &format, redact, &lang) {
                Ok((file_name, blob)) => FromWorker::Exported {
                    file_name,
                    blob: Some(blob),
                },
                Err(message) => FromWorker::Failed { message },
            },
        ),
        ToWorker::Analyze { .. } | ToWorker::Parse { .. } => None,
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
        post_to(
            &scope,
            &FromWorker::Crashed {
                message: format!("the analysis stopped: {info}"),
            },
        );
    }));
    let session = Rc::new(RefCell::new(Session::new()));
    let sources: Sources = Rc::default();
    let warming = Rc::new(Cell::new(true));
    let post: Rc<dyn Fn(FromWorker)> = {
        let scope = scope.clone();
        Rc::new(move |m: FromWorker| {
            post_to(&scope, &m);
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
                        true,
                    ));
                }
                Ok((ToWorker::Parse { names, sources }, blobs)) => {
                    warming.set(false);
                    let inputs = names
                        .into_iter()
                        .zip(blobs)
                        .zip(sources)
                        .map(|((name, blob), source)| Input { name, blob, source })
                        .collect();
                    wasm_bindgen_futures::spawn_local(parse_for_helper(
                        session.clone(),
                        inputs,
                        post.clone(),
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
    // A helper (started by a worker for half of the files, see `web/boot.js`) is given its files
    // at once: warming up would only delay them.
    let helper = js_sys::Reflect::get(&scope, &"loupeHelper".into()).is_ok_and(|h| h.is_truthy());
    if !helper {
        wasm_bindgen_futures::spawn_local(warm_up(warming));
    }
}

/// Run the code of an analysis over the embedded samples before the user's first one, so that the
/// browser has compiled and optimised it by then. V8 compiles a wasm function when it is first
/// called (baseline) and optimises it once it has run a while, on background threads. Warmed up
/// on one input made of every sample strung together, a tab's first analysis of 210 MB still
/// compiled 829 functions and spent 0.8 s of optimising (Chromium trace, `wasm.CompileLazy`,
/// `wasm.TopTierCompilation`), on a two-core machine beside its two workers; it took 1.45–1.55 s
/// where the next ones took 1.05–1.2 s. So the warm-up goes the way an analysis goes: every
/// sample's files as inputs of their own (every parser and rule), the ILS-dense sample (a hub and
/// a spoke of the ILS process's own traffic) repeated to [`WARM_UP_BYTES`] (the hot loop), the
/// spoke parsed by a second session and handed over as a helper hands it over, then the result
/// diagnosed and encoded as it is posted. It yields after each file (each copy of a dense one,
/// about 40 KB) and stops as soon as an analysis is asked for (`go_on` turns false), so it never
/// delays one.
async fn warm_up(go_on: Rc<Cell<bool>>) {
    let step = || gloo::timers::future::TimeoutFuture::new(0);
    let mut session = Session::new();
    session.start(&[]);
    let mut helper = Session::new();
    helper.start(&[]);
    let dense = crate::samples::SAMPLES
        .iter()
        .find(|s| s.id == "dense" && s.files.len() == 2);
    let mut source = 0;
    if let Some(dense) = dense {
        for (k, (name, bytes)) in dense.files.iter().enumerate() {
            let into = if k == 0 { &mut session } else { &mut helper };
            into.begin(name, source);
            source += 1;
            let mut done = 0;
            while done < WARM_UP_BYTES / 2 {
                for piece in bytes.chunks(PUSH) {
                    if !go_on.get() {
                        return;
                    }
                    into.push(piece);
                }
                done += bytes.len().max(1);
                step().await;
            }
            into.end();
        }
    }
    for sample in crate::samples::SAMPLES {
        for (name, bytes) in sample.files {
            if !go_on.get() {
                return;
            }
            if Session::needs_whole(name, bytes) {
                session.add_whole(name, bytes.to_vec());
            } else {
                session.begin(name, source);
                session.push(bytes);
                session.end();
            }
            source += 1;
            step().await;
        }
    }
    if let Ok(part) = helper.into_parsed().into_hand_over() {
        if let Ok(part) = crate::session::ParsedPart::from_hand_over(part) {
            session.absorb(part);
        }
    }
    step().await;
    if go_on.get() {
        for part in result_parts(session.finish()) {
            drop(to_js(&part));
        }
        // Warmed up and still idle: a helper for the next analysis starts now.
        let spare = SpareHelper::start();
        SPARE_HELPER.with(|s| *s.borrow_mut() = spare);
    }
}
