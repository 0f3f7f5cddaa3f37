//! Secure Firewall / FMC SecureX artefacts: recognised from their first lines ([`sniff`]) and
//! parsed, one parser per artefact. Each reads the lines of one input (or of one console block)
//! and tells, for every line, whether it was recognised, a continuation, blank or not
//! understood, so that line accounting always adds up. What the lines say becomes typed
//! [`Observation`]s (a [`Signal`] with its line) and, for curl, [`CurlRun`]s; the diagnoser
//! ([`crate::securex`]) reads them.
//!
//! Also here, because parsers use them: the console prompt grammar ([`prompt`]) and the
//! decoders of Go and X509 error strings ([`go_errors`], [`x509_text`]).

mod action_queue;
mod connector_log;
mod curl;
pub mod error_lines;
pub mod go_errors;
mod lsof;
mod netstat;
mod nslookup;
mod pmtool;
pub mod prompt;
mod properties;
mod show_network;
pub mod signal;
pub(crate) mod sniff;
pub mod x509_text;

use crate::decode::Line;
use crate::model::{Kind, LineCounts, MAX_UNDERSTOOD_SAMPLES};
use prompt::Prompt;
pub use signal::{CurlRun, Observation, Signal};

/// A parsed SecureX artefact.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct Artefact {
    pub counts: LineCounts,
    /// 1-based numbers of the lines not understood (at most [`MAX_UNDERSTOOD_SAMPLES`]).
    pub not_understood: Vec<u32>,
    /// What the lines say, in line order.
    pub observations: Vec<Observation>,
    /// curl invocations (verbose transcripts and `canConnect` checks), referenced by
    /// [`Observation::run`].
    pub runs: Vec<CurlRun>,
}

/// Recognise SecureX artefacts (and console sessions) from their first lines.
pub fn sniff(lines: &[Line]) -> Option<Kind> {
    sniff::sniff(lines)
}

/// Two or more prompts with a command: a pasted console session (its blocks may be of any kind,
/// SDL traces included).
pub fn is_console_session(lines: &[Line]) -> bool {
    sniff::is_console_session(lines)
}

/// The kind of artefact a typed command produces (`curl -v ...` gives a curl transcript).
pub fn sniff_command(command: &str) -> Option<Kind> {
    sniff::kind_of_command(command)
}

/// The kinds parsed here.
pub fn is_securex_kind(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ActionQueueLog
            | Kind::CurlVerbose
            | Kind::Nslookup
            | Kind::ShowNetwork
            | Kind::ConnectorProperties
            | Kind::NetstatSocket
            | Kind::LsofConnector
            | Kind::ConnectorLog
            | Kind::PmtoolStatus
    )
}

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
            scanned: false,
        });
    }

    /// Record what the error scan read on `line`.
    pub fn observe_scanned(&mut self, line: &Line, signal: Signal, run: Option<usize>) {
        self.observe(line, signal, run);
        if let Some(o) = self.artefact.observations.last_mut() {
            o.scanned = true;
        }
    }

    /// Read `line` with the error scan ([`error_lines`]); true when it named an error.
    pub fn scan(&mut self, line: &Line) -> bool {
        let signals = error_lines::scan(&line.text);
        let found = !signals.is_empty();
        for s in signals {
            self.observe_scanned(line, s, None);
        }
        found
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

/// Parse the lines of one artefact of `kind`. Kinds with no parser here are accounted line by
/// line (prompt lines recognised, the rest not understood), never dropped.
pub fn parse(kind: Kind, lines: &[Line]) -> Artefact {
    let mut parser = parser_for(kind);
    let mut out = Builder::default();
    for line in lines {
        out.artefact.counts.lines += 1;
        if line.text.trim().is_empty() {
            out.artefact.counts.blank += 1;
            continue;
        }
        let mut class = if is_decoration(&line.text) {
            Class::Recognised
        } else if let Some(p) = prompt::parse(&line.text) {
            parser.prompt(line, &p, &mut out)
        } else {
            parser.line(line, &mut out)
        };
        if class == Class::NotUnderstood && out.scan(line) {
            class = Class::Recognised;
        }
        out.count(line.number, class);
    }
    parser.finish(&mut out);
    out.artefact
}

/// Most error lines kept from one input the scan reads whole (an unknown input); past it, lines
/// are counted as not understood, so a huge log of errors cannot fill the memory.
pub const MAX_SCANNED_LINES: usize = 10_000;

/// The error scan of an input no parser reads (kind unknown), fed line by line as it streams:
/// only the observations of the lines that name an error are kept, never the text of other lines.
#[derive(Debug, Default)]
pub struct ErrorScan {
    out: Builder,
    lines: usize,
}

impl ErrorScan {
    /// Read one line; true when it named an error (the line is then recognised).
    pub fn line(&mut self, number: u32, text: &str) -> bool {
        if self.lines >= MAX_SCANNED_LINES || !error_lines::candidate(text) {
            return false;
        }
        let line = Line {
            number,
            text: text.to_string(),
        };
        let found = self.out.scan(&line);
        self.lines += usize::from(found);
        found
    }

    /// The observations, if any line named an error.
    pub fn finish(self) -> Option<Vec<Observation>> {
        let obs = self.out.artefact.observations;
        (!obs.is_empty()).then_some(obs)
    }
}

/// A refused, reset or unreachable connection named in a lower-cased error line (curl's `-v`
/// lines and one-line errors alike), for `target`.
pub(crate) fn socket_error(lower: &str, target: String) -> Option<Signal> {
    if lower.contains("connection refused") || lower.contains("connection reset by peer") {
        let detail = if lower.contains("refused") {
            "Connection refused"
        } else {
            "Connection reset by peer"
        };
        return Some(Signal::TcpRefused {
            target,
            detail: detail.to_string(),
        });
    }
    if lower.contains("no route to host") || lower.contains("network is unreachable") {
        let detail = if lower.contains("no route") {
            "No route to host"
        } else {
            "Network is unreachable"
        };
        return Some(Signal::TcpNoRoute {
            target,
            detail: detail.to_string(),
        });
    }
    None
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
