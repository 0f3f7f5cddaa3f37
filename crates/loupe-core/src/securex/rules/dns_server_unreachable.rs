//! `sse.dns.server-unreachable`: the configured DNS server did not answer.
//!
//! - What: nslookup `;; connection timed out; no servers could be reached` or
//!   `;; communications error to <ip>#53: timed out`; Go `read udp ...->ip:53: i/o timeout`.
//! - Why: a wrong or dead DNS server address, or UDP/TCP 53 blocked or unrouted on the path.
//!   With the seed's curl (synchronous resolver) this shows as curl exit 6, not 28.
//! - Example (seed): curl `Couldn't resolve host 'api-sse.cisco.com'` + nslookup timeout +
//!   `show network` `DNS Servers : x.x.x.10`; fixed by `configure network dns x.x.x.11`.
//! - Fix: `show network`, then `configure network dns <reachable server>`; allow 53.

use super::dns::{collect_dns, dns_finding, fix_dns_server, verify_dns, DnsFacts};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::b;

pub const RULE: &str = "sse.dns.server-unreachable";

pub fn check(c: &Corpus, f: &DnsFacts) -> Option<Finding> {
    f.unreachable.first()?;
    let servers = f.configured_servers();
    let cause = if servers.is_empty() {
        b(
            "The configured DNS server did not answer, so no name could be resolved.",
            "設定された DNS サーバが応答せず、名前解決ができませんでした。",
        )
    } else {
        let list = servers.join(", ");
        b(
            format!(
                "The configured DNS server ({list}) did not answer, so no name could be resolved."
            ),
            format!("設定された DNS サーバ（{list}）が応答せず、名前解決ができませんでした。"),
        )
    };
    let mut finding = dns_finding(
        c,
        f,
        RULE,
        b("DNS server unreachable: names of the SSE cloud cannot be resolved", "DNS サーバに到達できず、SSE クラウドの名前を解決できません"),
        cause,
        b(
            "A timeout (not an error answer) means the query never got a reply: the server address is wrong or the server is down, or UDP/TCP 53 from the management interface is blocked or not routed. Every later step (TCP, TLS, enrollment, events) depends on this one.",
            "エラー応答ではなくタイムアウトになるのは、問い合わせに返答がなかったためです。DNS サーバのアドレスが誤っているかサーバが停止している、または管理インターフェイスからの UDP/TCP 53 が遮断されているかルーティングされていません。以降のすべての段階（TCP、TLS、登録、イベント送信）はこの段階に依存します。",
        ),
    );
    finding.explanation.fix = fix_dns_server();
    finding.explanation.verify = verify_dns();
    finding.explanation.collect = collect_dns(f);
    Some(finding)
}
