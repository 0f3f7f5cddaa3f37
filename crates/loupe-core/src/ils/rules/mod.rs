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
use crate::steps::What;

/// Every ILS rule, in a fixed order. A finding about one connection shares its prose as it is made
/// ([`common::connection_finding`]); the others' as their rule returns.
pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let share = |found: &mut [Finding]| {
        let mut texts = ctx.texts.borrow_mut();
        found.iter_mut().for_each(|f| texts.finding(f));
    };
    // Each with the rule id it reports under, or their family, for progress.
    type Check = fn(&Ctx) -> Vec<Finding>;
    let rules: [(&str, Check); 10] = [
        ("ils.joined.*", joined::check),
        ("ils.password-mismatch", password_mismatch::check),
        ("ils.tls.*-cert-rejected", tls_cert_rejected::check),
        ("ils.tls.peer-unknown", tls_peer_unknown::check),
        ("ils.tls.handshake-failed", tls_handshake_failed::check),
        ("ils.connect.failed", connect_failed::check),
        ("ils.connect.unanswered", connect_unanswered::check),
        ("ils.clock-skew", clock_skew::check),
        ("ils.trace.no-date", trace_without_date::check),
        ("ils.clusters.*", clusters::check),
    ];
    let mut out = Vec::new();
    for (rule, check) in rules {
        ctx.steps.borrow_mut().begin(What::Rule {
            rule,
            connections: ctx.conns.len(),
        });
        let mut found = check(ctx);
        share(&mut found);
        out.append(&mut found);
    }
    // Alarms from syslog or RTMT join the trace finding they confirm, or stand alone.
    let traced = out.len();
    ctx.steps.borrow_mut().begin(What::Alarms);
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
    // Grown by doubling; kept (and regrouped in place) to the end of the analysis.
    out.shrink_to_fit();
    out
}
