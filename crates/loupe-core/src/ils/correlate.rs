//! Stage 5, correlate: decide each trace's role, group its events into connection attempts, and
//! join the hub's and the spoke's attempts into one connection.
//!
//! Join keys, strongest first (shared/domain/ils.md §3): the client's `LocalIP/Port` equals the
//! server's `PeerIP/Port` (the ephemeral port); then consistent addresses and PeerIds close in time;
//! then time alone. The clock offset between the two sides is estimated from port-matched pairs
//! (or, without them, from the other pairs) and reported.

use crate::model::Role;
use crate::sdl::events::{CertVerdict, EventKind, IlsEvent};
use crate::sdl::pid::{Endpoint, Pid};

/// Which end of a TCP connection an event is written by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn role(self) -> Role {
        match self {
            Side::Client => Role::Spoke,
            Side::Server => Role::Hub,
        }
    }
}

/// What an event tells about the connection it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    pub side: Option<Side>,
    /// The client's address (the spoke's ephemeral port).
    pub client: Option<Endpoint>,
    /// The server's address (hub:7501/7502).
    pub server: Option<Endpoint>,
    pub pid: Option<Pid>,
    pub peer_id: Option<String>,
    pub tls: Option<bool>,
    /// The event ends the attempt (established, failed, closed).
    pub terminal: bool,
}

/// The keys of a TLS verdict (`TlsVerifyFailed`, `TlsProtocolError`): the remote end is the
/// hub when it is on an ILS port (this side is the client), else the spoke.
fn tls_keys(k: Keys, pid: Option<Pid>, remote: &Endpoint, terminal: bool) -> Keys {
    let tls = Some(true);
    let k = if remote.is_ils_port() {
        Keys {
            side: Some(Side::Client),
            server: Some(remote.clone()),
            pid,
            tls,
            ..k
        }
    } else {
        Keys {
            side: Some(Side::Server),
            client: Some(remote.clone()),
            pid,
            tls,
            ..k
        }
    };
    Keys { terminal, ..k }
}

/// Read the join keys of one event.
pub fn keys(kind: &EventKind) -> Keys {
    use EventKind::*;
    let mut k = Keys::default();
    let client = Some(Side::Client);
    let server = Some(Side::Server);
    match kind {
        ConnectRequest { target, tls } => {
            k = Keys {
                side: client,
                server: Some(target.clone()),
                tls: Some(*tls),
                ..k
            };
        }
        ConnectRequestDetail { publisher, tls } => {
            k = Keys {
                side: client,
                server: publisher.clone(),
                tls: Some(*tls),
                ..k
            };
        }
        Initiating { tls } => {
            k = Keys {
                side: client,
                tls: Some(*tls),
                ..k
            }
        }
        ConnectResponse {
            pid,
            peer,
            local,
            tls,
        } => {
            k = Keys {
                side: client,
                server: Some(peer.clone()),
                client: Some(local.clone()),
                pid: *pid,
                tls: Some(*tls),
                ..k
            };
        }
        ClientSucceeded { target, tls, .. } => {
            k = Keys {
                side: client,
                server: Some(target.clone()),
                tls: Some(*tls),
                ..k
            };
        }
        ClientFailed { target, tls, .. } => {
            k = Keys {
                side: client,
                server: Some(target.clone()),
                tls: Some(*tls),
                terminal: true,
                ..k
            };
        }
        Accepted { pid, peer } => {
            let tls = pid.map(|p| p[2] == 17);
            k = Keys {
                side: server,
                client: Some(peer.clone()),
                pid: *pid,
                tls,
                ..k
            };
        }
        ConnectIndication { pid, peer, local } => {
            k = Keys {
                side: server,
                client: Some(peer.clone()),
                server: Some(local.clone()),
                pid: *pid,
                ..k
            };
        }
        Established {
            server: is_server,
            peer_id,
            pid,
            peer,
            local,
            tls,
        } => {
            let (c, s) = if *is_server {
                (peer, local)
            } else {
                (local, peer)
            };
            k = Keys {
                side: if *is_server { server } else { client },
                client: Some(c.clone()),
                server: Some(s.clone()),
                pid: *pid,
                peer_id: Some(peer_id.clone()).filter(|p| p.chars().any(|c| c != '0')),
                tls: Some(*tls),
                terminal: true,
            };
        }
        DecryptFailed { pid, peer } => {
            k = Keys {
                side: server,
                client: peer.clone(),
                pid: *pid,
                ..k
            }
        }
        CloseRequest { pid, peer } => {
            k = Keys {
                side: server,
                client: Some(peer.clone()),
                pid: *pid,
                terminal: true,
                ..k
            };
        }
        TlsVerifyFailed { pid, remote, .. } => k = tls_keys(k, *pid, remote, false),
        TlsProtocolError(e) => k = tls_keys(k, e.pid, &e.remote, true),
        Alarm { target, from, .. } => {
            let ep = Endpoint::new(target, None);
            let is_ip = target.parse::<std::net::IpAddr>().is_ok() || target.starts_with("::ffff:");
            match from.as_str() {
                "wait_SdlConnectErrRsp" => {
                    k = Keys {
                        side: client,
                        server: is_ip.then_some(ep),
                        ..k
                    }
                }
                "wait_SdlDataInd" => {
                    k = Keys {
                        side: server,
                        client: is_ip.then_some(ep),
                        ..k
                    }
                }
                "VerifyCertificateInfo" => k = Keys { side: server, ..k },
                _ => {}
            }
        }
        Certificate(CertVerdict::PeerUnknown { .. }) => k.side = server,
        // A signal names its connection by its process only: it joins the attempt of that
        // process, never another one.
        Signal { connection, .. } => k.pid = Some(*connection),
        Certificate(_) | DecryptSucceeded | Code { .. } => {}
    }
    k
}

