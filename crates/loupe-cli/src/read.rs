//! Reading the inputs: files and standard input go to the engine, on several threads.
//!
//! Inputs are independent until diagnosis (the hub's files and the spoke's are correlated only
//! once all are parsed), so each thread has an engine of its own and takes the next input to
//! read, the largest first; the engines are then joined into one ([`Engine::absorb`]). The
//! diagnosis puts inputs in a canonical order, so the report is the same whatever thread read
//! which input, and with any number of threads. A zip archive is opened by the thread that
//! reads it, and each entry, once opened, is shared out like an input ([`Entries`]): an RTMT
//! collection is one file, but its traces are parsed on every thread.

use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use loupe_core::decode::container::is_zip;
use loupe_core::{Engine, Limits, RawInput};

/// Bytes read at a time: the engine keeps events and counts, not the text, so memory stays
/// flat whatever the input's size. 64 KiB (ripgrep's buffer size too) keeps the kernel's copy
/// and the engine's scan of it in the CPU's L2 cache: `perf stat` task-clock on 2 x 100 MB
/// went from 213-255 ms with 1 MiB reads to 158-182 ms.
const READ_SIZE: usize = 64 << 10;

/// One input to read: standard input or a file (a path given or found in a folder).
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// What became of one input, in the order the inputs were listed.
pub enum Outcome {
    Read,
    /// The file could not be opened.
    NotOpened(PathBuf, std::io::Error),
    /// Reading failed part-way.
    Failed(String, ReadFailure),
}

/// A read that failed part-way.
pub struct ReadFailure {
    /// Bytes read before the failure.
    pub after: u64,
    /// Whether those bytes went to the engine (streamed inputs) or were dropped (a zip, which
    /// cannot be opened without its end).
    pub analysed: bool,
    pub error: std::io::Error,
}

/// Threads to read with: `requested`, or one per CPU. Not capped by the number of inputs: one
/// zip archive holds many (a thread with nothing to read ends at once).
pub fn threads(requested: Option<usize>) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    requested.unwrap_or(cpus).max(1)
}

/// The entries of zip archives, opened and waiting for a thread, shared by the reading
/// threads; and how many inputs are still being read (any of them may turn out to be an
/// archive), so that a thread that finds no input left waits for their entries instead of
/// leaving them all to the thread opening the archive.
#[derive(Default)]
struct Entries {
    state: Mutex<EntriesState>,
    more: Condvar,
}

#[derive(Default)]
struct EntriesState {
    waiting: VecDeque<RawInput>,
    /// The bytes of the entries waiting.
    bytes: usize,
    reading: usize,
}

impl EntriesState {
    fn pop(&mut self) -> Option<RawInput> {
        let entry = self.waiting.pop_front()?;
        self.bytes -= entry.bytes.len();
        Some(entry)
    }
}

/// Bytes of entries that may wait for a thread before the thread opening the archive parses the
/// oldest itself. A deflated entry of text is handed on compressed and opened far faster than it
/// is parsed: without this, every entry of an archive waited at once (a zip of 1 GB of text,
/// 79 MB: peak RSS 176 MB -> 225 MB).
const MAX_WAITING_BYTES: usize = 16 << 20;

/// Counts an input as being read until dropped, even by a panic: the other threads would
/// otherwise wait for its entries for ever.
struct Reading<'a>(&'a Entries);

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        self.0.lock().reading -= 1;
        self.0.more.notify_all();
    }
}

impl Entries {
    fn lock(&self) -> MutexGuard<'_, EntriesState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An input is being read until the guard is dropped.
    fn reading(&self) -> Reading<'_> {
        self.lock().reading += 1;
        Reading(self)
    }

    /// Open `archive` into `engine` (its problems go there), each entry given out as soon as
    /// it is opened; past [`MAX_WAITING_BYTES`] waiting, this thread parses the oldest.
    fn open(&self, engine: &mut Engine, archive: RawInput) {
        engine.expand_each_with(archive, |engine, entry| {
            let mut state = self.lock();
            state.bytes += entry.bytes.len();
            state.waiting.push_back(entry);
            self.more.notify_one();
            while state.bytes > MAX_WAITING_BYTES {
                let Some(oldest) = state.pop() else { break };
                drop(state);
                engine.add_leaf(oldest);
                state = self.lock();
            }
        });
    }

    /// An entry waiting, if any.
    fn take(&self) -> Option<RawInput> {
        self.lock().pop()
    }

    /// Wait for an entry; `None` once none is waiting and no input is being read.
    fn wait(&self) -> Option<RawInput> {
        let mut state = self.lock();
        loop {
            if let Some(entry) = state.pop() {
                return Some(entry);
            }
            if state.reading == 0 {
                return None;
            }
            state = self.more.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Read every source into `engine` on `threads` threads. Returns each source's outcome, in the
/// sources' order.
pub fn read_all(
    engine: &mut Engine,
    sources: Vec<Source>,
    threads: usize,
    limits: Limits,
    progress: &Progress,
) -> Vec<Outcome> {
    let count = sources.len();
    // Largest first, so that the last input a thread takes is a small one; standard input,
    // of unknown size, first of all.
    let mut order: Vec<(usize, Option<u64>)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| match s {
            Source::Stdin => (i, None),
            Source::File(p) => (i, Some(std::fs::metadata(p).map_or(0, |m| m.len()))),
        })
        .collect();
    order.sort_by_key(|&(i, size)| (std::cmp::Reverse(size.map_or(u64::MAX, |s| s)), i));
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..count).map(|_| None).collect());
    let entries = Entries::default();
    let work = || {
        let mut own = Engine::new(limits);
        let mut buf = vec![0u8; READ_SIZE];
        loop {
            // Entries already opened first: they are held in memory.
            if let Some(entry) = entries.take() {
                progress.entry(&entry.name);
                own.add_leaf(entry);
                continue;
            }
            // Counted before an input is taken: a thread that then finds none left waits
            // while this one reads it, in case it is an archive whose entries it can share.
            let reading = entries.reading();
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(index, _)) = order.get(k) else {
                break;
            };
            let outcome = read_one(&mut own, &sources[index], &mut buf, progress, &entries);
            drop(reading);
            if let Ok(mut all) = outcomes.lock() {
                all[index] = Some(outcome);
            }
        }
        while let Some(entry) = entries.wait() {
            progress.entry(&entry.name);
            own.add_leaf(entry);
        }
        own
    };
    if threads <= 1 {
        let own = work();
        engine.absorb(own);
    } else {
        let engines: Vec<Engine> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for own in engines {
            engine.absorb(own);
        }
    }
    outcomes
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.expect("every source was taken by a thread"))
        .collect()
}

