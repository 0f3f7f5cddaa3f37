//! `ils.password-mismatch` (error)
//!
//! **What**: the hub could not decrypt the spoke's data with its ILS password
//! (`EncrUtil::decryptData failed`) and raised the `ILSPwdAuthenticationFailed` alarm.
//! **Why**: the ILS password differs between the clusters. The same error appears in every method
//! that uses a password (1, 3, 4).
//! **Example**: `IlsD IlsHandler: wait_SdlDataInd EncrUtil::decryptData failed. ... IPAddr=10.106.104.201, Port=40592`.
//! **Fix**: set the same password on every cluster, restart ILS.

use super::common::*;
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::EventKind;

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx.connections() {
        let hit = view.has(ctx, |k| {
            matches!(k, EventKind::DecryptFailed { .. })
                || matches!(k, EventKind::Alarm { name, .. } if name == "ILSPwdAuthenticationFailed")
        });
        if !hit {
            continue;
        }
        let (_, client) = describe_peer(view);
        let explanation = Explanation {
            what: bi(
                format!("The hub could not decrypt the ILS data from {client} with its password (decryptData failed) and raised the ILSPwdAuthenticationFailed alarm; the connection was not established."),
                format!("ハブは {client} からの ILS データを自身のパスワードで復号できず（decryptData failed）、ILSPwdAuthenticationFailed アラームを出しました。接続は確立していません。"),
            ),
            why: bi(
                "The ILS password is not the same on the two clusters. It must be identical on every cluster of the ILS network, whichever method uses it (1, 3 or 4).",
                "2 つのクラスタで ILS パスワードが一致していません。パスワードを使う方法（1、3、4）では、ILS ネットワーク内のすべてのクラスタで同じパスワードである必要があります。",
            ),
            fix: vec![
                bi(
                    "On every cluster, open Cisco Unified CM Administration > Advanced Features > ILS Configuration, and under ILS Authentication enter the same Password and Confirm Password, then Save.",
                    "すべてのクラスタで Cisco Unified CM Administration > Advanced Features > ILS Configuration を開き、ILS Authentication の Password と Confirm Password に同じ値を入力して Save します。",
                ),
                restart_ils_step(),
                bi(
                    "If the spoke still fails, disconnect it and join again from the spoke (ILS Configuration > Role: Spoke Cluster, Registration Server = hub publisher).",
                    "それでも失敗する場合は、スポークを切断し、スポーク側から再参加します（ILS Configuration > Role: Spoke Cluster、Registration Server にハブのパブリッシャを指定）。",
                ),
            ],
            verify: verify_join_steps(),
            collect: vec![],
        };
        out.push(connection_finding(
            ctx,
            view,
            "ils.password-mismatch",
            Severity::Error,
            bi(
                "ILS password mismatch: the hub rejected the spoke's password",
                "ILS パスワードの不一致: ハブがスポークのパスワードを拒否",
            ),
            explanation,
            vec![],
        ));
    }
    out
}
