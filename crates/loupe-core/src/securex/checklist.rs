//! The seed's connectivity tests as a checklist: for each, whether the inputs hold it and
//! whether it passed, failed or cannot be judged, with the command to run when it is missing.
//! The last result wins (a failure fixed later in the same session shows as passed), and all
//! the lines involved are kept as evidence.

use super::corpus::{Corpus, Seen};
use super::explain::{b, curl_test, CURL_API};
use super::region;
use crate::model::*;
use crate::securex_artefacts::signal::{CurlRun, Signal};

fn item(id: &str, title: Bilingual, step: ChainStep, command: &str) -> CheckItem {
    CheckItem {
        id: id.to_string(),
        title,
        step,
        state: CheckState::Missing,
        command: command.to_string(),
        evidence: Vec::new(),
    }
}

/// Which checklist host a curl target counts for.
fn host_slot(run: &CurlRun) -> Option<&'static str> {
    let host = match &run.host {
        Some(h) => h.as_str(),
        // The canConnect check does not print its URL; it tests the registration API [H].
        None if run.from_action_queue => return Some("api"),
        None => return None,
    };
    if host == "api-sse.cisco.com"
        || (host.starts_with("api.") && host.ends_with(".sse.itd.cisco.com"))
    {
        Some("api")
    } else if host == "est.sco.cisco.com" {
        Some("est")
    } else if host.starts_with("eventing-ingest.") && region::is_cloud_host(host) {
        Some("eventing")
    } else if host.starts_with("mx") && region::is_cloud_host(host) {
        Some("mx")
    } else {
        None
    }
}

fn run_state<'a>(
    c: &Corpus<'a>,
    source: usize,
    index: usize,
    run: &CurlRun,
) -> (CheckState, Vec<Seen<'a>>) {
    let obs = c.run_observations(source, index);
    let broken = obs.iter().any(|o| {
        matches!(
            o.signal(),
            Signal::TlsVerifyFailed { ignored: false, .. }
                | Signal::TlsHostnameMismatch { .. }
                | Signal::TlsHandshakeFailed { .. }
                | Signal::ResolveFailed { .. }
        ) || matches!(o.signal(), Signal::ProxyStatus { code } if *code != 200)
    });
    let broken = broken || super::rules::run_is_intercepted(c, source, index);
    let state = if run.failed() || broken {
        CheckState::Failed
    } else if run.reached() {
        CheckState::Passed
    } else {
        CheckState::Inconclusive
    };
    let shown: Vec<Seen> = obs
        .into_iter()
        .filter(|o| {
            !matches!(
                o.signal(),
                Signal::TlsSubject { .. }
                    | Signal::Trying { .. }
                    | Signal::TlsEstablished
                    | Signal::Resolved { .. }
            )
        })
        .collect();
    (state, shown)
}

/// Fill `item` from `(order key, state, evidence)` results. Within one input the last result
/// decides (a log or a paste is written in order); inputs are not ordered in time (the order of
/// the arguments is not time), so across inputs a failure in any input wins, then a pass, then
/// an inconclusive result: the state does not depend on the order of the inputs.
fn settle(
    c: &Corpus,
    mut item: CheckItem,
    mut results: Vec<((usize, u32), CheckState, Vec<Seen>)>,
) -> CheckItem {
    results.sort_by_key(|r| r.0);
    let input_of = |source: usize| c.sources.get(source).map_or("", |s| s.input);
    let mut last_per_input: Vec<(&str, CheckState)> = Vec::new();
    for r in &results {
        let input = input_of(r.0 .0);
        match last_per_input.iter_mut().find(|(i, _)| *i == input) {
            Some(slot) => slot.1 = r.1,
            None => last_per_input.push((input, r.1)),
        }
    }
    let rank = |s: CheckState| match s {
        CheckState::Failed => 0,
        CheckState::Passed => 1,
        CheckState::Inconclusive => 2,
        CheckState::Missing => 3,
    };
    if let Some(state) = last_per_input
        .iter()
        .map(|(_, s)| *s)
        .min_by_key(|s| rank(*s))
    {
        item.state = state;
    }
    let seen: Vec<Seen> = results.into_iter().flat_map(|r| r.2).collect();
    item.evidence = c.evidence(&seen);
    item
}

fn dns_items(c: &Corpus) -> Vec<CheckItem> {
    let config = item(
        "dns.configured",
        b(
            "DNS server configured (show network)",
            "DNS サーバの設定（show network）",
        ),
        ChainStep::Dns,
        "show network",
    );
    let mut results = Vec::new();
    for s in c.find(|s| matches!(s, Signal::DnsServer { .. } | Signal::DnsServersMissing)) {
        let state = if matches!(s.signal(), Signal::DnsServersMissing) {
            CheckState::Failed
        } else {
            CheckState::Passed
        };
        results.push((s.key(), state, vec![s]));
    }
    let config = settle(c, config, results);

    let resolve = item(
        "dns.resolve",
        b(
            "DNS resolution of api-sse.cisco.com (nslookup)",
            "api-sse.cisco.com の名前解決（nslookup）",
        ),
        ChainStep::Dns,
        "nslookup api-sse.cisco.com",
    );
    let mut results = Vec::new();
    for s in c.all() {
        let state = match s.signal() {
            Signal::Resolved { host, .. } if region::is_cloud_host(host) => CheckState::Passed,
            Signal::DnsServerUnreachable { .. }
            | Signal::DnsNxdomain { .. }
            | Signal::ResolveFailed { .. } => CheckState::Failed,
            Signal::CurlExit { code: 6, .. } => CheckState::Failed,
            _ => continue,
        };
        results.push((s.key(), state, vec![s]));
    }
    vec![config, settle(c, resolve, results)]
}

