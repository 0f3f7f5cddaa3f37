//! Stage 7, report: text, JSON and Markdown renderings of one [`crate::Analysis`] in one
//! language, and redaction for sharing.

pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;

use crate::model::*;

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
