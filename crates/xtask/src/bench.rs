//! `cargo xtask bench`: Loupe against ripgrep and lnav on generated hub/spoke corpora, in one run.
//!
//! 1. Installs ripgrep and lnav if missing (`apt-get install -y ripgrep lnav`).
//! 2. Builds `loupe` in release mode.
//! 3. Generates the corpora (`cargo xtask gen`) under `target/bench/`, reused when present: for
//!    each profile (`ils-dense` first, the shape of the ILS traces users collect; then `ccm-mix`,
//!    CallManager-like noise with few ILS lines), each size.
//! 4. With the files in the page cache, runs each tool several times (median wall time, peak RSS
//!    of the child from `/usr/bin/time`): `rg -j1 -c -F -e IlsD -e HandleSSL -e CertUtil -e EncrUtil`,
//!    the same with `-j2` (a reference: both cores reading every byte), `lnav -n`, `loupe analyze`.
//! 5. Measures the cost per attempt at 100 and at 100,000 attempts (same noise per attempt).
//! 6. Builds `dist/`, serves it on a free 127.0.0.1 port and runs `node bench/browser.mjs`: the page
//!    in headless Chromium analyses the same corpora (wall time, long tasks, progress rate, cancel
//!    latency, peak wasm memory of the worker, peak RSS of the tab's renderer), and after each
//!    analysis the read floor: the time a bare worker in the same tab needs just to read the files;
//!    on the 100,000-attempt corpus, each export of the result (JSON, Markdown, HTML, redacted):
//!    click to download, long tasks, the worker's wasm memory after it.
//! 7. Prints one table per profile with the ratios against the targets and writes
//!    `bench/results.md`.

use crate::cmd::{cargo, have, root, run};
use crate::gen::{self, GenOptions, Profile};
use crate::signal_trace;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RG_ARGS: &[&str] = &[
    "-j1",
    "-c",
    "-F",
    "-e",
    "IlsD",
    "-e",
    "HandleSSL",
    "-e",
    "CertUtil",
    "-e",
    "EncrUtil",
];

/// `bench/results.md`: everything from this line on is kept when the bench rewrites the file.
const NOTES_MARKER: &str = "<!-- notes: kept by cargo xtask bench -->";

struct Opts {
    /// Corpus shapes, in the order measured; the first also gets the scaling runs.
    profiles: Vec<Profile>,
    sizes: Vec<u64>,
    runs: usize,
    lnav: bool,
    scaling: bool,
    browser: bool,
    write: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        profiles: Profile::ALL.to_vec(),
        sizes: vec![100 << 20, 500 << 20],
        runs: 5,
        lnav: true,
        scaling: true,
        browser: true,
        write: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => {
                o.sizes = v()?
                    .split(',')
                    .map(gen::parse_size)
                    .collect::<Result<_, _>>()?
            }
            "--profile" | "--profiles" => {
                o.profiles = v()?
                    .split(',')
                    .map(Profile::parse)
                    .collect::<Result<_, _>>()?
            }
            "--runs" => o.runs = v()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--no-lnav" => o.lnav = false,
            "--no-scaling" => o.scaling = false,
            "--no-browser" => o.browser = false,
            "--no-write" => o.write = false,
            other => return Err(format!("bench: unknown option `{other}`\n{BENCH_HELP}")),
        }
    }
    Ok(o)
}

pub const BENCH_HELP: &str = "usage: cargo xtask bench [--profiles ils-dense,ccm-mix] [--sizes 100MB,500MB] [--runs 5] [--no-lnav] [--no-scaling] [--no-browser] [--no-write]
  --profiles  corpus shapes (cargo xtask gen --profile), default both, ILS-dense first; the
              scaling runs (100 and 100,000 attempts) use the first
  --sizes  trace per side (hub and spoke each); the corpus holds twice this
  --runs   runs per tool (median reported; lnav and the browser run once above 200MB)
  --no-browser  skip the web app in headless Chromium (needs Node and /usr/bin/chromium)";

/// One measured run: wall seconds and peak RSS in KiB.
#[derive(Clone, Copy)]
struct Sample {
    secs: f64,
    rss_kib: u64,
}

/// A run's peak RSS as a share of its input, bytes to bytes.
fn rss_share(s: Sample, input: u64) -> f64 {
    s.rss_kib as f64 * 1024.0 / input as f64
}