fn curl_items(c: &Corpus) -> Vec<CheckItem> {
    let slots: [(&str, &str, Bilingual, String); 4] = [
        (
            "api",
            "curl.api-sse",
            b(
                "HTTPS to api-sse.cisco.com (registration API)",
                "api-sse.cisco.com への HTTPS（登録 API）",
            ),
            CURL_API.to_string(),
        ),
        (
            "est",
            "curl.est",
            b(
                "HTTPS to est.sco.cisco.com (certificate enrollment)",
                "est.sco.cisco.com への HTTPS（証明書の登録）",
            ),
            curl_test("est.sco.cisco.com"),
        ),
        (
            "eventing",
            "curl.eventing-ingest",
            b(
                "HTTPS to eventing-ingest.sse.itd.cisco.com (events)",
                "eventing-ingest.sse.itd.cisco.com への HTTPS（イベント送信）",
            ),
            curl_test("eventing-ingest.sse.itd.cisco.com"),
        ),
        (
            "mx",
            "curl.mx01",
            b(
                "HTTPS to mx01.sse.itd.cisco.com",
                "mx01.sse.itd.cisco.com への HTTPS",
            ),
            curl_test("mx01.sse.itd.cisco.com"),
        ),
    ];
    slots
        .into_iter()
        .map(|(slot, id, title, command)| {
            let it = item(id, title, ChainStep::Http, &command);
            let results = c
                .runs()
                .filter(|(_, _, run)| host_slot(run) == Some(slot))
                .map(|(source, index, run)| {
                    let (state, seen) = run_state(c, source, index, run);
                    ((source, run.first_line), state, seen)
                })
                .collect();
            settle(c, it, results)
        })
        .collect()
}

fn connector_items(c: &Corpus) -> Vec<CheckItem> {
    let socket = item(
        "connector.socket",
        b(
            "Connector attached to EventHandler (netstat)",
            "コネクタと EventHandler の接続（netstat）",
        ),
        ChainStep::Connector,
        "netstat -anlp | grep EventHandler_SSEConnector.sock",
    );
    let rows = c.find(|s| matches!(s, Signal::EventHandlerSocket { .. }));
    let mut results = Vec::new();
    let mut sources: Vec<usize> = rows.iter().map(|r| r.source).collect();
    sources.dedup();
    for source in sources {
        let mine: Vec<Seen> = rows
            .iter()
            .copied()
            .filter(|r| r.source == source)
            .collect();
        let connected = mine
            .iter()
            .any(|r| matches!(r.signal(), Signal::EventHandlerSocket { connected: true }));
        let state = if connected {
            CheckState::Passed
        } else {
            CheckState::Failed
        };
        results.push((mine[0].key(), state, mine));
    }
    let socket = settle(c, socket, results);

    let session = item(
        "events.session",
        b(
            "Connector's event session to SSE (lsof)",
            "コネクタの SSE へのイベント送信セッション（lsof）",
        ),
        ChainStep::Connector,
        "lsof -i | grep conn",
    );
    let mut results = Vec::new();
    for s in c.all() {
        let state = match s.signal() {
            Signal::EventSession { remote, state, .. }
                if remote.ends_with(":https") || remote.ends_with(":443") =>
            {
                if state == "ESTABLISHED" {
                    CheckState::Passed
                } else {
                    CheckState::Failed
                }
            }
            Signal::ConnectorError { func, .. } if func.contains("WebSocket") => CheckState::Failed,
            _ => continue,
        };
        results.push((s.key(), state, vec![s]));
    }
    vec![socket, settle(c, session, results)]
}

/// Said once wherever the checklist is shown (reports, page, exports), with the dates:
/// SecureX itself is gone, the SSE connection these tests check is still used.
pub fn note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "SecureX reached end of life on 2024-07-31 (Cisco announced it on 2023-08-11); Cisco XDR replaces it. These tests check the device's connection to the Security Services Exchange (SSE) cloud, which the Cisco XDR integration uses too.",
        Lang::Ja => "SecureX は 2024-07-31 に提供を終了しました（End of Life。シスコの発表は 2023-08-11）。後継は Cisco XDR です。以下のテストはデバイスから Security Services Exchange（SSE）クラウドへの接続を確認するもので、SSE は Cisco XDR の連携でも使われます。",
    }
}

/// The checklist; empty when no SecureX artefact is present.
pub fn build(c: &Corpus) -> Vec<CheckItem> {
    if c.is_empty() {
        return Vec::new();
    }
    let mut items = dns_items(c);
    items.extend(curl_items(c));
    items.extend(connector_items(c));
    items
}
