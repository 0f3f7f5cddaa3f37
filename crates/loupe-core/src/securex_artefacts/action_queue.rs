//! `/var/log/action_queue.log` (FMC/FTD), written by `ActionQueueScrape.pl`. The SSE enrollment
//! check logs `[SF::SSE::Enrollment] canConnect: System (/usr/bin/curl -s ...)` and, on
//! failure, curl's exit code (`exit code: 28`); curl runs with `-s`, so only the number is
//! logged. Accepted headers: `ActionQueueScrape.pl[PID]:`, the seed's translated
//! `ActionQueueScrape pl[PID]:`, and pigtail's `pid=PID`.

use super::curl::command_run;
use super::{ArtefactParser, Builder, Class};
use crate::decode::Line;
use crate::securex_artefacts::signal::Signal;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    header: Regex,
    can_connect: Regex,
    exit_code: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        header: Regex::new(r"ActionQueueScrape[. ]pl\[\d+\]:|\bpid=\d+ ").expect("valid regex"),
        can_connect: Regex::new(r"\[SF::SSE::[\w:]+\]\s+canConnect:.*?(/\S*curl\s[^)]*)")
            .expect("valid regex"),
        exit_code: Regex::new(r"(?i)exit code[: ]+(\d+)").expect("valid regex"),
    })
}

pub struct Parser;

impl ArtefactParser for Parser {
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class {
        let p = patterns();
        let text = line.text.as_str();
        if let Some(c) = p.can_connect.captures(text) {
            let mut run = command_run(&c[1], line.number);
            run.from_action_queue = true;
            let exit = p
                .exit_code
                .captures(text)
                .and_then(|e| e[1].parse::<i64>().ok());
            run.exit = exit;
            let index = out.start_run(run);
            out.observe(line, Signal::CurlCommand, Some(index));
            if let Some(code) = exit {
                out.observe(
                    line,
                    Signal::CurlExit {
                        code,
                        message: String::new(),
                    },
                    Some(index),
                );
            }
            return Class::Recognised;
        }
        if p.header.is_match(text) {
            return Class::Recognised;
        }
        Class::NotUnderstood
    }
}
