//! Stage 3 for SecureX: one parser per artefact. Each reads the lines of one input (or of one
//! console block) and tells, for every line, whether it was recognised, a continuation, blank
//! or not understood, so that line accounting always adds up.

mod action_queue;
mod connector_log;
mod curl;
mod lsof;
mod netstat;
mod nslookup;
mod pmtool;
mod properties;
mod show_network;

use super::prompt::{self, Prompt};
use super::signal::{CurlRun, Observation, Signal};
use super::Artefact;
use crate::engine::Line;
use crate::model::{Kind, MAX_UNDERSTOOD_SAMPLES};

/// How one line was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Recognised,
    Continuation,
    NotUnderstood,
}

/// What a parser writes into: line accounting, observations, curl runs.
#[derive(Debug, Default)]
pub struct Builder {
    artefact: Artefact,
}

impl Builder {
    fn count(&mut self, number: u32, class: Class) {
        let c = &mut self.artefact.counts;
        match class {
            Class::Recognised => c.recognised += 1,
            Class::Continuation => c.continuation += 1,
            Class::NotUnderstood => {
                c.not_understood += 1;
                if self.artefact.not_understood.len() < MAX_UNDERSTOOD_SAMPLES {
                    self.artefact.not_understood.push(number);
                }
            }
        }
    }

    /// Record what `line` says, attached to the current curl run when `run` is set.
    pub fn observe(&mut self, line: &Line, signal: Signal, run: Option<usize>) {
        self.artefact.observations.push(Observation {
            line: line.number,
            text: line.text.trim_end().to_string(),
            signal,
            run,
        });
    }

    pub fn start_run(&mut self, run: CurlRun) -> usize {
        self.artefact.runs.push(run);
        self.artefact.runs.len() - 1
    }

    pub fn run_mut(&mut self, index: usize) -> Option<&mut CurlRun> {
        self.artefact.runs.get_mut(index)
    }
}

/// A parser for one artefact kind: fed the non-blank lines in order.
pub trait ArtefactParser {
    /// A prompt line inside this artefact (`root@ftd01:~# curl -v ...`). The default records
    /// the command.
    fn prompt(&mut self, line: &Line, prompt: &Prompt, out: &mut Builder) -> Class {
        observe_command(line, prompt, out);
        Class::Recognised
    }
    fn line(&mut self, line: &Line, out: &mut Builder) -> Class;
    /// Called after the last line (for facts only the whole artefact shows).
    fn finish(&mut self, _out: &mut Builder) {}
}

/// Record a typed command: `configure network dns` is kept as such, anything else as a command.
pub fn observe_command(line: &Line, prompt: &Prompt, out: &mut Builder) {
    if prompt.command.is_empty() {
        return;
    }
    let signal = match prompt.command.strip_prefix("configure network dns") {
        Some(rest) => Signal::DnsReconfigured {
            servers: rest.trim().trim_start_matches("servers").trim().to_string(),
        },
        None => Signal::Command {
            command: prompt.command.clone(),
        },
    };
    out.observe(line, signal, None);
}

/// Lines that frame a copied output rather than belong to it (Markdown fences, `<#root>`).
fn is_decoration(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("```") || t == "<#root>"
}

/// Kinds with no SecureX parser (a console block running `configure network dns`, say):
/// prompts are recognised, other lines are not understood.
struct Generic;
impl ArtefactParser for Generic {
    fn line(&mut self, _line: &Line, _out: &mut Builder) -> Class {
        Class::NotUnderstood
    }
}

fn parser_for(kind: Kind) -> Box<dyn ArtefactParser> {
    match kind {
        Kind::ActionQueueLog => Box::new(action_queue::Parser),
        Kind::CurlVerbose => Box::new(curl::Parser::default()),
        Kind::Nslookup => Box::new(nslookup::Parser::default()),
        Kind::ShowNetwork => Box::new(show_network::Parser::default()),
        Kind::ConnectorProperties => Box::new(properties::Parser),
        Kind::NetstatSocket => Box::new(netstat::Parser),
        Kind::LsofConnector => Box::new(lsof::Parser),
        Kind::ConnectorLog => Box::new(connector_log::Parser),
        Kind::PmtoolStatus => Box::new(pmtool::Parser::default()),
        _ => Box::new(Generic),
    }
}

/// Parse the lines of one artefact of `kind`.
pub fn parse(kind: Kind, lines: &[Line]) -> Artefact {
    let mut parser = parser_for(kind);
    let mut out = Builder::default();
    for line in lines {
        out.artefact.counts.lines += 1;
        if line.text.trim().is_empty() {
            out.artefact.counts.blank += 1;
            continue;
        }
        let class = if is_decoration(&line.text) {
            Class::Recognised
        } else if let Some(p) = prompt::parse(&line.text) {
            parser.prompt(line, &p, &mut out)
        } else {
            parser.line(line, &mut out)
        };
        out.count(line.number, class);
    }
    parser.finish(&mut out);
    out.artefact
}

/// `key : value` split on the first colon, both trimmed (collapsed or column-aligned output).
pub fn key_value(text: &str) -> Option<(&str, &str)> {
    let (k, v) = text.split_once(':')?;
    Some((k.trim(), v.trim()))
}

/// Host of an URL: `https://api-sse.cisco.com/x` gives `api-sse.cisco.com`.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if host.starts_with('[') {
        host
    } else {
        host.split(':').next().unwrap_or(host)
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}
