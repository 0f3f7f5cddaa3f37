//! Running commands, with the command line printed first so a failure is easy to reproduce.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (this crate lives in `crates/xtask`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Run `command`, printing it; fail with its exit status.
pub fn run(step: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("\n==> {step}\n    $ {command:?}");
    let status = command
        .status()
        .map_err(|e| format!("{step}: cannot start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// Is `program` on PATH?
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// `cargo xtask sample`: the CLI on the bundled method 2 failure (hub and spoke).
pub fn sample(rest: &[String]) -> Result<(), String> {
    let mut c = cargo();
    c.args(["run", "--quiet", "-p", "loupe-cli", "--", "analyze"]);
    if rest.is_empty() {
        c.arg("tests/fixtures/ils/m2-spoke-cert-not-trusted");
    } else {
        c.args(rest);
    }
    run("loupe analyze on a sample", &mut c)
}
