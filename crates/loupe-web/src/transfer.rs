//! Transfer types: what crosses the page ⇄ worker boundary, as JSON text.
//!
//! The result is the core's own [`loupe_core::Analysis`], read back on the page through the
//! core's `deserialize` feature: one model, no copy of it to keep in step. The only thing the page
//! needs that the engine does not know is how many lines of each input the worker kept for the
//! raw view, carried beside the analysis in [`AnalysisView`]. The messages themselves
//! ([`ToWorker`], [`FromWorker`], [`Progress`]) are this crate's, in the `ruff_wasm` style.

use std::ops::{Deref, DerefMut};

use loupe_core as core;
use serde::{Deserialize, Serialize};

/// Everything the page shows about one analysis: the engine's result, and the lines of each input
/// the worker kept for the raw view.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnalysisView {
    pub analysis: core::Analysis,
    /// Lines kept for the raw view, by input (0 when the input was too large to keep).
    pub stored_lines: Vec<u32>,
}

impl Deref for AnalysisView {
    type Target = core::Analysis;
    fn deref(&self) -> &core::Analysis {
        &self.analysis
    }
}

impl DerefMut for AnalysisView {
    fn deref_mut(&mut self) -> &mut core::Analysis {
        &mut self.analysis
    }
}

impl AnalysisView {
    /// The engine's result with `stored_lines[i]`, how many lines of input `i` the worker kept.
    pub fn from_core(a: core::Analysis, stored_lines: &[u32]) -> Self {
        let stored_lines = (0..a.inputs.len())
            .map(|i| stored_lines.get(i).copied().unwrap_or(0))
            .collect();
        AnalysisView {
            analysis: a,
            stored_lines,
        }
    }

    /// Lines of input `input` the raw view can show.
    pub fn stored_lines(&self, input: usize) -> u32 {
        self.stored_lines.get(input).copied().unwrap_or(0)
    }

    /// The index of the input evidence names (input names are distinct, `input_names.rs`).
    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.analysis.inputs.iter().position(|i| i.name == name)
    }

    /// Is `e` the line `line` of input `input`?
    pub fn evidence_is(&self, e: &core::Evidence, input: usize, line: u32) -> bool {
        e.line == line
            && self
                .analysis
                .inputs
                .get(input)
                .is_some_and(|i| *i.name == *e.input)
    }
}

/// Progress of an analysis, posted by the worker at least four times a second.
/// What the analysis is doing, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Opening zip archives before their entries are read: `bytes_read` of `bytes_total` are
    /// the archives' bytes read, `inputs_done` the entries taken out so far, `current` the
    /// archive or the entry.
    Opening,
    /// Reading the files (`bytes_read` of `bytes_total`).
    #[default]
    Reading,
    /// Correlating and running the rules, once everything is read.
    Diagnosing,
    /// The page receives the result in parts (`bytes_read` of `bytes_total` findings and events).
    Receiving,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub stage: Stage,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub inputs_done: usize,
    pub inputs_total: usize,
    pub current: String,
    /// Workers reading the files (2 when a helper reads part of them; 0 or 1: one).
    #[serde(default)]
    pub workers: usize,
    /// While [`Stage::Diagnosing`]: the step begun.
    #[serde(default)]
    pub step: Option<DiagnoseStep>,
}

/// A step of [`Stage::Diagnosing`]: `done` of `total` steps before it. The core's steps
/// ([`core::steps`]) between the worker's own: taking over what the helper read, first, and
/// preparing the result for the page, last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnoseStep {
    pub done: usize,
    pub total: usize,
    pub what: StepWhat,
    /// Thousandths of this step done, while a long one runs (`core::steps::Step::part`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u16>,
}