/// Events of one input grouped into one connection attempt.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    pub input: usize,
    pub side: Option<Side>,
    /// Indices into the input's event list, in file order.
    pub events: Vec<usize>,
    pub client: Option<Endpoint>,
    pub server: Option<Endpoint>,
    pub pid: Option<Pid>,
    pub peer_id: Option<String>,
    pub tls: Option<bool>,
    pub closed: bool,
    pub first_ms: i64,
    pub last_ms: i64,
}

/// How far apart (ms) events of one attempt may be when only addresses or time tie them.
const ATTEMPT_WINDOW_MS: i64 = 10_000;
/// How far before a keyed event a key-less event (certificate verdict, decrypt) may be and still belong to it.
const LEAD_WINDOW_MS: i64 = 2_000;
/// A port-matched pair further apart than this is a reused port, not the same connection.
const PORT_PAIR_WINDOW_MS: i64 = 120_000;
/// Pairs joined by addresses and time must be this close once the clock offset is applied.
const TIME_PAIR_WINDOW_MS: i64 = 5_000;

fn same_port_endpoint(a: &Option<Endpoint>, b: &Option<Endpoint>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.port.is_some() && x == y)
}

fn compatible(a: &Option<Endpoint>, b: &Option<Endpoint>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            (x.ip.is_empty() || y.ip.is_empty() || x.ip == y.ip)
                && (x.port.is_none() || y.port.is_none() || x.port == y.port)
        }
        _ => true,
    }
}

impl Attempt {
    fn absorb(&mut self, idx: usize, ev: &IlsEvent, k: &Keys) {
        if self.events.is_empty() {
            self.first_ms = ev.time_ms;
        }
        self.events.push(idx);
        self.first_ms = self.first_ms.min(ev.time_ms);
        self.last_ms = self.last_ms.max(ev.time_ms);
        if self.side.is_none() {
            self.side = k.side;
        }
        merge(&mut self.client, &k.client);
        merge(&mut self.server, &k.server);
        if self.pid.is_none() {
            self.pid = k.pid;
        }
        if self.peer_id.is_none() {
            self.peer_id.clone_from(&k.peer_id);
        }
        if self.tls.is_none() {
            self.tls = k.tls;
        }
        self.closed |= k.terminal;
    }

