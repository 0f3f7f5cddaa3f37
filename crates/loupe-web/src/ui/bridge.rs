//! The page's end of the analysis: a classic Web Worker started by the bootstrap
//! (`window.loupeSpawnWorker`, a blob: URL holding the wasm-bindgen glue), or — when no worker can
//! be started — the same code run on the page, with a visible notice.
//!
//! Cancelling terminates the worker (it is busy in a loop) and starts a fresh one; a worker that
//! fails is reported and replaced on the next request. A spare worker is always started ahead, so
//! that a new set of logs (which gets a fresh worker, to give back the old one's memory) or a
//! cancel does not wait for a worker to start. Messages from any worker but the current one (a
//! spare, or one already replaced) are ignored.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

use crate::session::Session;
use crate::transfer::{FromWorker, Progress, ResultAssembly, Stage, ToWorker};
use crate::worker::{analyse, answer, encode_request, from_js, Sources};

#[wasm_bindgen]
extern "C" {
    /// Defined by `web/boot.js`: starts a classic worker from a blob: URL and posts it the module.
    #[wasm_bindgen(catch, js_name = loupeSpawnWorker)]
    fn spawn_worker() -> Result<Worker, JsValue>;
}

/// One started worker.
struct WorkerSlot {
    id: u32,
    worker: Worker,
    ready: bool,
    /// An analysis was sent to it (its memory holds one).
    used: bool,
    pending: Vec<JsValue>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

enum Backend {
    Worker(WorkerSlot),
    Local {
        session: Rc<RefCell<Session>>,
        sources: Sources,
        cancelled: Rc<Cell<bool>>,
    },
    None,
}

struct Inner {
    backend: Backend,
    /// Started and waiting: it becomes the backend when the current worker is retired.
    spare: Option<WorkerSlot>,
    /// An analysis runs in the backend worker: a new spare waits for its end (a spare warms up
    /// by running the engine, ~200 ms of CPU, which the analysis's two workers need on two cores).
    analysing: bool,
    next_id: u32,
    /// The parts of a result being received.
    assembly: ResultAssembly,
    /// When the page last showed how much of the result has arrived.
    last_progress: f64,
    on_message: Rc<dyn Fn(FromWorker)>,
    /// Tells the page the analysis runs on the main thread.
    on_fallback: Rc<dyn Fn()>,
    /// Tells the page which worker (or the page itself) answers requests from now on: requests
    /// sent to the one before will never be answered.
    on_backend: Rc<dyn Fn(u32)>,
    /// The number of the backend answering now (0 before the first).
    backend_id: u32,
}

/// Terminate the worker and drop its handlers later: this may run inside one of them. A result it
/// was sending is forgotten.
fn retire(inner: &mut Inner) {
    inner.assembly.clear();
    inner.analysing = false;
    let old = std::mem::replace(&mut inner.backend, Backend::None);
    if let Backend::Worker(slot) = &old {
        slot.worker.terminate();
    }
    wasm_bindgen_futures::spawn_local(async move { drop(old) });
}

/// Hand a message from the analysis to the page: the parts of a result are put together first (each
/// arrives in its own task), and the page is told every 100 ms how much of it has arrived.
fn deliver(inner: &Rc<RefCell<Inner>>, msg: FromWorker) {
    let (out, progress, cb) = {
        let mut b = inner.borrow_mut();
        let out = b.assembly.take(msg);
        let now = js_sys::Date::now();
        let progress = match (&out, b.assembly.received()) {
            (None, Some((got, of))) if now - b.last_progress >= 100.0 => {
                b.last_progress = now;
                Some(FromWorker::Progress(Progress {
                    stage: Stage::Receiving,
                    bytes_read: got,
                    bytes_total: of,
                    ..Progress::default()
                }))
            }
            _ => None,
        };
        (out, progress, b.on_message.clone())
    };
    if let Some(p) = progress {
        cb(p);
    }
    let ended = matches!(
        out,
        Some(FromWorker::Done { .. } | FromWorker::Failed { .. })
    );
    if let Some(m) = out {
        cb(m);
    }
    if ended {
        inner.borrow_mut().analysing = false;
        start_spare(inner);
    }
}

/// Start a spare worker, unless there is one, an analysis runs, or the page has no workers.
fn start_spare(inner: &Rc<RefCell<Inner>>) {
    let id = {
        let mut b = inner.borrow_mut();
        let workers = matches!(b.backend, Backend::Worker(_) | Backend::None);
        if b.spare.is_some() || b.analysing || !workers {
            return;
        }
        b.next_id += 1;
        b.next_id
    };
    if let Ok(slot) = Bridge::start_worker(Rc::downgrade(inner), id) {
        inner.borrow_mut().spare = Some(slot);
    }
}

#[derive(Clone)]
pub struct Bridge(Rc<RefCell<Inner>>);

impl Bridge {
    pub fn new(
        on_message: impl Fn(FromWorker) + 'static,
        on_fallback: impl Fn() + 'static,
        on_backend: impl Fn(u32) + 'static,
    ) -> Self {
        Bridge(Rc::new(RefCell::new(Inner {
            backend: Backend::None,
            spare: None,
            analysing: false,
            next_id: 0,
            assembly: ResultAssembly::default(),
            last_progress: 0.0,
            on_message: Rc::new(on_message),
            on_fallback: Rc::new(on_fallback),
            on_backend: Rc::new(on_backend),
            backend_id: 0,
        })))
    }

