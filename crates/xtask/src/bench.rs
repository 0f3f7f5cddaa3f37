//! `cargo xtask bench`: Loupe against ripgrep and lnav on generated hub/spoke corpora, in one run.
//!
//! 1. Installs ripgrep and lnav if missing (`apt-get install -y ripgrep lnav`).
//! 2. Builds `loupe` in release mode.
//! 3. Generates the corpora (`cargo xtask gen`) under `target/bench/`, reused when present.
//! 4. With the files in the page cache, runs each tool several times (median wall time, peak RSS
//!    of the child from `/usr/bin/time`): `rg -j1 -c -F -e IlsD -e HandleSSL -e CertUtil -e EncrUtil`,
//!    `lnav -n`, `loupe analyze`.
//! 5. Measures the cost per attempt at 100 and at 100,000 attempts (same noise per attempt).
//! 6. Prints one table with the ratios against the targets and writes `bench/results.md`.

use crate::cmd::{cargo, have, root, run};
use crate::gen::{self, GenOptions};
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

struct Opts {
    sizes: Vec<u64>,
    runs: usize,
    lnav: bool,
    scaling: bool,
    write: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        sizes: vec![100 << 20, 500 << 20],
        runs: 5,
        lnav: true,
        scaling: true,
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
            "--runs" => o.runs = v()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--no-lnav" => o.lnav = false,
            "--no-scaling" => o.scaling = false,
            "--no-write" => o.write = false,
            other => return Err(format!("bench: unknown option `{other}`\n{BENCH_HELP}")),
        }
    }
    Ok(o)
}

pub const BENCH_HELP: &str = "usage: cargo xtask bench [--sizes 100MB,500MB] [--runs 5] [--no-lnav] [--no-scaling] [--no-write]
  --sizes  trace per side (hub and spoke each); the corpus holds twice this
  --runs   runs per tool (median reported; lnav runs once above 200MB)";

