//! Stage 6 for SecureX: the rules, one per file. Each file's module documentation says what it
//! detects, why it happens, an example and the fix.
//!
//! Order follows the chain DNS → TCP → proxy → TLS → HTTP → connector. The DNS rules are
//! alternatives: the most specific cause found wins and carries all the DNS evidence, so that
//! curl exit 6 + nslookup timeout + `show network` give one finding. `curl.exit` runs last and
//! only explains exit codes no other finding carries.

mod connector_attached;
mod connector_not_attached;
mod connector_not_running;
mod curl_exit;
mod dns;
mod dns_not_configured;
mod dns_nxdomain;
mod dns_resolve_failed;
mod dns_server_unreachable;
mod enrollment_cannot_connect;
mod events_connected;
mod events_not_connected;
mod proxy_auth_required;
mod proxy_blocked;
mod reachable;
mod region_info;
mod tcp_no_route;
mod tcp_refused;
mod tcp_timeout;
mod tls_cafile;
mod tls_clock;
mod tls_handshake_failed;
mod tls_hostname_mismatch;
mod tls_untrusted;
mod tls_verify_skipped;

use super::corpus::{Corpus, Seen};
use crate::model::Finding;
use crate::securex_artefacts::signal::Signal;

/// Every rule id this module can emit (the public contract; never rename).
pub const RULE_IDS: &[&str] = &[
    dns_not_configured::RULE,
    dns_server_unreachable::RULE,
    dns_nxdomain::RULE,
    dns_resolve_failed::RULE,
    tcp_timeout::RULE,
    tcp_refused::RULE,
    tcp_no_route::RULE,
    proxy_auth_required::RULE,
    proxy_blocked::RULE,
    tls_untrusted::RULE,
    tls_verify_skipped::RULE,
    tls_clock::RULE,
    tls_hostname_mismatch::RULE,
    tls_handshake_failed::RULE,
    tls_cafile::RULE,
    reachable::RULE,
    connector_not_attached::RULE,
    connector_attached::RULE,
    connector_not_running::RULE,
    connector_not_running::RULE_RUNNING,
    events_not_connected::RULE,
    events_connected::RULE,
    enrollment_cannot_connect::RULE,
    region_info::RULE,
    curl_exit::RULE,
];

/// Run every rule over the pooled observations.
pub fn run(c: &Corpus) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let dns = dns::DnsFacts::gather(c);
    out.extend(
        dns_not_configured::check(c, &dns)
            .or_else(|| dns_server_unreachable::check(c, &dns))
            .or_else(|| dns_nxdomain::check(c, &dns))
            .or_else(|| dns_resolve_failed::check(c, &dns)),
    );
    out.extend(tcp_timeout::check(c));
    out.extend(tcp_refused::check(c));
    out.extend(tcp_no_route::check(c));
    out.extend(proxy_auth_required::check(c));
    out.extend(proxy_blocked::check(c));
    out.extend(tls_untrusted::check(c));
    out.extend(tls_verify_skipped::check(c));
    out.extend(tls_clock::check(c));
    out.extend(tls_hostname_mismatch::check(c));
    out.extend(tls_handshake_failed::check(c));
    out.extend(tls_cafile::check(c));
    out.extend(reachable::check(c));
    out.extend(connector_not_attached::check(c));
    out.extend(connector_attached::check(c));
    out.extend(connector_not_running::check(c));
    out.extend(connector_not_running::check_running(c));
    out.extend(events_not_connected::check(c));
    out.extend(events_connected::check(c));
    out.extend(enrollment_cannot_connect::check(c));
    out.extend(region_info::check(c));
    let explained: Vec<(crate::model::Text, u32)> = out
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| (e.input.clone(), e.line)))
        .collect();
    out.extend(curl_exit::check(c, &explained));
    for f in &mut out {
        name_scanned_hosts(c, f);
    }
    out
}

