//! JSON report: `{"inputs":[...], "findings":[...], "connections":[...], "clock_offset_ms":...}`
//! with texts in one language, keys in alphabetical order at every level.
//!
//! The findings (most of a report's bytes) and the timeline events are written straight from
//! the analysis through borrowing views whose fields are declared in alphabetical order; the
//! small parts go through [`serde_json::Value`], whose maps sort their keys. Building the whole
//! report as a `Value` first cloned every evidence line and text: on the 210 MB ILS-dense corpus
//! (334 findings, a 1.5 MB report) that was 33-50 ms of the CLI's serial end, after the parse
//! threads had finished.

use super::Detail;
use crate::model::*;
use serde::Serialize;
use serde_json::{json, Value};

/// A list of texts in one language.
struct Texts<'a>(&'a [Bilingual], Lang);

impl Serialize for Texts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|b| b.get(self.1)))
    }
}

#[derive(Serialize)]
struct EvidenceView<'a> {
    input: &'a str,
    line: u32,
    role: Role,
    text: &'a str,
}

fn evidence(ev: &[Evidence]) -> Vec<EvidenceView<'_>> {
    ev.iter()
        .map(|e| EvidenceView {
            input: &e.input,
            line: e.line,
            role: e.role,
            text: &e.text,
        })
        .collect()
}

#[derive(Serialize)]
struct CodeView<'a> {
    code: i64,
    kind: &'a str,
    meaning: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ExplanationView<'a> {
    collect: Texts<'a>,
    fix: Texts<'a>,
    verify: Texts<'a>,
    what: &'a str,
    why: &'a str,
}

#[derive(Serialize)]
struct AttemptView<'a> {
    connection: usize,
    evidence: Vec<EvidenceView<'a>>,
    start_ms: i64,
}

#[derive(Serialize)]
struct FindingView<'a> {
    attempts: Vec<AttemptView<'a>>,
    codes: Vec<CodeView<'a>>,
    connection: Option<usize>,
    evidence: Vec<EvidenceView<'a>>,
    explanation: ExplanationView<'a>,
    rule: &'a str,
    severity: Severity,
    step: Option<ChainStep>,
    title: &'a str,
}

fn finding(f: &Finding, lang: Lang, _: Detail) -> FindingView<'_> {
    let x = &f.explanation;
    FindingView {
        attempts: f
            .attempts
            .iter()
            .map(|t| AttemptView {
                connection: t.connection,
                evidence: evidence(&t.evidence),
                start_ms: t.start_ms,
            })
            .collect(),
        codes: f
            .codes
            .iter()
            .map(|c| CodeView {
                code: c.code,
                kind: &c.kind,
                meaning: c.meaning.get(lang),
                name: &c.name,
            })
            .collect(),
        connection: f.connection,
        evidence: evidence(&f.evidence),
        explanation: ExplanationView {
            collect: Texts(&x.collect, lang),
            fix: Texts(&x.fix, lang),
            verify: Texts(&x.verify, lang),
            what: x.what.get(lang),
            why: x.why.get(lang),
        },
        rule: &f.rule,
        severity: f.severity,
        step: f.step,
        title: f.title.get(lang),
    }
}

/// A connection as the report gives it: its `events` (indices into the timeline) only with
/// [`Detail::events`].
#[derive(Serialize)]
struct ConnectionView<'a> {
    client: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<&'a [usize]>,
    hub_input: Option<usize>,
    id: usize,
    method: &'a Option<String>,
    outcome: &'a str,
    paired_by: &'a str,
    server: &'a Option<String>,
    spoke_input: Option<usize>,
    start_ms: i64,
    tls: Option<bool>,
}

#[derive(Serialize)]
struct EventView<'a> {
    aligned_ms: i64,
    connection: Option<usize>,
    input: usize,
    kind: &'a str,
    label: &'a str,
    line: u32,
    text: &'a str,
    time_ms: i64,
}

/// A list written item by item as the writer goes: the view of one item is made only while
/// it is written (100,000 connections as [`Value`]s were some 100 MB of a report's memory).
struct Each<'a, T, V: Serialize> {
    items: &'a [T],
    view: fn(&'a T, Lang, Detail) -> V,
    lang: Lang,
    detail: Detail,
}

