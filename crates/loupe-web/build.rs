//! Embeds the seed scenarios of `tests/fixtures/` for the page's "try a sample" menu: every folder
//! holding log files becomes one sample (its files analysed together). Expectation files (JSON,
//! snapshots, Markdown) are left out, and so is anything past the size budget.

use std::fmt::Write;
use std::path::{Path, PathBuf};

const MAX_FILE: u64 = 2 << 20;
const MAX_TOTAL: u64 = 6 << 20;

fn is_log(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    !name.starts_with('.')
        && !name.starts_with("expected")
        && !matches!(
            ext.as_str(),
            "json" | "snap" | "md" | "toml" | "yaml" | "yml" | "rs"
        )
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<PathBuf>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let files: Vec<PathBuf> = entries
        .iter()
        .filter(|p| p.is_file() && is_log(p))
        .cloned()
        .collect();
    let stem = |p: &PathBuf| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let paired = files.iter().any(|f| stem(f).starts_with("hub"))
        && files.iter().any(|f| stem(f).starts_with("spoke"));
    if paired {
        // A hub + spoke scenario: its files go together.
        out.push((dir.to_path_buf(), files));
    } else {
        // A folder of independent artefacts: one sample each.
        for f in files {
            out.push((dir.join(stem(&f)), vec![f]));
        }
    }
    for d in entries.iter().filter(|p| p.is_dir()) {
        walk(d, out);
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../tests/fixtures");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut scenarios = Vec::new();
    walk(&root, &mut scenarios);
    let mut total = 0u64;
    let mut code = String::from("pub static SAMPLES: &[Sample] = &[\n");
    for (dir, files) in scenarios {
        let rel = dir
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (group, id) = rel.split_once('/').unwrap_or(("other", &rel));
        let mut body = String::new();
        for f in files {
            let size = f.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            if size > MAX_FILE || total + size > MAX_TOTAL {
                continue;
            }
            total += size;
            let name = f.file_name().unwrap().to_string_lossy();
            let abs = f.canonicalize().unwrap();
            let _ = writeln!(
                body,
                "        ({name:?}, include_bytes!({:?})),",
                abs.to_string_lossy()
            );
        }
        if !body.is_empty() {
            let _ = writeln!(
                code,
                "    Sample {{ group: {group:?}, id: {id:?}, files: &[\n{body}    ] }},"
            );
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("samples.rs");
    std::fs::write(out, code).unwrap();
}
