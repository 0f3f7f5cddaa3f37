//! `sse.tcp.timeout`: TCP 443 towards the SSE cloud was never answered.
//!
//! - What: curl exit 28 before `Connected to` (or in action_queue.log, where curl runs with
//!   `--connect-timeout 10 -m 20`), `Connection timed out after N milliseconds`, `Failed to
//!   connect to ... : Connection timed out`; Go `dial tcp <ip>:443: i/o timeout` /
//!   `connect: connection timed out`; lsof `(SYN_SENT)` towards `:https` as supporting evidence.
//! - Why: outbound 443 from the management interface is dropped (firewall, NAT, routing), so
//!   the SYN is never answered.
//! - Example: `ActionQueueScrape.pl[19094]: [SF::SSE::Enrollment] canConnect: ... exit code: 28`.
//! - Fix: allow outbound TCP 443 to the SSE hosts by name; check the route and NAT.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tcp.timeout";

pub fn check(c: &Corpus) -> Option<Finding> {
    let mut seen: Vec<Seen> = c.find(|s| matches!(s, Signal::TcpTimeout { .. }));
    let exits: Vec<Seen> = c
        .find(|s| matches!(s, Signal::CurlExit { code: 28, .. }))
        .into_iter()
        .filter(|s| c.run(s).is_none_or(|r| !r.connected))
        .collect();
    if seen.is_empty() && exits.is_empty() {
        return None;
    }
    let mut targets: Vec<String> = Vec::new();
    for s in &seen {
        if let Signal::TcpTimeout { target } = s.signal() {
            let t = if target.is_empty() {
                c.run(s).and_then(|r| r.host.clone()).unwrap_or_default()
            } else {
                target.clone()
            };
            if !t.is_empty() && !targets.contains(&t) {
                targets.push(t);
            }
        }
    }
    for s in &exits {
        if let Some(h) = c.run(s).and_then(|r| r.host.clone()) {
            if !targets.contains(&h) {
                targets.push(h);
            }
        }
    }
    let from_action_queue = exits
        .iter()
        .any(|s| c.run(s).is_some_and(|r| r.from_action_queue));
    seen.extend(exits.iter().copied());
    let seen = with_run_context(c, seen);
    let mut syn_sent =
        c.find(|s| matches!(s, Signal::EventSession { state, .. } if state == "SYN_SENT"));
    syn_sent.extend(seen);

    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tcp),
        b(
            "TCP 443 to the SSE cloud times out",
            "SSE クラウドへの TCP 443 がタイムアウトしています",
        ),
    );
    let to = if targets.is_empty() {
        "the SSE cloud".to_string()
    } else {
        targets.join(", ")
    };
    let to_ja = if targets.is_empty() {
        "SSE クラウドへの".to_string()
    } else {
        format!("{} への", targets.join(", "))
    };
    let mut what = vec![b(
        format!("Connections to {to} on TCP 443 got no answer within the timeout."),
        format!("{to_ja} TCP 443 の接続が、タイムアウトまでに応答を得られませんでした。"),
    )];
    if from_action_queue {
        what.push(b(
            "action_queue.log's enrollment check (canConnect) ended with curl exit 28 (CURLE_OPERATION_TIMEDOUT): with `--connect-timeout 10 -m 20` this means DNS + TCP + TLS did not complete in 10 s, or the whole request took more than 20 s; since this curl's DNS failures end in exit 6, 28 usually means TCP 443 is blackholed.",
            "action_queue.log の登録時の接続確認（canConnect）が curl の終了コード 28（CURLE_OPERATION_TIMEDOUT）で終わっています。`--connect-timeout 10 -m 20` の指定では、DNS・TCP・TLS が 10 秒以内に完了しなかったか、全体で 20 秒を超えたことを意味します。この curl では DNS の失敗は終了コード 6 になるため、28 は通常 TCP 443 が途中で破棄されていることを示します。",
        ));
    }
    f.explanation.what = join(&what);
    f.explanation.why = b(
        "A timeout (no answer at all, as opposed to a refusal) means the SYN or its answer is silently dropped: a firewall or ACL between the management interface and the Internet drops outbound 443, a NAT rule is missing, or the management gateway has no route out. The seed's note applies: the cloud's addresses change, so rules written for IPs break.",
        "タイムアウト（拒否ではなく無応答）は、SYN またはその応答が途中で黙って破棄されていることを示します。管理インターフェイスとインターネットの間のファイアウォールや ACL が送信の 443 を破棄している、NAT ルールがない、または管理用ゲートウェイに外部への経路がない、などが原因です。クラウド側の IP アドレスは変わるため、IP で書いたルールは機能しなくなります。",
    );
    f.explanation.fix = vec![
        step_show_network(),
        step_allow_hosts(),
        step_curl_retest(targets.first().map_or("", String::as_str)),
    ];
    f.explanation.verify = vec![
        step_curl_retest("api-sse.cisco.com"),
        b("`lsof -i | grep conn` shows the connector's session to `:https` as ESTABLISHED, not SYN_SENT.", "`lsof -i | grep conn` でコネクタの `:https` へのセッションが SYN_SENT ではなく ESTABLISHED になっていることを確認します。"),
    ];
    if from_action_queue {
        f.explanation
            .collect
            .push(collect_curl("api-sse.cisco.com"));
    }
    f.evidence = c.evidence(&syn_sent);
    f.codes = if exits.is_empty() {
        Vec::new()
    } else {
        vec![curl_exit(28)]
    };
    Some(f)
}
