//! `sse.proxy.auth-required`: the HTTP proxy asks for credentials (407) on CONNECT.
//!
//! - What: curl `Establish HTTP proxy tunnel to api-sse.cisco.com:443` then
//!   `< HTTP/1.1 407 Proxy Authentication Required` and `Received HTTP code 407 from proxy
//!   after CONNECT` (≤7.86) / `CONNECT tunnel failed, response 407` (≥7.87), exit 56.
//! - Why: the proxy requires authentication and the device sent none or the wrong one.
//! - Fix: `configure network http-proxy` with authentication, or exempt the SSE hosts.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.proxy.auth-required";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| matches!(s, Signal::ProxyStatus { code: 407 }));
    let first = seen.first()?;
    let line = first.obs.line;
    let mut seen = with_run_context(c, seen);
    seen.extend(c.find(|s| matches!(s, Signal::ProxyTunnel { .. } | Signal::ProxyState { .. })));
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Proxy),
        b(
            "The proxy requires authentication (407)",
            "プロキシが認証を要求しています（407）",
        ),
    );
    f.explanation.what = b(
        format!("The HTTP proxy answered the CONNECT request with 407 Proxy Authentication Required (line {line}); the tunnel to the SSE cloud was not opened."),
        format!("HTTP プロキシが CONNECT 要求に 407 Proxy Authentication Required を返しました（{line} 行目）。SSE クラウドへのトンネルは確立されていません。"),
    );
    f.explanation.why = b(
        "The device reaches the cloud through an explicit proxy. The proxy wants credentials the device did not send (proxy authentication disabled on the device, wrong user or password, or an authentication scheme the device does not support, such as NTLM/Kerberos only).",
        "デバイスは明示的プロキシ経由でクラウドに接続しています。プロキシが認証情報を要求していますが、デバイスは送っていません（デバイス側でプロキシ認証が無効、ユーザ名やパスワードの誤り、または NTLM/Kerberos のみなどデバイスが対応していない認証方式）。",
    );
    f.explanation.fix = vec![
        b(
            "In the FTD CLISH run `configure network http-proxy` and enter the proxy address, port, and the user name and password (FMC: System > Configuration > Management Interfaces, Proxy area: Enabled, HTTP Proxy, Port, Use Proxy Authentication).",
            "FTD の CLISH で `configure network http-proxy` を実行し、プロキシのアドレス、ポート、ユーザ名とパスワードを設定します（FMC では System > Configuration > Management Interfaces の Proxy 欄で Enabled、HTTP Proxy、Port を設定し、Use Proxy Authentication を有効にします）。",
        ),
        b(
            "Or exempt api-sse.cisco.com, est.sco.cisco.com and *.sse.itd.cisco.com from proxy authentication (Basic is the scheme the device supports).",
            "または、api-sse.cisco.com、est.sco.cisco.com、*.sse.itd.cisco.com をプロキシ認証の対象外にします（デバイスが対応するのは Basic 認証です）。",
        ),
    ];
    f.explanation.verify = vec![
        b("`show network` shows Proxy Information `State : Enabled` and `Authentication : Enabled`.", "`show network` の Proxy Information が `State : Enabled`、`Authentication : Enabled` になっていることを確認します。"),
        b(
            "`curl -v -x http://<proxy>:<port> -U <user> https://api-sse.cisco.com` shows `HTTP/1.1 200 Connection established` and then the cloud's status line.",
            "`curl -v -x http://<proxy>:<port> -U <user> https://api-sse.cisco.com` で `HTTP/1.1 200 Connection established` の後にクラウドのステータス行が返ることを確認します。",
        ),
    ];
    if c.find(|s| matches!(s, Signal::CurlExit { code: 56, .. }))
        .iter()
        .any(|s| seen.iter().any(|x| x.key() == s.key()))
    {
        f.codes.push(curl_exit(56));
    }
    f.evidence = c.evidence(&seen);
    Some(f)
}
