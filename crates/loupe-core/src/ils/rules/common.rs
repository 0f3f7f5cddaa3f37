//! Pieces shared by the ILS rules: evidence from a connection, the collection guidance, the
//! verification steps every join fix ends with.

use crate::ils::connection::{on_hub_clock, ConnView, EvRef};
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::IlsEvent;

pub fn bi(en: impl Into<Text>, ja: impl Into<Text>) -> Bilingual {
    Bilingual::new(en, ja)
}

pub fn evidence_of(ctx: &Ctx, r: EvRef) -> Evidence {
    let input = &ctx.inputs[r.input];
    let ev: &IlsEvent = &input.events[r.event];
    Evidence {
        input: input.name.clone(),
        line: ev.line,
        text: ev.text.clone(),
        role: input.role,
    }
}

/// Every event of the connection, both sides, in aligned time order.
pub fn connection_evidence(ctx: &Ctx, view: &ConnView) -> Vec<Evidence> {
    view.events.iter().map(|r| evidence_of(ctx, *r)).collect()
}

/// Which sides of a connection are missing from the inputs.
pub fn one_sided(view: &ConnView) -> Option<Role> {
    match (view.hub, view.spoke) {
        (Some(_), None) => Some(Role::Spoke),
        (None, Some(_)) => Some(Role::Hub),
        _ => None,
    }
}

/// The side of a one-sided attempt that no event shows: its role, and the address of that
/// side's publisher when the other side names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherSide {
    pub role: Role,
    pub ip: Option<String>,
    /// A trace of that side (of that publisher, when the trace names its host) is loaded and
    /// spans the attempt's time, yet none of its lines was tied to the attempt.
    pub loaded: bool,
}

/// The side missing from a one-sided attempt ([`one_sided`]), and whether a loaded trace of that
/// side spans the attempt's time. Then "add the other side's trace" would ask for what the user
/// already gave: the steps say instead that the trace was read and named nothing of the attempt.
pub fn other_side(ctx: &Ctx, view: &ConnView) -> Option<OtherSide> {
    let role = one_sided(view)?;
    let ip = match role {
        Role::Spoke => view.client.as_ref(),
        _ => view.server.as_ref(),
    }
    .map(|e| e.ip.clone())
    .filter(|ip| !ip.is_empty());
    let loaded = ctx
        .inputs
        .iter()
        .filter(|i| i.role == role)
        .filter(|i| {
            // A trace that names its host is that side's only when the host is the attempt's.
            let host = i.sdl.filehead.as_ref().and_then(|f| f.host_ip.as_deref());
            match (host, ip.as_deref()) {
                (Some(host), Some(want)) => host == want,
                _ => true,
            }
        })
        .any(|i| spans(ctx, i, view.start_ms));
    Some(OtherSide { role, ip, loaded })
}

/// Does the trace's time span hold `at` (on the hub's clock)?
fn spans(ctx: &Ctx, input: &crate::ils::IlsInput, at: i64) -> bool {
    let hub_clock = |ms| on_hub_clock(input, ms, ctx.offset_ms);
    match (input.first_ms, input.last_ms) {
        (Some(first), Some(last)) => hub_clock(first) <= at && at <= hub_clock(last),
        _ => false,
    }
}

