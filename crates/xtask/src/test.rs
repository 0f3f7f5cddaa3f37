//! `cargo xtask test`: everything CI checks, with its own set-up.

use crate::cmd::{cargo, have, run};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn run_all(skip_browser: bool) -> Result<(), String> {
    if have("rustup") {
        run(
            "add the wasm32 target",
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        )?;
        run(
            "add rustfmt and clippy",
            Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]),
        )?;
    }
    run("format check", cargo().args(["fmt", "--all", "--check"]))?;
    run(
        "clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run("tests (host)", cargo().args(["test", "--workspace"]))?;
    dependency_checks()?;
    run(
        "loupe-core builds for wasm32-unknown-unknown",
        cargo().args([
            "build",
            "-p",
            "loupe-core",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    )?;
    if !skip_browser {
        crate::web::browser_tests()?;
    }
    Ok(())
}

pub fn main(args: &[String]) -> Result<(), String> {
    let skip_browser = args.iter().any(|a| a == "--no-browser");
    run_all(skip_browser)?;
    eprintln!("\nxtask test: all checks passed");
    Ok(())
}

fn cargo_deny_installed() -> bool {
    cargo()
        .args(["deny", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Run `command`, killing it after `limit`; `Ok(true)` when it ran and succeeded.
fn run_with_timeout(command: &mut Command, limit: Duration) -> Result<bool, String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status.success());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `cargo deny` (deny.toml): licenses, bans and sources always; advisories when the RustSec
/// database can be fetched (it is on GitHub, which CI may not reach) or a local copy exists.
/// cargo-deny is installed from crates.io when missing (about 3 minutes cold on two cores); when
/// that is impossible the step is skipped with a message, never failed.
fn dependency_checks() -> Result<(), String> {
    if std::env::var_os("LOUPE_SKIP_DENY").is_some() {
        eprintln!("\n==> cargo deny: skipped (LOUPE_SKIP_DENY is set)");
        return Ok(());
    }
    if !cargo_deny_installed() {
        let started = Instant::now();
        let installed = run(
            "install cargo-deny (crates.io)",
            cargo().args(["install", "cargo-deny", "--locked"]),
        );
        if let Err(e) = installed {
            eprintln!(
                "\n==> cargo deny: SKIPPED, cargo-deny could not be installed ({e}); \
                 licenses and advisories were not checked"
            );
            return Ok(());
        }
        eprintln!(
            "    cargo-deny installed in {} s",
            started.elapsed().as_secs()
        );
    }
    run(
        "cargo deny: licenses, bans, sources",
        cargo().args([
            "deny",
            "--log-level",
            "error",
            "check",
            "licenses",
            "bans",
            "sources",
        ]),
    )?;
    eprintln!("\n==> cargo deny: fetch the RustSec advisory database");
    let fetched = run_with_timeout(
        cargo()
            .args(["deny", "--log-level", "error", "fetch", "db"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        Duration::from_secs(90),
    )?;
    // A usable local copy: a database checkout (one folder per source URL) with its `crates/`.
    let local_db = std::env::var_os("HOME")
        .map(|h| std::path::PathBuf::from(h).join(".cargo/advisory-db"))
        .and_then(|p| std::fs::read_dir(p).ok())
        .is_some_and(|mut dirs| dirs.any(|d| d.is_ok_and(|d| d.path().join("crates").is_dir())));
    if fetched {
        run(
            "cargo deny: advisories",
            cargo().args([
                "deny",
                "--log-level",
                "error",
                "--offline",
                "check",
                "advisories",
            ]),
        )
    } else if local_db {
        eprintln!("    the advisory database could not be fetched: using the local copy");
        run(
            "cargo deny: advisories (local database)",
            cargo().args([
                "deny",
                "--log-level",
                "error",
                "--offline",
                "check",
                "advisories",
            ]),
        )
    } else {
        eprintln!(
            "    SKIPPED advisories: the RustSec advisory database (github.com/rustsec/advisory-db) \
             could not be fetched from this network and there is no local copy; \
             licenses, bans and sources were checked"
        );
        Ok(())
    }
}
