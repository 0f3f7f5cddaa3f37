//! `sse.events.not-connected`: the connector has no TCP session to the event ingest host.
//!
//! - What: `lsof -i | grep conn` shows the connector's session to `...:https` in `SYN_SENT`
//!   (or no session at all, only `localhost:8989 (LISTEN)`); connector.log shows
//!   `events:connectWebSocket` errors (`dial tcp <ip>:443: ...`), possibly cut short as in the
//!   seed.
//! - Why: the SYN to eventing-ingest.sse.itd.cisco.com is not answered: outbound 443 is
//!   blocked or misrouted. Without this session no event reaches SSE/SecureX.
//! - Example (seed): `connector 60815 www 12u IPv4 110237499 0t0 TCP
//!   firepower.cisco.com:53426->ec2-100-25-93-234.compute-1.amazonaws.com:https (SYN_SENT)`.
//! - Fix: allow TCP 443 to eventing-ingest.sse.itd.cisco.com by name.
//! - Severity: error, or a warning when an ESTABLISHED session follows every sign of failure
//!   later in the same input (the logs' time; lsof rows have no time of their own, so a session
//!   in another input is told without downgrading: the result does not depend on the order of
//!   the inputs).

use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.events.not-connected";

fn is_cloud_session(remote: &str) -> bool {
    remote.ends_with(":https") || remote.ends_with(":443")
}

fn is_events_error(func: &str) -> bool {
    func.contains("WebSocket") || func.contains("Websocket") || func.starts_with("events")
}

/// The `dial tcp <ip>:<port>` target of a Go error, if any.
fn dial_target(error: &str) -> Option<String> {
    let rest = error.split("dial tcp ").nth(1)?;
    let target = rest.split(": ").next()?;
    (!target.is_empty() && !target.starts_with("lookup")).then(|| target.to_string())
}

