//! Stage 7, report: text, JSON and Markdown renderings of one [`crate::Analysis`] in one
//! language, and redaction for sharing.

pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;

use crate::model::*;

/// Writes a report as it is rendered. Where attempts are dense, the text report of a 370 MB trace
/// is 260 MB: the CLI writes it out piece by piece instead of holding it.
struct IoWriter<W: std::io::Write> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> std::fmt::Write for IoWriter<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Run `render` against `out`; the first write error, if any, is the result.
fn write_io(
    out: impl std::io::Write,
    render: impl FnOnce(&mut dyn std::fmt::Write),
) -> std::io::Result<()> {
    let mut w = IoWriter { out, error: None };
    render(&mut w);
    match w.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// What a report shows beyond the findings, their evidence and the connections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// Every attempt of a finding that stands for several, with its evidence (text and
    /// Markdown; JSON always lists them). Without it the text and Markdown reports list the
    /// first and last attempts and say how many more there are.
    pub attempts: bool,
    /// The ILS timeline events (JSON `events` and each connection's `events`).
    pub events: bool,
}

/// How many attempts a report lists when [`Detail::attempts`] is off: this many first ones and
/// this many last ones.
pub(crate) const ATTEMPTS_SHOWN: usize = 3;

/// The attempts to list (index, attempt) and how many are left out in the middle.
pub(crate) fn attempts_to_list(
    f: &Finding,
    detail: Detail,
) -> (Vec<(usize, &FindingAttempt)>, usize) {
    let all: Vec<_> = f.attempts.iter().enumerate().collect();
    if detail.attempts || all.len() <= 2 * ATTEMPTS_SHOWN {
        return (all, 0);
    }
    let hidden = all.len() - 2 * ATTEMPTS_SHOWN;
    let mut shown = all[..ATTEMPTS_SHOWN].to_vec();
    shown.extend_from_slice(&all[all.len() - ATTEMPTS_SHOWN..]);
    (shown, hidden)
}

pub(crate) fn attempts_head(f: &Finding, lang: Lang) -> String {
    let first = f
        .attempts
        .first()
        .map_or(String::new(), |t| clock_text(t.start_ms));
    let last = f
        .attempts
        .last()
        .map_or(String::new(), |t| clock_text(t.start_ms));
    match lang {
        Lang::En => format!(
            "Attempts: {} (first {first}, last {last})",
            f.attempts.len()
        ),
        Lang::Ja => format!("試行: {} 回（最初 {first}、最後 {last}）", f.attempts.len()),
    }
}

pub(crate) fn attempts_hidden(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("… {n} more (--attempts lists every attempt with its evidence)"),
        Lang::Ja => format!("… ほか {n} 回（--attempts ですべての試行と証拠を表示）"),
    }
}

/// Words of the reports themselves (the findings carry their own texts).
pub(crate) fn word(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

pub(crate) fn counts_line(c: &LineCounts, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} lines: {} recognised, {} continuation, {} blank, {} not understood",
            c.lines, c.recognised, c.continuation, c.blank, c.not_understood
        ),
        Lang::Ja => format!(
            "{} 行: 認識 {}、継続行 {}、空行 {}、未解釈 {}",
            c.lines, c.recognised, c.continuation, c.blank, c.not_understood
        ),
    }
}

pub(crate) fn summary_line(a: &Analysis, lang: Lang) -> String {
    let n = |s: Severity| a.findings.iter().filter(|f| f.severity == s).count();
    match lang {
        Lang::En => format!(
            "{} input(s), {} finding(s): {} error, {} warning, {} info, {} ok",
            a.inputs.len(),
            a.findings.len(),
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info),
            n(Severity::Ok)
        ),
        Lang::Ja => format!(
            "入力 {} 件、検出 {} 件: エラー {}、警告 {}、情報 {}、正常 {}",
            a.inputs.len(),
            a.findings.len(),
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info),
            n(Severity::Ok)
        ),
    }
}

pub(crate) fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::En) => "ERROR",
        (Severity::Warning, Lang::En) => "WARNING",
        (Severity::Info, Lang::En) => "INFO",
        (Severity::Ok, Lang::En) => "OK",
        (Severity::Error, Lang::Ja) => "エラー",
        (Severity::Warning, Lang::Ja) => "警告",
        (Severity::Info, Lang::Ja) => "情報",
        (Severity::Ok, Lang::Ja) => "正常",
    }
}

pub(crate) fn offset_line(ms: i64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("clock offset (spoke - hub): {ms:+} ms"),
        Lang::Ja => format!("時計のずれ（スポーク - ハブ）: {ms:+} ms"),
    }
}
