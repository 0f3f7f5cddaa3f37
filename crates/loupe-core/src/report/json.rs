//! JSON report: `{"inputs":[...], "findings":[...], "connections":[...], "clock_offset_ms":...}`
//! with texts in one language.

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
    json!({
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
            "evidence": f.evidence.iter().map(|e| json!({"input": e.input, "line": e.line, "text": e.text, "role": e.role})).collect::<Vec<_>>(),
            "codes": f.codes.iter().map(|c| json!({"kind": c.kind, "code": c.code, "name": c.name, "meaning": c.meaning.get(lang)})).collect::<Vec<_>>(),
            "connection": f.connection,
            "step": f.step,
        })).collect::<Vec<_>>(),
        "connections": a.connections,
        "events": a.events.iter().map(|e| json!({
            "input": e.input, "line": e.line, "time_ms": e.time_ms, "aligned_ms": e.aligned_ms,
            "kind": e.kind, "label": e.label.get(lang), "text": e.text, "connection": e.connection,
        })).collect::<Vec<_>>(),
        "clock_offset_ms": a.clock_offset_ms,
        "clusters": a.clusters,
        "checklist": a.checklist.iter().map(|c| json!({
            "id": c.id, "title": c.title.get(lang), "step": c.step, "state": c.state, "command": c.command,
            "evidence": c.evidence.iter().map(|e| json!({"input": e.input, "line": e.line, "text": e.text})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "diagnostics": a.diagnostics.iter().map(|d| json!({"input": d.input, "line": d.line, "message": d.message.get(lang)})).collect::<Vec<_>>(),
    })
}

pub fn render(a: &Analysis, lang: Lang) -> String {
    serde_json::to_string_pretty(&value(a, lang))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
