//! CUCM Intercluster Lookup Service, the diagnoser: takes the parsed SDL traces (their ILS
//! events, extracted while parsing in [`crate::sdl::events`]) and cluster tables, correlates hub
//! and spoke ([`correlate`], [`connection`]) and runs the [`rules`].

pub mod connection;
pub mod correlate;
pub mod repeats;
pub mod rules;

use crate::cluster_tables::ClusterTable;
use crate::intern::Interner;
use crate::model::*;
use crate::parse::{Parsed, ParsedInput};
use crate::sdl::events::IlsEvent;
use crate::sdl::SdlInput;
use crate::steps::{Steps, What};
use connection::{ConnView, EvRef};
use correlate::{group_attempts, infer_side, pair_attempts, Side};
use std::cell::RefCell;

/// One SDL trace taking part in the ILS analysis.
#[derive(Debug)]
pub struct IlsInput<'a> {
    /// Index into `Analysis::inputs`.
    pub index: usize,
    /// The input's name, one copy shared by every evidence line that cites it.
    pub name: Text,
    pub sdl: &'a SdlInput,
    /// The trace's events, on the common time scale (see [`analyze`]), taken from the parsed
    /// input: the diagnosis owns them, and the timeline consumes them
    /// ([`connection::publish`]), so that they are not held beside it.
    pub events: Vec<IlsEvent>,
    pub role: Role,
    /// Whether the role came from the events (or the user) rather than by elimination.
    pub role_from_events: bool,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// Everything the ILS rules look at.
#[derive(Debug)]
pub struct Ctx<'a, 'r> {
    pub inputs: Vec<IlsInput<'a>>,
    pub conns: Vec<ConnView>,
    /// Estimated `spoke clock - hub clock` in ms.
    pub offset_ms: Option<i64>,
    pub tables: Vec<(usize, &'a str, &'a ClusterTable)>,
    /// All times are UTC (every trace has a FileHead date) or times of day.
    pub dated: bool,
    /// ILS alarms read outside the traces (syslog, RTMT alerts), in input and line order.
    pub alarms: Vec<InputAlarm<'a>>,
    /// The texts the published timeline and the findings share (see [`crate::intern`]).
    pub texts: RefCell<Interner>,
    /// The diagnosis's progress ([`Ctx::connections`] moves it through a rule).
    pub steps: RefCell<&'a mut Steps<'r>>,
}

impl<'a, 'r> Ctx<'a, 'r> {
    /// Every connection, in order, each rule's pass over them reported as part of its step.
    pub fn connections(&self) -> impl Iterator<Item = &ConnView> + use<'_, 'a, 'r> {
        let n = self.conns.len();
        self.conns.iter().enumerate().map(move |(i, view)| {
            self.steps.borrow_mut().part(0, 1, i, n);
            view
        })
    }
}

/// An ILS alarm line of a syslog or alert input.
#[derive(Debug)]
pub struct InputAlarm<'a> {
    /// Index into `Analysis::inputs`.
    pub index: usize,
    pub input: &'a str,
    pub alarm: &'a crate::ils_alarms::AlarmLine,
}

fn alarms(inputs: &[ParsedInput]) -> Vec<InputAlarm<'_>> {
    let mut out = Vec::new();
    for (index, p) in inputs.iter().enumerate() {
        for (_, part) in p.parts() {
            if let Parsed::IlsAlarms(a) = part {
                out.extend(a.alarms.iter().map(|alarm| InputAlarm {
                    index,
                    input: p.name.as_str(),
                    alarm,
                }));
            }
        }
    }
    out
}

fn sdl_inputs(inputs: &[ParsedInput]) -> Vec<(usize, &str, &SdlInput)> {
    let mut out = Vec::new();
    for (i, p) in inputs.iter().enumerate() {
        for (_, part) in p.parts() {
            if let Parsed::Sdl(s) = part {
                out.push((i, p.name.as_str(), s));
            }
        }
    }
    out
}

fn cluster_tables(inputs: &[ParsedInput]) -> Vec<(usize, &str, &ClusterTable)> {
    let mut out = Vec::new();
    for (i, p) in inputs.iter().enumerate() {
        for (_, part) in p.parts() {
            if let Parsed::ClusterTable(t) = part {
                out.push((i, p.name.as_str(), t));
            }
        }
    }
    out
}