    /// Start a worker whose messages reach `weak` as worker number `id`.
    fn start_worker(weak: std::rc::Weak<RefCell<Inner>>, id: u32) -> Result<WorkerSlot, JsValue> {
        let worker = spawn_worker()?;
        let w2 = weak.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = w2.upgrade() else { return };
            let msg = from_js(&e.data());
            {
                let mut b = inner.borrow_mut();
                let b = &mut *b;
                if matches!(msg, FromWorker::Ready) {
                    let slot = match &mut b.backend {
                        Backend::Worker(slot) if slot.id == id => Some(slot),
                        _ => b.spare.as_mut().filter(|s| s.id == id),
                    };
                    if let Some(slot) = slot {
                        slot.ready = true;
                        for m in slot.pending.drain(..) {
                            let _ = slot.worker.post_message(&m);
                        }
                    }
                    return;
                }
                if !matches!(&b.backend, Backend::Worker(slot) if slot.id == id) {
                    return;
                }
                if matches!(msg, FromWorker::Crashed { .. }) {
                    retire(b);
                }
            }
            let msg = match msg {
                FromWorker::Crashed { message } => FromWorker::Failed { message },
                other => other,
            };
            deliver(&inner, msg);
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            let Some(inner) = weak.upgrade() else { return };
            let message = if e.message().is_empty() {
                "the worker stopped".to_string()
            } else {
                e.message()
            };
            let cb = {
                let mut b = inner.borrow_mut();
                // A spare that cannot start: the next one is started when needed.
                if let Some(spare) = b.spare.take_if(|s| s.id == id) {
                    spare.worker.terminate();
                    wasm_bindgen_futures::spawn_local(async move { drop(spare) });
                    return;
                }
                if !matches!(&b.backend, Backend::Worker(slot) if slot.id == id) {
                    return;
                }
                retire(&mut b);
                b.on_message.clone()
            };
            cb(FromWorker::Failed { message });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerSlot {
            id,
            worker,
            ready: false,
            used: false,
            pending: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn new_worker(&self) -> Result<WorkerSlot, JsValue> {
        let id = {
            let mut b = self.0.borrow_mut();
            b.next_id += 1;
            b.next_id
        };
        Self::start_worker(Rc::downgrade(&self.0), id)
    }

    /// A backend to send to: the spare worker if there is one, else a new worker, else the page
    /// itself. Then a new spare is started, unless an analysis runs (then at its end).
    fn ensure(&self) {
        if matches!(self.0.borrow().backend, Backend::None) {
            let spare = self.0.borrow_mut().spare.take();
            let backend = match spare.map(Ok).unwrap_or_else(|| self.new_worker()) {
                Ok(slot) => Backend::Worker(slot),
                Err(_) => {
                    let cb = self.0.borrow().on_fallback.clone();
                    cb();
                    Backend::Local {
                        session: Rc::new(RefCell::new(Session::new())),
                        sources: Sources::default(),
                        cancelled: Rc::new(Cell::new(false)),
                    }
                }
            };
            let (id, cb) = {
                let mut b = self.0.borrow_mut();
                b.next_id += 1;
                b.backend = backend;
                b.backend_id = b.next_id;
                (b.backend_id, b.on_backend.clone())
            };
            cb(id);
        }
        if matches!(self.0.borrow().backend, Backend::Worker(_)) {
            start_spare(&self.0);
        }
    }

    /// Start the workers before the first request, so that it does not wait for them.
    pub fn warm_up(&self) {
        self.ensure();
    }

    /// Send a request (with the blobs of an analysis).
    pub fn send(&self, msg: ToWorker, blobs: Vec<Blob>) {
        if matches!(msg, ToWorker::Analyze { .. }) {
            // Before `ensure`: the spare that takes over is replaced only at the end.
            self.0.borrow_mut().analysing = true;
        }
        self.ensure();
        let weak = Rc::downgrade(&self.0);
        let mut b = self.0.borrow_mut();
        match &mut b.backend {
            Backend::Worker(slot) => {
                slot.used |= matches!(msg, ToWorker::Analyze { .. });
                let m = encode_request(&msg, &blobs);
                if slot.ready {
                    let _ = slot.worker.post_message(&m);
                } else {
                    slot.pending.push(m);
                }
            }
            Backend::Local {
                session,
                sources,
                cancelled,
            } => {
                let (session, sources) = (session.clone(), sources.clone());
                // Messages of the main-thread analysis go through the same assembly as a worker's.
                let post: Rc<dyn Fn(FromWorker)> = Rc::new(move |m| {
                    if let Some(inner) = weak.upgrade() {
                        deliver(&inner, m);
                    }
                });
                match msg {
                    ToWorker::Analyze { names, roles } => {
                        cancelled.set(false);
                        let flag = cancelled.clone();
                        let inputs = names.into_iter().zip(blobs).collect();
                        wasm_bindgen_futures::spawn_local(analyse(
                            session,
                            sources,
                            inputs,
                            roles,
                            post,
                            Rc::new(move || flag.get()),
                            false,
                        ));
                    }
                    other => wasm_bindgen_futures::spawn_local(async move {
                        if let Some(r) = answer(session, sources, other).await {
                            post(r);
                        }
                    }),
                }
            }
            Backend::None => {}
        }
    }

    /// Stop the running analysis at once.
    pub fn cancel(&self) {
        let mut b = self.0.borrow_mut();
        if matches!(b.backend, Backend::Worker(_)) {
            retire(&mut b);
            drop(b);
            start_spare(&self.0);
            return;
        }
        if let Backend::Local { cancelled, .. } = &b.backend {
            cancelled.set(true);
        }
        b.assembly.clear();
    }

    /// A new set of logs replaces the old one: retire the worker that analysed the old one (its
    /// wasm memory, which never shrinks, goes with it); the next request goes to the spare.
    pub fn fresh_worker(&self) {
        let mut b = self.0.borrow_mut();
        if matches!(&b.backend, Backend::Worker(slot) if slot.used) {
            retire(&mut b);
        }
    }

    pub fn on_main_thread(&self) -> bool {
        matches!(self.0.borrow().backend, Backend::Local { .. })
    }
}
