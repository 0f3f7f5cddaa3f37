//! Connections: one attempt, or a hub attempt and a spoke attempt joined; their outcome and the
//! authentication method actually in use; publication into the [`Analysis`] timeline.

use super::correlate::{Attempt, Pair, Side};
use super::{Ctx, IlsInput};
use crate::model::*;
use crate::sdl::events::{CertVerdict, EventKind, IlsEvent};
use crate::sdl::pid::Endpoint;

/// A reference to one event: the ILS input (position in `Ctx::inputs`) and the event's index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EvRef {
    pub input: usize,
    pub event: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Joined,
    Failed,
    Unanswered,
    InProgress,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Joined => "joined",
            Outcome::Failed => "failed",
            Outcome::Unanswered => "unanswered",
            Outcome::InProgress => "in-progress",
        }
    }
}

/// Authentication method in use on a joined connection (the four methods of the seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
    Tls,
    TlsPassword,
    PeerInfoVector,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::Tls => "tls",
            Method::TlsPassword => "tls-password",
            Method::PeerInfoVector => "peer-info-vector",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConnView {
    pub id: usize,
    /// ILS input positions of the hub side and the spoke side.
    pub hub: Option<usize>,
    pub spoke: Option<usize>,
    pub paired_by: &'static str,
    /// Events of both sides in aligned time order.
    pub events: Vec<EvRef>,
    pub client: Option<Endpoint>,
    pub server: Option<Endpoint>,
    pub tls: Option<bool>,
    pub outcome: Outcome,
    pub method: Option<Method>,
    /// Aligned time of the first event.
    pub start_ms: i64,
}

impl ConnView {
    pub fn kinds<'a, 'c, 'r>(
        &'a self,
        ctx: &'a Ctx<'c, 'r>,
    ) -> impl Iterator<Item = (EvRef, &'a IlsEvent)> + use<'a, 'c, 'r> {
        self.events
            .iter()
            .map(move |r| (*r, &ctx.inputs[r.input].events[r.event]))
    }
    pub fn has(&self, ctx: &Ctx, pred: impl Fn(&EventKind) -> bool) -> bool {
        self.kinds(ctx).any(|(_, e)| pred(&e.kind))
    }
}

/// Time of an event on the hub's clock.
pub fn aligned(input: &IlsInput, ev: &IlsEvent, offset: Option<i64>) -> i64 {
    on_hub_clock(input, ev.time_ms, offset)
}

/// A time of `input`'s trace on the hub's clock (`offset`: spoke clock - hub clock).
pub fn on_hub_clock(input: &IlsInput, ms: i64, offset: Option<i64>) -> i64 {
    match (input.role, offset) {
        (Role::Spoke, Some(o)) => ms - o,
        _ => ms,
    }
}

fn is_failure(k: &EventKind) -> bool {
    matches!(
        k,
        EventKind::DecryptFailed { .. }
            | EventKind::TlsVerifyFailed { .. }
            | EventKind::TlsProtocolError(_)
            | EventKind::ClientFailed { .. }
            | EventKind::Certificate(CertVerdict::PeerUnknown { .. })
    ) || matches!(k, EventKind::Alarm { name, .. } if name.ends_with("Failed") || name.contains("Unreachable"))
}

fn outcome_and_method(view: &ConnView, ctx: &Ctx) -> (Outcome, Option<Method>) {
    let any = |p: &dyn Fn(&EventKind) -> bool| view.has(ctx, p);
    if any(&is_failure) {
        return (Outcome::Failed, None);
    }
    let established = any(&|k| matches!(k, EventKind::Established { .. }));
    let verdict_ok = any(&|k| {
        matches!(
            k,
            EventKind::Certificate(
                CertVerdict::InStore | CertVerdict::CaSigned | CertVerdict::InPeerInfoVector
            )
        )
    });
    let accepted = any(&|k| {
        matches!(
            k,
            EventKind::Accepted { .. } | EventKind::ClientSucceeded { .. }
        )
    });
    if established
        || (accepted && verdict_ok)
        || (verdict_ok && view.hub.is_some() && view.spoke.is_some())
    {
        let method = if any(&|k| matches!(k, EventKind::Certificate(CertVerdict::InPeerInfoVector)))
        {
            Method::PeerInfoVector
        } else if view.tls == Some(false) {
            Method::Password
        } else if any(&|k| {
            matches!(
                k,
                EventKind::Certificate(CertVerdict::CaSigned) | EventKind::DecryptSucceeded
            )
        }) {
            Method::TlsPassword
        } else {
            Method::Tls
        };
        return (Outcome::Joined, Some(method));
    }
    let only_request = view.kinds(ctx).all(|(_, e)| {
        matches!(
            e.kind,
            EventKind::ConnectRequest { .. }
                | EventKind::ConnectRequestDetail { .. }
                | EventKind::Initiating { .. }
                | EventKind::Signal { .. }
        )
    });
    if view.hub.is_none() && only_request && any(&|k| matches!(k, EventKind::ConnectRequest { .. }))
    {
        return (Outcome::Unanswered, None);
    }
    (Outcome::InProgress, None)
}