/// Diagnose the ILS traces and tables among `inputs`. `roles` are the user's corrections (input
/// name, role); they win over detection.
pub fn analyze(
    inputs: &mut [ParsedInput],
    roles: &[(String, Role)],
    analysis: &mut Analysis,
    steps: &mut Steps,
) {
    steps.begin(What::PairingAttempts);
    let mut taken = take_sdl_events(inputs).into_iter();
    let inputs: &[ParsedInput] = inputs;
    let sdl = sdl_inputs(inputs);
    let tables = cluster_tables(inputs);
    for (i, _, t) in &tables {
        for r in &t.rows {
            analysis.clusters.push(ClusterRow {
                input: *i,
                ..r.clone()
            });
        }
    }
    // Traces without a date are aligned by time of day; then every trace is.
    let dated = !sdl.is_empty() && sdl.iter().all(|(_, _, s)| s.dated);
    let mut ils: Vec<IlsInput> = sdl
        .iter()
        .map(|&(index, name, s)| {
            let mut events = taken.next().unwrap_or_default();
            if !dated {
                for e in &mut events {
                    e.time_ms = e.time_of_day_ms as i64;
                }
            }
            let user = roles.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
            let inferred = infer_side(&events).map(Side::role);
            let (first_ms, last_ms) = if dated {
                (s.first_ms, s.last_ms)
            } else {
                (
                    s.first_ms.map(|m| m.rem_euclid(86_400_000)),
                    s.last_ms.map(|m| m.rem_euclid(86_400_000)),
                )
            };
            IlsInput {
                index,
                name: name.into(),
                sdl: s,
                role: user.or(inferred).unwrap_or(Role::Unknown),
                role_from_events: user.or(inferred).is_some(),
                events,
                first_ms,
                last_ms,
            }
        })
        .collect();
    share_roles_per_host(&mut ils);
    resolve_roles_by_elimination(&mut ils);
    for input in &ils {
        let summary = &mut analysis.inputs[input.index];
        summary.role = input.role;
        if let Some(fh) = &input.sdl.filehead {
            summary.host = fh.host.clone();
            summary.host_ip = fh.host_ip.clone();
            summary.app = fh.app.clone();
            summary.date = fh.date.clone();
            summary.utc_offset_minutes = fh.utc_offset_minutes;
        }
    }
    let (conns, offset) = {
        // A host's rolled files are one timeline: their events are grouped into attempts as one
        // stream, so an attempt whose request ends one file and whose failure opens the next is
        // one attempt. An attempt's `input` is its stream; its events are located back in their
        // own file (and line) when the connections are built.
        let streams = host_streams(&ils);
        // Each stream is its files' events borrowed in order, not copied: a copy of every
        // event of a host's rolled files was 120 MB at 100,000 attempts (370 MB of traces).
        let stream_events: Vec<Vec<&IlsEvent>> = streams
            .iter()
            .map(|members| {
                members
                    .iter()
                    .flat_map(|&pos| ils[pos].events.iter())
                    .collect()
            })
            .collect();
        let origin: Vec<Vec<EvRef>> = streams
            .iter()
            .map(|members| match members.as_slice() {
                [_] => Vec::new(),
                many => many
                    .iter()
                    .flat_map(|&pos| {
                        (0..ils[pos].events.len()).map(move |event| EvRef { input: pos, event })
                    })
                    .collect(),
            })
            .collect();
        let mut attempts = Vec::new();
        // Grouping is the pairing step's work: its part moves with the events grouped.
        let all: usize = stream_events.iter().map(|e| e.len()).sum();
        let mut before = 0;
        for (s, members) in streams.iter().enumerate() {
            let side = match ils[members[0]].role {
                Role::Hub => Some(Side::Server),
                Role::Spoke => Some(Side::Client),
                _ => None,
            };
            let mut tick = |i: usize| steps.part(0, 1, before + i, all);
            attempts.extend(group_attempts(s, &stream_events[s], side, &mut tick));
            before += stream_events[s].len();
        }
        let (pairs, offset) = pair_attempts(&attempts, |s| stream_events[s].as_slice());
        // Each pair makes one connection of two attempts.
        steps.begin(What::Connections {
            connections: attempts.len().saturating_sub(pairs.len()),
        });
        let locate = |s: usize, event: usize| match streams[s].as_slice() {
            [one] => EvRef { input: *one, event },
            _ => origin[s][event],
        };
        let mut tick = |i: usize, n: usize| steps.part(0, 2, i, n);
        (
            connection::build(&ils, &attempts, &pairs, offset, &locate, &mut tick),
            offset,
        )
    };
    if let Some(summary_ip) = infer_host_ips(&ils, &conns) {
        for (index, ip) in summary_ip {
            analysis.inputs[index].host_ip.get_or_insert(ip);
        }
    }
    let mut ctx = Ctx {
        inputs: ils,
        conns,
        offset_ms: offset,
        tables,
        dated,
        alarms: alarms(inputs),
        texts: RefCell::default(),
        steps: RefCell::new(steps),
    };
    let n = ctx.conns.len();
    let classes: Vec<_> = ctx
        .conns
        .iter()
        .enumerate()
        .map(|(i, v)| {
            ctx.steps.borrow_mut().part(1, 2, i, n);
            connection::classify(v, &ctx)
        })
        .collect();
    for (view, (outcome, method)) in ctx.conns.iter_mut().zip(classes) {
        view.outcome = outcome;
        view.method = method;
    }
    let found = rules::run(&ctx);
    ctx.steps.borrow_mut().begin(What::GroupingFindings {
        findings: found.len(),
    });
    // The timeline after the rules: it consumes the traces' events, input by input, so that
    // they and it are never held whole together (at 100,000 attempts each is about a sixth of
    // the analysis's memory).
    connection::publish(&mut ctx, analysis);
    analysis.clock_offset_ms = ctx.offset_ms;
    let conns = std::mem::take(&mut ctx.conns);
    drop(ctx);
    let findings = repeats::group(found, &conns, &analysis.connections);
    // Moved, not copied, when they are the first (a second array of 100,000 findings is tens
    // of megabytes at the peak of an analysis).
    if analysis.findings.is_empty() {
        analysis.findings = findings;
    } else {
        analysis.findings.extend(findings);
    }
}

