//! `ils.connect.unanswered` (warning)
//!
//! **What**: the spoke requested a connection and nothing followed: no TCP connection, no accept,
//! no failure. When the hub's trace covers that moment and shows nothing, the packets never
//! reached the hub.
//! **Why**: TCP 7501/7502 filtered (SYN dropped), ILS not running on the hub, wrong address.
//! **Example**: `Ils::ConnectReq(): Requesting Connection to IpAddr(10.106.104.220), IpPort(7501), TLSReq(t)` and nothing after.
//! **Fix**: open TCP 7501/7502 between the publishers; start ILS on the hub.

use super::common::*;
use crate::ils::connection::Outcome;
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::EventKind;

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx
        .conns
        .iter()
        .filter(|v| v.outcome == Outcome::Unanswered)
    {
        let target = view.kinds(ctx).find_map(|(_, e)| match &e.kind {
            EventKind::ConnectRequest { target, .. } => Some(target.to_string()),
            _ => None,
        });
        let target = target.unwrap_or_else(|| "the hub".into());
        // Does a hub trace cover the moment (on the hub's clock)?
        let at = view.start_ms;
        let covering = ctx.inputs.iter().find(|i| {
            i.role == Role::Hub
                && i.first_ms.is_some_and(|f| f <= at)
                && i.last_ms.is_some_and(|l| l >= at)
        });
        let (what_en, what_ja) = match covering {
            Some(hub) => (
                format!("The spoke asked for a connection to {target} and nothing followed. The hub's trace `{}` covers that moment and shows no new connection: the packets never reached the hub's ILS.", hub.name),
                format!("スポークが {target} への接続を要求しましたが、その後何も起きていません。ハブのトレース `{}` はその時刻を含んでいますが、新しい接続の記録がありません。パケットがハブの ILS に届いていません。", hub.name),
            ),
            None => (
                format!("The spoke asked for a connection to {target} and nothing followed (no TCP connection, no failure). No hub trace covering that moment was loaded."),
                format!("スポークが {target} への接続を要求しましたが、その後何も起きていません（TCP 接続も失敗の記録もありません）。その時刻を含むハブのトレースは読み込まれていません。"),
            ),
        };
        let explanation = Explanation {
            what: bi(what_en, what_ja),
            why: bi(
                "Usually TCP 7501 (TLS) or 7502 (password) is dropped between the publishers, or Cisco Intercluster Lookup Service is not running on the hub publisher, or the Registration Server points at the wrong address. (Hypothesis: no public trace of this case is known.)",
                "多くの場合、パブリッシャ間で TCP 7501（TLS）または 7502（パスワード）が破棄されているか、ハブのパブリッシャで Cisco Intercluster Lookup Service が動作していないか、Registration Server のアドレスが誤っています（仮説: この事象の公開トレースは知られていません）。",
            ),
            fix: vec![
                bi(
                    "Permit TCP 7501 and 7502 between the hub and spoke publishers in both directions on every firewall in the path.",
                    "経路上のすべてのファイアウォールで、ハブとスポークのパブリッシャ間の TCP 7501 と 7502 を双方向に許可します。",
                ),
                bi(
                    "On the hub publisher, start Cisco Intercluster Lookup Service (Cisco Unified Serviceability > Tools > Control Center - Feature Services).",
                    "ハブのパブリッシャで Cisco Intercluster Lookup Service を起動します（Cisco Unified Serviceability > Tools > Control Center - Feature Services）。",
                ),
                bi(
                    "Check the spoke's Registration Server (Advanced Features > ILS Configuration) is the hub's publisher.",
                    "スポークの Registration Server（Advanced Features > ILS Configuration）がハブのパブリッシャであることを確認します。",
                ),
            ],
            verify: verify_join_steps(),
            collect: vec![],
        };
        out.push(connection_finding(
            ctx,
            view,
            "ils.connect.unanswered",
            Severity::Warning,
            bi(
                format!("Connection request to {target} was never answered"),
                format!("{target} への接続要求に応答がない"),
            ),
            explanation,
            vec![],
        ));
    }
    out
}