/// One measured run: wall seconds and peak RSS in KiB.
#[derive(Clone, Copy)]
struct Sample {
    secs: f64,
    rss_kib: u64,
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
    // rg exits 1 when nothing matches; anything else is a failure.
    if !status.success() && status.code() != Some(1) {
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

/// Generate (or reuse) a corpus; returns the trace files and their total size.
fn corpus(dir: &Path, opts: &GenOptions) -> Result<(Vec<PathBuf>, u64), String> {
    let tag = format!(
        "size={} attempts={:?} seed={} file={}",
        opts.size_per_side, opts.attempts, opts.seed, opts.file_size
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
    input: u64,
    tool: &'static str,
    s: Sample,
}

fn mb(b: u64) -> f64 {
    b as f64 / 1e6
}

pub fn main(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
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
    for &size in &o.sizes {
        let dir = base.join(format!("corpus-{}MB", size >> 20));
        let opts = GenOptions {
            size_per_side: size,
            ..GenOptions::default()
        };
        let (files, total) = corpus(&dir, &opts)?;
        let hub = dir.join(gen::HUB_HOST).to_string_lossy().to_string();
        let spoke = dir.join(gen::SPOKE_HOST).to_string_lossy().to_string();
        eprintln!("bench: {} files, {:.0} MB", files.len(), mb(total));
        let mut rg = vec!["rg".to_string()];
        rg.extend(RG_ARGS.iter().map(|s| s.to_string()));
        rg.extend([hub.clone(), spoke.clone()]);
        let rg = repeat(&rg, o.runs)?;
        let lo = vec![
            loupe.to_string_lossy().to_string(),
            "analyze".into(),
            hub.clone(),
            spoke.clone(),
            "-o".into(),
            "/dev/null".into(),
        ];
        let lo = repeat(&lo, o.runs)?;
        rows.push(Row {
            input: total,
            tool: "rg -j1 -c -F (4 literals)",
            s: rg,
        });
        rows.push(Row {
            input: total,
            tool: "loupe analyze",
            s: lo,
        });
        let ratio = lo.secs / rg.secs;
        checks.push((
            format!("{:.0} MB: loupe time / rg -j1 time <= 1.5", mb(total)),
            format!("{ratio:.2}"),
            ratio <= 1.5,
        ));
        let mem = lo.rss_kib as f64 * 1024.0 / total as f64;
        checks.push((
            format!("{:.0} MB: loupe peak RSS / input <= 0.3", mb(total)),
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
                input: total,
                tool: "lnav -n",
                s: ln,
            });
            let x = ln.secs / lo.secs;
            checks.push((
                format!("{:.0} MB: lnav time / loupe time >= 30", mb(total)),
                format!("{x:.1}"),
                x >= 30.0,
            ));
        }
    }
    if o.scaling {
        let mut per = Vec::new();
        for attempts in [100usize, 100_000] {
            let dir = base.join(format!("attempts-{attempts}"));
            let opts = GenOptions {
                size_per_side: attempts as u64 * 1536,
                attempts: Some(attempts),
                ..GenOptions::default()
            };
            let (_, total) = corpus(&dir, &opts)?;
            let cmd = vec![
                loupe.to_string_lossy().to_string(),
                "analyze".into(),
                dir.join(gen::HUB_HOST).to_string_lossy().to_string(),
                dir.join(gen::SPOKE_HOST).to_string_lossy().to_string(),
                "-o".into(),
                "/dev/null".into(),
            ];
            let s = repeat(&cmd, if attempts > 1000 { 3 } else { o.runs })?;
            rows.push(Row {
                input: total,
                tool: if attempts == 100 {
                    "loupe, 100 attempts"
                } else {
                    "loupe, 100,000 attempts"
                },
                s,
            });
            per.push(s.secs / attempts as f64);
        }
        checks.push((
            "time per attempt at 100,000 / at 100 <= 1".into(),
            format!(
                "{:.3} ({:.1} us vs {:.1} us)",
                per[1] / per[0],
                per[1] * 1e6,
                per[0] * 1e6
            ),
            per[1] <= per[0],
        ));
    }
    let browser = if root.join("crates/loupe-web").exists() {
        "the web app is present but the browser figures are not wired into this bench yet"
    } else {
        "not measured: the web app (crates/loupe-web, `cargo xtask dist`) is not on this branch"
    };
    let mut table = String::new();
    table.push_str(
        "| input | tool | time (median) | MB/s | peak RSS |\n|---:|---|---:|---:|---:|\n",
    );
    for r in &rows {
        table.push_str(&format!(
            "| {:.0} MB | {} | {:.3} s | {:.0} | {:.1} MB |\n",
            mb(r.input),
            r.tool,
            r.s.secs,
            mb(r.input) / r.s.secs,
            r.s.rss_kib as f64 / 1024.0
        ));
    }
    let mut targets = String::from("| target | measured | met |\n|---|---:|---|\n");
    for (what, v, ok) in &checks {
        targets.push_str(&format!(
            "| {what} | {v} | {} |\n",
            if *ok { "yes" } else { "NO" }
        ));
    }
    println!("\n{table}\n{targets}\nbrowser: {browser}\nmachine: {machine}");
    if o.write {
        let rev = Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(&root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        let doc = format!(
            "# Benchmark results\n\nWritten by `cargo xtask bench` (commit {rev}). Corpora from `cargo xtask gen` (seed 1, \
             10 MB files, hub and spoke each get the size; one ILS attempt per 256 KiB per side), in the page cache. \
             Each tool ran {} times (lnav fewer on large inputs); the table gives the median wall time and the largest \
             peak RSS of the child process (`/usr/bin/time`).\n\n\
             Machine: {machine}.\n\nTools: {}; {}; loupe release build.\n\n{table}\n{targets}\n\
             Browser: {browser}.\n",
            o.runs,
            first_line("rg", "--version"),
            if o.lnav { first_line("lnav", "-V") } else { "lnav not run".into() },
        );
        let out = root.join("bench/results.md");
        std::fs::create_dir_all(out.parent().expect("bench/")).map_err(|e| e.to_string())?;
        std::fs::write(&out, doc).map_err(|e| e.to_string())?;
        eprintln!("bench: wrote {}", out.display());
    }
    Ok(())
}