/// How to collect better evidence; stronger wording when one side is missing, and a check of the
/// trace given when that side's trace spans the attempt but names nothing of it.
pub fn collect_steps(other: Option<&OtherSide>) -> Vec<Bilingual> {
    let mut steps = Vec::new();
    let at = |ip: &Option<String>| ip.as_ref().map(|ip| format!(" ({ip})")).unwrap_or_default();
    let at_ja = |ip: &Option<String>| {
        ip.as_ref()
            .map(|ip| format!("（{ip}）"))
            .unwrap_or_default()
    };
    match other {
        Some(OtherSide {
            role: Role::Hub,
            ip,
            loaded: true,
        }) => steps.push(bi(
            format!("The hub's trace spans the time of this attempt, but none of its lines could be tied to it (by the spoke's address and port, or a TCP process). Check that it is the ILS trace of the hub the spoke tried{}, collected at level Detailed.", at(ip)),
            format!("ハブ側のトレースはこの接続試行の時刻を含んでいますが、この試行に結び付けられる行がありません（スポークのアドレスとポート、TCP プロセスのいずれでも）。スポークが接続しようとしたハブ{}の ILS トレースで、トレースレベル Detailed で収集したものか確認してください。", at_ja(ip)),
        )),
        Some(OtherSide {
            role: Role::Spoke,
            ip,
            loaded: true,
        }) => steps.push(bi(
            format!("The spoke's trace spans the time of this attempt, but none of its lines could be tied to it (by the spoke's address and port, or a TCP process). Check that it is the ILS trace of the spoke that made the attempt{}, collected at level Detailed.", at(ip)),
            format!("スポーク側のトレースはこの接続試行の時刻を含んでいますが、この試行に結び付けられる行がありません（スポークのアドレスとポート、TCP プロセスのいずれでも）。この試行を行ったスポーク{}の ILS トレースで、トレースレベル Detailed で収集したものか確認してください。", at_ja(ip)),
        )),
        Some(OtherSide { role: Role::Hub, .. }) => steps.push(bi(
            "Only the spoke's trace shows this attempt: add the hub's ILS trace covering the same minutes to see its side of the connection.",
            "この接続試行はスポーク側のトレースにしかありません。同じ時間帯のハブ側 ILS トレースを追加すると、相手側の状況も確認できます。",
        )),
        Some(OtherSide { role: Role::Spoke, .. }) => steps.push(bi(
            "Only the hub's trace shows this attempt: add the spoke's ILS trace covering the same minutes to see its side of the connection.",
            "この接続試行はハブ側のトレースにしかありません。同じ時間帯のスポーク側 ILS トレースを追加すると、相手側の状況も確認できます。",
        )),
        _ => {}
    }
    steps.push(bi(
        "Set the trace level of Cisco Intercluster Lookup Service to Detailed (Cisco Unified Serviceability > Trace > Configuration), then reproduce the join.",
        "Cisco Intercluster Lookup Service のトレースレベルを Detailed に設定し（Cisco Unified Serviceability > Trace > Configuration）、クラスタ参加を再現します。",
    ));
    steps.push(bi(
        "Collect `activelog /cm/trace/ils/sdl/` from both publishers, hub and spoke (`file get activelog /cm/trace/ils/sdl/*`, or RTMT > Trace & Log Central > Collect Files), and load both here.",
        "ハブとスポークの両方のパブリッシャから `activelog /cm/trace/ils/sdl/` を収集し（`file get activelog /cm/trace/ils/sdl/*` または RTMT > Trace & Log Central > Collect Files）、両方をここに読み込みます。",
    ));
    steps
}

/// How to confirm that a join works, from the seed's verification section.
pub fn verify_join_steps() -> Vec<Bilingual> {
    vec![
        bi(
            "On the hub, Advanced Features > ILS Configuration lists the spoke in ILS Clusters with a recent Last Contact Time and USN Data Synchronization Status `Up to date`.",
            "ハブの Advanced Features > ILS Configuration の ILS Clusters にスポークが表示され、Last Contact Time が最新で、USN Data Synchronization Status が `Up to date` であることを確認します。",
        ),
        bi(
            "`run sql select * from remotecluster` on each publisher lists the other cluster's FQDN, cluster ID and version.",
            "各パブリッシャで `run sql select * from remotecluster` を実行し、相手クラスタの FQDN、クラスタ ID、バージョンが表示されることを確認します。",
        ),
        bi(
            "In the new ILS traces both sides log `::ConnectIndInner ... established` for the connection (load them here: Loupe reports `ils.joined.*`).",
            "新しい ILS トレースで、両側にその接続の `::ConnectIndInner ... established` が出力されることを確認します（ここに読み込むと `ils.joined.*` が表示されます）。",
        ),
    ]
}

pub fn restart_ils_step() -> Bilingual {
    bi(
        "Restart Cisco Intercluster Lookup Service on the publisher where you changed something (Cisco Unified Serviceability > Tools > Control Center - Feature Services).",
        "変更を加えたパブリッシャで Cisco Intercluster Lookup Service を再起動します（Cisco Unified Serviceability > Tools > Control Center - Feature Services）。",
    )
}

/// A finding about one connection, with all its events as evidence.
pub fn connection_finding(
    ctx: &Ctx,
    view: &ConnView,
    rule: &str,
    severity: Severity,
    title: Bilingual,
    mut explanation: Explanation,
    codes: Vec<DecodedCode>,
) -> Finding {
    if explanation.collect.is_empty() {
        explanation.collect = collect_steps(other_side(ctx, view).as_ref());
    }
    let mut finding = Finding {
        rule: rule.to_string(),
        severity,
        title,
        explanation,
        evidence: connection_evidence(ctx, view),
        codes,
        connection: Some(view.id),
        step: None,
        attempts: Vec::new(),
    };
    // Where attempts are dense, the next finding may be the 20,000th of its rule.
    ctx.texts.borrow_mut().finding(&mut finding);
    finding
}

/// The address of the other end as the connection knows it, for messages.
pub fn describe_peer(view: &ConnView) -> (String, String) {
    let server = view
        .server
        .as_ref()
        .map_or("the hub".to_string(), |s| s.to_string());
    let client = view
        .client
        .as_ref()
        .map_or("the spoke".to_string(), |c| c.to_string());
    (server, client)
}
