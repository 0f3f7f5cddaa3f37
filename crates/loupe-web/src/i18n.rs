//! Every word the page and the exports print, in English and Japanese. The engine's own texts
//! (findings, labels, diagnostics) arrive bilingual; this is the page's part.

use loupe_core::{CheckState, Lang, Role, Severity};

use crate::transfer::{DiagnoseStep, StepWhat};

/// `(key, English, Japanese)`.
pub const WORDS: &[(&str, &str, &str)] = &[
    ("app.tagline", "Offline analyzer for CUCM ILS and Secure Firewall SecureX logs", "CUCM ILS と Secure Firewall SecureX ログのオフライン解析ツール"),
    ("app.private", "Runs entirely in this page: nothing is uploaded.", "すべてこのページ内で処理し、何も送信しません。"),
    ("drop.title", "Drop logs here", "ここにログをドロップ"),
    ("drop.hint", "Files and folders (RTMT collections), .zip and .gz included — hub and spoke together.", "ファイルとフォルダ（RTMT の収集結果）、.zip・.gz も可。ハブとスポークをまとめてどうぞ。"),
    ("drop.choose", "Choose files…", "ファイルを選択…"),
    ("drop.folder", "Choose a folder…", "フォルダを選択…"),
    ("paste.label", "Or paste a snippet", "またはスニペットを貼り付け"),
    ("paste.placeholder", "Paste lines copied from a terminal, RTMT or a document…", "ターミナル・RTMT・資料からコピーした行を貼り付け…"),
    ("paste.analyze", "Analyse pasted text", "貼り付けたテキストを解析"),
    ("paste.name", "pasted text", "貼り付けたテキスト"),
    ("sample.label", "Try a sample", "サンプルを試す"),
    ("sample.none", "No samples in this build", "このビルドにはサンプルがありません"),
    ("sample.choose", "Choose a scenario…", "シナリオを選択…"),
    ("status.opening", "Opening archives", "アーカイブを展開中"),
    ("status.entries", "entries taken out:", "取り出したエントリ:"),
    ("status.reading", "Analysing", "解析中"),
    ("status.diagnosing", "Correlating and diagnosing", "相関付けと診断中"),
    ("status.receiving", "Receiving the result", "結果を受信中"),
    ("step.taking_over", "taking in what the second worker read", "2 つ目のワーカーが読んだ内容を受け取り中"),
    ("step.pairing", "pairing the hub's and the spoke's connection attempts", "ハブとスポークの接続試行を対応付け中"),
    ("step.connections", "building {n} connections", "{n} 件の接続を構成中"),
    ("step.rule", "{rule} on {n} connections", "{n} 件の接続に {rule} を適用中"),
    ("step.alarms", "joining alarms to the findings they confirm", "アラームを裏付ける検出結果に統合中"),
    ("step.grouping", "building the timeline, grouping {n} findings by cause and peer", "タイムラインを作成し、{n} 件の検出結果を原因とピアごとにまとめ中"),
    ("step.securex", "following the SecureX chain", "SecureX の接続経路を診断中"),
    ("step.preparing", "preparing the result for the page", "結果をページ用に準備中"),
    ("status.parts", "items", "件"),
    ("status.inputs", "inputs", "入力"),
    ("status.cancel", "Cancel", "キャンセル"),
    ("status.cancelled", "Analysis cancelled.", "解析をキャンセルしました。"),
    ("status.failed", "The analysis failed", "解析に失敗しました"),
    ("status.retry", "Start again", "やり直す"),
    ("status.fallback", "Web Workers are unavailable here: the analysis runs on the page itself and the page may pause while it works.", "この環境では Web Worker を使えないため、ページ上で解析します。解析中は操作が一時的に止まることがあります。"),
    ("status.new", "New analysis", "新しい解析"),
    ("nav.findings", "Findings", "検出結果"),
    ("nav.sidebyside", "Side by side", "並べて比較"),
    ("nav.raw", "Raw logs", "生ログ"),
    ("nav.checklist", "SecureX checklist", "SecureX チェックリスト"),
    ("nav.inputs", "Inputs", "入力"),
    ("findings.none", "No findings: nothing Loupe knows was recognised in these inputs.", "検出結果はありません。これらの入力に Loupe が認識できる内容はありませんでした。"),
    ("findings.what", "What happened", "何が起きたか"),
    ("findings.why", "Why", "原因"),
    ("findings.fix", "How to fix", "対処手順"),
    ("findings.verify", "How to verify", "確認方法"),
    ("findings.collect", "Collect more evidence", "追加で収集するもの"),
    ("findings.codes", "Decoded codes", "コードの意味"),
    ("findings.evidence", "Evidence", "根拠"),
    ("findings.show", "Show in side-by-side view", "並べて比較で表示"),
    ("findings.connection", "Connection", "接続"),
    ("findings.attempts", "Attempts: {n} (first {first}, last {last}), each with its evidence", "試行: {n} 回（最初 {first}、最後 {last}）、各試行の根拠つき"),
    ("findings.attempts_label", "Attempts", "試行"),
    ("findings.attempts_more", "{n} more attempts: the Markdown and JSON exports list them all", "ほか {n} 回の試行は Markdown と JSON のエクスポートにすべて載っています"),
    ("sev.error", "Error", "エラー"),
    ("sev.warning", "Warning", "警告"),
    ("sev.info", "Info", "情報"),
    ("sev.ok", "OK", "正常"),
    ("inputs.name", "Input", "入力"),
    ("inputs.kind", "Detected as", "判定"),
    ("inputs.role", "Role", "役割"),
    ("inputs.host", "Host", "ホスト"),
    ("inputs.lines", "Lines", "行数"),
    ("inputs.recognised", "Recognised", "認識"),
    ("inputs.continuation", "Continuation", "継続行"),
    ("inputs.blank", "Blank", "空行"),
    ("inputs.not_understood", "Not understood", "未解釈"),
    ("inputs.size", "Size", "サイズ"),
    ("inputs.role_hint", "Correct a role and the analysis runs again.", "役割を修正すると再解析します。"),
    ("role.hub", "hub", "ハブ"),
    ("role.spoke", "spoke", "スポーク"),
    ("ladder.title", "Ladder diagram of attempt", "接続試行のラダー図"),
    ("ladder.hint", "Spoke and hub on the hub's clock (offset applied). Tab to a step, Enter to show its log lines.", "スポークとハブをハブの時計で表示（時刻差を補正）。Tab でステップへ移動し、Enter でログ行を表示。"),
    ("ladder.failing", "failing step", "失敗したステップ"),
    ("ladder.tcp-connect", "TCP connect", "TCP 接続"),
    ("ladder.tls-handshake", "TLS handshake", "TLS ハンドシェイク"),
    ("ladder.certificate", "certificate", "証明書"),
    ("ladder.password", "password", "パスワード"),
    ("ladder.established", "established", "確立"),
    ("ladder.closed", "closed", "切断"),
    ("ladder.alarm", "alarm", "アラーム"),
    ("map.title", "ILS network", "ILS ネットワーク"),
    ("map.hint", "One link per pair that tried to connect, coloured by its worst verdict. Click a link to list only its findings and rows.", "接続を試みた組ごとに 1 本の線、最も悪い判定で色分け。線をクリックするとその組の所見と行だけを表示。"),
    ("map.filtered", "Only the attempts between", "次の間の接続試行のみ:"),
    ("map.clear", "Show all pairs", "すべての組を表示"),
    ("map.attempts", "attempts", "回の試行"),
    ("role.device", "device", "機器"),
    ("role.unknown", "unknown", "不明"),
    ("diag.title", "Reading problems", "読み込み時の問題"),
    ("sbs.filter", "Show", "表示"),
    ("sbs.events", "Diagnostic events", "診断イベント"),
    ("sbs.all_events", "All events", "すべてのイベント"),
    ("sbs.lines", "Every line", "すべての行"),
    ("lines.scope", "Lines of", "表示する行"),
    ("lines.inputs", "Whole inputs", "入力全体"),
    ("lines.window", "lines {first}–{last}", "{first}–{last} 行"),
    ("lines.none", "No lines to show.", "表示する行がありません。"),
    ("lines.pager", "Lines {from}–{to} of {total} per side", "各側 {from}–{to} 行目（全 {total} 行）"),
    ("lines.pager_label", "Pages of every line", "すべての行のページ"),
    ("sbs.search", "Search", "検索"),
    ("sbs.search_placeholder", "Filter by text…", "テキストで絞り込み…"),
    ("sbs.offset", "Clock offset (spoke − hub)", "時刻のずれ（スポーク − ハブ）"),
    ("sbs.offset_applied", "applied: times are on the hub's clock", "補正済み: 時刻はハブの時計に合わせています"),
    ("sbs.offset_none", "no clock offset estimated", "時刻のずれは推定できませんでした"),
    ("sbs.unmatched", "not paired", "対応なし"),
    ("sbs.none", "No ILS events in these inputs.", "これらの入力に ILS のイベントはありません。"),
    ("sbs.preparing", "Lining up the timeline…", "タイムラインを並べています…"),
    ("sbs.selected", "Selected line", "選択した行"),
    ("sbs.belongs_finding", "Finding", "検出結果"),
    ("sbs.belongs_connection", "Connection", "接続"),
    ("sbs.belongs_none", "This line is not evidence of any finding.", "この行はどの検出結果の根拠でもありません。"),
    ("sbs.time", "Time", "時刻"),
    ("sbs.line", "line", "行"),
    ("sbs.files", "files", "ファイル"),
    ("sbs.no_match", "Nothing matches the search.", "検索に一致するものはありません。"),
    ("conn.joined", "joined", "接続成功"),
    ("conn.failed", "failed", "失敗"),
    ("conn.unanswered", "unanswered", "応答なし"),
    ("conn.in-progress", "in progress", "進行中"),
    ("raw.input", "Input", "入力"),
    ("raw.goto", "Go to line", "行へ移動"),
    ("raw.count", "{n} lines", "{n} 行"),
    ("raw.not_kept", "The lines of this input were not kept (memory limit); the analysis used them all.", "メモリの上限のためこの入力の行は保持していません（解析にはすべて使用済み）。"),
    ("raw.cut", "Only the first {n} lines of this input were kept (memory limit); the analysis used them all.", "メモリの上限のため、この入力は最初の {n} 行だけを保持しています（解析にはすべて使用済み）。"),
    ("raw.empty", "No lines.", "行がありません。"),
    ("check.item", "Check", "確認項目"),
    ("check.step", "Step", "段階"),
    ("check.state", "Result", "結果"),
    ("check.command", "Command to collect", "収集コマンド"),
    ("check.none", "No SecureX artefacts in these inputs.", "これらの入力に SecureX 関連の出力はありません。"),
    ("state.passed", "passed", "合格"),
    ("state.failed", "failed", "不合格"),
    ("state.inconclusive", "inconclusive", "判定不能"),
    ("state.missing", "missing", "未収集"),
    ("export.title", "Export", "エクスポート"),
    ("export.redact", "Redact addresses, host names, FQDNs and PeerIds", "アドレス・ホスト名・FQDN・PeerId を伏せる"),
    ("export.md", "Markdown", "Markdown"),
    ("export.html", "HTML", "HTML"),
    ("export.json", "JSON", "JSON"),
    ("theme.label", "Theme", "テーマ"),
    ("theme.system", "System", "システム"),
    ("theme.light", "Light", "ライト"),
    ("theme.dark", "Dark", "ダーク"),
    ("lang.label", "Language", "言語"),
    ("clusters.id", "Cluster ID", "クラスタ ID"),
    ("clusters.name", "Name", "名前"),
    ("clusters.role", "Role", "役割"),
    ("clusters.last", "Last contact", "最終接続"),
    ("clusters.sync", "Sync status", "同期状態"),
    ("clusters.version", "Version", "バージョン"),
    ("nav.views", "Views", "表示"),
    ("report.title", "Loupe report", "Loupe レポート"),
    ("report.redacted", "Addresses, host names, FQDNs and PeerIds are replaced by placeholders.", "アドレス・ホスト名・FQDN・PeerId はプレースホルダに置き換えています。"),
    ("report.events", "Timeline", "タイムライン"),
    ("report.rule", "Rule", "ルール"),
    ("pager.prev", "Previous", "前へ"),
    ("pager.next", "Next", "次へ"),
    ("pager.page", "Page", "ページ"),
    ("pager.findings", "Findings {from}–{to} of {total}", "検出結果 {from}–{to} 件目（全 {total} 件）"),
    ("pager.findings_label", "Pages of findings", "検出結果のページ"),
    ("pager.rows", "Rows {from}–{to} of {total}", "{from}–{to} 行目（全 {total} 行）"),
    ("pager.rows_label", "Pages of the side-by-side view", "並べて比較のページ"),
    ("rules.title", "Findings by rule", "ルール別の検出結果"),
    ("rules.only", "List only the findings of this rule", "このルールの検出結果だけを表示"),
    ("rules.clear", "Every rule", "すべてのルール"),
    ("guide.title", "What to collect", "収集するもの"),
    ("guide.hint", "Before you drop anything: what to gather from each product, in this order. Copy a command with its button.", "読み込む前に、製品ごとに次の順で集めてください。コマンドはボタンでコピーできます。"),
    ("guide.copy", "Copy", "コピー"),
    ("guide.copied", "Copied", "コピーしました"),
    ("guide.copy_failed", "Copy failed: select the text", "コピーできません。テキストを選択してください"),
];

