//! Exports of one analysis: Markdown, a self-contained HTML page and JSON, optionally redacted
//! with the core's [`loupe_core::report::redact::redact`]. Markdown and HTML are one outline
//! written twice; Markdown prose is escaped with the core's escaper, and JSON is the core's JSON
//! report (the schema the CLI prints). Generated in the worker, downloaded by
//! the page through a Blob URL.

use std::fmt::Write;

use loupe_core::report::markdown::{escape, fence};
use loupe_core::report::redact::redact as redact_analysis;
use loupe_core::{Analysis, Bilingual, DecodedCode, Finding, Lang};

use crate::i18n::{sev_key, state_key, t};
use crate::k;

/// Bytes of an export handed on at a time: the worker makes each part a piece of the Blob the
/// page downloads, so that the text of a large export (362 MB of JSON for 83,334 findings) is
/// never held whole in wasm memory, which never shrinks.
pub const PART: usize = 1 << 20;

/// The export of `analysis` in `format`, handed to `to` in parts of about [`PART`] bytes, in
/// order (a part may end inside a UTF-8 character: only the whole is text); returns its file name
/// and MIME type.
pub fn render_into(
    analysis: &Analysis,
    format: &str,
    redact: bool,
    lang: Lang,
    to: &mut dyn FnMut(&[u8]),
) -> Result<(String, String), String> {
    render_in_parts(analysis, format, redact, lang, PART, to)
}

/// [`render_into`] in parts of about `part` bytes.
fn render_in_parts(
    analysis: &Analysis,
    format: &str,
    redact: bool,
    lang: Lang,
    part: usize,
    to: &mut dyn FnMut(&[u8]),
) -> Result<(String, String), String> {
    let base = if redact {
        "loupe-report-redacted"
    } else {
        "loupe-report"
    };
    let (name, mime) = match format {
        "md" => (format!("{base}.md"), "text/markdown"),
        "html" => (format!("{base}.html"), "text/html"),
        // The same JSON report as the CLI's `--format json`, in the page's language.
        "json" => (format!("{base}.json"), "application/json"),
        other => return Err(format!("unknown export format {other}")),
    };
    let redacted;
    let a = if redact {
        redacted = redact_analysis(analysis);
        &redacted
    } else {
        analysis
    };
    match format {
        "md" => markdown_into(a, lang, redact, part, to),
        "html" => html_into(a, lang, redact, part, to),
        _ => {
            let mut parts = Parts {
                buf: Vec::with_capacity(part.min(PART)),
                part,
                to,
            };
            let detail = loupe_core::report::Detail::default();
            loupe_core::report::json::write_with(a, lang, detail, &mut parts)
                .map_err(|e| e.to_string())?;
            (parts.to)(&parts.buf);
        }
    }
    Ok((name, mime.to_string()))
}

/// A writer that hands on its bytes every `part` bytes (the JSON report's).
struct Parts<'a> {
    buf: Vec<u8>,
    part: usize,
    to: &'a mut dyn FnMut(&[u8]),
}

