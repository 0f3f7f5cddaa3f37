//! `sse.connector.not-attached`: EventHandler's socket for the SSE connector is only LISTENING.
//!
//! - What: `netstat -anlp | grep EventHandler_SSEConnector.sock` shows the `LISTENING` row and
//!   no `CONNECTED` row.
//! - Why: EventHandler waits for the connector, which never attached: it is not enrolled
//!   (registration failed, usually because the cloud is unreachable) or not running.
//! - Example (seed): `unix 2 [ ACC ] STREAM LISTENING 3022791165 11204/EventHandler
//!   /ngfw/var/sf/run/EventHandler_SSEConnector.sock` alone.
//! - Fix: fix cloud connectivity, `pmtool status | grep -i sse`, then re-check for CONNECTED.

use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.connector.not-attached";

pub fn check(c: &Corpus) -> Option<Finding> {
    let rows = c.find(|s| matches!(s, Signal::EventHandlerSocket { .. }));
    // Judge each netstat output (source) on its own: LISTENING without CONNECTED.
    let bad: Vec<_> = rows
        .iter()
        .copied()
        .filter(|r| {
            !rows.iter().any(|o| {
                o.source == r.source
                    && matches!(o.signal(), Signal::EventHandlerSocket { connected: true })
            })
        })
        .collect();
    let first = *bad.first()?;
    // Later in the logs' time: in the same input (Corpus::before), never by argument order.
    let fixed_later = rows.iter().any(|o| {
        c.before(&first, o) && matches!(o.signal(), Signal::EventHandlerSocket { connected: true })
    });
    let severity = if fixed_later {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut f = finding(
        RULE,
        severity,
        Some(ChainStep::Connector),
        b(
            "The SSE connector is not attached to EventHandler",
            "SSE コネクタが EventHandler に接続されていません",
        ),
    );
    f.explanation.what = b(
        format!("EventHandler_SSEConnector.sock is only LISTENING (line {}): EventHandler waits for the connector, but no CONNECTED stream exists.", first.obs.line),
        format!("EventHandler_SSEConnector.sock は LISTENING のみです（{} 行目）。EventHandler はコネクタを待っていますが、CONNECTED のストリームがありません。", first.obs.line),
    );
    f.explanation.why = b(
        "The connector attaches to EventHandler only after it has enrolled the device into SSE. A connector that cannot reach the cloud (DNS, TCP, proxy or TLS problems) or is not running never attaches, and no event is sent to SecureX.",
        "コネクタはデバイスを SSE に登録した後でのみ EventHandler に接続します。クラウドに到達できない（DNS、TCP、プロキシ、TLS の問題）か、コネクタが動作していない場合は接続されず、SecureX にイベントが送信されません。",
    );
    f.explanation.fix = vec![
        step_curl_retest("api-sse.cisco.com"),
        step_pmtool(),
        b(
            "If the cloud is reachable and the connector runs, re-enroll: in the FMC, turn the cloud integration (Integration > SecureX, or System > Integration > Cloud Services) off and on, then deploy.",
            "クラウドに到達でき、コネクタも動作している場合は再登録します。FMC でクラウド連携（Integration > SecureX、または System > Integration > Cloud Services）を一度無効にしてから有効にし、展開します。",
        ),
    ];
    f.explanation.verify = vec![b(
        "`netstat -anlp | grep EventHandler_SSEConnector.sock` shows a `STREAM CONNECTED` row next to the LISTENING one.",
        "`netstat -anlp | grep EventHandler_SSEConnector.sock` で LISTENING の行に加えて `STREAM CONNECTED` の行が表示されることを確認します。",
    )];
    f.evidence = c.evidence(&bad);
    Some(f)
}
