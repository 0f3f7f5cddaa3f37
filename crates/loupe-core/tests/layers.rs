//! The stages of loupe-core depend on each other one way, lowest first (ARCHITECTURE.md). This
//! test reads every source file and fails when a top-level module refers to one listed after it
//! (`use crate::x`, a `crate::x::...` path in code, or `super::` climbing out to the crate root),
//! in the manner of rust-analyzer's tidy tests: a circle in the imports cannot come back unseen.

use std::path::{Path, PathBuf};

/// loupe-core's top-level modules, lowest first. A module may use only the ones before it.
const LAYERS: &[&str] = &[
    "model",
    "intern",
    "steps",
    "codes",
    "decode",
    "sdl",
    "cluster_tables",
    "ils_alarms",
    "securex_artefacts",
    "detect",
    "parse",
    "ils",
    "securex",
    "engine",
    "report",
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to and its depth below the crate root
/// (`src/sdl.rs` and `src/sdl/mod.rs` are depth 1, `src/sdl/events.rs` depth 2).
fn module_of(rel: &Path) -> Option<(String, usize)> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let top = parts.first()?.trim_end_matches(".rs").to_string();
    if top == "lib" {
        return None;
    }
    let last_is_mod = parts.last().is_some_and(|p| p == "mod.rs");
    let depth = if last_is_mod {
        parts.len() - 1
    } else {
        parts.len()
    };
    Some((top, depth))
}

/// Every top-level module `source` (a file at `depth`) refers to, with its line number. Comment
/// lines are skipped: a doc link is not an import.
fn references(source: &str, depth: usize) -> Vec<(usize, String)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let code = code.split(" //").next().unwrap_or(code);
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            let name = ident(&rest[at + "crate::".len()..]);
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = &rest[at + "crate::".len()..];
        }
        // `super::super::x` from a file at depth 2 names the top-level module `x`.
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            let mut tail = &rest[at..];
            let mut ups = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t;
            }
            if ups >= depth {
                let name = ident(tail);
                if !name.is_empty() {
                    out.push((n + 1, name));
                }
            }
            rest = &rest[at + ups * "super::".len()..];
        }
    }
    out
}

/// `(file, line, from, to)` for every reference from a module to one at or above its layer
/// other than itself.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut out = Vec::new();
    for (rel, source) in files {
        let Some((module, depth)) = module_of(rel) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            out.push(format!(
                "{}: top-level module `{module}` is not in LAYERS",
                rel.display()
            ));
            continue;
        };
        for (line, target) in references(source, depth) {
            if target == module {
                continue;
            }
            match rank(&target) {
                Some(r) if r < own => {}
                Some(_) => out.push(format!(
                    "{}:{line}: `{module}` uses `{target}`, which comes after it",
                    rel.display()
                )),
                None => {} // a crate-root item (re-export), not a module
            }
        }
    }
    out
}

#[test]
fn top_level_modules_only_use_the_ones_below_them() {
    let root = src_dir();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let files: Vec<(PathBuf, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under src").to_path_buf();
            (rel, std::fs::read_to_string(p).expect("source file"))
        })
        .collect();
    assert!(files.len() > 50, "the source tree was not found");
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "imports against the layer order {LAYERS:?}:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    // rustfmt sorts the `mod` lines of lib.rs, so the order lives in LAYERS (and ARCHITECTURE.md).
    let lib = std::fs::read_to_string(src_dir().join("lib.rs")).expect("lib.rs");
    let mut declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("pub mod ")
                .or(l.trim().strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    declared.sort_unstable();
    let mut layers = LAYERS.to_vec();
    layers.sort_unstable();
    assert_eq!(declared, layers);
}

#[test]
fn the_check_sees_an_upward_import() {
    let files = vec![
        (
            PathBuf::from("sdl/mod.rs"),
            "use crate::model::Kind;\nuse crate::ils::events;\n".to_string(),
        ),
        (
            PathBuf::from("securex_artefacts/curl.rs"),
            "fn f() { crate::engine::Line::default(); }\n".to_string(),
        ),
        (
            PathBuf::from("detect/inner.rs"),
            "use super::super::parse::Parsed;\nuse super::Other;\n".to_string(),
        ),
        (
            PathBuf::from("parse/mod.rs"),
            "/// See [`crate::engine`].\nuse crate::sdl::SdlParser;\n".to_string(),
        ),
    ];
    assert_eq!(
        violations(&files),
        vec![
            "sdl/mod.rs:2: `sdl` uses `ils`, which comes after it",
            "securex_artefacts/curl.rs:1: `securex_artefacts` uses `engine`, which comes after it",
            "detect/inner.rs:1: `detect` uses `parse`, which comes after it",
        ]
    );
}
