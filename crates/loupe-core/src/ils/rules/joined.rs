//! `ils.joined.password`, `ils.joined.tls`, `ils.joined.tls-password`, `ils.joined.peer-info-vector` (ok)
//!
//! **What**: a connection between the clusters was established; the id names the authentication
//! method actually in use.
//! **Why it matters**: it proves the join works and tells which method the clusters really use
//! (a password join later switched to TLS shows as `peer-info-vector`).
//! **Example**: hub `::ConnectIndInner Server Connection to PeerId(...) ... LocalIP/Port(hub:7502) TLSReq(f) established`.
//! **Fix**: none needed.

use super::common::*;
use crate::ils::connection::{Method, Outcome};
use crate::ils::Ctx;
use crate::model::*;

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx.connections().filter(|v| v.outcome == Outcome::Joined) {
        let method = view.method.unwrap_or(Method::Tls);
        let port = view
            .server
            .as_ref()
            .and_then(|s| s.port)
            .map(|p| p.to_string())
            .unwrap_or_else(|| match view.tls {
                Some(false) => "7502".into(),
                _ => "7501".into(),
            });
        let (rule, title, what, why) = match method {
            Method::Password => (
                "ils.joined.password",
                bi(format!("Joined with password authentication on {port}"), format!("パスワード認証で参加（ポート {port}）")),
                bi(
                    format!("The spoke connected to the hub on port {port} without TLS and the hub accepted it: the ILS password matches on both clusters."),
                    format!("スポークがハブのポート {port} に TLS なしで接続し、ハブが受け入れました。両クラスタの ILS パスワードが一致しています。"),
                ),
                bi("Method 1: Use Password is set on both clusters; port 7502 carries the password-authenticated connection.", "方法 1: 両クラスタで「Use Password」が設定されており、パスワード認証の接続はポート 7502 を使います。"),
            ),
            Method::Tls => (
                "ils.joined.tls",
                bi(format!("Joined with TLS certificates on {port}"), format!("TLS 証明書で参加（ポート {port}）")),
                bi(
                    "Each side found the other's tomcat certificate in its certificate store and the TLS connection was established.",
                    "両側が相手の tomcat 証明書を自分の証明書ストアで見つけ、TLS 接続が確立しました。",
                ),
                bi("Method 2: Use TLS Certificates with the tomcat certificates cross-imported into tomcat-trust.", "方法 2: 「Use TLS Certificates」を使い、tomcat 証明書を互いの tomcat-trust にインポートしています。"),
            ),
            Method::TlsPassword => (
                "ils.joined.tls-password",
                bi(format!("Joined with TLS and password (CA-signed certificates) on {port}"), format!("TLS とパスワード（CA 署名証明書）で参加（ポート {port}）")),
                bi(
                    "The peer's certificate is not in the store but is signed by a root CA uploaded locally, the password was decrypted successfully, and the TLS connection was established. `X509_STORE_get_by_subject failed.` is expected here.",
                    "相手の証明書はストアにありませんが、ローカルにアップロードされたルート CA で署名されており、パスワードの復号に成功して TLS 接続が確立しました。この方法では `X509_STORE_get_by_subject failed.` は正常です。",
                ),
                bi("Method 3 (CUCM 11.5 and later): Use TLS Certificates and Use Password with CA-signed tomcat certificates; no cross-import needed.", "方法 3（CUCM 11.5 以降）: CA 署名の tomcat 証明書で「Use TLS Certificates」と「Use Password」を併用しており、証明書の相互インポートは不要です。"),
            ),
            Method::PeerInfoVector => (
                "ils.joined.peer-info-vector",
                bi(format!("Joined with TLS after a password join (FQDN in the peer info vector) on {port}"), format!("パスワード参加後に TLS で参加（FQDN がピア情報ベクタにある、ポート {port}）")),
                bi(
                    "The certificate is not in the local store, but the peer's FQDN is in the PeerInfoVector learned during the earlier password join, so the TLS connection is accepted. `X509_STORE_get_by_subject failed.` is expected here.",
                    "証明書はローカルストアにありませんが、以前のパスワード参加で得たピア情報ベクタに相手の FQDN があるため、TLS 接続が受け入れられました。この方法では `X509_STORE_get_by_subject failed.` は正常です。",
                ),
                bi("Method 4: the clusters joined with a password first and were then switched to Use TLS Certificates.", "方法 4: まずパスワードで参加し、その後「Use TLS Certificates」に切り替えています。"),
            ),
        };
        let explanation = Explanation {
            what,
            why,
            fix: vec![],
            verify: verify_join_steps(),
            collect: collect_steps(other_side(ctx, view).as_ref()),
        };
        out.push(connection_finding(
            ctx,
            view,
            rule,
            Severity::Ok,
            title,
            explanation,
            vec![],
        ));
    }
    out
}