impl<T, V: Serialize> Serialize for Each<'_, T, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.items
                .iter()
                .map(|item| (self.view)(item, self.lang, self.detail)),
        )
    }
}

fn connection(c: &Connection, _: Lang, detail: Detail) -> ConnectionView<'_> {
    ConnectionView {
        client: &c.client,
        events: detail.events.then_some(c.events.as_slice()),
        hub_input: c.hub_input,
        id: c.id,
        method: &c.method,
        outcome: &c.outcome,
        paired_by: &c.paired_by,
        server: &c.server,
        spoke_input: c.spoke_input,
        start_ms: c.start_ms,
        tls: c.tls,
    }
}

fn event(e: &TimelineEvent, lang: Lang, _: Detail) -> EventView<'_> {
    EventView {
        aligned_ms: e.aligned_ms,
        connection: e.connection,
        input: e.input,
        kind: &e.kind,
        label: e.label.get(lang),
        line: e.line,
        text: &e.text,
        time_ms: e.time_ms,
    }
}

/// The report, its keys in alphabetical order (as [`Value`]'s maps would put them).
#[derive(Serialize)]
struct ReportView<'a> {
    checklist: Value,
    clock_offset_ms: Option<i64>,
    clusters: Value,
    connections: Each<'a, Connection, ConnectionView<'a>>,
    diagnostics: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<Each<'a, TimelineEvent, EventView<'a>>>,
    findings: Each<'a, Finding, FindingView<'a>>,
    inputs: Value,
    lang: Lang,
}

/// The report; the timeline events (`events`, and each connection's `events` indices into it)
/// only with [`Detail::events`]: they follow the attempts, but a report needs only the findings.
fn view(a: &Analysis, lang: Lang, detail: Detail) -> ReportView<'_> {
    ReportView {
        checklist: a.checklist.iter().map(|c| json!({
            "id": c.id, "title": c.title.get(lang), "step": c.step, "state": c.state, "command": c.command,
            "evidence": c.evidence.iter().map(|e| json!({"input": e.input, "line": e.line, "text": e.text})).collect::<Vec<_>>(),
        })).collect(),
        clock_offset_ms: a.clock_offset_ms,
        clusters: serde_json::to_value(&a.clusters).unwrap_or(Value::Null),
        connections: Each {
            items: &a.connections,
            view: connection,
            lang,
            detail,
        },
        diagnostics: a.diagnostics.iter().map(|d| json!({"input": d.input, "line": d.line, "message": d.message.get(lang)})).collect(),
        events: detail.events.then(|| Each {
            items: &a.events,
            view: event,
            lang,
            detail,
        }),
        findings: Each {
            items: &a.findings,
            view: finding,
            lang,
            detail,
        },
        inputs: a.inputs.iter().map(|i| json!({
            "name": i.name,
            "kind": i.kind,
            "role": i.role,
            "host": i.host,
            "host_ip": i.host_ip,
            "app": i.app,
            "date": i.date,
            "utc_offset_minutes": i.utc_offset_minutes,
            "lines": i.lines,
            "counts": i.counts,
            "not_understood_lines": i.not_understood_lines,
            "bytes": i.bytes,
        })).collect(),
        lang,
    }
}

/// The report as a [`Value`] (for callers that inspect it).
pub fn value(a: &Analysis, lang: Lang) -> Value {
    value_with(a, lang, Detail::default())
}

pub fn value_with(a: &Analysis, lang: Lang, detail: Detail) -> Value {
    serde_json::to_value(view(a, lang, detail)).unwrap_or(Value::Null)
}

/// Write the report, pretty-printed, to `out`.
pub fn write_with(
    a: &Analysis,
    lang: Lang,
    detail: Detail,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, &view(a, lang, detail)).map_err(std::io::Error::from)
}

pub fn render(a: &Analysis, lang: Lang) -> String {
    render_with(a, lang, Detail::default())
}

pub fn render_with(a: &Analysis, lang: Lang, detail: Detail) -> String {
    let mut out = Vec::new();
    match write_with(a, lang, detail, &mut out) {
        // serde_json writes UTF-8 only.
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\":\"{e}\"}}"),
    }
}