fn read_one(
    engine: &mut Engine,
    source: &Source,
    buf: &mut [u8],
    progress: &Progress,
    entries: &Entries,
) -> Outcome {
    match source {
        Source::Stdin => {
            let name = "(stdin)".to_string();
            progress.start_input(&name);
            match add_input(
                engine,
                &name,
                std::io::stdin().lock(),
                buf,
                progress,
                entries,
            ) {
                Ok(()) => Outcome::Read,
                Err(f) => Outcome::Failed(name, f),
            }
        }
        Source::File(path) => {
            let name = path.to_string_lossy().into_owned();
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return Outcome::NotOpened(path.clone(), e),
            };
            progress.start_input(&name);
            match add_input(engine, &name, file, buf, progress, entries) {
                Ok(()) => Outcome::Read,
                Err(f) => Outcome::Failed(name, f),
            }
        }
    }
}

/// Feed one input to the engine: zip archives read whole (their directory is at the end) and
/// opened into `entries`, everything else (plain text, gzip) streamed in [`READ_SIZE`] reads.
fn add_input(
    engine: &mut Engine,
    name: &str,
    reader: impl Read,
    buf: &mut [u8],
    progress: &Progress,
    entries: &Entries,
) -> Result<(), ReadFailure> {
    let mut r = progress.bar.wrap_read(reader);
    let read = |r: &mut dyn Read, buf: &mut [u8]| loop {
        match r.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    };
    let fail = |after: usize, analysed, error| ReadFailure {
        after: after as u64,
        analysed,
        error,
    };
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match read(&mut r, &mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(fail(got, false, e)),
        }
    }
    if is_zip(&head[..got]) {
        let mut bytes = head[..got].to_vec();
        if let Err(e) = r.read_to_end(&mut bytes) {
            return Err(fail(bytes.len(), false, e));
        }
        entries.open(engine, RawInput::new(name, bytes));
        return Ok(());
    }
    let id = engine.begin(name);
    engine.push(id, &head[..got]);
    let mut total = got;
    loop {
        progress.maybe_show();
        match read(&mut r, buf) {
            Ok(0) => break,
            Ok(n) => {
                engine.push(id, &buf[..n]);
                total += n;
            }
            Err(e) => {
                engine.end(id);
                return Err(fail(total, true, e));
            }
        }
    }
    engine.end(id);
    Ok(())
}

/// A progress bar on standard error: the inputs started and the bytes read of all of them.
/// indicatif draws nothing when standard error is not a terminal; it is drawn only once the
/// run has lasted [`Progress::after`], so short runs print nothing either. Shared by the
/// reading threads.
pub struct Progress {
    pub bar: ProgressBar,
    start: Instant,
    after: Duration,
    shown: AtomicBool,
    started: AtomicUsize,
    count: usize,
}

impl Progress {
    /// For `count` inputs holding `total` bytes (unknown when standard input is one of them).
    pub fn new(count: usize, total: Option<u64>) -> Self {
        // Tests set the delay to 0 to see the bar on a pseudo-terminal.
        let after_ms = std::env::var("LOUPE_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500);
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let template = match total {
            Some(_) => "{prefix} {wide_msg} {binary_bytes}/{binary_total_bytes} [{bar:30}] {binary_bytes_per_sec}",
            None => "{prefix} {wide_msg} {binary_bytes} {binary_bytes_per_sec}",
        };
        let style = ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> ");
        bar.set_style(style);
        Self {
            bar,
            start: Instant::now(),
            after: Duration::from_millis(after_ms),
            shown: AtomicBool::new(false),
            started: AtomicUsize::new(0),
            count,
        }
    }

    /// Sizes of the sources, if all are known (files that cannot be read count as empty).
    pub fn total_of(sources: &[Source]) -> Option<u64> {
        sources.iter().try_fold(0u64, |sum, s| match s {
            Source::Stdin => None,
            Source::File(p) => Some(sum + std::fs::metadata(p).map_or(0, |m| m.len())),
        })
    }

    fn start_input(&self, name: &str) {
        let k = self.started.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.set_prefix(format!("[{k}/{}]", self.count));
        self.bar.set_message(name.to_string());
        self.maybe_show();
    }

    /// An entry of an archive is being read (it is not counted: the count is of inputs given).
    fn entry(&self, name: &str) {
        self.bar.set_message(name.to_string());
        self.maybe_show();
    }

    fn maybe_show(&self) {
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= self.after
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
