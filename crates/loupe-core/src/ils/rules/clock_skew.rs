//! `ils.clock-skew` (warning)
//!
//! **What**: events of the same connection, paired by their ephemeral port (or PeerIds), differ by
//! more than 2 seconds between the hub's and the spoke's traces.
//! **Why**: the publishers' clocks are not synchronised. Skew breaks certificate validity checks
//! (X509 errors 9 and 10) and makes traces hard to align.
//! **Example**: hub `Server Connection ... established` at 16:58:42.889, spoke `starting to ... established` at 16:58:46.396.
//! **Fix**: point both publishers at the same NTP servers (`utils ntp status`).

use super::common::*;
use crate::ils::connection::EvRef;
use crate::ils::Ctx;
use crate::model::*;

pub const THRESHOLD_MS: i64 = 2_000;

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let Some(offset) = ctx.offset_ms.filter(|o| o.abs() > THRESHOLD_MS) else {
        return vec![];
    };
    // Evidence: the first event of each side of the paired connections.
    let mut evidence = Vec::new();
    for view in ctx
        .conns
        .iter()
        .filter(|v| v.hub.is_some() && v.spoke.is_some())
    {
        for side in [view.hub, view.spoke].into_iter().flatten() {
            if let Some(r) = view.events.iter().find(|r| r.input == side) {
                evidence.push(evidence_of(
                    ctx,
                    EvRef {
                        input: r.input,
                        event: r.event,
                    },
                ));
            }
        }
    }
    let secs = offset as f64 / 1000.0;
    let (en_dir, ja_dir) = if offset > 0 {
        ("ahead of", "進んでいます")
    } else {
        ("behind", "遅れています")
    };
    vec![Finding {
        rule: "ils.clock-skew".into(),
        severity: Severity::Warning,
        title: bi(format!("Clocks differ by {:.1} s between spoke and hub", secs.abs()), format!("スポークとハブの時計が {:.1} 秒ずれている", secs.abs())),
        explanation: Explanation {
            what: bi(
                format!("Events of the same connections are {:.3} s apart: the spoke's clock is {en_dir} the hub's. Loupe aligns the two traces by this offset.", secs.abs()),
                format!("同じ接続のイベントが {:.3} 秒ずれています。スポークの時計はハブより{ja_dir}。Loupe はこのずれを補正して 2 つのトレースを並べています。", secs.abs()),
            ),
            why: bi(
                "The publishers are not synchronised to the same NTP source. Clock skew makes certificates look expired or not yet valid (X509 errors 9, 10) and makes traces hard to compare.",
                "パブリッシャが同じ NTP サーバに同期していません。時計のずれは証明書の期限切れや有効期間前（X509 エラー 9、10）の原因になり、トレースの比較も難しくなります。",
            ),
            fix: vec![
                bi("On both publishers run `utils ntp status` and check they are synchronised (stratum, offset).", "両方のパブリッシャで `utils ntp status` を実行し、同期していること（stratum、offset）を確認します。"),
                bi("Configure the same reachable NTP servers on both (Cisco Unified OS Administration > Settings > NTP Servers, or `utils ntp server add`).", "両方に到達可能な同じ NTP サーバを設定します（Cisco Unified OS Administration > Settings > NTP Servers、または `utils ntp server add`）。"),
            ],
            verify: vec![bi("`utils ntp status` shows both synchronised; new traces of the same connection differ by milliseconds.", "`utils ntp status` で両方が同期していることを確認し、新しいトレースで同じ接続の時刻差がミリ秒単位であることを確認します。")],
            collect: vec![],
        },
        evidence,
        codes: vec![],
        connection: None,
        step: None,
        attempts: Vec::new(),
    }]
}