/// What a [`DiagnoseStep`] does; the page words it ([`crate::i18n`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepWhat {
    /// The helper worker has read its files: its part is handed over and taken in.
    TakingOver,
    PairingAttempts,
    Connections {
        connections: usize,
    },
    Rule {
        rule: String,
        connections: usize,
    },
    Alarms,
    GroupingFindings {
        findings: usize,
    },
    Securex,
    /// Cutting the result into the parts that carry it to the page.
    Preparing,
}

impl DiagnoseStep {
    /// Steps of the whole stage: the core's and the worker's two.
    pub const TOTAL: usize = core::steps::TOTAL + 2;

    pub fn taking_over() -> Self {
        Self {
            done: 0,
            total: Self::TOTAL,
            what: StepWhat::TakingOver,
            part: None,
        }
    }

    pub fn preparing() -> Self {
        Self {
            done: Self::TOTAL - 1,
            total: Self::TOTAL,
            what: StepWhat::Preparing,
            part: None,
        }
    }
}

impl DiagnoseStep {
    /// How much of the whole stage is done, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        let part = f64::from(self.part.unwrap_or(0)) / 1000.0;
        ((self.done as f64 + part) / self.total.max(1) as f64).min(1.0)
    }
}

impl From<core::steps::Step> for DiagnoseStep {
    fn from(s: core::steps::Step) -> Self {
        use core::steps::What;
        Self {
            done: s.done + 1,
            total: Self::TOTAL,
            what: match s.what {
                What::PairingAttempts => StepWhat::PairingAttempts,
                What::Connections { connections } => StepWhat::Connections { connections },
                What::Rule { rule, connections } => StepWhat::Rule {
                    rule: rule.to_string(),
                    connections,
                },
                What::Alarms => StepWhat::Alarms,
                What::GroupingFindings { findings } => StepWhat::GroupingFindings { findings },
                What::Securex => StepWhat::Securex,
            },
            part: s.part,
        }
    }
}

/// Page → worker. The analyse request's file blobs travel beside the message (`blobs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Analyse the blobs sent beside this message, named `names`, with the user's role corrections.
    Analyze {
        names: Vec<String>,
        roles: Vec<(String, String)>,
    },
    /// To a helper worker (from the analysing worker): parse the blobs sent beside this message,
    /// named `names`, which the analysing worker numbers `sources`; answer with what it parsed
    /// (`session::ParsedPart` as JSON bytes, `{ parsed: ArrayBuffer }`, `worker::post_parsed`).
    Parse {
        names: Vec<String>,
        sources: Vec<usize>,
    },
    /// Lines `start..start + count` (0-based) of input `input`, for the raw view.
    Lines {
        input: usize,
        start: u32,
        count: u32,
    },
    /// The report of the last analysis.
    Export {
        format: String,
        redact: bool,
        lang: String,
    },
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Adjacently tagged: serde_json reads the tag first and then the content straight into its
// type, where an internally tagged enum buffers a whole result part before reading it.
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
pub enum FromWorker {
    Ready,
    Progress(Progress),
    /// The whole result, put together by the page from the parts below.
    Done {
        analysis: Box<AnalysisView>,
    },
    /// The result without its findings, events and connections, which follow in parts: the page
    /// parses and keeps each part in its own task, so none of them holds the main thread for long.
    ResultHead {
        analysis: Box<AnalysisView>,
        findings: usize,
        events: usize,
        #[serde(default)]
        connections: usize,
    },
    ResultFindings {
        items: Vec<core::Finding>,
    },
    /// On 100,000 attempts the connections in the head made it a 460 ms task on the page.
    ResultConnections {
        items: Vec<core::Connection>,
    },
    ResultEvents {
        items: Vec<core::TimelineEvent>,
    },
    ResultEnd,
    Lines {
        input: usize,
        start: u32,
        lines: Vec<String>,
        /// Set when the worker keeps only this many lines of the input (a gzip or UTF-16 input
        /// whose decoded text outgrew its memory budget): the page shows no more.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kept: Option<u32>,
    },
    /// An export, ready to download: its bytes are a Blob made in the worker, posted beside the
    /// message (a Blob is passed by reference, its bytes are not copied; see
    /// `worker::post_to`). Never `None` on the page.
    Exported {
        file_name: String,
        #[serde(skip)]
        blob: Attached,
    },
    Failed {
        message: String,
    },
    /// The worker panicked: it cannot go on and is replaced on the next request.
    Crashed {
        message: String,
    },
}

