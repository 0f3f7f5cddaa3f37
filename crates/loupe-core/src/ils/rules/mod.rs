//! Stage 6, diagnose (ILS): one rule per file. Each rule documents what it detects, why it
//! happens, an example of the evidence and the fix; each has fixtures under `tests/fixtures/ils/`.
//!
//! Rule ids are the public contract: add new ones, never rename.

pub mod alarms;
pub mod clock_skew;
pub mod clusters;
pub mod common;
pub mod connect_failed;
pub mod connect_unanswered;
pub mod joined;
pub mod password_mismatch;
pub mod tls_cert_rejected;
pub mod tls_handshake_failed;
pub mod tls_peer_unknown;
pub mod trace_without_date;

use super::Ctx;
use crate::model::Finding;

/// Every ILS rule, in a fixed order.
pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(joined::check(ctx));
    out.extend(password_mismatch::check(ctx));
    out.extend(tls_cert_rejected::check(ctx));
    out.extend(tls_peer_unknown::check(ctx));
    out.extend(tls_handshake_failed::check(ctx));
    out.extend(connect_failed::check(ctx));
    out.extend(connect_unanswered::check(ctx));
    out.extend(clock_skew::check(ctx));
    out.extend(trace_without_date::check(ctx));
    out.extend(clusters::check(ctx));
    // Alarms from syslog or RTMT join the trace finding they confirm, or stand alone.
    alarms::merge(ctx, &mut out);
    // Every ILS finding says how to collect better evidence.
    for f in &mut out {
        if f.explanation.collect.is_empty() {
            f.explanation.collect = common::collect_steps(None);
        }
    }
    out
}
