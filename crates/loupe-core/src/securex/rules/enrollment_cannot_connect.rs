//! `sse.enrollment.cannot-connect`: action_queue.log shows the SSE enrollment connectivity check
//! without the exit code that explains it.
//!
//! - What: `ActionQueueScrape.pl[PID]: [SF::SSE::Enrollment] canConnect: System
//!   (/usr/bin/curl -s --connect-timeout 10 -m 20 -L --max-redirs 5 --max-filesize 1000000000)`
//!   with no `exit code: N` (the seed prints the line so).
//! - Why: per the seed, this line is logged when the check fails; the curl exit code (6: DNS,
//!   28: timeout) tells why, but it is not on the line.
//! - Fix: read the full line (exit code), run the curl tests by hand.

use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.enrollment.cannot-connect";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen: Vec<_> = c
        .find(|s| matches!(s, Signal::CurlCommand))
        .into_iter()
        .filter(|s| {
            c.run(s)
                .is_some_and(|r| r.from_action_queue && r.exit.is_none())
        })
        .collect();
    let first = *seen.first()?;
    let mut f = finding(
        RULE,
        Severity::Warning,
        None,
        b(
            "The SSE enrollment check reports a connection problem",
            "SSE 登録時の接続確認で接続の問題が記録されています",
        ),
    );
    f.explanation.what = b(
        format!("action_queue.log line {}: the SSE enrollment check (canConnect) ran curl against the cloud; the line does not show the curl exit code.", first.obs.line),
        format!("action_queue.log の {} 行目: SSE 登録時の接続確認（canConnect）が curl でクラウドへの接続を試みています。この行には curl の終了コードが含まれていません。", first.obs.line),
    );
    f.explanation.why = b(
        "The check runs curl silently (-s), so only its exit code tells why it failed: 6 means name resolution failed, 28 means the connection timed out (--connect-timeout 10, -m 20).",
        "この確認は curl をサイレント（-s）で実行するため、失敗の理由は終了コードでしかわかりません。6 は名前解決の失敗、28 は接続のタイムアウト（--connect-timeout 10、-m 20）を意味します。",
    );
    f.explanation.fix = vec![step_curl_retest("api-sse.cisco.com"), step_show_network()];
    f.explanation.collect = vec![
        b(
            "Collect the complete canConnect lines with their exit code: `grep canConnect /var/log/action_queue.log | tail` (expert shell).",
            "終了コードを含む canConnect の行全体を採取してください: エキスパートシェルで `grep canConnect /var/log/action_queue.log | tail`。",
        ),
        collect_curl("api-sse.cisco.com"),
    ];
    f.evidence = c.evidence(&seen);
    Some(f)
}
