//! `cargo xtask fuzz [--seconds N] [target...]`: run every cargo-fuzz target for a bounded time.
//!
//! Installs cargo-fuzz with the nightly toolchain when it is missing. Seeds live in
//! `fuzz/seeds/<target>` (committed); what the fuzzer learns goes to `fuzz/corpus/<target>` and
//! crashes to `fuzz/artifacts/<target>` (both ignored by git). A crash fails the command: turn the
//! artifact into a regression test in `crates/loupe-core/tests/hardening.rs`.

use crate::cmd::{root, run};
use std::process::Command;

/// The fuzz targets, in `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: &[&str] = &["decode", "sdl", "tables", "securex", "analyze"];

fn nightly_installed() -> bool {
    Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cargo_fuzz_installed() -> bool {
    Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn main(args: &[String]) -> Result<(), String> {
    let mut seconds: u64 = 60;
    let mut targets: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds needs a number of seconds")?;
            }
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => {
                return Err(format!(
                    "unknown fuzz argument `{other}` (targets: {})",
                    TARGETS.join(", ")
                ))
            }
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    if !nightly_installed() {
        return Err(
            "cargo-fuzz needs the nightly toolchain: `rustup toolchain install nightly`".into(),
        );
    }
    if !cargo_fuzz_installed() {
        run(
            "install cargo-fuzz",
            Command::new("cargo").args(["+nightly", "install", "cargo-fuzz", "--locked"]),
        )?;
    }
    let fuzz = root().join("fuzz");
    for target in &targets {
        let corpus = fuzz.join("corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let seeds = fuzz.join("seeds").join(target);
        let mut c = Command::new("cargo");
        c.current_dir(&fuzz)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .arg(&seeds)
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-max_len=262144",
            ]);
        run(&format!("fuzz `{target}` for {seconds} s"), &mut c)?;
    }
    eprintln!(
        "\nxtask fuzz: {} target(s) ran {seconds} s each without a crash",
        targets.len()
    );
    Ok(())
}
