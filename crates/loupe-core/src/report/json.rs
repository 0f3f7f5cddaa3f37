//! JSON report: `{"inputs":[...], "findings":[...], "connections":[...], "clock_offset_ms":...}`
//! with texts in one language.

use super::Detail;
use crate::model::*;
use serde_json::{json, Value};

fn texts(items: &[Bilingual], lang: Lang) -> Value {
    Value::Array(
        items
            .iter()
            .map(|b| Value::String(b.get(lang).to_string()))
            .collect(),
    )
}

pub fn value(a: &Analysis, lang: Lang) -> Value {
    value_with(a, lang, Detail::default())
}

/// The report; the timeline events (`events`, and each connection's `events` indices into it)
/// only with [`Detail::events`]: they follow the attempts, but a report needs only the findings.
pub fn value_with(a: &Analysis, lang: Lang, detail: Detail) -> Value {
    let evidence = |ev: &[Evidence]| {
        ev.iter()
            .map(|e| json!({"input": e.input, "line": e.line, "text": e.text, "role": e.role}))
            .collect::<Vec<_>>()
    };
    let mut report = json!({
        "lang": lang,
        "inputs": a.inputs.iter().map(|i| json!({
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
        })).collect::<Vec<_>>(),
        "findings": a.findings.iter().map(|f| json!({
            "rule": f.rule,
            "severity": f.severity,
            "title": f.title.get(lang),
            "explanation": {
                "what": f.explanation.what.get(lang),
                "why": f.explanation.why.get(lang),
                "fix": texts(&f.explanation.fix, lang),
                "verify": texts(&f.explanation.verify, lang),
                "collect": texts(&f.explanation.collect, lang),
            },
            "evidence": evidence(&f.evidence),
            "codes": f.codes.iter().map(|c| json!({"kind": c.kind, "code": c.code, "name": c.name, "meaning": c.meaning.get(lang)})).collect::<Vec<_>>(),
            "connection": f.connection,
            "step": f.step,
            "attempts": f.attempts.iter().map(|t| json!({
                "connection": t.connection, "start_ms": t.start_ms, "evidence": evidence(&t.evidence),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "connections": a.connections,
        "clock_offset_ms": a.clock_offset_ms,
        "clusters": a.clusters,
        "checklist": a.checklist.iter().map(|c| json!({
            "id": c.id, "title": c.title.get(lang), "step": c.step, "state": c.state, "command": c.command,
            "evidence": c.evidence.iter().map(|e| json!({"input": e.input, "line": e.line, "text": e.text})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "diagnostics": a.diagnostics.iter().map(|d| json!({"input": d.input, "line": d.line, "message": d.message.get(lang)})).collect::<Vec<_>>(),
    });
    if detail.events {
        report["events"] = Value::Array(
            a.events
                .iter()
                .map(|e| json!({
                    "input": e.input, "line": e.line, "time_ms": e.time_ms, "aligned_ms": e.aligned_ms,
                    "kind": e.kind, "label": e.label.get(lang), "text": e.text, "connection": e.connection,
                }))
                .collect(),
        );
    } else if let Some(conns) = report["connections"].as_array_mut() {
        for c in conns {
            if let Some(c) = c.as_object_mut() {
                c.remove("events");
            }
        }
    }
    report
}

pub fn render(a: &Analysis, lang: Lang) -> String {
    render_with(a, lang, Detail::default())
}

pub fn render_with(a: &Analysis, lang: Lang, detail: Detail) -> String {
    serde_json::to_string_pretty(&value_with(a, lang, detail))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