    /// Does a keyed event belong to this (open or port-matched) attempt?
    fn accepts(&self, ev: &IlsEvent, k: &Keys) -> bool {
        if self.side.is_some() && k.side.is_some() && self.side != k.side {
            return false;
        }
        if ev.time_ms - self.last_ms > ATTEMPT_WINDOW_MS {
            return false;
        }
        if same_port_endpoint(&self.client, &k.client) {
            return true;
        }
        if self.closed {
            return false;
        }
        if !compatible(&self.client, &k.client) || !compatible(&self.server, &k.server) {
            return false;
        }
        // An attempt that has no address yet takes the first addressed event of its side.
        if self.client.is_none() && self.server.is_none() && self.side.is_some() {
            return true;
        }
        // An event of this side that names no address (e.g. `Initiating non-TLS Connection`)
        // continues the open attempt.
        if k.client.is_none() && k.server.is_none() && k.pid.is_none() {
            return true;
        }
        let pid_ok = match (self.pid, k.pid) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if !pid_ok {
            return false;
        }
        // Something must tie them: an address in common, the same pid, or a key-less attempt.
        let addr_tie = match (&self.server, &k.server) {
            (Some(a), Some(b)) => a.ip == b.ip,
            _ => false,
        } || match (&self.client, &k.client) {
            (Some(a), Some(b)) => a.ip == b.ip,
            _ => false,
        };
        addr_tie
            || (self.pid.is_some() && self.pid == k.pid)
            || self.side.is_none()
            || k.side.is_none()
    }
}

fn same_ip(a: &Option<Endpoint>, b: &Option<Endpoint>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.ip.is_empty() || y.ip.is_empty() || x.ip == y.ip,
        _ => true,
    }
}

fn merge(slot: &mut Option<Endpoint>, new: &Option<Endpoint>) {
    match (slot.as_mut(), new) {
        (None, Some(n)) => *slot = Some(n.clone()),
        (Some(s), Some(n))
            if s.port.is_none() && n.port.is_some() && (s.ip == n.ip || s.ip.is_empty()) =>
        {
            *s = n.clone();
        }
        _ => {}
    }
}

/// Is this key-less event worth an attempt of its own when nothing keyed is near it?
fn stands_alone(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Certificate(
            CertVerdict::InStore
                | CertVerdict::CaSigned
                | CertVerdict::InPeerInfoVector
                | CertVerdict::PeerUnknown { .. }
        ) | EventKind::Alarm { .. }
    )
}

