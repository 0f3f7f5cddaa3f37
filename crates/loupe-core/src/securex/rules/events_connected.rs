//! `sse.events.connected` (ok): the connector's session to the event ingest host is up.
//!
//! - What: `lsof -i | grep conn` shows `connector ... TCP <ip>:<port>->...:https (ESTABLISHED)`.
//! - Why: events flow to SSE over this session.
//! - Example (seed): `connector 13277 www 19u IPv4 26077679 0t0 TCP
//!   x.x.x.200:56495->ec2-35-172-147-246.compute-1.amazonaws.com:https (ESTABLISHED)`.
//! - Fix: none.

use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.events.connected";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| matches!(s, Signal::EventSession { remote, state, .. } if state == "ESTABLISHED" && (remote.ends_with(":https") || remote.ends_with(":443"))));
    let first = *seen.first()?;
    let remote = match first.signal() {
        Signal::EventSession { remote, .. } => remote.clone(),
        _ => String::new(),
    };
    let mut f = finding(
        RULE,
        Severity::Ok,
        Some(ChainStep::Connector),
        b(
            "The connector's event session to SSE is established",
            "コネクタの SSE へのイベント送信セッションは確立されています",
        ),
    );
    f.explanation.what = b(
        format!(
            "The connector has an ESTABLISHED TCP session to {remote} (line {}).",
            first.obs.line
        ),
        format!(
            "コネクタは {remote} との TCP セッションを確立しています（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "Events are sent to the SSE portal and SecureX/CTR over this session.",
        "このセッションを通じて、イベントが SSE ポータルと SecureX/CTR に送信されます。",
    );
    f.evidence = c.evidence(&seen);
    Some(f)
}