pub fn check(c: &Corpus) -> Option<Finding> {
    let sessions =
        c.find(|s| matches!(s, Signal::EventSession { remote, .. } if is_cloud_session(remote)));
    let syn_sent: Vec<Seen> = sessions
        .iter()
        .copied()
        .filter(|s| matches!(s.signal(), Signal::EventSession { state, .. } if state == "SYN_SENT"))
        .collect();
    let listen_only: Vec<Seen> = c
        .find(|s| matches!(s, Signal::ConnectorApiListening))
        .into_iter()
        .filter(|l| !sessions.iter().any(|s| s.source == l.source))
        .collect();
    let errors: Vec<Seen> =
        c.find(|s| matches!(s, Signal::ConnectorError { func, .. } if is_events_error(func)));
    if syn_sent.is_empty() && errors.is_empty() && listen_only.is_empty() {
        return None;
    }
    // "Later" is the logs' time: an ESTABLISHED row later in the same input as every sign of
    // failure (Corpus::before). lsof rows carry no time, so an ESTABLISHED row in another input
    // is told but does not downgrade: the order of the arguments is not time.
    let established: Vec<Seen> = sessions
        .iter()
        .copied()
        .filter(
            |s| matches!(s.signal(), Signal::EventSession { state, .. } if state == "ESTABLISHED"),
        )
        .collect();
    let bad: Vec<Seen> = syn_sent
        .iter()
        .chain(errors.iter())
        .chain(listen_only.iter())
        .copied()
        .collect();
    let established_later = !established.is_empty()
        && bad
            .iter()
            .all(|b| established.iter().any(|e| c.before(b, e)));
    let established_elsewhere = !established_later
        && established
            .iter()
            .any(|e| bad.iter().any(|b| c.unordered(b, e)));
    // A later ESTABLISHED session, or no session at all without any failure shown: a warning.
    let severity = if established_later || (syn_sent.is_empty() && errors.is_empty()) {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut f = finding(
        RULE,
        severity,
        Some(ChainStep::Tcp),
        b(
            "The connector cannot open its event session to SSE",
            "コネクタが SSE へのイベント送信セッションを確立できません",
        ),
    );
    let mut what = Vec::new();
    if let Some(s) = syn_sent.first() {
        let remote = match s.signal() {
            Signal::EventSession { remote, .. } => remote.clone(),
            _ => String::new(),
        };
        what.push(b(
            format!("The connector's TCP session to {remote} is stuck in SYN_SENT (line {}): the SYN was sent and never answered.", s.obs.line),
            format!("コネクタから {remote} への TCP セッションが SYN_SENT のままです（{} 行目）。SYN を送信しましたが応答がありません。", s.obs.line),
        ));
    }
    if !listen_only.is_empty() && syn_sent.is_empty() {
        what.push(b(
            "lsof shows only the connector's local API (localhost:8989 LISTEN) and no session to the cloud.",
            "lsof にはコネクタのローカル API（localhost:8989 の LISTEN）だけが表示され、クラウドへのセッションがありません。",
        ));
    }
    if !errors.is_empty() {
        let mut targets: Vec<String> = Vec::new();
        let mut truncated = false;
        for e in &errors {
            if let Signal::ConnectorError {
                error,
                truncated: t,
                ..
            } = e.signal()
            {
                truncated |= *t;
                if let Some(target) = dial_target(error) {
                    if !targets.contains(&target) {
                        targets.push(target);
                    }
                }
            }
        }
        let n = errors.len();
        let to = if targets.is_empty() {
            String::new()
        } else {
            format!(" to {}", targets.join(", "))
        };
        let to_ja = if targets.is_empty() {
            String::new()
        } else {
            format!("（接続先 {}）", targets.join(", "))
        };
        what.push(b(
            format!("connector.log has {n} connectWebSocket error(s){to}: the TCP dial of the event websocket failed."),
            format!("connector.log に connectWebSocket のエラーが {n} 件あります{to_ja}。イベント送信用 WebSocket の TCP 接続に失敗しています。"),
        ));
        if truncated {
            what.push(b(
                "The lines are cut short (no closing quote), so the Go error after `dial tcp <ip>:443:` is missing; a cut after `: g` fits old Go's `getsockopt: connection timed out` or `getsockopt: connection refused` (hypothesis).",
                "行が途中で切れている（閉じ引用符がない）ため、`dial tcp <ip>:443:` の後の Go のエラーが欠けています。`: g` で切れている場合、古い Go の `getsockopt: connection timed out` または `getsockopt: connection refused` と考えられます（推測）。",
            ));
        }
    }
    if established_later {
        what.push(b("A later lsof output shows the session ESTABLISHED: the problem was fixed or is intermittent.", "後の lsof の出力ではセッションが ESTABLISHED になっています。問題は解消済みか、断続的に発生しています。"));
    }
    if established_elsewhere {
        what.push(b("Another input's lsof output shows the session ESTABLISHED, but lsof rows carry no time: whether that was before or after the failure is unknown.", "別の入力の lsof の出力ではセッションが ESTABLISHED になっていますが、lsof の行には時刻がないため、失敗の前か後かは分かりません。"));
    }
    f.explanation.what = join(&what);
    f.explanation.why = b(
        "Events reach SSE over a TCP/TLS websocket to eventing-ingest.sse.itd.cisco.com (its addresses are AWS hosts such as ec2-...compute-1.amazonaws.com and change over time). While this session is not established, no event is sent to the SSE portal or SecureX/CTR.",
        "イベントは eventing-ingest.sse.itd.cisco.com への TCP/TLS の WebSocket で SSE に送信されます（そのアドレスは ec2-...compute-1.amazonaws.com のような AWS のホストで、随時変わります）。このセッションが確立されない間は、SSE ポータルや SecureX/CTR にイベントは送信されません。",
    );
    f.explanation.fix = vec![
        step_allow_hosts(),
        step_curl_retest("eventing-ingest.sse.itd.cisco.com"),
        step_pmtool(),
    ];
    f.explanation.verify = vec![b(
        "`lsof -i | grep conn` shows `connector ... TCP <ip>:<port>->...:https (ESTABLISHED)`.",
        "`lsof -i | grep conn` で `connector ... TCP <ip>:<port>->...:https (ESTABLISHED)` が表示されることを確認します。",
    )];
    if errors.iter().any(|e| {
        matches!(
            e.signal(),
            Signal::ConnectorError {
                truncated: true,
                ..
            }
        )
    }) {
        f.explanation.collect.push(b(
            "Collect the complete lines: `grep connectWebSocket /ngfw/var/log/connector/connector.log | tail -n 20` from the expert shell (do not copy from a narrow terminal window).",
            "完全な行を採取してください: エキスパートシェルで `grep connectWebSocket /ngfw/var/log/connector/connector.log | tail -n 20`（幅の狭い端末画面からコピーしないでください）。",
        ));
    }
    let mut seen = syn_sent;
    seen.extend(listen_only);
    seen.extend(errors);
    f.evidence = c.evidence(&seen);
    Some(f)
}