/// Run a command under `/usr/bin/time` (peak RSS of the child), output discarded.
fn measure(cmd: &[String]) -> Result<Sample, String> {
    let rss_file = std::env::temp_dir().join(format!("loupe-bench-rss-{}", std::process::id()));
    let mut c = Command::new("/usr/bin/time");
    c.arg("-f").arg("%M").arg("-o").arg(&rss_file).args(cmd);
    c.stdout(std::process::Stdio::null());
    c.stderr(std::process::Stdio::null());
    let start = Instant::now();
    let status = c.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    // rg exits 1 when nothing matches; anything else is a failure (and for any other tool, 1
    // too: `loupe` exits 1 when an input cannot be read).
    let no_match = status.code() == Some(1) && cmd[0].ends_with("rg");
    if !status.success() && !no_match {
        return Err(format!("{cmd:?} failed: {status}"));
    }
    let rss = std::fs::read_to_string(&rss_file).unwrap_or_default();
    let rss_kib = rss
        .lines()
        .rev()
        .find_map(|l| l.trim().parse().ok())
        .unwrap_or(0);
    Ok(Sample { secs, rss_kib })
}

/// `100000` as `100,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(mut v: Vec<Sample>) -> Sample {
    v.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let mid = v[v.len() / 2];
    Sample {
        secs: mid.secs,
        rss_kib: v.iter().map(|s| s.rss_kib).max().unwrap_or(0),
    }
}

fn repeat(cmd: &[String], runs: usize) -> Result<Sample, String> {
    let mut v = Vec::new();
    for _ in 0..runs.max(1) {
        v.push(measure(cmd)?);
    }
    Ok(median(v))
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_below(&p, out);
        } else if p.file_name().is_some_and(|n| n != "manifest.json") {
            out.push(p);
        }
    }
}

/// `loupe analyze` of a corpus's hub and spoke folders, the report discarded.
fn loupe_analyze(loupe: &Path, corpus: &Path) -> Vec<String> {
    loupe_analyze_paths(
        loupe,
        [gen::HUB_HOST, gen::SPOKE_HOST].map(|s| corpus.join(s)),
    )
}

/// `loupe analyze` of these paths, the report discarded.
fn loupe_analyze_paths(loupe: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<String> {
    let mut cmd = vec![loupe.to_string_lossy().to_string(), "analyze".into()];
    cmd.extend(paths.into_iter().map(|p| p.to_string_lossy().to_string()));
    cmd.extend(["-o".into(), "/dev/null".into()]);
    cmd
}

/// Generate (or reuse) a corpus; returns the trace files and their total size.
fn corpus(dir: &Path, opts: &GenOptions) -> Result<(Vec<PathBuf>, u64), String> {
    let tag = format!(
        "profile={} size={} attempts={:?} seed={} file={}{}{}",
        opts.profile.name(),
        opts.size_per_side,
        opts.attempts,
        opts.seed,
        opts.file_size,
        if opts.gzip { " gzip" } else { "" },
        if opts.zip { " zip" } else { "" }
    );
    let stamp = dir.join("corpus.tag");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(tag.as_str()) {
        let _ = std::fs::remove_dir_all(dir);
        eprintln!("bench: generating {} ({tag})", dir.display());
        gen::write_corpus(opts, dir)?;
        std::fs::write(&stamp, &tag).map_err(|e| e.to_string())?;
    }
    let mut files = Vec::new();
    files_below(dir, &mut files);
    files.retain(|f| f.file_name().is_some_and(|n| n != "corpus.tag"));
    let mut total = 0;
    for f in &files {
        total += std::fs::metadata(f).map_err(|e| e.to_string())?.len();
        // Into the page cache.
        std::fs::read(f).map_err(|e| e.to_string())?;
    }
    Ok((files, total))
}

fn ensure_tools(lnav: bool) -> Result<(), String> {
    let mut missing = Vec::new();
    if !have("rg") {
        missing.push("ripgrep");
    }
    if lnav && !have("lnav") {
        missing.push("lnav");
    }
    if !Path::new("/usr/bin/time").exists() {
        missing.push("time");
    }
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        return Err(format!(
            "bench needs {missing:?}: install them (apt-get is not available here)"
        ));
    }
    let install = |m: &[&str]| {
        let mut c = Command::new("apt-get");
        c.args(["install", "-y"]).args(m);
        c.env("DEBIAN_FRONTEND", "noninteractive");
        run("install the comparison tools", &mut c)
    };
    if install(&missing).is_err() {
        run("apt-get update", Command::new("apt-get").arg("update"))?;
        install(&missing)?;
    }
    Ok(())
}

