//! `sse.dns.nxdomain`: the resolver answered that the SSE host name does not exist.
//!
//! - What: nslookup `** server can't find api-sse.cisco.com: NXDOMAIN`; Go
//!   `lookup api-sse.cisco.com on <ip>:53: no such host`.
//! - Why: an internal-only resolver that does not forward Internet names, a DNS security
//!   product sinkholing the name, or a typo in the host name.
//! - Example: `dial tcp: lookup api-sse.cisco.com on 10.0.0.10:53: no such host`.
//! - Fix: point the device at a resolver that resolves public names; allow-list *.cisco.com.

use super::dns::{collect_dns, dns_finding, fix_dns_server, verify_dns, DnsFacts};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::b;

pub const RULE: &str = "sse.dns.nxdomain";

pub fn check(c: &Corpus, f: &DnsFacts) -> Option<Finding> {
    f.nxdomain.first()?;
    let mut finding = dns_finding(
        c,
        f,
        RULE,
        b("The DNS server says the SSE host name does not exist", "DNS サーバが SSE のホスト名は存在しないと応答しています"),
        b("The DNS server answered, but with \"no such name\".", "DNS サーバは応答しましたが、「その名前は存在しない」という応答でした。"),
        b(
            "The SSE names are public. A resolver that says they do not exist is internal-only (it does not forward Internet names), or a DNS security / filtering service is blocking them, or the name was mistyped.",
            "SSE のホスト名はインターネット上で公開されています。存在しないと応答するのは、インターネットの名前を転送しない社内専用のリゾルバか、DNS セキュリティやフィルタリングがブロックしているか、名前の入力誤りです。",
        ),
    );
    let mut fix = fix_dns_server();
    fix.push(b(
        "If a DNS security or filtering service is in use, allow-list api-sse.cisco.com, est.sco.cisco.com and *.sse.itd.cisco.com.",
        "DNS セキュリティやフィルタリングを使用している場合は、api-sse.cisco.com、est.sco.cisco.com、*.sse.itd.cisco.com を許可リストに追加します。",
    ));
    finding.explanation.fix = fix;
    finding.explanation.verify = verify_dns();
    finding.explanation.collect = collect_dns(f);
    Some(finding)
}
