//! Exports of one analysis: Markdown, a self-contained HTML page and JSON, optionally redacted
//! with the core's [`loupe_core::report::redact::redact`]. Generated in the worker, downloaded by
//! the page through a Blob URL.

use std::fmt::Write;

use loupe_core::report::redact::redact as redact_analysis;
use loupe_core::{Analysis, Bilingual, Lang};

use crate::i18n::t;

/// `(file name, MIME type, text)` of the export of `analysis` in `format` (`md`, `html`, `json`).
pub fn render(
    analysis: &Analysis,
    format: &str,
    redact: bool,
    lang: Lang,
) -> Result<(String, String, String), String> {
    let redacted;
    let a = if redact {
        redacted = redact_analysis(analysis);
        &redacted
    } else {
        analysis
    };
    let base = if redact {
        "loupe-report-redacted"
    } else {
        "loupe-report"
    };
    match format {
        "md" => Ok((
            format!("{base}.md"),
            "text/markdown".into(),
            markdown(a, lang, redact),
        )),
        "html" => Ok((
            format!("{base}.html"),
            "text/html".into(),
            html(a, lang, redact),
        )),
        "json" => Ok((
            format!("{base}.json"),
            "application/json".into(),
            serde_json::to_string_pretty(a).map_err(|e| e.to_string())?,
        )),
        other => Err(format!("unknown export format {other}")),
    }
}

fn sev_key(s: &str) -> &'static str {
    match s {
        "error" => "sev.error",
        "warning" => "sev.warning",
        "info" => "sev.info",
        _ => "sev.ok",
    }
}

/// Markdown text outside code: HTML-significant characters as entities, emphasis characters escaped.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block long enough not to be closed by the content.
fn md_code(lines: &[String]) -> String {
    let longest = lines
        .iter()
        .map(|l| l.matches('`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(3.max(longest + 1));
    format!("{fence}text\n{}\n{fence}\n", lines.join("\n"))
}

fn b(text: &Bilingual, lang: Lang) -> &str {
    text.get(lang)
}

pub fn markdown(a: &Analysis, lang: Lang, redacted: bool) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", t(lang, "report.title"));
    if redacted {
        let _ = writeln!(o, "> {}\n", t(lang, "report.redacted"));
    }
    let _ = writeln!(o, "## {}\n", t(lang, "nav.inputs"));
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        t(lang, "inputs.name"),
        t(lang, "inputs.kind"),
        t(lang, "inputs.role"),
        t(lang, "inputs.lines")
    );
    for i in &a.inputs {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md_text(&i.name),
            md_text(b(&i.kind.label(), lang)),
            i.role.as_str(),
            i.lines
        );
    }
    let _ = writeln!(o, "\n## {}\n", t(lang, "nav.findings"));
    if a.findings.is_empty() {
        let _ = writeln!(o, "{}\n", t(lang, "findings.none"));
    }
    for (n, f) in a.findings.iter().enumerate() {
        let _ = writeln!(
            o,
            "### {}. [{}] {} `{}`\n",
            n + 1,
            t(lang, sev_key(f.severity.as_str())),
            md_text(b(&f.title, lang)),
            f.rule
        );
        let e = &f.explanation;
        let _ = writeln!(
            o,
            "**{}** {}\n",
            t(lang, "findings.what"),
            md_text(b(&e.what, lang))
        );
        let _ = writeln!(
            o,
            "**{}** {}\n",
            t(lang, "findings.why"),
            md_text(b(&e.why, lang))
        );
        for (key, items) in [
            ("findings.fix", &e.fix),
            ("findings.verify", &e.verify),
            ("findings.collect", &e.collect),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(o, "**{}**\n", t(lang, key));
            for (k, s) in items.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", k + 1, md_text(b(s, lang)));
            }
            o.push('\n');
        }
        if !f.codes.is_empty() {
            let _ = writeln!(o, "**{}**\n", t(lang, "findings.codes"));
            for c in &f.codes {
                let _ = writeln!(
                    o,
                    "- `{}` {} ({}): {}",
                    c.kind,
                    c.code,
                    md_text(&c.name),
                    md_text(b(&c.meaning, lang))
                );
            }
            o.push('\n');
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(o, "**{}**\n", t(lang, "findings.evidence"));
            let lines: Vec<String> = f
                .evidence
                .iter()
                .map(|e| format!("{}:{}: {}", e.input, e.line, e.text))
                .collect();
            o.push_str(&md_code(&lines));
            o.push('\n');
        }
    }
    if !a.checklist.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "nav.checklist"));
        let _ = writeln!(
            o,
            "{}\n",
            md_text(loupe_core::securex::checklist::note(lang))
        );
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            t(lang, "check.item"),
            t(lang, "check.step"),
            t(lang, "check.state"),
            t(lang, "check.command")
        );
        for c in &a.checklist {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md_text(b(&c.title, lang)),
                c.step.as_str(),
                t(lang, state_key(c.state)),
                md_text(&c.command)
            );
        }
        o.push('\n');
    }
    if !a.events.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "report.events"));
        if let Some(off) = a.clock_offset_ms {
            let _ = writeln!(o, "{}: {} ms\n", t(lang, "sbs.offset"), off);
        }
        let lines: Vec<String> = a
            .events
            .iter()
            .map(|e| {
                let name = a
                    .inputs
                    .get(e.input)
                    .map(|i| i.name.as_str())
                    .unwrap_or("?");
                format!(
                    "{} {}:{} {}",
                    clock(e.aligned_ms),
                    name,
                    e.line,
                    b(&e.label, lang)
                )
            })
            .collect();
        o.push_str(&md_code(&lines));
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o, "\n## {}\n", t(lang, "diag.title"));
        for d in &a.diagnostics {
            let _ = writeln!(
                o,
                "- {}:{}: {}",
                md_text(&d.input),
                d.line,
                md_text(b(&d.message, lang))
            );
        }
    }
    o
}