fn first_line(cmd: &str, arg: &str) -> String {
    Command::new(cmd)
        .arg(arg)
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("MemTotal")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<u64>().ok())
            })
        })
        .map_or("unknown".into(), |k| {
            format!("{:.1} GiB", k as f64 / 1048576.0)
        });
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "nproc {nproc}, CPU {cpu}, memory {mem}, Linux {}, load average at start {} (a machine shared with other work: wall times are medians)",
        kernel.trim(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    )
}

struct Row {
    profile: Profile,
    input: u64,
    tool: String,
    s: Sample,
}

fn mb(b: u64) -> f64 {
    b as f64 / 1e6
}

pub fn main(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    if o.profiles.is_empty() {
        return Err("bench: --profiles is empty".into());
    }
    ensure_tools(o.lnav)?;
    run(
        "build loupe (release)",
        cargo().args(["build", "--release", "-p", "loupe-cli"]),
    )?;
    let root = root();
    let loupe = root.join("target/release/loupe");
    let base = root.join("target/bench");
    let machine = machine();
    let mut rows: Vec<Row> = Vec::new();
    let mut checks: Vec<(String, String, bool)> = Vec::new();
    // Per profile and size: the corpus's files, total bytes and the CLI's median time (for the
    // browser).
    let mut native: Vec<Native> = Vec::new();
    for &profile in &o.profiles {
        let p = profile.name();
        for &size in &o.sizes {
            let dir = base.join(format!("corpus-{p}-{}MB", size >> 20));
            let opts = GenOptions {
                size_per_side: size,
                profile,
                ..GenOptions::default()
            };
            let (files, total) = corpus(&dir, &opts)?;
            let hub = dir.join(gen::HUB_HOST).to_string_lossy().to_string();
            let spoke = dir.join(gen::SPOKE_HOST).to_string_lossy().to_string();
            eprintln!("bench: {p}: {} files, {:.0} MB", files.len(), mb(total));
            let mut rg = vec!["rg".to_string()];
            rg.extend(RG_ARGS.iter().map(|s| s.to_string()));
            rg.extend([hub.clone(), spoke.clone()]);
            // Both cores, for reference: what a reader of every byte needs on this machine with
            // the parallelism Loupe has (about what the lnav ×30 target asks for at 1 GB).
            let rg2: Vec<String> = rg
                .iter()
                .map(|a| if a == "-j1" { "-j2".into() } else { a.clone() })
                .collect();
            let rg = repeat(&rg, o.runs)?;
            let rg2 = repeat(&rg2, o.runs)?;
            let lo = repeat(&loupe_analyze(&loupe, &dir), o.runs)?;
            rows.push(Row {
                profile,
                input: total,
                tool: "rg -j1 -c -F (4 literals)".into(),
                s: rg,
            });
            rows.push(Row {
                profile,
                input: total,
                tool: "rg -j2 -c -F (4 literals, both cores; reference)".into(),
                s: rg2,
            });
            rows.push(Row {
                profile,
                input: total,
                tool: "loupe analyze".into(),
                s: lo,
            });
            native.push(Native {
                profile,
                size,
                files: files.clone(),
                total,
                secs: lo.secs,
                packed: None,
                attempts: None,
            });
            let ratio = lo.secs / rg.secs;
            checks.push((
                format!("{p} {:.0} MB: loupe time / rg -j1 time <= 1.5", mb(total)),
                format!("{ratio:.2}"),
                ratio <= 1.5,
            ));
            let mem = rss_share(lo, total);
            checks.push((
                format!("{p} {:.0} MB: loupe peak RSS / input <= 0.3", mb(total)),
                format!("{mem:.3}"),
                mem <= 0.3,
            ));
            if o.lnav {
                let home = base.join("lnav-home");
                std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
                let mut ln = vec![
                    "env".to_string(),
                    format!("HOME={}", home.display()),
                    "lnav".into(),
                    "-n".into(),
                ];
                ln.extend(files.iter().map(|f| f.to_string_lossy().to_string()));
                let runs = if size > 200 << 20 { 1 } else { o.runs.min(3) };
                let ln = repeat(&ln, runs)?;
                rows.push(Row {
                    profile,
                    input: total,
                    tool: "lnav -n".into(),
                    s: ln,
                });
                let x = ln.secs / lo.secs;
                checks.push((
                    format!("{p} {:.0} MB: lnav time / loupe time >= 30", mb(total)),
                    format!("{x:.1}"),
                    x >= 30.0,
                ));
            }
        }
    }
    // Gzip, as CUCM writes its traces (`.txt.gz`): the first profile's corpus at the first size,
    // every file gzipped; then the same files in one zip with a folder per node, as RTMT's
    // "Collect Files" gives them; then the plain files deflated in one zip, as a zip tool packs a
    // folder of traces. The CLI and the page inflate them; the page keeps none of their text (it
    // opens the zip first and reads its entries as files).
    for packing in [Packing::Gzip, Packing::RtmtZip, Packing::FolderZip] {
        let (profile, size) = (o.profiles[0], o.sizes[0]);
        let p = profile.name();
        let text = native
            .iter()
            .find(|n| n.profile == profile && n.size == size)
            .map_or(0, |n| n.total);
        let dir = base.join(format!("corpus-{p}-{}MB-{}", size >> 20, packing.dir()));
        let opts = GenOptions {
            size_per_side: size,
            profile,
            gzip: packing != Packing::FolderZip,
            zip: packing != Packing::Gzip,
            ..GenOptions::default()
        };
        let (files, total) = corpus(&dir, &opts)?;
        eprintln!(
            "bench: {p} {}: {} files, {:.0} MB",
            packing.dir(),
            files.len(),
            mb(total)
        );
        // The zip is given as the file it is; gzipped files in their hub and spoke folders.
        let cmd = match packing {
            Packing::Gzip => loupe_analyze(&loupe, &dir),
            Packing::RtmtZip | Packing::FolderZip => {
                loupe_analyze_paths(&loupe, files.iter().cloned())
            }
        };
        let lo = repeat(&cmd, o.runs)?;
        rows.push(Row {
            profile,
            input: total,
            tool: format!(
                "loupe analyze, {} ({:.0} MB of text)",
                packing.what(),
                mb(text)
            ),
            s: lo,
        });
        native.push(Native {
            profile,
            size,
            files,
            total,
            secs: lo.secs,
            packed: Some((packing, text)),
            attempts: None,
        });
    }
    // Memory on the worst line mixes: one trace of the first size, every line an ILS signal.
    for mix in [
        signal_trace::Mix::TimersAndData,
        signal_trace::Mix::ConnectionSteps,
    ] {
        let size = o.sizes[0];
        let dir = base.join(format!("{}-{}MB", mix.dir_name(), size >> 20));
        let file = dir.join("SDL001_600_000001.txt");
        let tag = dir.join("corpus.tag");
        let want = format!("size={size}");
        if std::fs::read_to_string(&tag).ok().as_deref() != Some(want.as_str()) {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            eprintln!("bench: generating {} ({})", dir.display(), mix.label());
            signal_trace::write(&file, size, mix, 1)?;
            std::fs::write(&tag, &want).map_err(|e| e.to_string())?;
        }
        let total = std::fs::metadata(&file).map_err(|e| e.to_string())?.len();
        std::fs::read(&file).map_err(|e| e.to_string())?;
        let cmd = vec![
            loupe.to_string_lossy().to_string(),
            "analyze".into(),
            "--format".into(),
            "json".into(),
            file.to_string_lossy().to_string(),
            "-o".into(),
            "/dev/null".into(),
        ];
        let s = repeat(&cmd, o.runs.min(3))?;
        rows.push(Row {
            profile: o.profiles[0],
            input: total,
            tool: format!("loupe, {}", mix.label()),
            s,
        });
        let mem = rss_share(s, total);
        checks.push((
            format!(
                "{:.0} MB, {}: loupe peak RSS / input <= 0.3",
                mb(total),
                mix.label()
            ),
            format!("{mem:.3}"),
            mem <= 0.3,
        ));
    }
    if o.scaling {
        let profile = o.profiles[0];
        let p = profile.name();
        let mut per = Vec::new();
        for attempts in [100usize, 100_000] {
            let dir = base.join(format!("attempts-{p}-{attempts}"));
            let opts = GenOptions {
                size_per_side: attempts as u64 * 1536,
                attempts: Some(attempts),
                profile,
                ..GenOptions::default()
            };
            let (files, total) = corpus(&dir, &opts)?;
            let cmd = loupe_analyze(&loupe, &dir);
            let s = repeat(&cmd, if attempts > 1000 { 3 } else { o.runs })?;
            rows.push(Row {
                profile,
                input: total,
                tool: if attempts == 100 {
                    "loupe, 100 attempts".into()
                } else {
                    "loupe, 100,000 attempts".into()
                },
                s,
            });
            per.push(s.secs / attempts as f64);
            if attempts > 1000 {
                // Item 3's bound where attempts are dense: memory follows them here.
                let mem = rss_share(s, total);
                checks.push((
                    format!(
                        "{p} {:.0} MB, 100,000 attempts: loupe peak RSS / input <= 0.3",
                        mb(total)
                    ),
                    format!("{mem:.2}"),
                    mem <= 0.3,
                ));
                // The page on many findings: what it draws after the result grows with them.
                native.push(Native {
                    profile,
                    size: opts.size_per_side,
                    files,
                    total,
                    secs: s.secs,
                    packed: None,
                    attempts: Some(attempts),
                });
            }
        }
        checks.push((
            format!("{p}: time per attempt at 100,000 / at 100 <= 1"),
            format!(
                "{:.3} ({:.1} us vs {:.1} us)",
                per[1] / per[0],
                per[1] * 1e6,
                per[0] * 1e6
            ),
            per[1] <= per[0],
        ));
    }
    let browser = if !o.browser {
        "not run (--no-browser)".to_string()
    } else {
        browser::run(&o, &native, &base, &mut rows, &mut checks)?
    };
    let mut tables = String::new();
    for &profile in &o.profiles {
        tables.push_str(&format!(
            "### Profile `{}`: {}\n\n| input | tool | time (median) | MB/s | peak RSS |\n|---:|---|---:|---:|---:|\n",
            profile.name(),
            profile_note(profile)
        ));
        for r in rows.iter().filter(|r| r.profile == profile) {
            // No memory figure (the read floor): a dash, not 0 MB.
            let rss = if r.s.rss_kib == 0 {
                "–".to_string()
            } else {
                format!("{:.1} MiB", r.s.rss_kib as f64 / 1024.0)
            };
            tables.push_str(&format!(
                "| {:.0} MB | {} | {:.3} s | {:.0} | {rss} |\n",
                mb(r.input),
                r.tool,
                r.s.secs,
                mb(r.input) / r.s.secs,
            ));
        }
        tables.push('\n');
    }
    let mut targets = String::from("| target | measured | met |\n|---|---:|---|\n");
    for (what, v, ok) in &checks {
        targets.push_str(&format!(
            "| {what} | {v} | {} |\n",
            if *ok { "yes" } else { "NO" }
        ));
    }
    println!("\n{tables}{targets}\nbrowser: {browser}\nmachine: {machine}");
    if o.write {
        let rev = Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(&root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        let profiles: Vec<String> = o
            .profiles
            .iter()
            .map(|p| format!("`{}`", p.name()))
            .collect();
        let doc = format!(
            "# Benchmark results\n\nWritten by `cargo xtask bench` (commit {rev}). Corpora from `cargo xtask gen` (profiles {}; seed 1, \
             10 MB files, hub and spoke each get the size; one ILS attempt per 256 KiB per side), in the page cache; one table per profile. \
             Each tool ran {} times (lnav and the browser fewer: at most 3, once above 200 MB); the table gives the median wall time and the largest \
             peak RSS of the child process (`/usr/bin/time`). Inputs are in MB (10^6 bytes), memory in MiB (2^20 bytes); each ratio to the input is \
             of bytes to bytes.{}\n\n\
             Machine: {machine}.\n\nTools: {}; {}; loupe release build.\n\n{tables}\
             Targets, each labelled with its profile:\n\n{targets}\n\
             Browser: {browser}.\n",
            profiles.join(", "),
            o.runs,
            if o.scaling {
                format!(" The scaling runs (100 and 100,000 attempts) use the `{}` profile.", o.profiles[0].name())
            } else {
                String::new()
            },
            first_line("rg", "--version"),
            if o.lnav { first_line("lnav", "-V") } else { "lnav not run".into() },
        );
        let out = root.join("bench/results.md");
        std::fs::create_dir_all(out.parent().expect("bench/")).map_err(|e| e.to_string())?;
        // Hand-written analysis below the marker survives a rerun.
        let old = std::fs::read_to_string(&out).unwrap_or_default();
        let notes = old.find(NOTES_MARKER).map_or("", |i| &old[i..]);
        let doc = if notes.is_empty() {
            doc
        } else {
            format!("{doc}\n{notes}")
        };
        std::fs::write(&out, doc).map_err(|e| e.to_string())?;
        eprintln!("bench: wrote {}", out.display());
    }
    Ok(())
}

/// What a profile's corpus is, for the table's heading.
fn profile_note(p: Profile) -> &'static str {
    match p {
        Profile::IlsDense => {
            "the ILS process's own trace at level Detailed, nearly every line ILS's (timers, data signals of open connections, IlsD sync lines, SdlStat)"
        }
        Profile::CcmMix => "noise of many CUCM components, few lines ILS's",
    }
}

