//! `ils.tls.handshake-failed` (error)
//!
//! **What**: a TLS protocol error in the ILS handshake that no certificate verdict on the same
//! connection explains: TLS version or cipher mismatch, a non-TLS peer on 7501, or an alert from
//! the far side (which rejected this side's certificate).
//! **Why**: decoded from the OpenSSL reason: 258 unsupported protocol / 1070 protocol version
//! (minimum TLS versions differ), 193 no shared cipher, 252/267 not TLS, 1042/1046/1048 the peer
//! rejected our certificate.
//! **Example**: `HandleSSLError - TLS protocol error(ssl reason code=unsupported protocol [258]),lib=SSL routines [20],fun=... for 10.106.104.201:50111`.
//! **Fix**: align `set tls min-version`, check the cipher list, or fix the certificate on this side.

use super::common::*;
use crate::codes;
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
                    | EventKind::Certificate(CertVerdict::PeerUnknown { .. })
            )
        });
        if explained {
            continue;
        }
        let Some((reason, code, function, fcode, remote)) =
            view.kinds(ctx).find_map(|(_, e)| match &e.kind {
                EventKind::TlsProtocolError(e) => Some((
                    e.reason.clone(),
                    e.reason_code,
                    e.function.clone(),
                    e.function_code,
                    e.remote.clone(),
                )),
                _ => None,
            })
        else {
            continue;
        };
        let decoded = codes::ssl_reason(code, &reason);
        let peer_rejected_us = codes::reason_is_peer_cert_rejection(code);
        let (why, fix) = if peer_rejected_us {
            (
                bi(
                    "The far side sent a TLS alert: it rejected this side's tomcat certificate (not trusted, unknown CA, or expired). Look at the far side's trace for its certificate verification error.",
                    "相手側が TLS アラートを送信しました。相手がこちら側の tomcat 証明書を拒否しています（信頼されていない、CA が不明、または期限切れ）。相手側のトレースで証明書検証エラーを確認してください。",
                ),
                vec![
                    bi(
                        "Import this cluster's tomcat certificate (or its CA chain) into the other cluster's tomcat-trust (Cisco Unified OS Administration > Security > Certificate Management).",
                        "このクラスタの tomcat 証明書（またはその CA チェーン）を相手クラスタの tomcat-trust にインポートします（Cisco Unified OS Administration > Security > Certificate Management）。",
                    ),
                    restart_ils_step(),
                ],
            )
        } else if matches!(code, 258 | 267 | 1070 | 252) {
            (
                bi(
                    "The two clusters could not agree on a TLS version (or the peer is not speaking TLS on 7501). `set tls min-version` governs port 7501; CUCM 15SU2 fresh installs default to a TLS 1.2 minimum, which an older peer limited to TLS 1.0/1.1 cannot meet.",
                    "2 つのクラスタが TLS バージョンに合意できませんでした（または相手が 7501 で TLS を話していません）。ポート 7501 には `set tls min-version` が適用され、CUCM 15SU2 の新規インストールでは最小 TLS 1.2 が既定のため、TLS 1.0/1.1 までしか使えない古い相手とは接続できません。",
                ),
                vec![
                    bi(
                        "On both publishers run `show tls min-version`; align them with `set tls min-version <1.0|1.1|1.2>` (the publisher reboots), or upgrade the older cluster.",
                        "両方のパブリッシャで `show tls min-version` を実行し、`set tls min-version <1.0|1.1|1.2>` で揃えます（パブリッシャは再起動します）。または古いクラスタをアップグレードします。",
                    ),
                    restart_ils_step(),
                ],
            )
        } else if code == 193 || code == 1040 {
            (
                bi(
                    "The handshake failed because the two sides have no cipher suite in common, or the far side aborted the handshake.",
                    "両側に共通の暗号スイートがないか、相手側がハンドシェイクを中止したため、ハンドシェイクに失敗しました。",
                ),
                vec![bi(
                    "Compare the TLS cipher configuration of both clusters (Cisco Unified OS Administration > Security > Cipher Management) with the ILS 7501 cipher list of the compatibility matrix.",
                    "両クラスタの TLS 暗号設定（Cisco Unified OS Administration > Security > Cipher Management）を、互換性マトリクスにある ILS 7501 の暗号リストと比較します。",
                )],
            )
        } else {
            (
                bi(
                    format!("OpenSSL reported `{reason}` in `{function}`; no certificate verification error on this connection explains it."),
                    format!("OpenSSL が `{function}` で `{reason}` を報告しました。この接続には、これを説明する証明書検証エラーがありません。"),
                ),
                vec![restart_ils_step()],
            )
        };
        let explanation = Explanation {
            what: bi(
                format!("The TLS handshake with {remote} failed: {reason} [{code}] in {function} [{fcode}]."),
                format!("{remote} との TLS ハンドシェイクに失敗しました: {function} [{fcode}] で {reason} [{code}]。"),
            ),
            why,
            fix,
            verify: verify_join_steps(),
            collect: vec![],
        };
        out.push(connection_finding(
            ctx,
            view,
            "ils.tls.handshake-failed",
            Severity::Error,
            bi(
                format!("TLS handshake failed: {reason}"),
                format!("TLS ハンドシェイクの失敗: {reason}"),
            ),
            explanation,
            vec![decoded, codes::ssl_function(fcode, &function)],
        ));
    }
    out
}
