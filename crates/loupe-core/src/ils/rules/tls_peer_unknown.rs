//! `ils.tls.peer-unknown` (error)
//!
//! **What**: the hub found the spoke's certificate neither in its local store nor the spoke's
//! FQDN in its peer info vector, and closed the connection.
//! **Why**: method 2 without the spoke's tomcat certificate in the hub's tomcat-trust (the spoke
//! never joined with a password, so its FQDN is not in the peer info vector either).
//! **Example**: `Ils::VerifyCertificateInfo(): certificate is not in the local store and the FQDN (cucm11.adfs.ucce.com) is not in the peer info vector, closing the connection`.
//! **Fix**: import the spoke's tomcat certificate into the hub's tomcat-trust, or join with a
//! password first (method 4), or use CA-signed certificates with method 3.

use super::common::*;
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::{CertVerdict, EventKind};

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx.connections() {
        let fqdn = view.kinds(ctx).find_map(|(_, e)| match &e.kind {
            EventKind::Certificate(CertVerdict::PeerUnknown { fqdn }) => Some(fqdn.clone()),
            _ => None,
        });
        let alarm_fqdn = view.kinds(ctx).find_map(|(_, e)| match &e.kind {
            EventKind::Alarm { name, from, target }
                if name == "ILSTLSAuthenticationFailed" && from == "VerifyCertificateInfo" =>
            {
                Some(target.clone())
            }
            _ => None,
        });
        let Some(fqdn) = fqdn.or(alarm_fqdn) else {
            continue;
        };
        let explanation = Explanation {
            what: bi(
                format!("The hub closed the TLS connection from {fqdn}: its certificate is not in the hub's local store and {fqdn} is not in the peer info vector. `X509_STORE_get_by_subject failed.` before it is the store lookup that failed."),
                format!("ハブは {fqdn} からの TLS 接続を閉じました。相手の証明書がハブのローカルストアになく、{fqdn} もピア情報ベクタにありません。直前の `X509_STORE_get_by_subject failed.` は、このストア検索の失敗です。"),
            ),
            why: bi(
                "With Use TLS Certificates (method 2) each cluster must have the other's tomcat certificate in tomcat-trust. A peer is also accepted without it when its FQDN is already in the peer info vector (learned in an earlier password join, method 4) or when its certificate is signed by a trusted CA and the password matches (method 3). None of these holds here.",
                "「Use TLS Certificates」（方法 2）では、各クラスタの tomcat-trust に相手の tomcat 証明書が必要です。証明書がなくても、以前のパスワード参加で FQDN がピア情報ベクタに入っている場合（方法 4）や、信頼済み CA で署名されパスワードが一致する場合（方法 3）は受け入れられますが、今回はいずれにも当てはまりません。",
            ),
            fix: vec![
                bi(
                    format!("On the spoke ({fqdn}): Cisco Unified OS Administration > Security > Certificate Management > `tomcat` > Download .PEM File. On the hub: Upload Certificate/Certificate chain with purpose `tomcat-trust`."),
                    format!("スポーク（{fqdn}）で Cisco Unified OS Administration > Security > Certificate Management > `tomcat` > Download .PEM File を実行し、ハブで Upload Certificate/Certificate chain から用途 `tomcat-trust` でアップロードします。"),
                ),
                bi(
                    "Or: join with Use Password first, then switch to Use TLS Certificates (method 4); or use CA-signed tomcat certificates with Use TLS Certificates + Use Password (method 3, CUCM 11.5+).",
                    "または、まず「Use Password」で参加してから「Use TLS Certificates」に切り替える（方法 4）、あるいは CA 署名の tomcat 証明書で「Use TLS Certificates」と「Use Password」を併用します（方法 3、CUCM 11.5 以降）。",
                ),
                bi(
                    format!("Check that {fqdn} is the spoke publisher's real FQDN and resolves in DNS (forward and reverse)."),
                    format!("{fqdn} がスポークのパブリッシャの正しい FQDN で、DNS で正引き・逆引きできることを確認します。"),
                ),
                restart_ils_step(),
            ],
            verify: verify_join_steps(),
            collect: vec![],
        };
        out.push(connection_finding(
            ctx,
            view,
            "ils.tls.peer-unknown",
            Severity::Error,
            bi(
                format!("The hub does not know {fqdn}: certificate not trusted and FQDN not in the peer info vector"),
                format!("ハブが {fqdn} を認識できない: 証明書が信頼されておらず、FQDN もピア情報ベクタにない"),
            ),
            explanation,
            vec![],
        ));
    }
    out
}
