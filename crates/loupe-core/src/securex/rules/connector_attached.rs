//! `sse.connector.attached` (ok): the SSE connector is attached to EventHandler.
//!
//! - What: a `STREAM CONNECTED` row on `EventHandler_SSEConnector.sock`.
//! - Why: the connector enrolled and EventHandler hands it events.
//! - Example (seed): `unix 3 [ ] STREAM CONNECTED 378537 7741/EventHandler /ngfw/var/sf/run/EventHandler_SSEConnector.sock`.
//! - Fix: none.

use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.connector.attached";

pub fn check(c: &Corpus) -> Option<Finding> {
    let connected = c.find(|s| matches!(s, Signal::EventHandlerSocket { connected: true }));
    let first = *connected.first()?;
    let mut seen = c.find(|s| matches!(s, Signal::EventHandlerSocket { .. }));
    seen.retain(|s| connected.iter().any(|k| k.source == s.source));
    let mut f = finding(
        RULE,
        Severity::Ok,
        Some(ChainStep::Connector),
        b(
            "The SSE connector is attached to EventHandler",
            "SSE コネクタは EventHandler に接続されています",
        ),
    );
    f.explanation.what = b(
        format!(
            "EventHandler_SSEConnector.sock has a CONNECTED stream (line {}).",
            first.obs.line
        ),
        format!(
            "EventHandler_SSEConnector.sock に CONNECTED のストリームがあります（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "The connector attaches once enrolled; EventHandler then passes it the events to send to the cloud.",
        "コネクタは登録後に接続し、EventHandler はクラウドへ送信するイベントをコネクタに渡します。",
    );
    f.evidence = c.evidence(&seen);
    Some(f)
}
