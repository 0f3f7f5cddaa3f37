//! The web app: `app` (build and serve), `dist`, `serve`, and the browser tests run by `test`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::cmd::{cargo, root, run};
use crate::dist;
use crate::serve;

fn port_arg(rest: &[String], default: u16) -> Result<u16, String> {
    match rest.iter().position(|a| a == "--port") {
        Some(i) => rest
            .get(i + 1)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| "--port needs a number".to_string()),
        None => Ok(default),
    }
}

fn announce(port: u16) {
    let single = root().join("dist/loupe.html");
    println!("\nLoupe is served on http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    println!(
        "Single-file version, works offline by double-click (file://): {}",
        single.display()
    );
}

/// `cargo xtask app`: build `dist/` and serve it on 127.0.0.1:8080.
pub fn app(rest: &[String]) -> Result<(), String> {
    let port = port_arg(rest, 8080)?;
    dist::build()?;
    let listener = serve::bind(port)?;
    announce(port);
    serve::run(listener, root().join("dist"));
    Ok(())
}

/// `cargo xtask dist`.
pub fn dist(_rest: &[String]) -> Result<(), String> {
    dist::build().map(|_| ())
}

/// `cargo xtask serve [--port N]`: serve an existing `dist/`.
pub fn serve(rest: &[String]) -> Result<(), String> {
    let port = port_arg(rest, 8080)?;
    let dir = root().join("dist");
    if !dir.join("index.html").exists() {
        return Err("dist/ is not built: run `cargo xtask dist` (or `cargo xtask app`)".into());
    }
    let listener = serve::bind(port)?;
    announce(port);
    serve::run(listener, dir);
    Ok(())
}

/// Debian's Chromium, its driver and a CJK font (so Japanese is readable in the screenshots),
/// when missing.
fn install_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists()
    {
        return Ok(());
    }
    run("apt-get update", Command::new("apt-get").arg("update"))?;
    run(
        "install Chromium and fonts-noto-cjk (apt)",
        Command::new("apt-get").args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
            "fonts-noto-cjk",
        ]),
    )
}

/// Browser tests: wasm-bindgen-test in headless Chromium, then Playwright against the served
/// `dist/` and against `dist/loupe.html` opened from file://.
pub fn browser_tests() -> Result<(), String> {
    let started = Instant::now();
    install_chromium()?;
    dist::npm_ci()?;
    let dist_dir = dist::build()?;

    run(
        "build wasm-bindgen-test-runner",
        cargo().args(["build", "-p", "xtask", "--bin", "wasm-bindgen-test-runner"]),
    )?;
    run(
        "wasm-bindgen-test in headless Chromium (loupe-web)",
        cargo()
            .args([
                "test",
                "-p",
                "loupe-web",
                "--target",
                dist::WASM_TARGET,
                "--test",
                "browser",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    // The tests compare the page with what the CLI finds in the same files.
    run(
        "build the CLI (expected findings)",
        cargo().args(["build", "-p", "loupe-cli"]),
    )?;
    let listener = serve::bind(0)?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let served = dist_dir.clone();
    std::thread::spawn(move || serve::run(listener, served));
    let r = root();
    let artifacts = r.join("tests/e2e/artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    run(
        "Playwright end-to-end tests (hosted and file://)",
        Command::new("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .current_dir(&r)
            .env("LOUPE_URL", format!("http://127.0.0.1:{port}/"))
            .env("LOUPE_FILE", dist_dir.join("loupe.html"))
            .env("LOUPE_ROOT", &r)
            .env("LOUPE_ARTIFACTS", &artifacts),
    )?;
    eprintln!(
        "browser tests done in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
