//! `sse.tcp.refused`: the TCP connection to the SSE cloud was refused or reset.
//!
//! - What: curl `Failed to connect to api-sse.cisco.com port 443: Connection refused` (exit 7),
//!   `Recv failure: Connection reset by peer` (exit 56); Go `dial tcp <ip>:443: connect:
//!   connection refused` (old Go: `getsockopt: connection refused`), `connection reset by peer`.
//! - Why: something on the path answered with a TCP RST: a firewall rejecting instead of
//!   dropping, a transparent proxy, or a DNS answer pointing at the wrong address.
//! - Example: `* Failed to connect to api-sse.cisco.com port 443: Connection refused`.
//! - Fix: find the device sending the reset; check the DNS answer and the proxy settings.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tcp.refused";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| matches!(s, Signal::TcpRefused { .. }));
    let first = *seen.first()?;
    let (target, detail) = match first.signal() {
        Signal::TcpRefused { target, detail } => (target.clone(), detail.clone()),
        _ => (String::new(), String::new()),
    };
    let target = if target.is_empty() {
        c.run(&first)
            .and_then(|r| r.host.clone())
            .unwrap_or_else(|| "the SSE cloud".into())
    } else {
        target
    };
    let seen = with_run_context(c, seen);
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tcp),
        b(
            "The TCP connection to the SSE cloud is refused or reset",
            "SSE クラウドへの TCP 接続が拒否またはリセットされています",
        ),
    );
    f.explanation.what = b(
        format!(
            "The connection to {target} was actively rejected: \"{detail}\" (line {}).",
            first.obs.line
        ),
        format!(
            "{target} への接続が能動的に拒否されました: 「{detail}」（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "A refusal or reset is an answer (a TCP RST), not silence: the SSE cloud itself listens on 443, so the RST almost always comes from a device on the path (a firewall that rejects, a transparent proxy, an IPS), or the DNS answer points at an address that is not the cloud.",
        "拒否やリセットは無応答ではなく、TCP RST という応答です。SSE クラウド自体は 443 で待ち受けているため、RST はほとんどの場合、経路上の装置（拒否設定のファイアウォール、透過プロキシ、IPS）から返されているか、DNS の応答がクラウドではないアドレスを指しています。",
    );
    f.explanation.fix = vec![
        b(
            "Compare the address curl tried (`Trying <ip>`) with `nslookup api-sse.cisco.com` from another network: a private or unexpected address means DNS is answering wrongly.",
            "curl が接続しようとしたアドレス（`Trying <ip>`）と、別のネットワークでの `nslookup api-sse.cisco.com` の結果を比較します。プライベートアドレスや想定外のアドレスであれば DNS の応答が誤っています。",
        ),
        step_allow_hosts(),
        b(
            "If a proxy is mandatory on this network, configure it on the device: `configure network http-proxy` (FTD CLISH), and check `show network` > Proxy Information.",
            "このネットワークでプロキシの使用が必須であれば、デバイスに設定します: FTD の CLISH で `configure network http-proxy` を実行し、`show network` の Proxy Information を確認します。",
        ),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    f.codes = c
        .find(|s| matches!(s, Signal::CurlExit { code: 7 | 56, .. }))
        .iter()
        .filter(|s| seen.iter().any(|x| x.key() == s.key()))
        .filter_map(|s| match s.signal() {
            Signal::CurlExit { code, .. } => Some(curl_exit(*code)),
            _ => None,
        })
        .collect();
    f.codes.dedup();
    f.evidence = c.evidence(&seen);
    Some(f)
}
