//! Plain-text report for the terminal.

use super::*;
use std::fmt::Write;

fn is_unsafe_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Could `text` hold an [`is_unsafe_control`] character? Decided from its bytes (a report of a
/// busy trace is a megabyte, and decoding every character was about a tenth of the CLI's time
/// after the parse, in perf samples): the controls are the bytes below 0x20 but `\n` and `\t`,
/// 0x7f, and U+0080 to U+009F, which UTF-8 writes after a 0xc2 byte. A yes only sends the text
/// to the exact test.
fn may_hold_unsafe_control(text: &str) -> bool {
    text.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2)
}

pub fn render(a: &Analysis, lang: Lang) -> String {
    render_with(a, lang, Detail::default())
}

pub fn render_with(a: &Analysis, lang: Lang, detail: Detail) -> String {
    // Room for a few KB per finding at the start: a report of a busy trace (a megabyte) grew by
    // doubling, each time copied and its new pages faulted in.
    let mut o = String::with_capacity((a.findings.len() + 4) << 12);
    report(a, lang, detail, &mut Terminal(&mut o));
    o
}

/// Write the report to `out` as it is rendered (see [`super::IoWriter`]).
pub fn write_with(
    a: &Analysis,
    lang: Lang,
    detail: Detail,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    super::write_io(out, |o| report(a, lang, detail, &mut Terminal(o)))
}

/// Log text goes to a terminal: control characters (ESC sequences can retitle the window, move
/// the cursor or hide text) are shown as U+FFFD, never sent as they are.
struct Terminal<'a>(&'a mut dyn Write);

impl Write for Terminal<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if !may_hold_unsafe_control(s) || !s.chars().any(is_unsafe_control) {
            return self.0.write_str(s);
        }
        for c in s.chars() {
            self.0
                .write_char(if is_unsafe_control(c) { '\u{fffd}' } else { c })?;
        }
        Ok(())
    }
}

fn report(a: &Analysis, lang: Lang, detail: Detail, o: &mut dyn Write) {
    let w = |en, ja| word(lang, en, ja);
    let _ = writeln!(o, "Loupe: {}", summary_line(a, lang));
    let _ = writeln!(o, "\n{}", w("Inputs", "入力"));
    for i in &a.inputs {
        let host = [i.host.as_deref(), i.host_ip.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            o,
            "  {}  [{} / {}{}]",
            i.name,
            i.kind.as_str(),
            i.role.as_str(),
            if host.is_empty() {
                String::new()
            } else {
                format!(" / {host}")
            }
        );
        let _ = writeln!(o, "    {}", counts_line(&i.counts, lang));
    }
    if let Some(ms) = a.clock_offset_ms {
        let _ = writeln!(o, "  {}", offset_line(ms, lang));
    }
    let _ = writeln!(o, "\n{}", w("Findings", "検出結果"));
    if a.findings.is_empty() {
        let _ = writeln!(o, "  {}", w("(none)", "（なし）"));
    }
    for f in &a.findings {
        let _ = writeln!(
            o,
            "\n{} {}  {}",
            severity_word(f.severity, lang),
            f.rule,
            f.title.get(lang)
        );
        let e = &f.explanation;
        let _ = writeln!(o, "  {}: {}", w("What", "内容"), e.what.get(lang));
        let _ = writeln!(o, "  {}: {}", w("Why", "原因"), e.why.get(lang));
        list(o, w("Fix", "対処"), &e.fix, lang, true);
        list(o, w("Verify", "確認"), &e.verify, lang, false);
        list(
            o,
            w("Collect better evidence", "より良い証拠の収集"),
            &e.collect,
            lang,
            false,
        );
        for c in &f.codes {
            let _ = writeln!(
                o,
                "  {}: {} {} = {}",
                w("Code", "コード"),
                c.kind,
                c.code,
                c.meaning.get(lang)
            );
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(o, "  {}:", w("Evidence", "証拠"));
            for ev in &f.evidence {
                let first = ev.text.lines().next().unwrap_or("");
                let _ = writeln!(
                    o,
                    "    {}:{} [{}]  {}",
                    ev.input,
                    ev.line,
                    ev.role.as_str(),
                    first
                );
            }
        }
        if !f.attempts.is_empty() {
            let _ = writeln!(o, "  {}:", attempts_head(f, lang));
            let (shown, hidden) = attempts_to_list(f, detail);
            for (i, t) in shown {
                let _ = writeln!(
                    o,
                    "    {}. {}  #{}",
                    i + 1,
                    clock_text(t.start_ms),
                    t.connection
                );
                if detail.attempts {
                    for ev in &t.evidence {
                        let first = ev.text.lines().next().unwrap_or("");
                        let _ = writeln!(o, "       {}:{}  {}", ev.input, ev.line, first);
                    }
                }
                if hidden > 0 && i + 1 == ATTEMPTS_SHOWN {
                    let _ = writeln!(o, "    {}", attempts_hidden(hidden, lang));
                }
            }
        }
    }
    if !a.connections.is_empty() {
        let _ = writeln!(o, "\n{}", w("Connections", "接続"));
        for c in &a.connections {
            let _ = writeln!(
                o,
                "  #{} {} -> {} {}  {}{}  ({} {})",
                c.id,
                c.client.as_deref().unwrap_or("?"),
                c.server.as_deref().unwrap_or("?"),
                match c.tls {
                    Some(true) => "TLS",
                    Some(false) => "non-TLS",
                    None => "",
                },
                c.outcome,
                c.method
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default(),
                w("paired by", "対応付け:"),
                c.paired_by
            );
        }
    }
    if !a.checklist.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            w("Connectivity checklist", "接続性チェックリスト")
        );
        let _ = writeln!(o, "  {}", crate::securex::checklist::note(lang));
        for c in &a.checklist {
            let state = format!("{:?}", c.state).to_lowercase();
            let _ = writeln!(o, "  [{state}] {}  ({})", c.title.get(lang), c.command);
        }
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o, "\n{}", w("Reading problems", "読み取りの問題"));
        for d in &a.diagnostics {
            let _ = writeln!(o, "  {}:{}: {}", d.input, d.line, d.message.get(lang));
        }
    }
}

fn list(o: &mut dyn Write, head: &str, items: &[Bilingual], lang: Lang, numbered: bool) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "  {head}:");
    for (i, s) in items.iter().enumerate() {
        if numbered {
            let _ = writeln!(o, "    {}. {}", i + 1, s.get(lang));
        } else {
            let _ = writeln!(o, "    - {}", s.get(lang));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte test never misses a control the exact test would replace (it may send more
    /// text to the exact test: `©` is 0xc2 0xa9).
    #[test]
    fn the_byte_test_misses_no_unsafe_control() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("ok {c} ok");
            if is_unsafe_control(c) {
                assert!(may_hold_unsafe_control(&text), "{:?}", c);
            }
        }
        assert!(!may_hold_unsafe_control(
            "plain text\twith a tab\nand lines, 日本語"
        ));
        assert!(may_hold_unsafe_control("CSI \u{9b}2J"));
    }
}
