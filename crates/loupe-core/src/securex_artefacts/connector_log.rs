//! `connector.log` of the SSE connector (Go, logrus text formatter):
//! `time="2020-04-13T14:34:02.88472046-05:00" level=error msg="[ctx][events.go:90 events:connectWebSocket] dial tcp ...:443: ..."`.
//! The seed prints these lines cut short (`... dial tcp x.x.x.246:443: g`, no closing quote), so
//! the closing quote is optional and a cut line is kept, marked `truncated`.

use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::go_errors;
use crate::securex_artefacts::signal::Signal;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    record: Regex,
    origin: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        record: Regex::new(r#"^time="([^"]*)"\s+level=(\w+)\s+msg="?(.*)$"#).expect("valid regex"),
        // `[context][file.go:90 pkg:func] rest`
        origin: Regex::new(r"^(?:\[[^\]]*\])?\[[\w./-]+\.go:\d+\s+[\w./-]+:(\w+)\]\s*(.*)$")
            .expect("valid regex"),
    })
}

#[derive(Default)]
pub struct Parser;

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let p = patterns();
        let t = line.text.trim();
        let Some(c) = p.record.captures(t) else {
            // A multi-line message (stack trace, JSON body) continues the previous record.
            return if line.text.starts_with([' ', '\t']) {
                Class::Continuation
            } else {
                Class::NotUnderstood
            };
        };
        let level = &c[2];
        let msg = &c[3];
        let truncated = !msg.ends_with('"');
        let msg = msg.strip_suffix('"').unwrap_or(msg).replace("\\\"", "\"");
        let (func, error) = match p.origin.captures(&msg) {
            Some(o) => (o[1].to_string(), o[2].to_string()),
            None => (String::new(), msg.clone()),
        };
        if matches!(level, "error" | "fatal" | "panic" | "warning") {
            if let Some(signal) = go_errors::classify(&error) {
                out.observe(line, signal, None);
            }
            if level != "warning" {
                out.observe(
                    line,
                    Signal::ConnectorError {
                        func,
                        error,
                        truncated,
                    },
                    None,
                );
            }
        }
        Class::Recognised
    }
}
