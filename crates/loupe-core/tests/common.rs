//! Helpers shared by the integration tests: load fixtures from `tests/fixtures`.
#![allow(dead_code)]

use loupe_core::{analyze, Analysis, RawInput};
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Read a fixture file; its input name is its path below `tests/fixtures`.
pub fn fixture(rel: &str) -> RawInput {
    let bytes =
        std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"));
    RawInput::new(rel, bytes)
}

pub fn analyze_fixtures(rels: &[&str]) -> Analysis {
    analyze(rels.iter().map(|r| fixture(r)).collect())
}

/// The hub and spoke traces of an ILS scenario.
pub fn ils_scenario(name: &str) -> Analysis {
    analyze_fixtures(&[
        &format!("ils/{name}/hub.txt"),
        &format!("ils/{name}/spoke.txt"),
    ])
}

/// `(rule, severity)` of every finding.
pub fn rules(a: &Analysis) -> Vec<(String, &'static str)> {
    a.findings
        .iter()
        .map(|f| (f.rule.clone(), f.severity.as_str()))
        .collect()
}

/// `side:line` of every evidence line of the finding with `rule` (side = file name stem).
pub fn evidence(a: &Analysis, rule: &str) -> Vec<String> {
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no finding {rule}: {:?}", rules(a)));
    f.evidence
        .iter()
        .map(|e| {
            let stem = Path::new(&*e.input)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string();
            format!("{stem}:{}", e.line)
        })
        .collect()
}