/// A Blob posted beside a message ([`FromWorker::Exported`]); the plain-Rust build (tests) has
/// none.
#[cfg(target_arch = "wasm32")]
pub type Attached = Option<web_sys::Blob>;
#[cfg(not(target_arch = "wasm32"))]
pub type Attached = Option<std::convert::Infallible>;

/// Findings per [`FromWorker::ResultFindings`] message (a finding is a few KB of bilingual text).
pub const FINDINGS_PER_PART: usize = 100;
/// Events per [`FromWorker::ResultEvents`] message.
pub const EVENTS_PER_PART: usize = 1000;
/// Connections per [`FromWorker::ResultConnections`] message.
pub const CONNECTIONS_PER_PART: usize = 1000;

/// Split a result into the messages that carry it: a head, the connections, findings and events
/// in parts, an end.
pub fn result_parts(mut view: AnalysisView) -> Vec<FromWorker> {
    let findings = std::mem::take(&mut view.findings);
    let events = std::mem::take(&mut view.events);
    let connections = std::mem::take(&mut view.connections);
    let mut out = vec![FromWorker::ResultHead {
        findings: findings.len(),
        events: events.len(),
        connections: connections.len(),
        analysis: Box::new(view),
    }];
    let mut connections = connections.into_iter().peekable();
    while connections.peek().is_some() {
        out.push(FromWorker::ResultConnections {
            items: connections.by_ref().take(CONNECTIONS_PER_PART).collect(),
        });
    }
    let mut findings = findings.into_iter().peekable();
    while findings.peek().is_some() {
        out.push(FromWorker::ResultFindings {
            items: findings.by_ref().take(FINDINGS_PER_PART).collect(),
        });
    }
    let mut events = events.into_iter().peekable();
    while events.peek().is_some() {
        out.push(FromWorker::ResultEvents {
            items: events.by_ref().take(EVENTS_PER_PART).collect(),
        });
    }
    out.push(FromWorker::ResultEnd);
    out
}

/// Puts the parts of a result back together, on the page.
#[derive(Debug, Default)]
pub struct ResultAssembly {
    pending: Option<Pending>,
}

/// A result being received, and how many findings, events and connections its head announced.
#[derive(Debug)]
struct Pending {
    view: AnalysisView,
    findings: usize,
    events: usize,
    connections: usize,
}

impl Pending {
    fn got(&self) -> usize {
        self.view.findings.len() + self.view.events.len() + self.view.connections.len()
    }
}

impl ResultAssembly {
    /// Take one message: parts are kept, and the end gives back [`FromWorker::Done`]; any other
    /// message passes through. A part without a head (from a worker already replaced) is dropped.
    pub fn take(&mut self, msg: FromWorker) -> Option<FromWorker> {
        match msg {
            FromWorker::ResultHead {
                analysis,
                findings,
                events,
                connections,
            } => {
                let mut view = *analysis;
                view.findings.reserve_exact(findings);
                view.events.reserve_exact(events);
                view.connections.reserve_exact(connections);
                self.pending = Some(Pending {
                    view,
                    findings,
                    events,
                    connections,
                });
                None
            }
            FromWorker::ResultFindings { items } => {
                if let Some(p) = &mut self.pending {
                    p.view.findings.extend(items);
                }
                None
            }
            FromWorker::ResultEvents { items } => {
                if let Some(p) = &mut self.pending {
                    p.view.events.extend(items);
                }
                None
            }
            FromWorker::ResultConnections { items } => {
                if let Some(p) = &mut self.pending {
                    p.view.connections.extend(items);
                }
                None
            }
            FromWorker::ResultEnd => {
                let p = self.pending.take()?;
                let v = &p.view;
                if v.findings.len() != p.findings
                    || v.events.len() != p.events
                    || v.connections.len() != p.connections
                {
                    return Some(FromWorker::Failed {
                        message: format!(
                            "the result arrived incomplete: {} of {} findings, {} of {} events, {} of {} connections",
                            v.findings.len(),
                            p.findings,
                            v.events.len(),
                            p.events,
                            v.connections.len(),
                            p.connections
                        ),
                    });
                }
                Some(FromWorker::Done {
                    analysis: Box::new(p.view),
                })
            }
            other => Some(other),
        }
    }

