//! `sse.dns.not-configured`: `show network` lists no DNS server.
//!
//! - What: the System Information block of `show network` has no `DNS Servers` line.
//! - Why: without a resolver the device cannot turn api-sse.cisco.com and the other SSE hosts
//!   into addresses, so enrollment and event upload fail at the first step (curl exit 6).
//! - Example: `===== [ System Information ] =====` / `Hostname : ftd01` / `Management port : 8305`.
//! - Fix: `configure network dns <ip>` in the FTD CLISH, then `nslookup api-sse.cisco.com`.

use super::dns::{collect_dns, dns_finding, fix_dns_server, verify_dns, DnsFacts};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::b;

pub const RULE: &str = "sse.dns.not-configured";

pub fn check(c: &Corpus, f: &DnsFacts) -> Option<Finding> {
    let banner = f.missing.first()?;
    let line = banner.obs.line;
    let mut finding = dns_finding(
        c,
        f,
        RULE,
        b("No DNS server is configured on the device", "デバイスに DNS サーバが設定されていません"),
        b(
            format!("`show network` (System Information, line {line}) has no `DNS Servers` line: the management interface has no resolver."),
            format!("`show network` の System Information（{line} 行目）に `DNS Servers` の行がありません。管理インターフェイスにリゾルバが設定されていません。"),
        ),
        b(
            "SecureX/SSE needs name resolution first: the connector and the enrollment check reach api-sse.cisco.com, est.sco.cisco.com and eventing-ingest.sse.itd.cisco.com by name. Without a DNS server every connection fails at the DNS step (curl exit 6, Go `no such host`).",
            "SecureX/SSE では最初に名前解決が必要です。コネクタと登録時の接続確認は api-sse.cisco.com、est.sco.cisco.com、eventing-ingest.sse.itd.cisco.com に名前で接続します。DNS サーバがないと、すべての接続が DNS の段階で失敗します（curl の終了コード 6、Go の `no such host`）。",
        ),
    );
    if !f.has_failure() && !f.successes.is_empty() {
        // Names resolved anyway (DNS from the data interfaces on 7.x): worth a look, not an error.
        finding.severity = Severity::Warning;
    }
    finding.explanation.fix = fix_dns_server();
    finding.explanation.verify = verify_dns();
    finding.explanation.collect = collect_dns(f);
    Some(finding)
}