/// Group one input's events into attempts. `default_side` is the input's role, used for
/// attempts made only of key-less events.
pub fn group_attempts(
    input: usize,
    events: &[&IlsEvent],
    default_side: Option<Side>,
    tick: &mut dyn FnMut(usize),
) -> Vec<Attempt> {
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    // Attempts that may still take an event, in creation order. An attempt takes an event only
    // when the event is at most ATTEMPT_WINDOW_MS after the attempt's last event, so once every
    // event not yet placed is later than that, the attempt is closed for good and is not searched
    // again: the search stays proportional to the attempts open at a time, not to all of them.
    let mut live: Vec<usize> = Vec::new();
    let mut suffix_min = vec![i64::MAX; events.len() + 1];
    for i in (0..events.len()).rev() {
        suffix_min[i] = suffix_min[i + 1].min(events[i].time_ms);
    }
    let prune = |live: &mut Vec<usize>, attempts: &[Attempt], earliest: i64| {
        live.retain(|&a| attempts[a].last_ms >= earliest.saturating_sub(ATTEMPT_WINDOW_MS));
    };
    let flush_pending = |pending: &mut Vec<usize>,
                         attempts: &mut Vec<Attempt>,
                         live: &mut Vec<usize>,
                         now: Option<i64>| {
        let mut keep = Vec::new();
        // Key-less events placed nowhere yet, kept for a stand-alone attempt that starts just after.
        let mut orphans: Vec<usize> = Vec::new();
        for &p in pending.iter() {
            let ev = events[p];
            if now.is_some_and(|n| n - ev.time_ms <= LEAD_WINDOW_MS) {
                keep.push(p);
                continue;
            }
            let k = keys(&ev.kind);
            // A signal goes to the attempt of its connection's process, or to none.
            if let EventKind::Signal { connection, .. } = ev.kind {
                let own = live.iter().rev().copied().find(|&a| {
                    let a = &attempts[a];
                    a.pid == Some(connection) && ev.time_ms - a.last_ms <= ATTEMPT_WINDOW_MS
                });
                if let Some(a) = own {
                    attempts[a].absorb(p, ev, &k);
                }
                continue;
            }
            // Attach to the latest attempt that ended shortly before, else maybe stand alone.
            let near = live.iter().rev().copied().find(|&a| {
                let a = &attempts[a];
                ev.time_ms - a.last_ms <= LEAD_WINDOW_MS && ev.time_ms >= a.first_ms
            });
            match near {
                Some(a) => attempts[a].absorb(p, ev, &k),
                None => {
                    if let Some(a) = attempts
                        .last_mut()
                        .filter(|a| a.side.is_none() && ev.time_ms - a.last_ms <= LEAD_WINDOW_MS)
                    {
                        a.absorb(p, ev, &k);
                    } else if stands_alone(&ev.kind) {
                        let mut a = Attempt {
                            input,
                            side: k.side.or(default_side),
                            ..Default::default()
                        };
                        for o in orphans
                            .drain(..)
                            .filter(|&o| ev.time_ms - events[o].time_ms <= LEAD_WINDOW_MS)
                        {
                            a.absorb(o, events[o], &keys(&events[o].kind));
                        }
                        a.absorb(p, ev, &k);
                        attempts.push(a);
                        live.push(attempts.len() - 1);
                    } else {
                        orphans.push(p);
                    }
                }
            }
        }
        *pending = keep;
    };
    for (idx, ev) in events.iter().enumerate() {
        // Progress: `tick` hears of every 1,024th event.
        if idx % 1024 == 0 {
            tick(idx);
        }
        // A bare ERROR/DEBUG code names no connection and is no verdict: never evidence.
        if matches!(ev.kind, EventKind::Code { .. }) {
            continue;
        }
        // Every event not placed yet is this one, a later one or a pending one.
        let earliest = pending.first().map_or(suffix_min[idx], |&p| suffix_min[p]);
        prune(&mut live, &attempts, earliest);
        let k = keys(&ev.kind);
        let keyed = k.side.is_some() || k.client.is_some() || k.server.is_some();
        if !keyed {
            flush_pending(&mut pending, &mut attempts, &mut live, Some(ev.time_ms));
            pending.push(idx);
            continue;
        }
        flush_pending(&mut pending, &mut attempts, &mut live, Some(ev.time_ms));
        let target = live
            .iter()
            .rev()
            .copied()
            .find(|&a| attempts[a].accepts(ev, &k));
        let slot = match target {
            Some(i) => i,
            None => {
                attempts.push(Attempt {
                    input,
                    ..Default::default()
                });
                live.push(attempts.len() - 1);
                attempts.len() - 1
            }
        };
        attempts[slot].absorb(idx, ev, &k);
        // Key-less events just before (same signal or within the lead window) belong here; a
        // signal only when it names this attempt's process.
        for p in std::mem::take(&mut pending) {
            let pk = keys(&events[p].kind);
            match events[p].kind {
                EventKind::Signal { connection, .. } if attempts[slot].pid != Some(connection) => {
                    pending.push(p)
                }
                _ => attempts[slot].absorb(p, events[p], &pk),
            }
        }
    }
    flush_pending(&mut pending, &mut attempts, &mut live, None);
    for a in &mut attempts {
        a.events.sort_unstable();
        if a.side.is_none() {
            a.side = default_side;
        }
    }
    attempts
}

/// The role an input's events point at, counting client and server evidence.
pub fn infer_side(events: &[IlsEvent]) -> Option<Side> {
    let (mut client, mut server) = (0usize, 0usize);
    for ev in events {
        match keys(&ev.kind).side {
            Some(Side::Client) => client += 1,
            Some(Side::Server) => server += 1,
            None => {}
        }
    }
    match client.cmp(&server) {
        std::cmp::Ordering::Greater => Some(Side::Client),
        std::cmp::Ordering::Less => Some(Side::Server),
        std::cmp::Ordering::Equal => None,
    }
}

/// A pairing of a server-side attempt and a client-side attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub server: usize,
    pub client: usize,
    pub by: &'static str,
}

/// A time to compare across the two sides for one attempt: its established event if any, else its
/// first event.
pub fn anchor_ms(a: &Attempt, events: &[&IlsEvent]) -> i64 {
    a.events
        .iter()
        .map(|&i| events[i])
        .find(|e| matches!(e.kind, EventKind::Established { .. }))
        .map_or(a.first_ms, |e| e.time_ms)
}