    /// Findings, events and connections received so far and expected in all, while a result is
    /// arriving.
    pub fn received(&self) -> Option<(u64, u64)> {
        let p = self.pending.as_ref()?;
        Some((
            p.got() as u64,
            (p.findings + p.events + p.connections) as u64,
        ))
    }

    /// Forget a result being received (its worker was replaced).
    pub fn clear(&mut self) {
        self.pending = None;
    }
}

/// Parse a role name from the page (`hub`, `spoke`, ...), as the core names it in its JSON.
pub fn parse_role(s: &str) -> Option<core::Role> {
    use serde::de::value::{Error, StrDeserializer};
    core::Role::deserialize(StrDeserializer::<Error>::new(s)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_json() {
        let msgs = vec![
            FromWorker::Progress(Progress {
                bytes_read: 5,
                bytes_total: 10,
                inputs_done: 1,
                inputs_total: 2,
                current: "a".into(),
                workers: 1,
                stage: Stage::Diagnosing,
                step: Some(DiagnoseStep {
                    done: 3,
                    total: DiagnoseStep::TOTAL,
                    what: StepWhat::Rule {
                        rule: "ils.password-mismatch".into(),
                        connections: 12,
                    },
                    part: Some(450),
                }),
            }),
            FromWorker::Lines {
                input: 1,
                start: 10,
                lines: vec!["<b>x</b>".into()],
                kept: None,
            },
            FromWorker::Lines {
                input: 0,
                start: 0,
                lines: Vec::new(),
                kept: Some(300),
            },
            FromWorker::Done {
                analysis: Box::default(),
            },
        ];
        for m in msgs {
            let s = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<FromWorker>(&s).unwrap(), m);
        }
        // A progress message without a stage (an older worker) still reads.
        let p: FromWorker = serde_json::from_str(
            r#"{"type":"progress","data":{"bytes_read":1,"bytes_total":2,"inputs_done":0,"inputs_total":1,"current":""}}"#,
        )
        .unwrap();
        assert!(matches!(
            p,
            FromWorker::Progress(Progress {
                stage: Stage::Reading,
                ..
            })
        ));
        // web/boot.js reports a worker that cannot start in the same form.
        let f: FromWorker =
            serde_json::from_str(r#"{"type":"failed","data":{"message":"could not start"}}"#)
                .unwrap();
        assert_eq!(
            f,
            FromWorker::Failed {
                message: "could not start".into()
            }
        );
        let a = ToWorker::Analyze {
            names: vec!["hub.txt".into()],
            roles: vec![("hub.txt".into(), "spoke".into())],
        };
        let s = serde_json::to_string(&a).unwrap();
        assert!(s.contains(r#""type":"analyze""#));
        assert_eq!(serde_json::from_str::<ToWorker>(&s).unwrap(), a);
    }

    /// The core's JSON reads back into the same model, for every embedded sample: what the worker
    /// sends is what the page gets.
    #[test]
    fn every_sample_result_reads_back_as_it_was_written() {
        for sample in crate::samples::SAMPLES {
            let mut s = crate::session::Session::new();
            s.start(&[]);
            for (i, (name, bytes)) in sample.files.iter().enumerate() {
                s.begin(name, i);
                s.push(bytes);
            }
            let view = s.finish();
            let back: AnalysisView =
                serde_json::from_str(&serde_json::to_string(&view).unwrap()).unwrap();
            assert_eq!(back, view, "{}", sample.id);
        }
        assert_eq!(parse_role("spoke"), Some(core::Role::Spoke));
        assert_eq!(parse_role("boss"), None);
    }

    fn sample_view(findings: usize, events: usize, connections: usize) -> AnalysisView {
        let mut a = AnalysisView::default();
        for i in 0..findings {
            a.findings.push(core::Finding {
                rule: format!("rule.{i}"),
                severity: core::Severity::Info,
                title: core::Bilingual::default(),
                explanation: core::Explanation::default(),
                evidence: Vec::new(),
                codes: Vec::new(),
                connection: Some(i),
                step: None,
                attempts: Vec::new(),
            });
        }
        for i in 0..events {
            a.events.push(core::TimelineEvent {
                input: i % 2,
                line: i as u32,
                time_ms: i as i64,
                aligned_ms: i as i64,
                kind: "k".into(),
                label: core::Bilingual::default(),
                text: format!("<line {i}>").into(),
                connection: None,
            });
        }
        for id in 0..connections {
            a.connections.push(core::Connection {
                id,
                client: Some(format!("10.0.0.2:{}", 40000 + id)),
                server: Some("10.0.0.1:7501".into()),
                tls: None,
                hub_input: Some(0),
                spoke_input: Some(1),
                paired_by: "ephemeral-port".into(),
                outcome: "failed".into(),
                method: None,
                start_ms: id as i64,
                events: vec![id],
            });
        }
        a.clock_offset_ms = Some(7);
        a
    }

    #[test]
    fn a_result_sent_in_parts_arrives_whole() {
        for (f, e, c) in [
            (0, 0, 0),
            (1, 1, 1),
            (FINDINGS_PER_PART, EVENTS_PER_PART, CONNECTIONS_PER_PART),
            (250, 2501, 2001),
        ] {
            let view = sample_view(f, e, c);
            let parts = result_parts(view.clone());
            assert_eq!(
                parts.len(),
                2 + f.div_ceil(FINDINGS_PER_PART)
                    + e.div_ceil(EVENTS_PER_PART)
                    + c.div_ceil(CONNECTIONS_PER_PART)
            );
            // No connection rides in the head.
            assert!(
                matches!(&parts[0], FromWorker::ResultHead { analysis, connections, .. } if analysis.connections.is_empty() && *connections == c)
            );
            let mut asm = ResultAssembly::default();
            let mut done = None;
            for p in parts {
                // Every part crosses the boundary as JSON text.
                let p: FromWorker =
                    serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
                if let Some(out) = asm.take(p) {
                    assert!(done.is_none());
                    done = Some(out);
                }
            }
            assert_eq!(
                done,
                Some(FromWorker::Done {
                    analysis: Box::new(view)
                })
            );
            assert_eq!(asm.received(), None);
        }
    }

    #[test]
    fn a_result_missing_a_part_is_reported_not_shown() {
        let whole = result_parts(sample_view(250, 10, 1500));
        // The second part of the findings, then the first of the connections, lost.
        for (lost, says) in [(4, "150 of 250 findings"), (1, "500 of 1500 connections")] {
            let mut parts = whole.clone();
            parts.remove(lost);
            let mut asm = ResultAssembly::default();
            let out: Vec<_> = parts.into_iter().filter_map(|p| asm.take(p)).collect();
            assert!(
                matches!(&out[..], [FromWorker::Failed { message }] if message.contains(says)),
                "{out:?}"
            );
        }
        let mut asm = ResultAssembly::default();
        // Parts of a replaced worker's result, without a head, are ignored.
        assert_eq!(asm.take(FromWorker::ResultEnd), None);
        assert_eq!(
            asm.take(FromWorker::ResultEvents { items: Vec::new() }),
            None
        );
    }
}