/// A word of [`WORDS`], found when the crate is compiled: write it `k!("nav.findings")`. A key
/// that is not in the table does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(usize);

/// The position of `name` in [`WORDS`]; evaluated in a constant by [`k!`], so a missing key is
/// a compile error ("evaluation of constant value failed: no such word").
pub const fn key(name: &str) -> Key {
    let mut i = 0;
    while i < WORDS.len() {
        if str_eq(WORDS[i].0, name) {
            return Key(i);
        }
        i += 1;
    }
    panic!("no such word in i18n::WORDS")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A word key checked at compile time: `k!("nav.findings")`.
#[macro_export]
macro_rules! k {
    ($name:literal) => {{
        const KEY: $crate::i18n::Key = $crate::i18n::key($name);
        KEY
    }};
}

impl Key {
    /// The key as written in [`WORDS`] (`findings.fix`).
    pub fn name(self) -> &'static str {
        WORDS[self.0].0
    }
}

/// The word for `key` in `lang`.
/// A step of the diagnosis, worded for the status line: "ils.password-mismatch on 100,000
/// connections (step 4 of 17)".
pub fn diagnose_step(lang: Lang, step: &DiagnoseStep) -> String {
    let n = |n: usize| crate::state::thousands(n);
    let text = match &step.what {
        StepWhat::TakingOver => t(lang, k!("step.taking_over")).to_string(),
        StepWhat::PairingAttempts => t(lang, k!("step.pairing")).to_string(),
        StepWhat::Connections { connections } => {
            t(lang, k!("step.connections")).replace("{n}", &n(*connections))
        }
        StepWhat::Rule { rule, connections } => t(lang, k!("step.rule"))
            .replace("{n}", &n(*connections))
            .replace("{rule}", rule),
        StepWhat::Alarms => t(lang, k!("step.alarms")).to_string(),
        StepWhat::GroupingFindings { findings } => {
            t(lang, k!("step.grouping")).replace("{n}", &n(*findings))
        }
        StepWhat::Securex => t(lang, k!("step.securex")).to_string(),
        StepWhat::Preparing => t(lang, k!("step.preparing")).to_string(),
    };
    let (of, total) = (step.done + 1, step.total);
    match (lang, step.part) {
        (Lang::En, None) => format!("{text} (step {of} of {total})"),
        (Lang::Ja, None) => format!("{text}（{total} 段階中 {of}）"),
        (Lang::En, Some(p)) => format!("{text} (step {of} of {total}: {} %)", p / 10),
        (Lang::Ja, Some(p)) => format!("{text}（{total} 段階中 {of}・{} %）", p / 10),
    }
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    let (_, en, ja) = WORDS[key.0];
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// The word key of a severity.
pub fn sev_key(s: Severity) -> Key {
    match s {
        Severity::Error => k!("sev.error"),
        Severity::Warning => k!("sev.warning"),
        Severity::Info => k!("sev.info"),
        Severity::Ok => k!("sev.ok"),
    }
}

/// The word key of a role.
pub fn role_key(r: Role) -> Key {
    match r {
        Role::Hub => k!("role.hub"),
        Role::Spoke => k!("role.spoke"),
        Role::Device => k!("role.device"),
        Role::Unknown => k!("role.unknown"),
    }
}

/// The word key of a checklist item's state.
pub fn state_key(s: CheckState) -> Key {
    match s {
        CheckState::Passed => k!("state.passed"),
        CheckState::Failed => k!("state.failed"),
        CheckState::Inconclusive => k!("state.inconclusive"),
        CheckState::Missing => k!("state.missing"),
    }
}

/// The page's default language from `navigator.language` (`ja`, `ja-JP` → Japanese).
pub fn lang_from_navigator(language: &str) -> Lang {
    if language.to_ascii_lowercase().starts_with("ja") {
        Lang::Ja
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_both_languages_and_keys_are_unique() {
        let mut keys = std::collections::BTreeSet::new();
        for (k, en, ja) in WORDS {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!en.is_empty() && !ja.is_empty(), "{k}");
        }
        assert_eq!(t(Lang::Ja, k!("nav.findings")), "検出結果");
        assert_eq!(lang_from_navigator("ja-JP"), Lang::Ja);
        assert_eq!(lang_from_navigator("en-US"), Lang::En);
    }

    #[test]
    fn keys_find_their_words() {
        assert_eq!(t(Lang::En, k!("nav.findings")), "Findings");
        assert_eq!(t(Lang::Ja, sev_key(Severity::Error)), "エラー");
        assert_eq!(key("pager.next"), k!("pager.next"));
        // A key missing from WORDS is a compile error in `k!`; at run time `key` refuses it.
        assert!(std::panic::catch_unwind(|| key("nav.nothing")).is_err());
    }

    #[test]
    fn a_diagnosis_step_reads_with_its_counts_in_both_languages() {
        // As a step begins, and part way through a long one.
        let cases = [
            (
                None,
                "ils.password-mismatch on 100,000 connections (step 4 of 17)",
                "100,000 件の接続に ils.password-mismatch を適用中（17 段階中 4）",
            ),
            (
                Some(450),
                "ils.password-mismatch on 100,000 connections (step 4 of 17: 45 %)",
                "100,000 件の接続に ils.password-mismatch を適用中（17 段階中 4・45 %）",
            ),
        ];
        let mut step = DiagnoseStep {
            done: 3,
            total: DiagnoseStep::TOTAL,
            what: StepWhat::Rule {
                rule: "ils.password-mismatch".into(),
                connections: 100_000,
            },
            part: None,
        };
        for (part, en, ja) in cases {
            step.part = part;
            assert_eq!(diagnose_step(Lang::En, &step), en);
            assert_eq!(diagnose_step(Lang::Ja, &step), ja);
        }
        assert!((step.fraction() - 3.45 / 17.0).abs() < 1e-9);
        // No placeholder is left unfilled in any step, in either language.
        let whats = [
            StepWhat::TakingOver,
            StepWhat::PairingAttempts,
            StepWhat::Connections { connections: 2 },
            StepWhat::Alarms,
            StepWhat::GroupingFindings { findings: 5 },
            StepWhat::Securex,
            StepWhat::Preparing,
        ];
        for what in whats {
            for lang in [Lang::En, Lang::Ja] {
                let text = diagnose_step(
                    lang,
                    &DiagnoseStep {
                        done: 0,
                        total: 17,
                        what: what.clone(),
                        part: Some(500),
                    },
                );
                assert!(!text.contains('{'), "{text}");
            }
        }
    }
}
