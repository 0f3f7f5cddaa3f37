//! `sse.tcp.no-route`: the device has no route to the SSE cloud.
//!
//! - What: curl `Failed to connect to ... : No route to host` / `Network is unreachable`
//!   (exit 7); Go `connect: no route to host`, `connect: network is unreachable`.
//! - Why: the management interface has no default gateway, or the gateway is wrong or down.
//! - Example: `* Failed to connect to api-sse.cisco.com port 443: Network is unreachable`.
//! - Fix: `show network` (IPv4 Default route), `configure network ipv4 manual <ip> <mask> <gw>`.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tcp.no-route";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| matches!(s, Signal::TcpNoRoute { .. }));
    let first = *seen.first()?;
    let detail = match first.signal() {
        Signal::TcpNoRoute { detail, .. } => detail.clone(),
        _ => String::new(),
    };
    let seen = with_run_context(c, seen);
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tcp),
        b(
            "No route from the management interface to the SSE cloud",
            "管理インターフェイスから SSE クラウドへの経路がありません",
        ),
    );
    f.explanation.what = b(
        format!(
            "The kernel refused to send the connection: \"{detail}\" (line {}).",
            first.obs.line
        ),
        format!(
            "カーネルが接続を送信できませんでした: 「{detail}」（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "`No route to host` / `Network is unreachable` are local routing errors (or ICMP unreachable from the gateway): the management interface has no default route, a wrong gateway, or the gateway cannot reach the Internet.",
        "`No route to host` や `Network is unreachable` はローカルのルーティングエラー（またはゲートウェイからの ICMP 到達不能）です。管理インターフェイスにデフォルトルートがない、ゲートウェイが誤っている、またはゲートウェイからインターネットに到達できない状態です。",
    );
    f.explanation.fix = vec![
        step_show_network(),
        b(
            "Set the management gateway: `configure network ipv4 manual <ip> <netmask> <gateway>` (FTD CLISH), then confirm the gateway routes to the Internet.",
            "管理用ゲートウェイを設定します: FTD の CLISH で `configure network ipv4 manual <ip> <netmask> <gateway>`。その後、ゲートウェイがインターネットへルーティングすることを確認します。",
        ),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    if c.find(|s| matches!(s, Signal::CurlExit { code: 7, .. }))
        .iter()
        .any(|s| seen.iter().any(|x| x.key() == s.key()))
    {
        f.codes.push(curl_exit(7));
    }
    f.evidence = c.evidence(&seen);
    Some(f)
}