/// One corpus the CLI analysed, for the browser half.
struct Native {
    profile: Profile,
    size: u64,
    files: Vec<PathBuf>,
    total: u64,
    /// The CLI's median time.
    secs: f64,
    /// For a gzipped or zipped corpus: how, and the bytes of text its files hold.
    packed: Option<(Packing, u64)>,
    /// For a scaling corpus: its attempts (the page is timed on it once, for its own figures).
    attempts: Option<usize>,
}

/// How a corpus's files are packed, as CUCM and RTMT give them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Packing {
    /// Every file gzipped (`.txt.gz`).
    Gzip,
    /// The gzipped files in one zip, a folder per node (stored, as RTMT's "Collect Files").
    RtmtZip,
    /// The plain files in one zip, deflated (a folder of traces packed by a zip tool).
    FolderZip,
}

impl Packing {
    fn dir(self) -> &'static str {
        match self {
            Packing::Gzip => "gzip",
            Packing::RtmtZip => "rtmt-zip",
            Packing::FolderZip => "folder-zip",
        }
    }

    /// For the tables: "the files gzipped".
    fn what(self) -> &'static str {
        match self {
            Packing::Gzip => "the files gzipped",
            Packing::RtmtZip => "the gzipped files in an RTMT zip",
            Packing::FolderZip => "the plain files in one deflated zip",
        }
    }
}

