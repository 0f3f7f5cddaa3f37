//! `pmtool status` (or `pmtool status | grep -i sse`): `SSEConnector (system) - Running 1234`,
//! followed by `Command:`, `PID File:`, `Enable File:`, `Required by:` detail lines.

use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;
use regex::Regex;
use std::sync::OnceLock;

fn row() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(\S+) \((\w+)\) - (\w+(?: \w+)?)(?:\s+\d+)?\s*$").expect("valid regex")
    })
}

#[derive(Default)]
pub struct Parser {
    in_process: bool,
}

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let t = line.text.trim();
        if let Some(c) = row().captures(t) {
            self.in_process = true;
            let state = c[3]
                .trim_end_matches(|ch: char| ch.is_ascii_digit())
                .trim()
                .to_string();
            out.observe(
                line,
                Signal::Process {
                    name: c[1].to_string(),
                    state,
                },
                None,
            );
            return Class::Recognised;
        }
        let detail = [
            "Command:",
            "PID File:",
            "Enable File:",
            "Required by:",
            "Requires:",
            "Last exit",
            "Restarts",
        ];
        if self.in_process && detail.iter().any(|d| t.starts_with(d)) {
            return Class::Continuation;
        }
        Class::NotUnderstood
    }
}
