//! `cargo xtask test`: everything CI checks, with its own set-up.

use crate::cmd::{cargo, have, run};
use std::process::Command;

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
