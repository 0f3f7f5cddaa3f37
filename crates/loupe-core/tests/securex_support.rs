//! Shared helpers of the SecureX integration tests (included with `#[path]`; compiled on its own
//! as an empty test crate too).
#![allow(dead_code)]

use loupe_core::{analyze, Analysis, RawInput};
use std::path::PathBuf;

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/securex")
}

pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Analyse fixtures together, each as its own input.
pub fn run(names: &[&str]) -> Analysis {
    analyze(names.iter().map(|n| RawInput::new(*n, read(n))).collect())
}

/// `(rule, severity)` of every finding, in report order.
pub fn rules(a: &Analysis) -> Vec<(String, String)> {
    a.findings
        .iter()
        .map(|f| (f.rule.clone(), f.severity.as_str().to_string()))
        .collect()
}

/// Evidence lines of the finding with `rule`.
pub fn lines_of(a: &Analysis, rule: &str) -> Vec<u32> {
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no finding {rule}: {:?}", rules(a)));
    f.evidence.iter().map(|e| e.line).collect()
}

/// `(id, state)` of the checklist.
pub fn checklist(a: &Analysis) -> Vec<(String, String)> {
    a.checklist
        .iter()
        .map(|c| (c.id.clone(), format!("{:?}", c.state).to_lowercase()))
        .collect()
}

/// A compact, reviewable rendering of an analysis for snapshots.
pub fn render(a: &Analysis) -> String {
    let mut out = String::new();
    for i in &a.inputs {
        let c = i.counts;
        out.push_str(&format!(
            "input {} [{}] lines={} recognised={} continuation={} blank={} not_understood={} {:?}\n",
            i.name,
            i.kind.as_str(),
            c.lines,
            c.recognised,
            c.continuation,
            c.blank,
            c.not_understood,
            i.not_understood_lines
        ));
    }
    for f in &a.findings {
        out.push_str(&format!(
            "\n== {} {} step={}\n",
            f.severity.as_str(),
            f.rule,
            f.step.map_or("-", |s| s.as_str())
        ));
        out.push_str(&format!(
            "title.en: {}\ntitle.ja: {}\n",
            f.title.en, f.title.ja
        ));
        out.push_str(&format!(
            "what.en: {}\nwhat.ja: {}\n",
            f.explanation.what.en, f.explanation.what.ja
        ));
        for (n, s) in f.explanation.fix.iter().enumerate() {
            out.push_str(&format!("fix {}: {}\n", n + 1, s.en));
        }
        for c in &f.codes {
            out.push_str(&format!("code {} {} {}\n", c.kind, c.code, c.name));
        }
        for e in &f.evidence {
            out.push_str(&format!("  {}:{} {}\n", e.input, e.line, e.text));
        }
    }
    if !a.checklist.is_empty() {
        out.push_str("\n== checklist\n");
        for c in &a.checklist {
            let lines: Vec<String> = c
                .evidence
                .iter()
                .map(|e| format!("{}:{}", e.input, e.line))
                .collect();
            out.push_str(&format!(
                "{:<22} {:<12} {} [{}]\n",
                c.id,
                format!("{:?}", c.state).to_lowercase(),
                c.command,
                lines.join(", ")
            ));
        }
    }
    out
}