/// The browser half: the built page in headless Chromium, driven by `bench/browser.mjs`.
mod browser {
    use super::{mb, median, thousands, Native, Opts, Row, Sample};
    use crate::cmd::root;
    use serde_json::{json, Value};
    use std::path::Path;
    use std::process::{Command, Stdio};

    fn f(v: &Value, k: &str) -> f64 {
        v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
    }

    /// Whether the page stayed responsive during `runs` of case `name`: its longest main-thread
    /// task and its longest wait between two progress updates.
    fn responsiveness(name: &str, runs: &[Value]) -> Vec<(String, String, bool)> {
        let worst = |k: &str| runs.iter().map(|r| f(r, k)).fold(0.0, f64::max);
        let least = |k: &str| runs.iter().map(|r| f(r, k)).fold(f64::INFINITY, f64::min);
        let mut checks = Vec::new();
        let longest = worst("longestTaskMs");
        checks.push((
            format!("{name}: longest main-thread task during analysis <= 100 ms"),
            format!(
                "{longest:.0} ms ({:.0} long tasks; longest while reading {:.0} ms; the task delivering the files {:.0} ms, of it the page's change handler {:.0} ms; longest other task {:.0} ms)",
                worst("longtasks"),
                worst("longestTaskWhileReadingMs"),
                worst("fileDeliveryTaskMs"),
                worst("changeHandlerMs"),
                worst("longestOtherTaskMs"),
            ),
            longest <= 100.0,
        ));
        // At least 4 updates a second all along: no gap longer than 250 ms, including the
        // one between the last update and the result.
        let gap = worst("progressMaxGapMs");
        // What the page showed while it waited longest, in the run with the longest wait.
        let showing = runs
            .iter()
            .max_by(|a, b| f(a, "progressMaxGapMs").total_cmp(&f(b, "progressMaxGapMs")))
            .and_then(|r| r.get("longestGapAfterText"))
            .and_then(Value::as_str)
            // Markdown: a rule family's `*` shown as itself.
            .map(|t| {
                format!(
                    "; the longest between updates, showing \"{}\"",
                    t.replace('*', "\\*")
                )
            })
            .unwrap_or_default();
        checks.push((
            format!("{name}: progress, longest gap between updates <= 250 ms (4 per second)"),
            format!(
                "{gap:.0} ms, {:.0} ms of it after the last update ({:.1} updates/s on average{showing})",
                worst("lastProgressToEndMs"),
                least("progressPerSec")
            ),
            gap <= 250.0,
        ));
        checks
    }