fn state_key(s: loupe_core::CheckState) -> &'static str {
    match s {
        loupe_core::CheckState::Passed => "state.passed",
        loupe_core::CheckState::Failed => "state.failed",
        loupe_core::CheckState::Inconclusive => "state.inconclusive",
        loupe_core::CheckState::Missing => "state.missing",
    }
}

/// `HH:MM:SS.mmm` of a millisecond time (of day, whatever the epoch).
pub fn clock(ms: i64) -> String {
    let day = ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        day / 3_600_000,
        day / 60_000 % 60,
        day / 1000 % 60,
        day % 1000
    )
}

/// Text for HTML: every character that could start markup is an entity.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const REPORT_CSS: &str = "body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1d2330}\
h1{font-size:1.5em}h2{border-bottom:1px solid #ccd;padding-bottom:.2em}\
.f{border:1px solid #d5d9e0;border-left:5px solid #888;border-radius:6px;padding:.6em 1em;margin:1em 0}\
.error{border-left-color:#d1242f}.warning{border-left-color:#bf8700}.info{border-left-color:#0969da}.ok{border-left-color:#1a7f37}\
code,pre{font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace}pre{background:#f3f4f7;padding:.6em;overflow:auto;white-space:pre-wrap}\
table{border-collapse:collapse}td,th{border:1px solid #d5d9e0;padding:.2em .5em;text-align:left}.rule{color:#57606a}";

pub fn html(a: &Analysis, lang: Lang, redacted: bool) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{}</style></head><body><h1>{}</h1>",
        if lang == Lang::Ja { "ja" } else { "en" },
        esc(t(lang, "report.title")),
        REPORT_CSS,
        esc(t(lang, "report.title"))
    );
    if redacted {
        let _ = write!(o, "<p><em>{}</em></p>", esc(t(lang, "report.redacted")));
    }
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(t(lang, "nav.inputs")),
        esc(t(lang, "inputs.name")),
        esc(t(lang, "inputs.kind")),
        esc(t(lang, "inputs.role")),
        esc(t(lang, "inputs.lines"))
    );
    for i in &a.inputs {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&i.name),
            esc(b(&i.kind.label(), lang)),
            i.role.as_str(),
            i.lines
        );
    }
    let _ = write!(o, "</table><h2>{}</h2>", esc(t(lang, "nav.findings")));
    if a.findings.is_empty() {
        let _ = write!(o, "<p>{}</p>", esc(t(lang, "findings.none")));
    }
    for f in &a.findings {
        let sev = f.severity.as_str();
        let _ = write!(
            o,
            "<section class=\"f {sev}\" data-rule=\"{}\"><h3>[{}] {} <code class=\"rule\">{}</code></h3>",
            esc(&f.rule),
            esc(t(lang, sev_key(sev))),
            esc(b(&f.title, lang)),
            esc(&f.rule)
        );
        let e = &f.explanation;
        let _ = write!(
            o,
            "<p><strong>{}</strong> {}</p>",
            esc(t(lang, "findings.what")),
            esc(b(&e.what, lang))
        );
        let _ = write!(
            o,
            "<p><strong>{}</strong> {}</p>",
            esc(t(lang, "findings.why")),
            esc(b(&e.why, lang))
        );
        for (key, items) in [
            ("findings.fix", &e.fix),
            ("findings.verify", &e.verify),
            ("findings.collect", &e.collect),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = write!(o, "<p><strong>{}</strong></p><ol>", esc(t(lang, key)));
            for s in items {
                let _ = write!(o, "<li>{}</li>", esc(b(s, lang)));
            }
            o.push_str("</ol>");
        }
        if !f.codes.is_empty() {
            let _ = write!(
                o,
                "<p><strong>{}</strong></p><ul>",
                esc(t(lang, "findings.codes"))
            );
            for c in &f.codes {
                let _ = write!(
                    o,
                    "<li><code>{} {}</code> {}: {}</li>",
                    esc(&c.kind),
                    c.code,
                    esc(&c.name),
                    esc(b(&c.meaning, lang))
                );
            }
            o.push_str("</ul>");
        }
        if !f.evidence.is_empty() {
            let _ = write!(
                o,
                "<p><strong>{}</strong></p><pre>",
                esc(t(lang, "findings.evidence"))
            );
            for ev in &f.evidence {
                let _ = writeln!(o, "{}:{}: {}", esc(&ev.input), ev.line, esc(&ev.text));
            }
            o.push_str("</pre>");
        }
        o.push_str("</section>");
    }
    if !a.checklist.is_empty() {
        let _ = write!(
            o,
            "<h2>{}</h2><p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(t(lang, "nav.checklist")),
            esc(loupe_core::securex::checklist::note(lang)),
            esc(t(lang, "check.item")),
            esc(t(lang, "check.step")),
            esc(t(lang, "check.state")),
            esc(t(lang, "check.command"))
        );
        for c in &a.checklist {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                esc(b(&c.title, lang)),
                c.step.as_str(),
                esc(t(lang, state_key(c.state))),
                esc(&c.command)
            );
        }
        o.push_str("</table>");
    }
    if !a.events.is_empty() {
        let _ = write!(o, "<h2>{}</h2>", esc(t(lang, "report.events")));
        if let Some(off) = a.clock_offset_ms {
            let _ = write!(o, "<p>{}: {} ms</p>", esc(t(lang, "sbs.offset")), off);
        }
        o.push_str("<pre>");
        for e in &a.events {
            let name = a
                .inputs
                .get(e.input)
                .map(|i| i.name.as_str())
                .unwrap_or("?");
            let _ = writeln!(
                o,
                "{} {}:{} {}",
                clock(e.aligned_ms),
                esc(name),
                e.line,
                esc(b(&e.label, lang))
            );
        }
        o.push_str("</pre>");
    }
    if !a.diagnostics.is_empty() {
        let _ = write!(o, "<h2>{}</h2><ul>", esc(t(lang, "diag.title")));
        for d in &a.diagnostics {
            let _ = write!(
                o,
                "<li>{}:{}: {}</li>",
                esc(&d.input),
                d.line,
                esc(b(&d.message, lang))
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("</body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::*;

    fn hostile() -> Analysis {
        Analysis {
            findings: vec![Finding {
                rule: "ils.test".into(),
                severity: Severity::Error,
                title: Bilingual::new("<script>alert(1)</script> at 10.1.2.3", "タイトル"),
                explanation: Explanation::default(),
                evidence: vec![Evidence {
                    input: "<img src=x onerror=alert(1)>.txt".into(),
                    line: 7,
                    text: "```\n<b>bold</b> cucm1.example.com".into(),
                    role: Role::Hub,
                }],
                codes: vec![],
                connection: None,
                step: None,
                attempts: Vec::new(),
            }],
            ..Analysis::default()
        }
    }

    #[test]
    fn html_export_escapes_everything() {
        let h = html(&hostile(), Lang::En, false);
        assert!(!h.contains("<script>alert") && !h.contains("<img") && !h.contains("<b>bold"));
        assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;.txt"));
    }

    #[test]
    fn markdown_export_escapes_and_fences() {
        let m = markdown(&hostile(), Lang::En, false);
        assert!(m.contains("&lt;script&gt;"));
        assert!(
            m.contains("````text"),
            "fence longer than the content's backticks"
        );
        assert!(markdown(&hostile(), Lang::Ja, false).contains("検出結果"));
    }

    #[test]
    fn redacted_exports_keep_no_address() {
        for f in ["md", "html", "json"] {
            let (_, _, text) = render(&hostile(), f, true, Lang::En).unwrap();
            assert!(
                !text.contains("10.1.2.3") && !text.contains("example.com"),
                "{f}: {text}"
            );
        }
        assert_eq!(clock(3_723_004), "01:02:03.004");
    }
}
