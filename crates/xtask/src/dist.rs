//! `cargo xtask dist`: the web app's static files.
//!
//! 1. `cargo build -p loupe-web --target wasm32-unknown-unknown --profile wasm-release`
//! 2. wasm-bindgen (library, pinned) with the `no-modules` glue: one global `wasm_bindgen`, which
//!    works as a plain `<script>`, inlined, and inside a classic worker started from a blob: URL.
//! 3. `wasm-opt -Oz` from npm's `binaryen@132` (Debian's binaryen is too old for Rust's output).
//! 4. `dist/index.html` + `loupe.js`, `loupe_bg.wasm`, `boot.js`, `loupe.css` (relative URLs only),
//!    `sw.js` (a service worker caching exactly those files, cache named by their content hash,
//!    registered by `boot.js` only over http(s)), and `dist/loupe.html`, the same page in one file (glue, bootstrap and CSS inline, the wasm as
//!    base64) that works from file://.
//!
//! Both pages carry a Content-Security-Policy: no connection anywhere but the page's own files
//! (none at all for the single file), inline scripts only by hash, wasm compilation allowed.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::cmd::{cargo, have, root, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Install the npm tools (`playwright-core`, `binaryen`, `axe-core`) when they are missing.
pub fn npm_ci() -> Result<(), String> {
    let r = root();
    let lock_stamp = r.join("node_modules/.package-lock.json");
    let fresh = lock_stamp.exists()
        && r.join("node_modules/binaryen").exists()
        && r.join("node_modules/playwright-core").exists()
        && r.join("node_modules/axe-core").exists()
        && std::fs::metadata(r.join("package-lock.json"))
            .and_then(|m| m.modified())
            .ok()
            <= std::fs::metadata(&lock_stamp)
                .and_then(|m| m.modified())
                .ok();
    if fresh {
        return Ok(());
    }
    if !have("npm") {
        return Err(
            "npm is needed for wasm-opt and Playwright (install Node.js 18 or newer)".into(),
        );
    }
    run(
        "npm ci (playwright-core, binaryen, axe-core)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&r),
    )
}

pub fn add_wasm_target() -> Result<(), String> {
    if have("rustup") {
        run(
            "add the wasm32 target",
            Command::new("rustup").args(["target", "add", WASM_TARGET]),
        )?;
    }
    Ok(())
}

fn sha256_b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
}

fn read(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, bytes: impl AsRef<[u8]>) -> Result<(), String> {
    std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()))
}

/// Inline script text must not close its own element.
fn check_inline(name: &str, text: &str) -> Result<(), String> {
    if text.to_ascii_lowercase().contains("</script") {
        return Err(format!("{name} contains `</script`: it cannot be inlined"));
    }
    Ok(())
}

const CSP_COMMON: &str =
    "default-src 'none'; img-src data:; worker-src blob:; base-uri 'none'; form-action 'none'";

/// The hosted page's own files: exactly what the service worker caches.
pub const OWN_FILES: &[&str] = &[
    "index.html",
    "loupe.js",
    "boot.js",
    "loupe.css",
    "loupe_bg.wasm",
];