    /// Run the page on each corpus; add rows and checks; returns the note for the results file.
    pub fn run(
        o: &Opts,
        native: &[Native],
        base: &Path,
        rows: &mut Vec<Row>,
        checks: &mut Vec<(String, String, bool)>,
    ) -> Result<String, String> {
        if native.is_empty() {
            return Ok("not run (no corpus size)".into());
        }
        let dist = crate::dist::build()?;
        if !Path::new("/usr/bin/chromium").exists() {
            crate::cmd::run(
                "install Chromium (apt)",
                Command::new("apt-get").args([
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "chromium",
                ]),
            )?;
        }
        let listener = crate::serve::bind(0)?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        std::thread::spawn(move || crate::serve::run(listener, dist));
        let cases: Vec<Value> = native
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let name = match (n.packed, n.attempts) {
                    (Some((packing, text)), _) => {
                        format!("{} {:.0} MB {}", n.profile.name(), mb(text), packing.dir())
                    }
                    (None, Some(attempts)) => format!(
                        "{} {:.0} MB, {} attempts",
                        n.profile.name(),
                        mb(n.total),
                        thousands(attempts)
                    ),
                    (None, None) => format!("{} {:.0} MB", n.profile.name(), mb(n.total)),
                };
                let once = n.size > 200 << 20 || n.attempts.is_some();
                json!({
                    "name": name,
                    "files": n.files.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>(),
                    "bytes": n.total,
                    "runs": if once { 1 } else { o.runs.clamp(1, 3) },
                    "cancel": i == 0,
                    "oneWorker": n.packed.is_none() && n.attempts.is_none(),
                    "exports": n.attempts.is_some(),
                    "timeoutMs": 1_800_000,
                })
            })
            .collect();
        let cfg = base.join("browser.json");
        let doc = json!({ "url": format!("http://127.0.0.1:{port}/"), "cases": cases });
        std::fs::write(&cfg, doc.to_string()).map_err(|e| e.to_string())?;
        eprintln!(
            "\n==> browser figures: node bench/browser.mjs {}",
            cfg.display()
        );
        let out = Command::new("node")
            .arg("bench/browser.mjs")
            .arg(&cfg)
            .current_dir(root())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run node: {e}"))?;
        if !out.status.success() {
            return Err(format!("bench/browser.mjs failed ({})", out.status));
        }
        let mut notes = Vec::new();
        let text = String::from_utf8_lossy(&out.stdout);
        for (line, n) in text.lines().zip(native) {
            let (total, native_secs) = (&n.total, &n.secs);
            let v: Value = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
            let name = v["name"].as_str().unwrap_or("").to_string();
            let input = mb(*total);
            if v["ok"] != Value::Bool(true) {
                let err = v["error"].as_str().unwrap_or("failed").to_string();
                checks.push((
                    format!("{name}: browser analysis completes"),
                    err.clone(),
                    false,
                ));
                notes.push(format!("{name}: {err}"));
                continue;
            }
            let runs = v["runs"].as_array().cloned().unwrap_or_default();
            let samples: Vec<Sample> = runs
                .iter()
                .map(|r| Sample {
                    secs: f(r, "secs"),
                    rss_kib: (f(r, "peakWorkerWasm") / 1024.0) as u64,
                })
                .collect();
            let s = median(samples);
            let worst = |k: &str| runs.iter().map(|r| f(r, k)).fold(0.0, f64::max);
            let renderer = worst("peakRendererRss");
            let failed = runs.iter().any(|r| !r["failed"].is_null());
            let completes = (
                format!(
                    "{name}: browser analysis completes (tab peak RSS {:.0} MiB)",
                    renderer / 1048576.0
                ),
                if failed { "failed" } else { "yes" }.to_string(),
                !failed,
            );
            if let Some(attempts) = n.attempts {
                // A scaling corpus: the page's own figures only (no floor, no CLI ratio).
                rows.push(Row {
                    profile: n.profile,
                    input: *total,
                    tool: format!(
                        "loupe web, Chromium, two workers, {} attempts ({} findings; peak = the analysing worker's wasm memory)",
                        thousands(attempts),
                        thousands(worst("findings") as usize)
                    ),
                    s,
                });
                checks.push(completes);
                checks.extend(responsiveness(&name, &runs));
                // Each export of that result, redacted (the page's default): made in the worker,
                // downloaded by the page.
                for e in v["exports"].as_array().into_iter().flatten() {
                    let format = e["format"].as_str().unwrap_or("?").to_uppercase();
                    rows.push(Row {
                        profile: n.profile,
                        input: *total,
                        tool: format!(
                            "loupe web, export {format} of that result, redacted ({:.0} MB; click to download link; peak = the worker's wasm memory after it)",
                            mb(f(e, "bytes") as u64)
                        ),
                        s: Sample {
                            secs: f(e, "secs"),
                            rss_kib: (f(e, "workerWasm") / 1024.0) as u64,
                        },
                    });
                    let longest = f(e, "longestTaskMs");
                    checks.push((
                        format!(
                            "{name}: longest main-thread task during the {format} export <= 100 ms"
                        ),
                        format!("{longest:.0} ms"),
                        longest <= 100.0,
                    ));
                }
                continue;
            }
            if let Some((packing, text)) = n.packed {
                // Its read floor is the compressed bytes' and its CLI figure an inflating one:
                // only the page's own figures.
                rows.push(Row {
                    profile: n.profile,
                    input: *total,
                    tool: format!(
                        "loupe web, Chromium, two workers, {} ({:.0} MB of text; peak = the analysing worker's wasm memory)",
                        packing.what(),
                        mb(text)
                    ),
                    s,
                });
                checks.push(completes);
                let mem = worst("peakWorkerWasm") / text.max(1) as f64;
                checks.push((
                    format!("{name}: worker peak wasm memory / text <= 0.5"),
                    format!("{mem:.2} ({:.0} MiB)", worst("peakWorkerWasm") / 1048576.0),
                    mem <= 0.5,
                ));
                continue;
            }
            rows.push(Row {
                profile: n.profile,
                input: *total,
                tool:
                    "loupe web, Chromium, two workers (peak = the analysing worker's wasm memory)"
                        .into(),
                s,
            });
            // The read floor, measured after each analysis in the same tab: a bare worker reading
            // the same files as the page's worker reads them, nothing else.
            let floor = median(
                runs.iter()
                    .map(|r| Sample {
                        secs: f(r, "floorSecs"),
                        rss_kib: 0,
                    })
                    .collect(),
            );
            rows.push(Row {
                profile: n.profile,
                input: *total,
                tool: "read floor: the same Chromium, a bare worker reading the files (8 MiB slices, no analysis)".into(),
                s: floor,
            });
            // The same page with one worker reading every file (no helper), in a tab of its own.
            let one: Vec<Sample> = v["oneWorker"]
                .as_array()
                .map(|runs| {
                    runs.iter()
                        .map(|r| Sample {
                            secs: f(r, "secs"),
                            rss_kib: (f(r, "peakWorkerWasm") / 1024.0) as u64,
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !one.is_empty() {
                rows.push(Row {
                    profile: n.profile,
                    input: *total,
                    tool: "loupe web, one worker (no helper; peak = worker wasm memory)".into(),
                    s: median(one),
                });
            }
            let over_floor = s.secs / floor.secs;
            checks.push((
                format!("{name}: page time / read floor <= 2"),
                format!("{over_floor:.2} ({:.3} s vs {:.3} s)", s.secs, floor.secs),
                over_floor <= 2.0,
            ));
            checks.push(completes);
            let share = native_secs / s.secs;
            checks.push((
                format!("{name}: browser MB/s / CLI MB/s >= 0.4"),
                format!(
                    "{share:.2} ({:.0} vs {:.0} MB/s)",
                    input / s.secs,
                    input / native_secs
                ),
                share >= 0.4,
            ));
            checks.extend(responsiveness(&name, &runs));
            let mem = worst("peakWorkerWasm") / *total as f64;
            checks.push((
                format!("{name}: worker peak wasm memory / input <= 0.5"),
                format!("{mem:.2} ({:.0} MiB)", worst("peakWorkerWasm") / 1048576.0),
                mem <= 0.5,
            ));
            if let Some(err) = v["cancel"].get("error").and_then(Value::as_str) {
                checks.push((
                    format!("{name}: cancel, click to idle page <= 200 ms"),
                    format!("not measured: {err}"),
                    false,
                ));
            } else if let Some(c) = v["cancel"].as_object() {
                let idle = c
                    .get("clickToIdleMs")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN);
                let frame = c
                    .get("clickToFrameMs")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN);
                checks.push((
                    format!("{name}: cancel, click to idle page <= 200 ms"),
                    format!("{idle:.0} ms (next frame painted after {frame:.0} ms)"),
                    frame <= 200.0,
                ));
            }
        }
        let chromium = super::first_line("chromium", "--version");
        Ok(format!(
            "{chromium}, headless, driven by playwright-core (`bench/browser.mjs`); files given through `#file-input` 3 s after the page loaded \
             (a person choosing files: the page's own start, its workers warming up, is not timed); \
             time from the input's change event to the result shown; the read floor is a bare classic worker in the same tab reading the same files \
             (given through a file input of the bench's own) in the page worker's read plan, each slice copied in 64 KiB pieces, timed from posting the files to its answer, \
             after each analysis; worker wasm memory read through a measurement hook \
             the bench script installs; tab peak RSS is the renderer process's VmHWM{}",
            if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) }
        ))
    }
}
