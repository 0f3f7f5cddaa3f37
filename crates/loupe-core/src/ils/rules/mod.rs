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

/// Every ILS rule, in a fixed order. A finding about one connection shares its prose as it is made
/// ([`common::connection_finding`]); the others' as their rule returns.
pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let share = |found: &mut [Finding]| {
        let mut texts = ctx.texts.borrow_mut();
        found.iter_mut().for_each(|f| texts.finding(f));
    };
    let rules: [fn(&Ctx) -> Vec<Finding>; 10] = [
        joined::check,
        password_mismatch::check,
        tls_cert_rejected::check,
        tls_peer_unknown::check,
        tls_handshake_failed::check,
        connect_failed::check,
        connect_unanswered::check,
        clock_skew::check,
        trace_without_date::check,
        clusters::check,
    ];
    let mut out = Vec::new();
    for check in rules {
        let mut found = check(ctx);
        share(&mut found);
        out.append(&mut found);
    }
    // Alarms from syslog or RTMT join the trace finding they confirm, or stand alone.
    let traced = out.len();
    alarms::merge(ctx, &mut out);
    share(&mut out[traced..]);
    // Every ILS finding says how to collect better evidence.
    let mut collect = common::collect_steps(None);
    collect
        .iter_mut()
        .for_each(|b| ctx.texts.borrow_mut().bilingual(b));
    for f in &mut out {
        if f.explanation.collect.is_empty() {
            f.explanation.collect = collect.clone();
        }
    }
    out
}
