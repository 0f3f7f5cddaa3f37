//! Transfer types: what crosses the page ⇄ worker boundary.
//!
//! The engine's [`loupe_core::Analysis`] is serialise-only and owned by the core; the page needs
//! to deserialise it again on the other side of `postMessage`, so this crate keeps its own flat
//! copies (the `ruff_wasm` approach): the core stays free of browser concerns and this crate can
//! reshape the data for the UI without touching the public contract.

use loupe_core as core;
use loupe_core::Lang;
use serde::{Deserialize, Serialize};

/// Text in English and Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub ja: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

impl From<&core::Bilingual> for Text {
    fn from(b: &core::Bilingual) -> Self {
        Text {
            en: b.en.clone(),
            ja: b.ja.clone(),
        }
    }
}

fn texts(v: &[core::Bilingual]) -> Vec<Text> {
    v.iter().map(Text::from).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub lines: u64,
    pub recognised: u64,
    pub continuation: u64,
    pub blank: u64,
    pub not_understood: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputView {
    pub name: String,
    pub kind: String,
    pub kind_label: Text,
    /// `hub`, `spoke`, `device`, `unknown`.
    pub role: String,
    pub host: Option<String>,
    pub host_ip: Option<String>,
    pub app: Option<String>,
    pub date: Option<String>,
    pub bytes: u64,
    pub counts: Counts,
    pub not_understood_lines: Vec<u32>,
    /// Lines kept for the raw view (0 when the input was too large to keep).
    pub stored_lines: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub input: String,
    /// Index into [`AnalysisView::inputs`], resolved by name.
    pub input_index: Option<usize>,
    pub line: u32,
    pub text: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeView {
    pub kind: String,
    pub code: i64,
    pub name: String,
    pub meaning: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingView {
    pub rule: String,
    /// `error`, `warning`, `info`, `ok`.
    pub severity: String,
    pub title: Text,
    pub what: Text,
    pub why: Text,
    pub fix: Vec<Text>,
    pub verify: Vec<Text>,
    pub collect: Vec<Text>,
    pub evidence: Vec<EvidenceView>,
    pub codes: Vec<CodeView>,
    pub connection: Option<usize>,
    pub step: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub input: usize,
    pub line: u32,
    pub time_ms: i64,
    pub aligned_ms: i64,
    pub kind: String,
    pub label: Text,
    pub text: String,
    pub connection: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionView {
    pub id: usize,
    pub client: Option<String>,
    pub server: Option<String>,
    pub tls: Option<bool>,
    pub hub_input: Option<usize>,
    pub spoke_input: Option<usize>,
    pub paired_by: String,
    pub outcome: String,
    pub method: Option<String>,
    pub start_ms: i64,
    pub events: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterView {
    pub input: usize,
    pub line: u32,
    pub cluster_id: String,
    pub name: Option<String>,
    pub role: Option<String>,
    pub last_contact: Option<String>,
    pub sync_status: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub id: String,
    pub title: Text,
    pub step: String,
    /// `passed`, `failed`, `inconclusive`, `missing`.
    pub state: String,
    pub command: String,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticView {
    pub input: String,
    pub line: u32,
    pub message: Text,
}

/// Everything the page shows about one analysis.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnalysisView {
    pub inputs: Vec<InputView>,
    pub findings: Vec<FindingView>,
    pub connections: Vec<ConnectionView>,
    pub clock_offset_ms: Option<i64>,
    pub events: Vec<EventView>,
    pub clusters: Vec<ClusterView>,
    pub checklist: Vec<CheckView>,
    pub diagnostics: Vec<DiagnosticView>,
}

fn role_str(r: core::Role) -> String {
    r.as_str().to_string()
}

fn check_state(s: core::CheckState) -> &'static str {
    match s {
        core::CheckState::Passed => "passed",
        core::CheckState::Failed => "failed",
        core::CheckState::Inconclusive => "inconclusive",
        core::CheckState::Missing => "missing",
    }
}

impl AnalysisView {
    /// Convert the engine's result. `stored_lines[i]` is how many lines of input `i` the worker kept.
    pub fn from_core(a: &core::Analysis, stored_lines: &[u32]) -> Self {
        let index_of = |name: &str| a.inputs.iter().position(|i| i.name == name);
        let evidence = |e: &core::Evidence| EvidenceView {
            input: e.input.clone(),
            input_index: index_of(&e.input),
            line: e.line,
            text: e.text.clone(),
            role: role_str(e.role),
        };
        AnalysisView {
            inputs: a
                .inputs
                .iter()
                .enumerate()
                .map(|(i, s)| InputView {
                    name: s.name.clone(),
                    kind: s.kind.as_str().to_string(),
                    kind_label: Text::from(&s.kind.label()),
                    role: role_str(s.role),
                    host: s.host.clone(),
                    host_ip: s.host_ip.clone(),
                    app: s.app.clone(),
                    date: s.date.clone(),
                    bytes: s.bytes,
                    counts: Counts {
                        lines: s.counts.lines,
                        recognised: s.counts.recognised,
                        continuation: s.counts.continuation,
                        blank: s.counts.blank,
                        not_understood: s.counts.not_understood,
                    },
                    not_understood_lines: s.not_understood_lines.clone(),
                    stored_lines: stored_lines.get(i).copied().unwrap_or(0),
                })
                .collect(),
            findings: a
                .findings
                .iter()
                .map(|f| FindingView {
                    rule: f.rule.clone(),
                    severity: f.severity.as_str().to_string(),
                    title: Text::from(&f.title),
                    what: Text::from(&f.explanation.what),
                    why: Text::from(&f.explanation.why),
                    fix: texts(&f.explanation.fix),
                    verify: texts(&f.explanation.verify),
                    collect: texts(&f.explanation.collect),
                    evidence: f.evidence.iter().map(evidence).collect(),
                    codes: f
                        .codes
                        .iter()
                        .map(|c| CodeView {
                            kind: c.kind.clone(),
                            code: c.code,
                            name: c.name.clone(),
                            meaning: Text::from(&c.meaning),
                        })
                        .collect(),
                    connection: f.connection,
                    step: f.step.map(|s| s.as_str().to_string()),
                })
                .collect(),
            connections: a
                .connections
                .iter()
                .map(|c| ConnectionView {
                    id: c.id,
                    client: c.client.clone(),
                    server: c.server.clone(),
                    tls: c.tls,
                    hub_input: c.hub_input,
                    spoke_input: c.spoke_input,
                    paired_by: c.paired_by.clone(),
                    outcome: c.outcome.clone(),
                    method: c.method.clone(),
                    start_ms: c.start_ms,
                    events: c.events.clone(),
                })
                .collect(),
            clock_offset_ms: a.clock_offset_ms,
            events: a
                .events
                .iter()
                .map(|e| EventView {
                    input: e.input,
                    line: e.line,
                    time_ms: e.time_ms,
                    aligned_ms: e.aligned_ms,
                    kind: e.kind.clone(),
                    label: Text::from(&e.label),
                    text: e.text.clone(),
                    connection: e.connection,
                })
                .collect(),
            clusters: a
                .clusters
                .iter()
                .map(|c| ClusterView {
                    input: c.input,
                    line: c.line,
                    cluster_id: c.cluster_id.clone(),
                    name: c.name.clone(),
                    role: c.role.clone(),
                    last_contact: c.last_contact.clone(),
                    sync_status: c.sync_status.clone(),
                    version: c.version.clone(),
                })
                .collect(),
            checklist: a
                .checklist
                .iter()
                .map(|c| CheckView {
                    id: c.id.clone(),
                    title: Text::from(&c.title),
                    step: c.step.as_str().to_string(),
                    state: check_state(c.state).to_string(),
                    command: c.command.clone(),
                    evidence: c.evidence.iter().map(evidence).collect(),
                })
                .collect(),
            diagnostics: a
                .diagnostics
                .iter()
                .map(|d| DiagnosticView {
                    input: d.input.clone(),
                    line: d.line,
                    message: Text::from(&d.message),
                })
                .collect(),
        }
    }
}

/// Progress of an analysis, posted by the worker at least four times a second.
/// What the analysis is doing, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
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
    /// The result without its findings and events, which follow in parts: the page parses and
    /// keeps each part in its own task, so none of them holds the main thread for long.
    ResultHead {
        analysis: Box<AnalysisView>,
        findings: usize,
        events: usize,
    },
    ResultFindings {
        items: Vec<FindingView>,
    },
    ResultEvents {
        items: Vec<EventView>,
    },
    ResultEnd,
    Lines {
        input: usize,
        start: u32,
        lines: Vec<String>,
    },
    Exported {
        file_name: String,
        mime: String,
        text: String,
    },
    Failed {
        message: String,
    },
    /// The worker panicked: it cannot go on and is replaced on the next request.
    Crashed {
        message: String,
    },
}

/// Findings per [`FromWorker::ResultFindings`] message (a finding is a few KB of bilingual text).
pub const FINDINGS_PER_PART: usize = 100;
/// Events per [`FromWorker::ResultEvents`] message.
pub const EVENTS_PER_PART: usize = 1000;

/// Split a result into the messages that carry it: a head, the findings and events in parts, an end.
pub fn result_parts(mut view: AnalysisView) -> Vec<FromWorker> {
    let findings = std::mem::take(&mut view.findings);
    let events = std::mem::take(&mut view.events);
    let mut out = vec![FromWorker::ResultHead {
        findings: findings.len(),
        events: events.len(),
        analysis: Box::new(view),
    }];
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
    pending: Option<(AnalysisView, usize, usize)>,
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
            } => {
                let mut a = *analysis;
                a.findings.reserve_exact(findings);
                a.events.reserve_exact(events);
                self.pending = Some((a, findings, events));
                None
            }
            FromWorker::ResultFindings { items } => {
                if let Some((a, _, _)) = &mut self.pending {
                    a.findings.extend(items);
                }
                None
            }
            FromWorker::ResultEvents { items } => {
                if let Some((a, _, _)) = &mut self.pending {
                    a.events.extend(items);
                }
                None
            }
            FromWorker::ResultEnd => {
                let (a, findings, events) = self.pending.take()?;
                if a.findings.len() != findings || a.events.len() != events {
                    return Some(FromWorker::Failed {
                        message: format!(
                            "the result arrived incomplete: {} of {findings} findings, {} of {events} events",
                            a.findings.len(),
                            a.events.len()
                        ),
                    });
                }
                Some(FromWorker::Done {
                    analysis: Box::new(a),
                })
            }
            other => Some(other),
        }
    }

    /// Findings and events received so far and expected in all, while a result is arriving.
    pub fn received(&self) -> Option<(u64, u64)> {
        let (a, findings, events) = self.pending.as_ref()?;
        Some((
            (a.findings.len() + a.events.len()) as u64,
            (findings + events) as u64,
        ))
    }

    /// Forget a result being received (its worker was replaced).
    pub fn clear(&mut self) {
        self.pending = None;
    }
}

