//! Repeated attempts read as one story. A spoke whose password is wrong retries every few
//! seconds: 65 failures in an hour are one cause from one peer, not 65 findings. Findings of the
//! same rule about attempts between the same two addresses, one after the other, become one
//! finding that lists its attempts ([`Finding::attempts`]); a join that follows failures says
//! after how many. Rule ids stay as they are.

use super::connection::ConnView;
use crate::model::*;
use std::collections::BTreeMap;

/// Who made an attempt (see [`peer_of`]): (is it the spoke's address, the address).
type Peer = (bool, String);

/// Rules that are about one connection attempt each.
fn is_attempt_rule(rule: &str) -> bool {
    rule.starts_with("ils.joined.")
        || rule.starts_with("ils.tls.")
        || rule.starts_with("ils.connect.")
        || rule == "ils.password-mismatch"
}

/// Who made an attempt: the spoke's address (without its ephemeral port), or, when only the hub
/// side is known, the hub's. A hub's trace may not name itself: a failure seen there and a join
/// seen on both sides are still the same spoke's story.
fn peer_of(view: &ConnView) -> Option<Peer> {
    let ip = |e: &Option<crate::sdl::pid::Endpoint>| {
        e.as_ref().map(|e| e.ip.clone()).filter(|ip| !ip.is_empty())
    };
    ip(&view.client)
        .map(|c| (true, c))
        .or_else(|| ip(&view.server).map(|s| (false, s)))
}

/// Group the attempt findings of `findings` (see the module doc). `views` are the connections
/// the findings point at, `connections` the same connections as published (for their times).
pub fn group(
    findings: Vec<Finding>,
    views: &[ConnView],
    connections: &[Connection],
) -> Vec<Finding> {
    // Connections are published in id order: look them up by index, not by a search.
    let start_of = |c: usize| {
        connections
            .get(c)
            .filter(|x| x.id == c)
            .or_else(|| connections.iter().find(|x| x.id == c))
            .map_or(0, |x| x.start_ms)
    };
    // The findings stay where they are: the groups hold positions, and the result is made by
    // moving findings within the same allocation, so no second array of findings is made.
    let mut slots = findings;
    // Positions of the findings that stay alone, in order.
    let mut alone = Vec::new();
    // Attempt findings by peer: start time and position of each.
    let mut by_peer: BTreeMap<Peer, Vec<(i64, usize)>> = BTreeMap::new();
    // The hub each spoke tried, for the sentences.
    let mut hub_of: BTreeMap<Peer, String> = BTreeMap::new();
    for (order, f) in slots.iter().enumerate() {
        let view = f
            .connection
            .filter(|_| is_attempt_rule(&f.rule))
            .and_then(|c| views.get(c).filter(|v| v.id == c));
        match view.and_then(|v| peer_of(v).map(|p| (v, p))) {
            Some((view, peer)) => {
                if let Some(server) = view.server.as_ref().filter(|s| !s.ip.is_empty()) {
                    hub_of
                        .entry(peer.clone())
                        .or_insert_with(|| server.ip.clone());
                }
                let at = start_of(f.connection.unwrap_or(usize::MAX));
                by_peer.entry(peer).or_default().push((at, order));
            }
            None => alone.push(order),
        }
    }
    // Positions in the order of the result: the findings that stay alone, then each run.
    let mut keep = alone;
    for (peer, mut list) in by_peer {
        let server = hub_of.remove(&peer).unwrap_or_default();
        let (is_client, address) = peer;
        let (client, server) = if is_client {
            (address, server)
        } else {
            (String::new(), address)
        };
        list.sort_unstable();
        let mut failed_since_join = 0usize;
        let mut list = list.into_iter().peekable();
        while let Some((at, order)) = list.next() {
            let mut run = vec![take_attempt(&mut slots[order], at)];
            while let Some(&(at, next)) = list.peek() {
                if slots[next].rule != slots[order].rule {
                    break;
                }
                list.next();
                run.push(take_attempt(&mut slots[next], at));
            }
            // The run's other findings are told in the first's `attempts`, and left out.
            let first = &mut slots[order];
            let joined = first.rule.starts_with("ils.joined.");
            if joined && failed_since_join > 0 {
                let sentence = joined_after(&clock_text(at), failed_since_join);
                append(&mut first.explanation.what, sentence);
                failed_since_join = 0;
            }
            if matches!(first.severity, Severity::Error | Severity::Warning) {
                failed_since_join += run.len();
            }
            if run.len() > 1 {
                let last = run.last().map_or(at, |r| r.0);
                append(
                    &mut first.explanation.what,
                    repeated(
                        run.len(),
                        &client,
                        &server,
                        &clock_text(at),
                        &clock_text(last),
                    ),
                );
                first.attempts = run
                    .iter()
                    .map(|(start_ms, connection, evidence)| FindingAttempt {
                        connection: connection.unwrap_or(usize::MAX),
                        start_ms: *start_ms,
                        evidence: evidence.clone(),
                    })
                    .collect();
            }
            first.evidence = run.swap_remove(0).2;
            keep.push(order);
        }
    }
    into_order(slots, &keep)
}