/// The events of every SDL trace of `inputs`, taken out of them, in [`sdl_inputs`]'s order (an
/// input, then its console blocks, as [`ParsedInput::parts`] gives them).
fn take_sdl_events(inputs: &mut [ParsedInput]) -> Vec<Vec<IlsEvent>> {
    let mut out = Vec::new();
    for p in inputs {
        match &mut p.parsed {
            Parsed::Sdl(s) => out.push(std::mem::take(&mut s.events)),
            Parsed::Console(blocks) => {
                for b in blocks {
                    if let Parsed::Sdl(s) = &mut b.input.parsed {
                        out.push(std::mem::take(&mut s.events));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Several files from one host (rolled-over traces) play one role: a file that shows no role of
/// its own takes the role the host's other files show.
fn share_roles_per_host(ils: &mut [IlsInput]) {
    let host_of = |i: &IlsInput| {
        i.sdl
            .filehead
            .as_ref()
            .and_then(|f| f.host.clone().or_else(|| f.host_ip.clone()))
    };
    let known: Vec<(String, Role)> = ils
        .iter()
        .filter(|i| i.role_from_events)
        .filter_map(|i| host_of(i).map(|h| (h, i.role)))
        .collect();
    for input in ils.iter_mut().filter(|i| !i.role_from_events) {
        let Some(host) = host_of(input) else { continue };
        let roles: Vec<Role> = known
            .iter()
            .filter(|(h, _)| *h == host)
            .map(|(_, r)| *r)
            .collect();
        if let Some(first) = roles
            .first()
            .copied()
            .filter(|r| roles.iter().all(|x| x == r))
        {
            input.role = first;
            input.role_from_events = true;
        }
    }
}

/// The ILS inputs as streams: the rolled files of one host and application (same FileHead
/// HostName or HostIPAddress, and AppName) in FileNumber order (then by first time), each other
/// input alone. Positions into `ils`; streams in the order of their first input.
fn host_streams(ils: &[IlsInput]) -> Vec<Vec<usize>> {
    let key = |i: &IlsInput| {
        let f = i.sdl.filehead.as_ref()?;
        let host = f.host.clone().or_else(|| f.host_ip.clone())?;
        Some((host, f.app.clone()))
    };
    let mut streams: Vec<Vec<usize>> = Vec::new();
    let mut by_key: std::collections::HashMap<(String, Option<String>), usize> =
        std::collections::HashMap::new();
    for (pos, input) in ils.iter().enumerate() {
        match key(input) {
            Some(k) => match by_key.get(&k) {
                Some(&s) => streams[s].push(pos),
                None => {
                    by_key.insert(k, streams.len());
                    streams.push(vec![pos]);
                }
            },
            None => streams.push(vec![pos]),
        }
    }
    for members in &mut streams {
        members.sort_by_key(|&pos| {
            let i = &ils[pos];
            let number = i.sdl.filehead.as_ref().and_then(|f| f.file_number);
            (number, i.first_ms, pos)
        });
    }
    streams
}

/// With two traces and one role known, the other trace has the other role.
fn resolve_roles_by_elimination(ils: &mut [IlsInput]) {
    let known: Vec<Role> = ils
        .iter()
        .filter(|i| i.role_from_events)
        .map(|i| i.role)
        .collect();
    let has = |r: Role| known.contains(&r);
    for input in ils.iter_mut().filter(|i| !i.role_from_events) {
        if has(Role::Hub) && !has(Role::Spoke) {
            input.role = Role::Spoke;
        } else if has(Role::Spoke) && !has(Role::Hub) {
            input.role = Role::Hub;
        }
    }
}

/// A trace without FileHead still shows its own address in the ILS endpoints.
fn infer_host_ips(ils: &[IlsInput], conns: &[ConnView]) -> Option<Vec<(usize, String)>> {
    let mut out = Vec::new();
    for (pos, input) in ils.iter().enumerate() {
        if input
            .sdl
            .filehead
            .as_ref()
            .and_then(|f| f.host_ip.as_ref())
            .is_some()
        {
            continue;
        }
        let ip = conns.iter().find_map(|c| match input.role {
            Role::Hub if c.hub == Some(pos) => c.server.as_ref().map(|e| e.ip.clone()),
            Role::Spoke if c.spoke == Some(pos) => c.client.as_ref().map(|e| e.ip.clone()),
            _ => None,
        });
        if let Some(ip) = ip.filter(|ip| !ip.is_empty()) {
            out.push((input.index, ip));
        }
    }
    Some(out)
}