/// Parse a role name from the page.
pub fn parse_role(s: &str) -> Option<core::Role> {
    match s {
        "hub" => Some(core::Role::Hub),
        "spoke" => Some(core::Role::Spoke),
        "device" => Some(core::Role::Device),
        "unknown" => Some(core::Role::Unknown),
        _ => None,
    }
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
                stage: Stage::Diagnosing,
            }),
            FromWorker::Lines {
                input: 1,
                start: 10,
                lines: vec!["<b>x</b>".into()],
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

    fn sample_view(findings: usize, events: usize) -> AnalysisView {
        let mut a = AnalysisView::default();
        for i in 0..findings {
            a.findings.push(FindingView {
                rule: format!("rule.{i}"),
                severity: "info".into(),
                title: Text::default(),
                what: Text::default(),
                why: Text::default(),
                fix: Vec::new(),
                verify: Vec::new(),
                collect: Vec::new(),
                evidence: Vec::new(),
                codes: Vec::new(),
                connection: Some(i),
                step: None,
            });
        }
        for i in 0..events {
            a.events.push(EventView {
                input: i % 2,
                line: i as u32,
                time_ms: i as i64,
                aligned_ms: i as i64,
                kind: "k".into(),
                label: Text::default(),
                text: format!("<line {i}>"),
                connection: None,
            });
        }
        a.clock_offset_ms = Some(7);
        a
    }

    #[test]
    fn a_result_sent_in_parts_arrives_whole() {
        for (f, e) in [
            (0, 0),
            (1, 1),
            (FINDINGS_PER_PART, EVENTS_PER_PART),
            (250, 2501),
        ] {
            let view = sample_view(f, e);
            let parts = result_parts(view.clone());
            assert_eq!(
                parts.len(),
                2 + f.div_ceil(FINDINGS_PER_PART) + e.div_ceil(EVENTS_PER_PART)
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
        let mut parts = result_parts(sample_view(250, 10));
        parts.remove(2);
        let mut asm = ResultAssembly::default();
        let out: Vec<_> = parts.into_iter().filter_map(|p| asm.take(p)).collect();
        assert!(
            matches!(&out[..], [FromWorker::Failed { message }] if message.contains("150 of 250 findings"))
        );
        // Parts of a replaced worker's result, without a head, are ignored.
        assert_eq!(asm.take(FromWorker::ResultEnd), None);
        assert_eq!(
            asm.take(FromWorker::ResultEvents { items: Vec::new() }),
            None
        );
    }
}