impl std::io::Write for Parts<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= self.part {
            (self.to)(&self.buf);
            self.buf.clear();
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hand on what `out` holds once it reaches `part` bytes, all but its last two characters
/// (Markdown looks at them to separate sections).
fn hand_over(out: &mut String, part: usize, to: &mut dyn FnMut(&[u8])) {
    if out.len() < part.max(2) {
        return;
    }
    let mut cut = out.len() - 2;
    while !out.is_char_boundary(cut) {
        cut -= 1;
    }
    to(&out.as_bytes()[..cut]);
    out.drain(..cut);
}

/// The longest run of backticks in `text`.
fn backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for b in text.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A cell of a table: prose, or a command shown as code.
enum Cell<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// The two renderings of the page's report. [`outline`] says what the report holds, once; a
/// `Doc` says how each part is written (escaped with the core's Markdown escaper, or as HTML
/// entities).
trait Doc {
    fn title(&mut self, text: &str);
    fn note(&mut self, text: &str);
    fn section(&mut self, text: &str);
    fn table(&mut self, head: [&str; 4], rows: &[[Cell<'_>; 4]]);
    fn paragraph(&mut self, text: &str);
    fn finding(&mut self, n: usize, f: &Finding, severity: &str, title: &str);
    fn labelled(&mut self, label: &str, text: &str);
    fn list(&mut self, label: &str, items: &[&str]);
    fn codes(&mut self, label: &str, codes: &[(&DecodedCode, &str)]);
    /// Lines of log text, shown verbatim.
    fn lines(&mut self, label: Option<&str>, lines: &[String]) {
        let run = lines.iter().map(|l| backtick_run(l)).max().unwrap_or(0);
        self.open_lines(label, run);
        for l in lines {
            self.line(l);
        }
        self.close_lines(lines.is_empty());
    }
    /// [`Doc::lines`] one line at a time, for the timeline's hundreds of thousands: no line is
    /// held past its writing. `run` is the longest run of backticks in any of the lines (a
    /// Markdown fence is longer than it).
    fn open_lines(&mut self, label: Option<&str>, run: usize);
    fn line(&mut self, text: &str);
    /// `none`: no line was written.
    fn close_lines(&mut self, none: bool);
    /// A diagram (the ladder of a connection attempt, the map of the ILS network): as SVG markup
    /// (every label escaped by [`crate::ladder::svg`] / [`crate::network_map::svg`]) in HTML, as
    /// its lines in a fence in Markdown.
    fn figure(&mut self, label: &str, svg: &str, lines: &[String]);
    fn end_finding(&mut self);
    fn bullets(&mut self, items: &[String]);
    /// The text written and not yet handed on.
    fn out(&mut self) -> &mut String;
}

/// What the report holds, in order: inputs, findings (explanations, codes, evidence), the
/// checklist, the timeline and the reading problems.
/// What has been written is handed to `to` finding by finding ([`hand_over`]); the rest stays in
/// the `Doc`.
fn outline(
    d: &mut impl Doc,
    a: &Analysis,
    lang: Lang,
    redacted: bool,
    part: usize,
    to: &mut dyn FnMut(&[u8]),
) {
    let w = |key| t(lang, key);
    d.title(w(k!("report.title")));
    if redacted {
        d.note(w(k!("report.redacted")));
    }
    d.section(w(k!("nav.inputs")));
    let lines: Vec<String> = a.inputs.iter().map(|i| i.lines.to_string()).collect();
    let labels: Vec<Bilingual> = a.inputs.iter().map(|i| i.kind.label()).collect();
    let rows: Vec<[Cell; 4]> = a
        .inputs
        .iter()
        .zip(&lines)
        .zip(&labels)
        .map(|((i, n), l)| {
            [
                Cell::Text(&i.name),
                Cell::Text(l.get(lang)),
                Cell::Text(i.role.as_str()),
                Cell::Text(n),
            ]
        })
        .collect();
    let head = [
        k!("inputs.name"),
        k!("inputs.kind"),
        k!("inputs.role"),
        k!("inputs.lines"),
    ];
    d.table(head.map(w), &rows);
    // The map of the ILS network, as on the page: with more than two clusters.
    let map = crate::network_map::map(a);
    if map.nodes.len() > 2 {
        let lines: Vec<String> = map
            .links
            .iter()
            .map(|l| {
                format!(
                    "{}: {} {}, {}",
                    l.key(&map.nodes),
                    l.connections.len(),
                    w(k!("map.attempts")),
                    l.verdict
                )
            })
            .collect();
        d.figure(
            w(k!("map.title")),
            &crate::network_map::svg(&map, lang),
            &lines,
        );
    }
    d.section(w(k!("nav.findings")));
    if a.findings.is_empty() {
        d.paragraph(w(k!("findings.none")));
    }
    let mut ladders_drawn = std::collections::HashSet::new();
    for (n, f) in a.findings.iter().enumerate() {
        d.finding(n + 1, f, w(sev_key(f.severity)), f.title.get(lang));
        let e = &f.explanation;
        d.labelled(w(k!("findings.what")), e.what.get(lang));
        d.labelled(w(k!("findings.why")), e.why.get(lang));
        for (key, items) in [
            (k!("findings.fix"), &e.fix),
            (k!("findings.verify"), &e.verify),
            (k!("findings.collect"), &e.collect),
        ] {
            if !items.is_empty() {
                let items: Vec<&str> = items.iter().map(|s| s.get(lang)).collect();
                d.list(w(key), &items);
            }
        }
        if !f.codes.is_empty() {
            let codes: Vec<_> = f.codes.iter().map(|c| (c, c.meaning.get(lang))).collect();
            d.codes(w(k!("findings.codes")), &codes);
        }
        if !f.evidence.is_empty() {
            let lines: Vec<String> = f
                .evidence
                .iter()
                .map(|e| format!("{}:{}: {}", e.input, e.line, e.text))
                .collect();
            d.lines(Some(w(k!("findings.evidence"))), &lines);
        }
        if !f.attempts.is_empty() {
            // Every attempt the finding stands for, with its own evidence lines.
            let lines: Vec<String> = f
                .attempts
                .iter()
                .enumerate()
                .flat_map(|(n, t)| {
                    let head = format!(
                        "{}. {} #{}",
                        n + 1,
                        loupe_core::clock_text(t.start_ms),
                        t.connection
                    );
                    std::iter::once(head).chain(
                        t.evidence
                            .iter()
                            .map(|e| format!("   {}:{}: {}", e.input, e.line, e.text)),
                    )
                })
                .collect();
            let label = w(k!("findings.attempts_label"));
            d.lines(Some(label), &lines);
        }
        // The ladder of a failing attempt, once per attempt (the first failing finding about it
        // draws it; a set, not a search of the findings before: 83,334 findings took that
        // search quadratic).
        if let Some(c) = f.connection.filter(|c| {
            matches!(
                f.severity,
                loupe_core::Severity::Error | loupe_core::Severity::Warning
            ) && ladders_drawn.insert(*c)
        }) {
            let steps: Vec<String> = crate::ladder::steps(a, c)
                .iter()
                .map(|s| {
                    let arrow = if s.from == s.to {
                        "•"
                    } else if s.from == crate::ladder::Side::Spoke {
                        "spoke → hub"
                    } else {
                        "hub → spoke"
                    };
                    let mark = if s.failing {
                        format!(" ✗ {}", w(k!("ladder.failing")))
                    } else {
                        String::new()
                    };
                    format!(
                        "{} {arrow} {}{mark}",
                        clock(s.time_ms),
                        crate::ladder::arrow_text(a, s, lang)
                    )
                })
                .collect();
            if !steps.is_empty() {
                let label = format!("{} #{c}", w(k!("ladder.title")));
                d.figure(&label, &crate::ladder::svg(a, c, lang), &steps);
            }
        }
        d.end_finding();
        hand_over(d.out(), part, to);
    }
    if !a.checklist.is_empty() {
        d.section(w(k!("nav.checklist")));
        d.paragraph(loupe_core::securex::checklist::note(lang));
        let rows: Vec<[Cell; 4]> = a
            .checklist
            .iter()
            .map(|c| {
                [
                    Cell::Text(c.title.get(lang)),
                    Cell::Text(c.step.as_str()),
                    Cell::Text(w(state_key(c.state))),
                    Cell::Code(&c.command),
                ]
            })
            .collect();
        d.table(
            [
                k!("check.item"),
                k!("check.step"),
                k!("check.state"),
                k!("check.command"),
            ]
            .map(w),
            &rows,
        );
    }
    if !a.events.is_empty() {
        d.section(w(k!("report.events")));
        if let Some(off) = a.clock_offset_ms {
            d.paragraph(&format!("{}: {} ms", w(k!("sbs.offset")), off));
        }
        // One line per event, handed on as written (the timeline of 100,000 attempts is
        // 440,000 lines): a time, an input's name, a line number and a label, so only the names
        // and labels can hold backticks.
        let name_of = |e: &loupe_core::model::TimelineEvent| {
            a.inputs.get(e.input).map_or("?", |i| i.name.as_str())
        };
        let run = a
            .events
            .iter()
            .map(|e| backtick_run(name_of(e)).max(backtick_run(e.label.get(lang))))
            .max()
            .unwrap_or(0);
        d.open_lines(None, run);
        let mut line = String::new();
        for e in &a.events {
            line.clear();
            let label = e.label.get(lang);
            let _ = write!(
                line,
                "{} {}:{} {label}",
                clock(e.aligned_ms),
                name_of(e),
                e.line
            );
            d.line(&line);
            hand_over(d.out(), part, to);
        }
        d.close_lines(false);
    }
    if !a.diagnostics.is_empty() {
        d.section(w(k!("diag.title")));
        let items: Vec<String> = a
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.input, d.line, d.message.get(lang)))
            .collect();
        d.bullets(&items);
    }
}

/// Markdown: prose escaped with the core's [`escape`], log lines in fences.
/// Markdown: the text written, and the fence of the open block of lines.
struct Markdown(String, String);

impl Doc for Markdown {
    fn title(&mut self, text: &str) {
        let _ = writeln!(self.0, "# {text}\n");
    }
    fn note(&mut self, text: &str) {
        let _ = writeln!(self.0, "> {text}\n");
    }
    fn section(&mut self, text: &str) {
        if !self.0.ends_with("\n\n") {
            self.0.push('\n');
        }
        let _ = writeln!(self.0, "## {text}\n");
    }
    fn table(&mut self, head: [&str; 4], rows: &[[Cell<'_>; 4]]) {
        let _ = writeln!(self.0, "| {} |\n|---|---|---|---|", head.join(" | "));
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(s) | Cell::Code(s) => escape(s),
                })
                .collect();
            let _ = writeln!(self.0, "| {} |", cells.join(" | "));
        }
    }
    fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.0, "{text}\n");
    }
    fn finding(&mut self, n: usize, f: &Finding, severity: &str, title: &str) {
        let _ = writeln!(
            self.0,
            "### {n}. [{severity}] {} `{}`\n",
            escape(title),
            f.rule
        );
    }
    fn labelled(&mut self, label: &str, text: &str) {
        let _ = writeln!(self.0, "**{label}** {}\n", escape(text));
    }
    fn list(&mut self, label: &str, items: &[&str]) {
        let _ = writeln!(self.0, "**{label}**\n");
        for (k, s) in items.iter().enumerate() {
            let _ = writeln!(self.0, "{}. {}", k + 1, escape(s));
        }
        self.0.push('\n');
    }
    fn codes(&mut self, label: &str, codes: &[(&DecodedCode, &str)]) {
        let _ = writeln!(self.0, "**{label}**\n");
        for (c, meaning) in codes {
            let (name, meaning) = (escape(&c.name), escape(meaning));
            let _ = writeln!(self.0, "- `{}` {} ({name}): {meaning}", c.kind, c.code);
        }
        self.0.push('\n');
    }
    /// The block is what the core's [`fence`] makes of the lines joined: a fence longer than
    /// any run of backticks in them, at least three.
    fn open_lines(&mut self, label: Option<&str>, run: usize) {
        if let Some(label) = label {
            let _ = writeln!(self.0, "**{label}**\n");
        }
        self.1 = "`".repeat((run + 1).max(3));
        let _ = writeln!(self.0, "{}text", self.1);
    }
    fn line(&mut self, text: &str) {
        let _ = writeln!(self.0, "{text}");
    }
    fn close_lines(&mut self, none: bool) {
        if none {
            self.0.push('\n');
        }
        let _ = writeln!(self.0, "{}", self.1);
    }
    fn figure(&mut self, label: &str, _svg: &str, lines: &[String]) {
        let _ = writeln!(self.0, "**{}**\n", escape(label));
        let _ = writeln!(self.0, "{}", fence(&lines.join("\n")));
    }
    fn end_finding(&mut self) {
        self.0.push('\n');
    }
    fn bullets(&mut self, items: &[String]) {
        for s in items {
            let _ = writeln!(self.0, "- {}", escape(s));
        }
    }
    fn out(&mut self) -> &mut String {
        &mut self.0
    }
}