/// `sw.js`: caches [`OWN_FILES`] (and `./`, the page's address) under a name derived from their
/// content, so a new build is a new cache and the old one is deleted. Network first, the cache
/// when the server is gone; a request for anything else is left alone (never cached).
fn service_worker(dist: &Path) -> Result<String, String> {
    let mut h = Sha256::new();
    for f in OWN_FILES {
        let bytes = std::fs::read(dist.join(f)).map_err(|e| format!("{f}: {e}"))?;
        h.update(f.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    let hash: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut files = vec!["./".to_string()];
    files.extend(OWN_FILES.iter().map(|f| f.to_string()));
    let list = files
        .iter()
        .map(|f| format!("{f:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        r#"// Loupe's service worker, written by `cargo xtask dist`: the page opens and analyses with
// the server gone. It caches only the page's own files; the cache name is their content hash.
"use strict";
var CACHE = "loupe-{hash}";
var FILES = [{list}];
function own(request) {{
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  var scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || url.pathname.indexOf(scope.pathname) !== 0) return false;
  var rest = url.pathname.slice(scope.pathname.length);
  return FILES.indexOf(rest === "" ? "./" : rest) >= 0;
}}
self.addEventListener("install", function (e) {{
  e.waitUntil(caches.open(CACHE).then(function (c) {{ return c.addAll(FILES); }}).then(function () {{ return self.skipWaiting(); }}));
}});
self.addEventListener("activate", function (e) {{
  e.waitUntil(caches.keys().then(function (keys) {{
    return Promise.all(keys.filter(function (k) {{ return k.indexOf("loupe-") === 0 && k !== CACHE; }}).map(function (k) {{ return caches.delete(k); }}));
  }}).then(function () {{ return self.clients.claim(); }}));
}});
self.addEventListener("fetch", function (e) {{
  if (!own(e.request)) return;
  e.respondWith(fetch(e.request).catch(function () {{
    return caches.open(CACHE).then(function (c) {{ return c.match(e.request, {{ ignoreSearch: true }}); }}).then(function (r) {{
      if (r) return r;
      throw new Error("offline and not cached: " + e.request.url);
    }});
  }}));
}});
"#
    ))
}

pub fn build() -> Result<PathBuf, String> {
    let r = root();
    add_wasm_target()?;
    npm_ci()?;
    run(
        "build the web app (wasm32, wasm-release profile)",
        cargo().args([
            "build",
            "-p",
            "loupe-web",
            "--target",
            WASM_TARGET,
            "--profile",
            "wasm-release",
        ]),
    )?;
    let wasm = r
        .join("target")
        .join(WASM_TARGET)
        .join("wasm-release/loupe_web.wasm");
    let staging = r.join("target/loupe-web-bindgen");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
    eprintln!("\n==> wasm-bindgen (no-modules glue)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("loupe")
        .no_modules(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        .omit_default_module_path(false)
        .generate(&staging)
        .map_err(|e| format!("wasm-bindgen: {e:?}"))?;
    let bg = staging.join("loupe_bg.wasm");
    let opt = staging.join("loupe_bg.opt.wasm");
    run(
        "wasm-opt -Oz",
        Command::new(r.join("node_modules/.bin/wasm-opt"))
            .arg("-Oz")
            .arg(&bg)
            .arg("-o")
            .arg(&opt),
    )?;

    let dist = r.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let template = read(&r.join("index.html"))?;
    let glue = read(&staging.join("loupe.js"))?;
    let boot = read(&r.join("web/boot.js"))?;
    let css = read(&r.join("web/loupe.css"))?;
    let wasm_bytes = std::fs::read(&opt).map_err(|e| e.to_string())?;

    // Hosted: plain files side by side, relative URLs; `sw.js` (a service worker from the page's
    // own origin) is the one worker that is not a blob:.
    let csp = format!(
        "{}; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'",
        CSP_COMMON.replace("worker-src blob:", "worker-src 'self' blob:")
    );
    let index = template
        .replace("{{CSP}}", &csp)
        .replace("{{STYLE}}", "<link rel=\"stylesheet\" href=\"loupe.css\">")
        .replace("{{WASM}}", "")
        .replace("{{GLUE}}", "<script src=\"loupe.js\"></script>")
        .replace("{{BOOT}}", "<script src=\"boot.js\"></script>");
    write(&dist.join("index.html"), index)?;
    write(&dist.join("loupe.js"), &glue)?;
    write(&dist.join("boot.js"), &boot)?;
    write(&dist.join("loupe.css"), &css)?;
    write(&dist.join("loupe_bg.wasm"), &wasm_bytes)?;
    write(&dist.join("sw.js"), service_worker(&dist)?)?;

    // Single file for file://: everything inline, scripts allowed by hash only, no connection at all.
    check_inline("loupe.js", &glue)?;
    check_inline("boot.js", &boot)?;
    let csp_file = format!(
        "{CSP_COMMON}; script-src 'sha256-{}' 'sha256-{}' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; connect-src 'none'",
        sha256_b64(&glue),
        sha256_b64(&boot)
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&wasm_bytes);
    let single = template
        .replace("{{CSP}}", &csp_file)
        .replace("{{STYLE}}", &format!("<style>{css}</style>"))
        .replace(
            "{{WASM}}",
            &format!("<script id=\"loupe-wasm\" type=\"application/octet-stream\">{b64}</script>"),
        )
        .replace(
            "{{GLUE}}",
            &format!("<script id=\"loupe-glue\">{glue}</script>"),
        )
        .replace("{{BOOT}}", &format!("<script>{boot}</script>"));
    write(&dist.join("loupe.html"), single)?;

    let size = |f: &str| {
        std::fs::metadata(dist.join(f))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    eprintln!(
        "\ndist/ written: loupe_bg.wasm {} KB, loupe.js {} KB, loupe.html {} KB (single file)",
        size("loupe_bg.wasm") / 1024,
        size("loupe.js") / 1024,
        size("loupe.html") / 1024
    );
    Ok(dist)
}
