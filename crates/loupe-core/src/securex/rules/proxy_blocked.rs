//! `sse.proxy.blocked`: the HTTP proxy refuses to open the tunnel (403 or another non-200).
//!
//! - What: `Received HTTP code 403 from proxy after CONNECT` (≤7.86) / `CONNECT tunnel failed,
//!   response 403` (≥7.87), or a `< HTTP/1.1 403` answer to CONNECT, exit 56.
//! - Why: the proxy's policy does not allow the destination (URL category, allow-list).
//!   Not to be confused with the seed's 403 from api-sse.cisco.com itself, which proves the
//!   path works (`sse.reachable`).
//! - Fix: allow-list the SSE hosts on the proxy.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.proxy.blocked";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen =
        c.find(|s| matches!(s, Signal::ProxyStatus { code } if *code != 200 && *code != 407));
    let first = seen.first()?;
    let code = match first.signal() {
        Signal::ProxyStatus { code } => *code,
        _ => 0,
    };
    let line = first.obs.line;
    let mut seen = with_run_context(c, seen);
    seen.extend(c.find(|s| matches!(s, Signal::ProxyTunnel { .. })));
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Proxy),
        b(
            "The proxy blocks the connection to the SSE cloud",
            "プロキシが SSE クラウドへの接続をブロックしています",
        ),
    );
    f.explanation.what = b(
        format!("The HTTP proxy answered CONNECT with {code} (line {line}): it refused to open the tunnel to the SSE cloud."),
        format!("HTTP プロキシが CONNECT に {code} を返しました（{line} 行目）。SSE クラウドへのトンネルの確立を拒否しています。"),
    );
    f.explanation.why = b(
        "The answer came from the proxy, before any TLS with the cloud: the proxy's policy (URL category, destination allow-list, or SSL policy) does not allow api-sse.cisco.com / *.sse.itd.cisco.com. A 403 from the cloud itself, after TLS, would instead prove connectivity.",
        "この応答はクラウドとの TLS より前にプロキシから返されています。プロキシのポリシー（URL カテゴリ、宛先の許可リスト、SSL ポリシー）が api-sse.cisco.com や *.sse.itd.cisco.com を許可していません。TLS 確立後にクラウド自身が返す 403 であれば、逆に接続性が確認できたことを意味します。",
    );
    f.explanation.fix = vec![
        b(
            "On the proxy, allow CONNECT to api-sse.cisco.com, est.sco.cisco.com, eventing-ingest.sse.itd.cisco.com and mx*.sse.itd.cisco.com on port 443 for the management IP of the FMC/FTD.",
            "プロキシで、FMC/FTD の管理 IP から api-sse.cisco.com、est.sco.cisco.com、eventing-ingest.sse.itd.cisco.com、mx*.sse.itd.cisco.com の 443 番ポートへの CONNECT を許可します。",
        ),
        b("Exempt these hosts from SSL decryption on the proxy.", "プロキシでこれらのホストを SSL 復号の対象外にします。"),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    if c.find(|s| matches!(s, Signal::CurlExit { code: 56, .. }))
        .iter()
        .any(|s| seen.iter().any(|x| x.key() == s.key()))
    {
        f.codes.push(curl_exit(56));
    }
    f.evidence = c.evidence(&seen);
    Some(f)
}