/// One attempt of a run: its start, its connection and its evidence, taken from its finding.
fn take_attempt(f: &mut Finding, at: i64) -> (i64, Option<usize>, Vec<Evidence>) {
    (at, f.connection, std::mem::take(&mut f.evidence))
}

/// The findings at the positions `keep`, in that order, moved within their own allocation
/// (each swap puts one in its place; the findings left out are moved behind and dropped).
fn into_order<T>(mut slots: Vec<T>, keep: &[usize]) -> Vec<T> {
    let mut target = vec![usize::MAX; slots.len()];
    for (new, &old) in keep.iter().enumerate() {
        target[old] = new;
    }
    for p in 0..slots.len() {
        while target[p] != usize::MAX && target[p] != p {
            let t = target[p];
            slots.swap(p, t);
            target.swap(p, t);
        }
    }
    slots.truncate(keep.len());
    slots
}

fn append(what: &mut Bilingual, more: Bilingual) {
    what.en = format!("{} {}", what.en, more.en).into();
    what.ja = format!("{}{}", what.ja, more.ja).into();
}

fn repeated(n: usize, client: &str, server: &str, first: &str, last: &str) -> Bilingual {
    let or = |s: &str, other: &str| {
        if s.is_empty() {
            other.to_string()
        } else {
            s.to_string()
        }
    };
    let (c_en, s_en) = (or(client, "the spoke"), or(server, "the hub"));
    let (c_ja, s_ja) = (or(client, "スポーク"), or(server, "ハブ"));
    Bilingual::new(
        format!("The same happened on {n} attempts from {c_en} to {s_en}, the first at {first}, the last at {last}; the evidence below is the first attempt's, and each attempt's is listed with it."),
        format!("{c_ja} から {s_ja} への {n} 回の試行で同じことが起きています（最初は {first}、最後は {last}）。以下の証拠は最初の試行のもので、各試行の証拠も一覧にあります。"),
    )
}

fn joined_after(at: &str, failed: usize) -> Bilingual {
    Bilingual::new(
        format!("It joined at {at} after {failed} failed attempts."),
        format!("{failed} 回の失敗の後、{at} に参加しました。"),
    )
}

#[cfg(test)]
mod tests {
    use super::into_order;
    use proptest::prelude::*;

    proptest! {
        /// Any subset of the positions, in any order: the items at those positions, in that
        /// order, each once (strings, so that a lost or doubled item shows).
        #[test]
        fn into_order_moves_the_kept_items_into_their_order(
            n in 0usize..60,
            picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..60),
        ) {
            let items: Vec<String> = (0..n).map(|i| format!("finding {i}")).collect();
            let mut keep: Vec<usize> = Vec::new();
            if n > 0 {
                for p in picks {
                    let i = p.index(n);
                    if !keep.contains(&i) {
                        keep.push(i);
                    }
                }
            }
            let expected: Vec<String> = keep.iter().map(|&i| items[i].clone()).collect();
            prop_assert_eq!(into_order(items, &keep), expected);
        }
    }
}