fn markdown_into(a: &Analysis, lang: Lang, redacted: bool, part: usize, to: &mut dyn FnMut(&[u8])) {
    let mut d = Markdown(String::new(), String::new());
    outline(&mut d, a, lang, redacted, part, to);
    to(d.0.as_bytes());
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

/// The export's style: colours are variables, light by default and dark under
/// `prefers-color-scheme: dark`; the embedded SVG diagrams draw with `currentColor` and the same
/// variables, so they stay readable in both.
pub(crate) const REPORT_CSS: &str = ":root{color-scheme:light dark;--bg:#fff;--panel:#fff;--fg:#1d2330;--muted:#57606a;--line:#d5d9e0;--code-bg:#f3f4f7;\
--error:#b3261e;--warning:#8a5300;--info:#1a5fb4;--ok:#17663a;--hub:#6a3fc2;--spoke:#0b6b79}\
@media (prefers-color-scheme: dark){:root{--bg:#12151b;--panel:#1a1e26;--fg:#e3e7ee;--muted:#98a2b3;--line:#2e3543;--code-bg:#222834;\
--error:#ff6b6b;--warning:#f0a742;--info:#6aa8ff;--ok:#4cc47a;--hub:#b392ff;--spoke:#4fd0e0}}\
body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:var(--fg);background:var(--bg)}\
h1{font-size:1.5em}h2{border-bottom:1px solid var(--line);padding-bottom:.2em}\
.f{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;padding:.6em 1em;margin:1em 0}\
.error{border-left-color:var(--error)}.warning{border-left-color:var(--warning)}.info{border-left-color:var(--info)}.ok{border-left-color:var(--ok)}\
code,pre{font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace}pre{background:var(--code-bg);padding:.6em;overflow:auto;white-space:pre-wrap}\
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.2em .5em;text-align:left}.rule{color:var(--muted)}\
svg.ladder,svg.network-map{color:var(--fg);background:var(--panel);max-width:100%;height:auto}\
svg.ladder [data-failing] text:not(:first-child){font-weight:bold}";

/// A self-contained HTML page: every text an entity-escaped text node, no script.
struct Html {
    out: String,
    lang: Lang,
}

impl Doc for Html {
    fn title(&mut self, text: &str) {
        let lang = if self.lang == Lang::Ja { "ja" } else { "en" };
        let _ = write!(
            self.out,
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <title>{}</title><style>{REPORT_CSS}</style></head><body><h1>{}</h1>",
            esc(text),
            esc(text)
        );
    }
    fn note(&mut self, text: &str) {
        let _ = write!(self.out, "<p><em>{}</em></p>", esc(text));
    }
    fn section(&mut self, text: &str) {
        let _ = write!(self.out, "<h2>{}</h2>", esc(text));
    }
    fn table(&mut self, head: [&str; 4], rows: &[[Cell<'_>; 4]]) {
        self.out.push_str("<table><tr>");
        for h in head {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        self.out.push_str("</tr>");
        for row in rows {
            self.out.push_str("<tr>");
            for c in row {
                let _ = match c {
                    Cell::Text(s) => write!(self.out, "<td>{}</td>", esc(s)),
                    Cell::Code(s) => write!(self.out, "<td><code>{}</code></td>", esc(s)),
                };
            }
            self.out.push_str("</tr>");
        }
        self.out.push_str("</table>");
    }
    fn paragraph(&mut self, text: &str) {
        let _ = write!(self.out, "<p>{}</p>", esc(text));
    }
    fn finding(&mut self, _: usize, f: &Finding, severity: &str, title: &str) {
        let _ = write!(
            self.out,
            "<section class=\"f {}\" data-rule=\"{}\"><h3>[{}] {} <code class=\"rule\">{}</code></h3>",
            f.severity.as_str(),
            esc(&f.rule),
            esc(severity),
            esc(title),
            esc(&f.rule)
        );
    }
    fn labelled(&mut self, label: &str, text: &str) {
        let _ = write!(
            self.out,
            "<p><strong>{}</strong> {}</p>",
            esc(label),
            esc(text)
        );
    }
    fn list(&mut self, label: &str, items: &[&str]) {
        let _ = write!(self.out, "<p><strong>{}</strong></p><ol>", esc(label));
        for s in items {
            let _ = write!(self.out, "<li>{}</li>", esc(s));
        }
        self.out.push_str("</ol>");
    }
    fn codes(&mut self, label: &str, codes: &[(&DecodedCode, &str)]) {
        let _ = write!(self.out, "<p><strong>{}</strong></p><ul>", esc(label));
        for (c, meaning) in codes {
            let (kind, name, meaning) = (esc(&c.kind), esc(&c.name), esc(meaning));
            let _ = write!(
                self.out,
                "<li><code>{kind} {}</code> {name}: {meaning}</li>",
                c.code
            );
        }
        self.out.push_str("</ul>");
    }
    fn open_lines(&mut self, label: Option<&str>, _run: usize) {
        if let Some(label) = label {
            let _ = write!(self.out, "<p><strong>{}</strong></p>", esc(label));
        }
        self.out.push_str("<pre>");
    }
    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}", esc(text));
    }
    fn close_lines(&mut self, _none: bool) {
        self.out.push_str("</pre>");
    }
    fn figure(&mut self, label: &str, svg: &str, _lines: &[String]) {
        let _ = write!(
            self.out,
            "<figure><figcaption>{}</figcaption>{svg}</figure>",
            esc(label)
        );
    }
    fn end_finding(&mut self) {
        self.out.push_str("</section>");
    }
    fn bullets(&mut self, items: &[String]) {
        self.out.push_str("<ul>");
        for s in items {
            let _ = write!(self.out, "<li>{}</li>", esc(s));
        }
        self.out.push_str("</ul>");
    }
    fn out(&mut self) -> &mut String {
        &mut self.out
    }
}

fn html_into(a: &Analysis, lang: Lang, redacted: bool, part: usize, to: &mut dyn FnMut(&[u8])) {
    let mut d = Html {
        out: String::new(),
        lang,
    };
    outline(&mut d, a, lang, redacted, part, to);
    d.out.push_str("</body></html>\n");
    to(d.out.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::*;

    /// `(file name, MIME type, text)` of the export of `analysis` in `format`, put together.
    fn render(
        analysis: &Analysis,
        format: &str,
        redact: bool,
        lang: Lang,
    ) -> Result<(String, String, String), String> {
        let mut text = Vec::new();
        let (name, mime) = render_into(analysis, format, redact, lang, &mut |b| {
            text.extend_from_slice(b)
        })?;
        Ok((name, mime, String::from_utf8(text).expect("UTF-8")))
    }

    /// The bytes of the export, handed on in parts of `part` bytes, put together.
    fn in_parts(a: &Analysis, format: &str, redact: bool, part: usize) -> Vec<u8> {
        let mut out = Vec::new();
        render_in_parts(a, format, redact, Lang::En, part, &mut |b| {
            out.extend_from_slice(b)
        })
        .expect("a known format");
        out
    }

    fn markdown(a: &Analysis, lang: Lang, redacted: bool) -> String {
        let mut out = Vec::new();
        markdown_into(a, lang, redacted, usize::MAX, &mut |b| {
            out.extend_from_slice(b)
        });
        String::from_utf8(out).expect("UTF-8")
    }

    fn html(a: &Analysis, lang: Lang, redacted: bool) -> String {
        let mut out = Vec::new();
        html_into(a, lang, redacted, usize::MAX, &mut |b| {
            out.extend_from_slice(b)
        });
        String::from_utf8(out).expect("UTF-8")
    }

    /// An export handed on in parts is the same bytes as the export whole, whatever the part
    /// size: every format, redacted or not, on a real analysis with many findings (the
    /// three-cluster fixture's, each repeated with Japanese text so that a part boundary falls
    /// inside multi-byte characters).
    #[test]
    fn an_export_in_parts_is_the_export_whole() {
        let mut a = crate::ladder::tests::fixture("three-clusters");
        let one = a.findings.clone();
        for n in 0..20 {
            for f in &one {
                let mut f = f.clone();
                f.title.en = format!("{} — 検出結果 {n}", f.title.en).into();
                a.findings.push(f);
            }
        }
        for format in ["json", "md", "html"] {
            for redact in [false, true] {
                let whole = in_parts(&a, format, redact, usize::MAX);
                assert!(whole.len() > 20_000, "{format}: {} bytes", whole.len());
                for part in [1, 2, 3, 7, 100, 4096, whole.len() / 3] {
                    let mut sizes = Vec::new();
                    let mut got = Vec::new();
                    render_in_parts(&a, format, redact, Lang::En, part, &mut |b| {
                        sizes.push(b.len());
                        got.extend_from_slice(b);
                    })
                    .expect("a known format");
                    assert!(got == whole, "{format}, redact {redact}, parts of {part}");
                    if part > 100 {
                        assert!(sizes.len() > 1, "{format}: handed on in parts of {part}");
                    }
                }
            }
        }
    }

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
    fn exports_embed_the_ladder_of_a_failing_attempt() {
        let mut a = crate::ladder::tests::fixture("three-clusters");
        a.events[14].label.en = "<img src=x onerror=alert(1)>".into();
        // A second failing finding about the same attempt: the ladder is still drawn once.
        let failing = a
            .findings
            .iter()
            .find(|f| f.connection == Some(1) && f.severity == loupe_core::Severity::Error)
            .cloned()
            .expect("the fixture's failure on connection 1");
        a.findings.push(failing);
        let h = html(&a, Lang::En, false);
        assert_eq!(h.matches("<svg data-ladder=\"1\"").count(), 1);
        assert!(
            !h.contains("data-ladder=\"0\""),
            "a joined attempt has no ladder in the report"
        );
        assert!(h.contains("data-step=\"password\" data-failing=\"true\""));
        assert!(!h.contains("<img") && h.contains("&lt;img src=x"));
        let m = markdown(&a, Lang::En, false);
        assert!(m.contains("spoke → hub password: "));
        // The map of the three clusters, before the findings.
        assert_eq!(h.matches("<svg data-network-map=\"\"").count(), 1);
        assert!(h.find("data-network-map").unwrap() < h.find("data-ladder").unwrap());
        assert!(m.contains("com1150—cucm12: 1 attempts, error"));
        let two = html(
            &crate::ladder::tests::fixture("m2-spoke-cert-not-trusted"),
            Lang::En,
            false,
        );
        assert!(!two.contains("data-network-map"), "no map of two clusters");
    }

    #[test]
    fn html_export_has_a_dark_mode_that_reaches_the_svg() {
        let h = html(
            &crate::ladder::tests::fixture("three-clusters"),
            Lang::En,
            false,
        );
        let style = &h[h.find("<style>").unwrap()..h.find("</style>").unwrap()];
        let dark = style
            .split("@media (prefers-color-scheme: dark){")
            .nth(1)
            .expect("a dark media query");
        // The dark rules redefine the colours the SVG is drawn with...
        for var in [
            "--fg:", "--bg:", "--panel:", "--error:", "--ok:", "--hub:", "--spoke:",
        ] {
            assert!(dark.contains(var), "dark {var}");
        }
        // ...and the SVG draws with them: its colour is --fg, its shapes currentColor or a variable.
        assert!(style.contains("svg.ladder,svg.network-map{color:var(--fg)"));
        let svgs: Vec<&str> = h.split("<svg ").skip(1).collect();
        assert_eq!(svgs.len(), 2, "the map and one ladder");
        for svg in svgs {
            let svg = &svg[..svg.find("</svg>").unwrap()];
            for attr in svg.split(['"']).collect::<Vec<_>>().windows(2) {
                if attr[0].ends_with("fill=") || attr[0].ends_with("stroke=") {
                    let v = attr[1];
                    assert!(
                        v == "currentColor" || v.starts_with("var(--") || v == "transparent",
                        "a fixed colour in the SVG: {v}"
                    );
                }
            }
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
        assert!(m.contains("\\<script\\>"), "the core's escaper: {m}");
        assert!(
            m.contains("````text"),
            "fence longer than the content's backticks"
        );
        assert!(markdown(&hostile(), Lang::Ja, false).contains("検出結果"));
    }

    /// The timeline is written one line at a time: its Markdown block is still the core's
    /// fence of its lines joined (longer than any run of backticks an input's name or a label
    /// holds), and its HTML block holds each line escaped.
    #[test]
    fn the_timeline_written_line_by_line_is_one_fenced_block() {
        let mut a = crate::ladder::tests::fixture("three-clusters");
        assert!(a.events.len() > 3, "a timeline to write");
        a.inputs[a.events[0].input].name = "hub````log<b>.txt".into();
        a.events[2].label.en = "``label``".into();
        let lines: Vec<String> = a
            .events
            .iter()
            .map(|e| {
                let name = &a.inputs[e.input].name;
                format!("{} {name}:{} {}", clock(e.aligned_ms), e.line, e.label.en)
            })
            .collect();
        let m = markdown(&a, Lang::En, false);
        let block = fence(&lines.join("\n"));
        assert!(block.starts_with("`````text\n"), "{block}");
        assert!(m.contains(&format!("{block}\n")), "{m}");
        let h = html(&a, Lang::En, false);
        let pre: String = lines.iter().map(|l| format!("{}\n", esc(l))).collect();
        assert!(h.contains(&format!("<pre>{pre}</pre>")), "{h}");
        assert!(!h.contains("log<b>"));
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
