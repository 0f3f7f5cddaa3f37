//! `sse.tls.handshake-failed`: TCP is up but the TLS handshake was torn down or stalled.
//!
//! - What: curl exit 35 (`OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to
//!   api-sse.cisco.com:443`, `Unknown SSL protocol error`, `TLS connect error`), or exit 28
//!   after `Connected to` without `SSL connection using`; Go `remote error: tls: ...`,
//!   `net/http: TLS handshake timeout`, `tls: first record does not look like a TLS handshake`.
//! - Why: a middlebox (IPS, SNI/URL filtering, proxy) cuts the handshake, or MTU problems.
//! - Fix: exempt the SSE hosts from inspection; check MTU on the management path.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tls.handshake-failed";

pub fn check(c: &Corpus) -> Option<Finding> {
    let mut seen: Vec<Seen> = c.find(|s| {
        matches!(
            s,
            Signal::TlsHandshakeFailed { .. } | Signal::CurlExit { code: 35, .. }
        )
    });
    seen.extend(
        c.find(|s| matches!(s, Signal::CurlExit { code: 28, .. }))
            .into_iter()
            .filter(|s| {
                c.run(s)
                    .is_some_and(|r| r.connected && !r.tls_established && r.http_status.is_none())
            }),
    );
    seen.sort_by_key(|s| s.key());
    let first = *seen.first()?;
    let stalled = matches!(first.signal(), Signal::CurlExit { code: 28, .. });
    let seen = with_run_context(c, seen);
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tls),
        b(
            "The TLS handshake with the SSE cloud fails",
            "SSE クラウドとの TLS ハンドシェイクに失敗しています",
        ),
    );
    f.explanation.what = if stalled {
        b(
            format!(
                "TCP connected, but TLS never completed before the timeout (line {}).",
                first.obs.line
            ),
            format!(
                "TCP 接続はできましたが、タイムアウトまでに TLS が完了しませんでした（{} 行目）。",
                first.obs.line
            ),
        )
    } else {
        b(
            format!(
                "TCP connected, but the TLS handshake was torn down (line {}: `{}`).",
                first.obs.line,
                first.obs.text.trim()
            ),
            format!(
                "TCP 接続はできましたが、TLS ハンドシェイクが中断されました（{} 行目: `{}`）。",
                first.obs.line,
                first.obs.text.trim()
            ),
        )
    };
    f.explanation.why = b(
        "When TCP works and TLS does not, something on the path inspects the handshake: an IPS or URL filter that resets on the SNI, a proxy that expects plain HTTP, or an MTU/fragmentation problem that loses the large certificate messages. The last TLS trace line before the failure shows how far it got.",
        "TCP は成功して TLS が失敗する場合、経路上の装置がハンドシェイクを検査しています。SNI を見てリセットする IPS や URL フィルタ、平文の HTTP を想定しているプロキシ、または大きな証明書メッセージが失われる MTU/フラグメントの問題などです。失敗直前の TLS トレース行から、どこまで進んだかがわかります。",
    );
    f.explanation.fix = vec![
        b(
            "Exempt the SSE hosts from inspection and SSL decryption on the IPS / proxy / firewall in the path.",
            "経路上の IPS、プロキシ、ファイアウォールで、SSE のホストをインスペクションと SSL 復号の対象外にします。",
        ),
        b("Check the MTU of the management path (try a smaller MTU on the management interface).", "管理経路の MTU を確認します（管理インターフェイスの MTU を小さくして試します）。"),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    f.explanation.collect = vec![collect_curl("api-sse.cisco.com")];
    for s in &seen {
        if let Signal::CurlExit { code, .. } = s.signal() {
            f.codes.push(curl_exit(*code));
        }
    }
    f.codes.dedup();
    f.evidence = c.evidence(&seen);
    Some(f)
}
