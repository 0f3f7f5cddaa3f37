//! Markdown report, for tickets and wikis. Log text goes into code spans/blocks, never as markup.

use super::*;
use std::fmt::Write;

/// Escape text that is shown as Markdown prose: every character that could start markup (emphasis,
/// code, links, images, headings, table cells, HTML tags) is backslash-escaped, and a line break
/// (which would end a list item or a table row) becomes a space. `&` is left as it is: an entity
/// reference can only ever render as a character, never as markup. The one escaper of the
/// project's Markdown: the CLI's report and the web page's export both use it.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Text from the logs shown inside an inline code span: a backtick would end the span and let
/// the rest be read as Markdown (or HTML), a newline would end the list item.
fn code(s: &str) -> String {
    s.replace('`', "'").replace(['\n', '\r'], " ")
}

/// A fenced code block (info string `text`) holding `text`, its fence longer than any run of
/// backticks inside, so that log lines never close it.
pub fn fence(text: &str) -> String {
    let mut ticks = 3;
    while text.contains(&"`".repeat(ticks)) {
        ticks += 1;
    }
    let t = "`".repeat(ticks);
    format!("{t}text\n{text}\n{t}")
}

pub fn render(a: &Analysis, lang: Lang) -> String {
    render_with(a, lang, Detail::default())
}

pub fn render_with(a: &Analysis, lang: Lang, detail: Detail) -> String {
    let mut o = String::new();
    report(a, lang, detail, &mut o);
    o
}

/// Write the report to `out` as it is rendered (see [`super::IoWriter`]).
pub fn write_with(
    a: &Analysis,
    lang: Lang,
    detail: Detail,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    super::write_io(out, |o| report(a, lang, detail, o))
}

fn report(a: &Analysis, lang: Lang, detail: Detail, o: &mut dyn Write) {
    let w = |en, ja| word(lang, en, ja);
    let _ = writeln!(o, "# Loupe\n\n{}\n", summary_line(a, lang));
    let _ = writeln!(o, "## {}\n", w("Inputs", "入力"));
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        w("input", "入力"),
        w("kind", "種類"),
        w("role", "役割"),
        w("host", "ホスト"),
        w("lines", "行")
    );
    for i in &a.inputs {
        let host = [i.host.as_deref(), i.host_ip.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            escape(&i.name),
            i.kind.as_str(),
            i.role.as_str(),
            escape(&host),
            escape(&counts_line(&i.counts, lang))
        );
    }
    if let Some(ms) = a.clock_offset_ms {
        let _ = writeln!(o, "\n{}", offset_line(ms, lang));
    }
    let _ = writeln!(o, "\n## {}\n", w("Findings", "検出結果"));
    for f in &a.findings {
        let _ = writeln!(
            o,
            "### {} `{}` {}\n",
            severity_word(f.severity, lang),
            f.rule,
            escape(f.title.get(lang))
        );
        let e = &f.explanation;
        let _ = writeln!(
            o,
            "**{}**: {}\n",
            w("What", "内容"),
            escape(e.what.get(lang))
        );
        let _ = writeln!(o, "**{}**: {}\n", w("Why", "原因"), escape(e.why.get(lang)));
        for (head, items, numbered) in [
            (w("Fix", "対処"), &e.fix, true),
            (w("Verify", "確認"), &e.verify, false),
            (
                w("Collect better evidence", "より良い証拠の収集"),
                &e.collect,
                false,
            ),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(o, "**{head}**:\n");
            for (n, s) in items.iter().enumerate() {
                if numbered {
                    let _ = writeln!(o, "{}. {}", n + 1, escape(s.get(lang)));
                } else {
                    let _ = writeln!(o, "- {}", escape(s.get(lang)));
                }
            }
            let _ = o.write_char('\n');
        }
        for c in &f.codes {
            let _ = writeln!(
                o,
                "- {} `{}` ({}): {}",
                c.kind,
                c.code,
                escape(&c.name),
                escape(c.meaning.get(lang))
            );
        }
        if !f.evidence.is_empty() {
            let body: Vec<String> = f
                .evidence
                .iter()
                .map(|ev| {
                    format!(
                        "{}:{} [{}] {}",
                        ev.input,
                        ev.line,
                        ev.role.as_str(),
                        ev.text
                    )
                })
                .collect();
            let _ = writeln!(o, "\n{}\n", fence(&body.join("\n")));
        }
        if !f.attempts.is_empty() {
            let _ = writeln!(o, "\n{}\n", escape(&attempts_head(f, lang)));
            let (shown, hidden) = attempts_to_list(f, detail);
            for (i, t) in shown {
                let _ = writeln!(
                    o,
                    "{}. {} (#{})",
                    i + 1,
                    escape(&clock_text(t.start_ms)),
                    t.connection
                );
                if detail.attempts && !t.evidence.is_empty() {
                    let body: Vec<String> = t
                        .evidence
                        .iter()
                        .map(|ev| format!("{}:{} {}", ev.input, ev.line, ev.text))
                        .collect();
                    let _ = writeln!(o, "\n{}\n", fence(&body.join("\n")));
                }
                if hidden > 0 && i + 1 == ATTEMPTS_SHOWN {
                    let _ = writeln!(o, "\n{}\n", escape(&attempts_hidden(hidden, lang)));
                }
            }
        }
    }
    if !a.connections.is_empty() {
        let _ = writeln!(o, "## {}\n", w("Connections", "接続"));
        for c in &a.connections {
            let _ = writeln!(
                o,
                "- #{} `{}` → `{}` {} {} ({})",
                c.id,
                code(c.client.as_deref().unwrap_or("?")),
                code(c.server.as_deref().unwrap_or("?")),
                c.outcome,
                c.method.as_deref().unwrap_or(""),
                c.paired_by
            );
        }
        let _ = o.write_char('\n');
    }
    if !a.checklist.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n",
            w("Connectivity checklist", "接続性チェックリスト")
        );
        let _ = writeln!(o, "{}\n", escape(crate::securex::checklist::note(lang)));
        for c in &a.checklist {
            let _ = writeln!(
                o,
                "- **{:?}** {} `{}`",
                c.state,
                escape(c.title.get(lang)),
                c.command
            );
        }
        let _ = o.write_char('\n');
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o, "## {}\n", w("Reading problems", "読み取りの問題"));
        for d in &a.diagnostics {
            let _ = writeln!(
                o,
                "- `{}`:{} {}",
                code(&d.input),
                d.line,
                escape(d.message.get(lang))
            );
        }
    }
}
