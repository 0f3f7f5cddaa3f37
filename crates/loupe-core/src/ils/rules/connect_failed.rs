//! `ils.connect.failed` (error)
//!
//! **What**: the spoke logged `ERROR(...): Connection to peerId(...) ... failed, ConnReason(n)` or
//! the `ILSHubClusterUnreachable` alarm, and nothing else on the connection (no certificate or
//! password error) explains it.
//! **Why**: the hub's ILS server could not be reached or refused the connection (ILS stopped on
//! the hub, TCP 7501/7502 filtered, wrong Registration Server). `ConnReason` and the ERROR code
//! have no public decoding.
//! **Example**: `IlsD ERROR(000005C9): Connection to peerId(0...0) ipAddr(10.106.104.220) ipPort(7501) TLSReq(t) failed, ConnReason(1)`.
//! **Fix**: check reachability, the firewall for 7501/7502, and that ILS runs on the hub publisher.

use super::common::*;
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::{CertVerdict, EventKind};

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx.connections() {
        let explained = view.has(ctx, |k| {
            matches!(
                k,
                EventKind::TlsVerifyFailed { .. }
                    | EventKind::TlsProtocolError(_)
                    | EventKind::DecryptFailed { .. }
                    | EventKind::Certificate(CertVerdict::PeerUnknown { .. })
            ) || matches!(k, EventKind::Alarm { name, .. } if name.contains("Authentication"))
        });
        let failure = view.kinds(ctx).find_map(|(_, e)| match &e.kind {
            EventKind::ClientFailed {
                code,
                target,
                reason,
                ..
            } => Some((format!("ERROR({code})"), target.to_string(), *reason)),
            EventKind::Alarm { name, target, .. } if name == "ILSHubClusterUnreachable" => {
                Some((name.clone(), target.clone(), None))
            }
            _ => None,
        });
        let Some((what_code, target, reason)) = failure.filter(|_| !explained) else {
            continue;
        };
        let reason_txt = reason
            .map(|r| format!(", ConnReason({r})"))
            .unwrap_or_default();
        let explanation = Explanation {
            what: bi(
                format!("The spoke's connection to {target} failed ({what_code}{reason_txt}); the traces show no certificate or password error for it."),
                format!("スポークから {target} への接続が失敗しました（{what_code}{reason_txt}）。トレースには、これに対応する証明書やパスワードのエラーがありません。"),
            ),
            why: bi(
                "The hub's ILS server could not be reached or refused the connection: Cisco Intercluster Lookup Service stopped on the hub publisher, TCP 7501 (TLS) / 7502 (password) blocked on the way, or the Registration Server is not the hub's publisher. ConnReason codes have no public decoding.",
                "ハブの ILS サーバに到達できないか、接続を拒否されました。ハブのパブリッシャで Cisco Intercluster Lookup Service が停止している、途中で TCP 7501（TLS）/7502（パスワード）が遮断されている、または Registration Server がハブのパブリッシャではない、といった原因が考えられます。ConnReason の意味は公開されていません。",
            ),
            fix: vec![
                bi(
                    "On the hub publisher, check that Cisco Intercluster Lookup Service is Started (Cisco Unified Serviceability > Tools > Control Center - Feature Services).",
                    "ハブのパブリッシャで Cisco Intercluster Lookup Service が Started であることを確認します（Cisco Unified Serviceability > Tools > Control Center - Feature Services）。",
                ),
                bi(
                    format!("From the spoke, check reachability of {target} (`utils network ping <hub>`), and that firewalls permit TCP 7501 and 7502 between the publishers in both directions."),
                    format!("スポークから {target} への到達性を確認し（`utils network ping <hub>`）、パブリッシャ間で TCP 7501 と 7502 が双方向に許可されていることを確認します。"),
                ),
                bi(
                    "Check that the Registration Server on the spoke (Advanced Features > ILS Configuration) is the hub's publisher IP or FQDN, and that the FQDN resolves.",
                    "スポークの Registration Server（Advanced Features > ILS Configuration）がハブのパブリッシャの IP または FQDN であり、FQDN が名前解決できることを確認します。",
                ),
            ],
            verify: verify_join_steps(),
            collect: vec![],
        };
        out.push(connection_finding(
            ctx,
            view,
            "ils.connect.failed",
            Severity::Error,
            bi(
                format!("Connection to the hub {target} failed"),
                format!("ハブ {target} への接続に失敗"),
            ),
            explanation,
            vec![],
        ));
    }
    out
}