/// A finding whose evidence holds lines read by the error scan (one-line errors outside the
/// artefacts' grammars) says which hosts those lines name and whether each is a Cisco cloud
/// endpoint (`securex::region`): a pasted `dial tcp` error may concern any program's host.
fn name_scanned_hosts(c: &Corpus, f: &mut Finding) {
    use crate::securex::region;
    use crate::securex_artefacts::error_lines::host_named;
    let mut hosts: Vec<String> = Vec::new();
    for s in c.all().filter(|s| s.obs.scanned) {
        let input = c.sources.get(s.source).map_or("", |src| src.input);
        if !f
            .evidence
            .iter()
            .any(|e| &*e.input == input && e.line == s.obs.line)
        {
            continue;
        }
        let named =
            host_named(s.signal(), &s.obs.text).or_else(|| c.run(&s).and_then(|r| r.host.clone()));
        if let Some(h) = named {
            if !h.is_empty() && !hosts.contains(&h) {
                hosts.push(h);
            }
        }
    }
    if hosts.is_empty() {
        return;
    }
    hosts.sort();
    let (mut en, mut ja) = (Vec::new(), Vec::new());
    for h in &hosts {
        match region::of_host(h) {
            Some(r) => {
                en.push(format!("{h} (a Cisco cloud endpoint, region {r})"));
                ja.push(format!(
                    "{h}（Cisco クラウドのエンドポイント、リージョン {r}）"
                ));
            }
            None => {
                en.push(format!("{h} (not a Cisco cloud endpoint name)"));
                ja.push(format!(
                    "{h}（Cisco クラウドのエンドポイント名ではありません）"
                ));
            }
        }
    }
    let sentence = crate::securex::explain::b(
        format!("The error lines name {}.", en.join(", ")),
        format!("エラー行が示すホスト: {}。", ja.join("、")),
    );
    f.explanation.what = crate::securex::explain::join(&[f.explanation.what.clone(), sentence]);
}

/// `seen` plus the lines that frame each curl run involved: the command, `Trying`,
/// `Connected to`, the exit line.
pub fn with_run_context<'a>(c: &Corpus<'a>, seen: Vec<Seen<'a>>) -> Vec<Seen<'a>> {
    let mut out = seen.clone();
    for s in &seen {
        let Some(run) = s.obs.run else { continue };
        out.extend(c.run_observations(s.source, run).into_iter().filter(|o| {
            matches!(
                o.signal(),
                Signal::CurlCommand
                    | Signal::Trying { .. }
                    | Signal::Connected { .. }
                    | Signal::CurlExit { .. }
            )
        }));
    }
    out
}

pub fn context_of_seen<'a>(c: &Corpus<'a>, seen: &[Seen<'a>]) -> Vec<Seen<'a>> {
    with_run_context(c, seen.to_vec())
}

/// The lines that show a run succeeded: command, connection, certificate, status.
pub fn context_of_run<'a>(c: &Corpus<'a>, source: usize, run: usize) -> Vec<Seen<'a>> {
    c.run_observations(source, run)
        .into_iter()
        .filter(|o| {
            matches!(
                o.signal(),
                Signal::CurlCommand
                    | Signal::Connected { .. }
                    | Signal::TlsIssuer { .. }
                    | Signal::TlsVerifyOk
                    | Signal::TlsVerifyFailed { .. }
                    | Signal::HttpStatus { .. }
            )
        })
        .collect()
}

/// The `issuer:` lines of the runs `seen` belong to; for a run that printed none (curl prints
/// no certificate when verification stops the handshake), those of other runs to the same host.
pub fn issuers_of_runs<'a>(c: &Corpus<'a>, seen: &[Seen<'a>]) -> Vec<(Seen<'a>, String)> {
    let mut out: Vec<(Seen<'a>, String)> = Vec::new();
    let mut push = |o: Seen<'a>, issuer: &String| {
        if !out.iter().any(|(x, _)| x.key() == o.key()) {
            out.push((o, issuer.clone()));
        }
    };
    for s in seen {
        let Some(run) = s.obs.run else { continue };
        let own: Vec<Seen<'a>> = c
            .run_observations(s.source, run)
            .into_iter()
            .filter(|o| matches!(o.signal(), Signal::TlsIssuer { .. }))
            .collect();
        let host = c.run(s).and_then(|r| r.host.clone());
        let found = if own.is_empty() && host.is_some() {
            c.find(|sig| matches!(sig, Signal::TlsIssuer { .. }))
                .into_iter()
                .filter(|o| c.run(o).and_then(|r| r.host.clone()) == host)
                .collect()
        } else {
            own
        };
        for o in found {
            if let Signal::TlsIssuer { issuer } = o.signal() {
                push(o, issuer);
            }
        }
    }
    out
}

/// A run whose certificate came from an issuer that is not a public CA (TLS interception).
pub fn run_is_intercepted(c: &Corpus, source: usize, run: usize) -> bool {
    c.run_observations(source, run).iter().any(|o| matches!(o.signal(), Signal::TlsIssuer { issuer } if !crate::securex_artefacts::x509_text::is_public_issuer(issuer)))
}