/// Turn attempts and pairs into connections ordered by time.
pub fn build(
    inputs: &[IlsInput],
    attempts: &[Attempt],
    pairs: &[Pair],
    offset: Option<i64>,
    locate: &dyn Fn(usize, usize) -> EvRef,
    tick: &mut dyn FnMut(usize, usize),
) -> Vec<ConnView> {
    let mut paired = vec![false; attempts.len()];
    let mut groups: Vec<(Vec<usize>, &'static str)> = Vec::new();
    for p in pairs {
        paired[p.server] = true;
        paired[p.client] = true;
        groups.push((vec![p.server, p.client], p.by));
    }
    for (i, _) in attempts.iter().enumerate().filter(|(i, _)| !paired[*i]) {
        groups.push((vec![i], "one-side"));
    }
    let n = groups.len();
    let mut views: Vec<ConnView> = groups
        .into_iter()
        .enumerate()
        .map(|(k, (members, by))| {
            tick(k, n);
            let mut events: Vec<EvRef> = Vec::new();
            let (mut hub, mut spoke, mut client, mut server, mut tls) =
                (None, None, None, None, None);
            for &m in &members {
                let a = &attempts[m];
                // `a.input` is the attempt's stream (a host's rolled files); its side is the
                // file its first event is in.
                let file = a.events.first().map(|&e| locate(a.input, e).input);
                match a.side {
                    Some(Side::Server) => hub = hub.or(file),
                    Some(Side::Client) => spoke = spoke.or(file),
                    None => {}
                }
                events.extend(a.events.iter().map(|&e| locate(a.input, e)));
                if client.as_ref().is_none_or(|c: &Endpoint| c.port.is_none())
                    && a.client
                        .as_ref()
                        .is_some_and(|c| c.port.is_some() || client.is_none())
                {
                    client.clone_from(&a.client);
                }
                if server.as_ref().is_none_or(|s: &Endpoint| s.port.is_none()) && a.server.is_some()
                {
                    server.clone_from(&a.server);
                }
                tls = tls.or(a.tls);
            }
            let at =
                |r: &EvRef| aligned(&inputs[r.input], &inputs[r.input].events[r.event], offset);
            events.sort_by_key(|r| (at(r), r.input, r.event));
            let start_ms = events.first().map_or(0, at);
            ConnView {
                id: 0,
                hub,
                spoke,
                paired_by: by,
                events,
                client,
                server,
                tls,
                outcome: Outcome::InProgress,
                method: None,
                start_ms,
            }
        })
        .collect();
    views.sort_by_key(|v| (v.start_ms, v.events.first().copied()));
    for (i, v) in views.iter_mut().enumerate() {
        v.id = i;
    }
    views
}

/// Fill outcome and method (they need the whole context) and publish connections and events.
///
/// Published times are on the hub's clock as its trace shows it: UTC plus the hub's FileHead
/// offset, so a time in the timeline can be found in the hub's log.
///
/// Each input's events are taken out of `ctx` and consumed (their texts move into the timeline):
/// nothing reads them after this.
pub fn publish(ctx: &mut Ctx, analysis: &mut Analysis) {
    let display_ms = display_offset_ms(ctx);
    let base = analysis.events.len();
    // The timeline holds the events of connection attempts only: it follows the attempts, not
    // the lines of the traces.
    let mut in_attempt: Vec<Vec<bool>> = ctx
        .inputs
        .iter()
        .map(|i| vec![false; i.events.len()])
        .collect();
    for r in ctx.conns.iter().flat_map(|v| &v.events) {
        in_attempt[r.input][r.event] = true;
    }
    analysis.events.reserve_exact(
        in_attempt
            .iter()
            .map(|v| v.iter().filter(|&&b| b).count())
            .sum(),
    );
    let mut index_of = Vec::new();
    let all: usize = ctx.inputs.iter().map(|i| i.events.len()).sum();
    let mut seen = 0;
    let texts = ctx.texts.get_mut();
    for (pos, input) in ctx.inputs.iter_mut().enumerate() {
        let events = std::mem::take(&mut input.events);
        let input = &*input;
        let mut row = vec![usize::MAX; events.len()];
        for (e, ev) in events.into_iter().enumerate() {
            seen += 1;
            if seen % 1024 == 0 {
                ctx.steps.get_mut().part(0, 2, seen, all);
            }
            if !in_attempt[pos][e] {
                continue;
            }
            row[e] = analysis.events.len();
            analysis.events.push(TimelineEvent {
                input: input.index,
                line: ev.line,
                time_ms: ev.time_ms,
                aligned_ms: aligned(input, &ev, ctx.offset_ms) + display_ms,
                kind: texts.text(ev.kind.name()),
                label: {
                    let mut label = ev.kind.label();
                    texts.bilingual(&mut label);
                    label
                },
                text: ev.text,
                connection: None,
            });
        }
        index_of.push(row);
    }
    analysis.connections.reserve_exact(ctx.conns.len());
    for view in &ctx.conns {
        let (outcome, method) = (view.outcome, view.method);
        let conn_events: Vec<usize> = view
            .events
            .iter()
            .map(|r| index_of[r.input][r.event])
            .collect();
        for &e in &conn_events {
            analysis.events[e].connection = Some(view.id);
        }
        analysis.connections.push(Connection {
            id: view.id,
            client: view.client.as_ref().map(|e| e.to_string()),
            server: view.server.as_ref().map(|e| e.to_string()),
            tls: view.tls,
            hub_input: view.hub.map(|p| ctx.inputs[p].index),
            spoke_input: view.spoke.map(|p| ctx.inputs[p].index),
            paired_by: view.paired_by.to_string(),
            outcome: outcome.as_str().to_string(),
            method: method.map(|m| m.as_str().to_string()),
            start_ms: view.start_ms + display_ms,
            events: conn_events,
        });
    }
    analysis.events[base..].sort_by_key(|e| (e.aligned_ms, e.input, e.line));
    // Sorting moved events: rebuild the connection index lists.
    let mut by_conn: Vec<Vec<usize>> = vec![Vec::new(); ctx.conns.len()];
    for (i, e) in analysis.events.iter().enumerate().skip(base) {
        if let Some(c) = e.connection {
            by_conn[c].push(i);
        }
    }
    // The first connection with each id (an index, not a search per connection: linear).
    let mut first_with_id = std::collections::HashMap::new();
    for (i, conn) in analysis.connections.iter().enumerate() {
        first_with_id.entry(conn.id).or_insert(i);
    }
    for (c, list) in by_conn.into_iter().enumerate() {
        if let Some(&i) = first_with_id.get(&c) {
            analysis.connections[i].events = list;
        }
    }
}

/// The UTC offset of the reference trace (the first hub with a FileHead, else the first trace
/// with one), in ms; 0 when times are times of day already.
fn display_offset_ms(ctx: &Ctx) -> i64 {
    if !ctx.dated {
        return 0;
    }
    let offset_of = |i: &IlsInput| i.sdl.filehead.as_ref().and_then(|f| f.utc_offset_minutes);
    let reference = ctx
        .inputs
        .iter()
        .filter(|i| i.role == Role::Hub)
        .find_map(offset_of)
        .or_else(|| ctx.inputs.iter().find_map(offset_of));
    reference.map_or(0, |m| m as i64 * 60_000)
}

/// Outcome and method of a connection (for rules).
pub fn classify(view: &ConnView, ctx: &Ctx) -> (Outcome, Option<Method>) {
    outcome_and_method(view, ctx)
}