/// Join server and client attempts (indices into `attempts`); `events_of(input)` gives each input's events.
/// Returns the pairs and the estimated offset `client clock - server clock` in ms.
pub fn pair_attempts<'a>(
    attempts: &[Attempt],
    events_of: impl Fn(usize) -> &'a [&'a IlsEvent],
) -> (Vec<Pair>, Option<i64>) {
    let servers: Vec<usize> = (0..attempts.len())
        .filter(|&i| attempts[i].side == Some(Side::Server))
        .collect();
    let clients: Vec<usize> = (0..attempts.len())
        .filter(|&i| attempts[i].side == Some(Side::Client))
        .collect();
    let mut used_s = vec![false; attempts.len()];
    let mut used_c = vec![false; attempts.len()];
    let mut pairs = Vec::new();
    let mut deltas = Vec::new();
    let anchor = |i: usize| anchor_ms(&attempts[i], events_of(attempts[i].input));
    // 1. Ephemeral port. (Clients indexed by their address: linear in the number of attempts.)
    let mut by_client: std::collections::HashMap<&Endpoint, Vec<usize>> =
        std::collections::HashMap::new();
    for &c in &clients {
        if let Some(e) = attempts[c].client.as_ref().filter(|e| e.port.is_some()) {
            by_client.entry(e).or_default().push(c);
        }
    }
    for &s in &servers {
        let same_client = attempts[s]
            .client
            .as_ref()
            .and_then(|e| by_client.get(e))
            .map_or(&[][..], |v| v.as_slice());
        let best = same_client
            .iter()
            .copied()
            .filter(|&c| !used_c[c] && attempts[c].input != attempts[s].input)
            .filter(|&c| same_port_endpoint(&attempts[s].client, &attempts[c].client))
            .filter(|&c| (attempts[c].first_ms - attempts[s].first_ms).abs() <= PORT_PAIR_WINDOW_MS)
            .min_by_key(|&c| (attempts[c].first_ms - attempts[s].first_ms).abs());
        if let Some(c) = best {
            used_s[s] = true;
            used_c[c] = true;
            deltas.push(anchor(c) - anchor(s));
            pairs.push(Pair {
                server: s,
                client: c,
                by: "ephemeral-port",
            });
        }
    }
    let port_offset = median(&mut deltas.clone());
    // 2. Addresses / PeerIds and time, closest first.
    let offset = port_offset.unwrap_or(0);
    let mut candidates = Vec::new();
    // Only clients whose anchor is within the window can pair: look them up by time.
    let mut open_clients: Vec<(i64, usize)> = clients
        .iter()
        .filter(|&&c| !used_c[c])
        .map(|&c| (anchor(c), c))
        .collect();
    open_clients.sort_unstable();
    for &s in servers.iter().filter(|&&s| !used_s[s]) {
        let at = anchor(s) + offset;
        let from = open_clients.partition_point(|&(t, _)| t < at - TIME_PAIR_WINDOW_MS);
        let to = open_clients.partition_point(|&(t, _)| t <= at + TIME_PAIR_WINDOW_MS);
        for &(_, c) in &open_clients[from..to] {
            let (a, b) = (&attempts[s], &attempts[c]);
            if a.input == b.input
                || !same_ip(&a.client, &b.client)
                || !compatible(&a.server, &b.server)
            {
                continue;
            }
            // Different ephemeral ports are different connections, unless both sides name their
            // peer (the seed's method 2 traces show the two ends with different ports).
            let both_ids = a.peer_id.is_some() && b.peer_id.is_some();
            if !compatible(&a.client, &b.client) && !both_ids {
                continue;
            }
            let gap = (anchor(c) - anchor(s) - offset).abs();
            if gap <= TIME_PAIR_WINDOW_MS {
                let by = if a.peer_id.is_some() && b.peer_id.is_some() {
                    "peer-id"
                } else {
                    "time"
                };
                candidates.push((gap, s, c, by));
            }
        }
    }
    candidates.sort();
    let mut other_deltas = Vec::new();
    for (_, s, c, by) in candidates {
        if used_s[s] || used_c[c] {
            continue;
        }
        used_s[s] = true;
        used_c[c] = true;
        other_deltas.push(anchor(c) - anchor(s));
        pairs.push(Pair {
            server: s,
            client: c,
            by,
        });
    }
    let offset = port_offset.or_else(|| median(&mut other_deltas));
    pairs.sort_by_key(|p| attempts[p.server].first_ms.min(attempts[p.client].first_ms));
    (pairs, offset)
}

fn median(v: &mut [i64]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}
