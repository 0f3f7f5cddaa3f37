//! Reading the inputs: files and standard input go to the engine, on several threads.
//!
//! Inputs are independent until diagnosis (the hub's files and the spoke's are correlated only
//! once all are parsed), so each thread has an engine of its own and takes the next input to
//! read, the largest first; the engines are then joined into one ([`Engine::absorb`]). The
//! diagnosis puts inputs in a canonical order, so the report is the same whatever thread read
//! which input, and with any number of threads.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
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

/// Threads to read with: `requested`, or one per CPU; never more than there are inputs.
pub fn threads(requested: Option<usize>, inputs: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    requested.unwrap_or(cpus).min(inputs).max(1)
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
    let work = || {
        let mut own = Engine::new(limits);
        let mut buf = vec![0u8; READ_SIZE];
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(index, _)) = order.get(k) else {
                break;
            };
            let outcome = read_one(&mut own, &sources[index], &mut buf, progress);
            if let Ok(mut all) = outcomes.lock() {
                all[index] = Some(outcome);
            }
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

fn read_one(engine: &mut Engine, source: &Source, buf: &mut [u8], progress: &Progress) -> Outcome {
    match source {
        Source::Stdin => {
            let name = "(stdin)".to_string();
            progress.start_input(&name);
            match add_input(engine, &name, std::io::stdin().lock(), buf, progress) {
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
            match add_input(engine, &name, file, buf, progress) {
                Ok(()) => Outcome::Read,
                Err(f) => Outcome::Failed(name, f),
            }
        }
    }
}

/// Feed one input to the engine: zip archives whole (their directory is at the end),
/// everything else (plain text, gzip) streamed in [`READ_SIZE`] reads.
fn add_input(
    engine: &mut Engine,
    name: &str,
    reader: impl Read,
    buf: &mut [u8],
    progress: &Progress,
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
        engine.add_whole(RawInput::new(name, bytes));
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
