//! All SecureX observations of an analysis in one place: whole-file artefacts and the blocks of
//! console sessions, in input order then line order, so that rules can join evidence across
//! artefacts (curl exit 6 + nslookup timeout + `show network`) into one finding.

use crate::model::{Evidence, Kind, Role};
use crate::parse::{Parsed, ParsedInput};
use crate::securex_artefacts::signal::{CurlRun, Observation, Signal};
use crate::securex_artefacts::{is_securex_kind, Artefact};

/// One parsed artefact: a whole input, or one block of a console session.
#[derive(Debug)]
pub struct Source<'a> {
    /// Name of the input (the console session's name for its blocks).
    pub input: &'a str,
    pub kind: Kind,
    pub artefact: &'a Artefact,
}

/// An observation and the source it comes from. Ordered by source, then line.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub source: usize,
    pub obs: &'a Observation,
}

impl Seen<'_> {
    pub fn key(&self) -> (usize, u32) {
        (self.source, self.obs.line)
    }
    pub fn signal(&self) -> &Signal {
        &self.obs.signal
    }
}

#[derive(Debug, Default)]
pub struct Corpus<'a> {
    pub sources: Vec<Source<'a>>,
}

impl<'a> Corpus<'a> {
    pub fn new(inputs: &'a [ParsedInput]) -> Self {
        let mut sources = Vec::new();
        for input in inputs {
            for (kind, part) in input.parts() {
                if let Parsed::Securex(artefact) | Parsed::ErrorLines(artefact) = part {
                    sources.push(Source {
                        input: &input.name,
                        kind,
                        artefact,
                    });
                }
            }
        }
        Corpus { sources }
    }

    /// Nothing to diagnose: no SecureX artefact, and no error line read by the error scan in any
    /// other input or console block (typed commands alone do not count).
    pub fn is_empty(&self) -> bool {
        !self.has_artefact()
            && !self.all().any(|s| {
                !matches!(
                    s.signal(),
                    Signal::Command { .. } | Signal::DnsReconfigured { .. }
                )
            })
    }

    /// A SecureX artefact is among the inputs (console blocks of other kinds do not count).
    pub fn has_artefact(&self) -> bool {
        self.sources.iter().any(|s| is_securex_kind(s.kind))
    }

    pub fn all(&self) -> impl Iterator<Item = Seen<'a>> + '_ {
        self.sources.iter().enumerate().flat_map(|(source, s)| {
            s.artefact
                .observations
                .iter()
                .map(move |obs| Seen { source, obs })
        })
    }

    /// Observations whose signal satisfies `pred`, in order.
    pub fn find(&self, pred: impl Fn(&Signal) -> bool) -> Vec<Seen<'a>> {
        self.all().filter(|s| pred(&s.obs.signal)).collect()
    }

    /// The curl run an observation belongs to.
    pub fn run(&self, seen: &Seen) -> Option<&'a CurlRun> {
        let source: &Source<'a> = self.sources.get(seen.source)?;
        source.artefact.runs.get(seen.obs.run?)
    }

    /// Every curl run, with its source index.
    pub fn runs(&self) -> impl Iterator<Item = (usize, usize, &'a CurlRun)> + '_ {
        self.sources.iter().enumerate().flat_map(|(source, s)| {
            s.artefact
                .runs
                .iter()
                .enumerate()
                .map(move |(i, r)| (source, i, r))
        })
    }

    /// The observations of one run.
    pub fn run_observations(&self, source: usize, run: usize) -> Vec<Seen<'a>> {
        self.all()
            .filter(|s| s.source == source && s.obs.run == Some(run))
            .collect()
    }

    /// Is `a` known to come before `b` in the logs' time? Only within one input (a log or a
    /// pasted session is written in order; console blocks keep their original line numbers):
    /// then by line. Across inputs the order of the arguments says nothing about time, and the
    /// observations that could show a fix (nslookup and curl answers, lsof and netstat rows)
    /// carry no time of their own, so observations of different inputs are never ordered.
    pub fn before(&self, a: &Seen, b: &Seen) -> bool {
        let name = |s: &Seen| self.sources.get(s.source).map(|src| src.input);
        name(a) == name(b) && a.obs.line < b.obs.line
    }

    /// `a` and `b` are from different inputs (their order in time is unknown).
    pub fn unordered(&self, a: &Seen, b: &Seen) -> bool {
        let name = |s: &Seen| self.sources.get(s.source).map(|src| src.input);
        name(a) != name(b)
    }

    pub fn kind_of(&self, seen: &Seen) -> Kind {
        self.sources
            .get(seen.source)
            .map_or(Kind::Unknown, |s| s.kind)
    }

    /// Evidence lines for `seen`, ordered and without duplicates.
    pub fn evidence(&self, seen: &[Seen]) -> Vec<Evidence> {
        let mut keyed: Vec<(usize, u32, Evidence)> = seen
            .iter()
            .map(|s| {
                let input = self.sources.get(s.source).map_or("", |src| src.input);
                (
                    s.source,
                    s.obs.line,
                    Evidence {
                        input: input.into(),
                        line: s.obs.line,
                        text: s.obs.text.as_str().into(),
                        role: Role::Device,
                    },
                )
            })
            .collect();
        keyed.sort_by_key(|(source, line, _)| (*source, *line));
        keyed.dedup_by_key(|(source, line, _)| (*source, *line));
        keyed.into_iter().map(|(_, _, e)| e).collect()
    }
}
