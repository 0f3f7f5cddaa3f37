//! `sse.dns.resolve-failed`: a name of the SSE cloud did not resolve (cause not yet known).
//!
//! - What: curl exit 6 (`getaddrinfo(3) failed for api-sse.cisco.com:443`, `Couldn't resolve
//!   host 'api-sse.cisco.com'` up to curl 7.75, `Could not resolve host: api-sse.cisco.com`
//!   from 7.76), `canConnect ... exit code: 6` in action_queue.log, Go `Temporary failure in
//!   name resolution` / `server misbehaving`.
//! - Why: no usable DNS server, or the server cannot resolve Internet names.
//! - Example (seed): `curl: (6) Couldn't resolve host 'api-sse.cisco.com'`.
//! - Fix: `show network`, `nslookup api-sse.cisco.com`, `configure network dns <ip>`.

use super::dns::{collect_dns, dns_finding, fix_dns_server, verify_dns, DnsFacts};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::b;

pub const RULE: &str = "sse.dns.resolve-failed";

pub fn check(c: &Corpus, f: &DnsFacts) -> Option<Finding> {
    if f.resolve_failed.is_empty() && f.exit6.is_empty() {
        return None;
    }
    let mut finding = dns_finding(
        c,
        f,
        RULE,
        b("Name resolution of the SSE cloud failed", "SSE クラウドの名前解決に失敗しました"),
        b("The first step of the connection, DNS, failed.", "接続の最初の段階である DNS で失敗しています。"),
        b(
            "curl exit 6 (CURLE_COULDNT_RESOLVE_HOST) means the resolver returned no address. The curl on FMC/FTD 6.x uses the synchronous resolver, so even a DNS server that never answers ends in exit 6 rather than a timeout. Nothing after DNS (TCP, TLS, HTTP) was tried.",
            "curl の終了コード 6（CURLE_COULDNT_RESOLVE_HOST）は、リゾルバがアドレスを返さなかったことを示します。FMC/FTD 6.x の curl は同期型のリゾルバを使うため、DNS サーバが応答しない場合もタイムアウトではなく終了コード 6 になります。DNS 以降（TCP、TLS、HTTP）は試行されていません。",
        ),
    );
    finding.explanation.fix = fix_dns_server();
    finding.explanation.verify = verify_dns();
    finding.explanation.collect = collect_dns(f);
    Some(finding)
}
