//! `ils.tls.hub-cert-rejected` and `ils.tls.spoke-cert-rejected` (error)
//!
//! **What**: OpenSSL certificate verification failed during the ILS TLS handshake. On the spoke,
//! for `hub:7501` (the spoke rejected the hub's certificate); on the hub, for `spoke:<ephemeral>`
//! (the hub rejected the spoke's certificate).
//! **Why**: decoded from the X509 verify code: 18 self-signed certificate not in tomcat-trust, 19
//! untrusted root in the chain, 20 issuing CA missing, 21 intermediate missing, 10 expired, 9 not
//! yet valid (clock), 26 wrong key usage...
//! **Example**: `[1, 600, 17, 5]: HandleSSLError - Certificate verification failed:(Verification error:18)- self signed certificate for 10.106.104.220:7501`.
//! **Fix**: the remedy that fits the code: import the certificate into tomcat-trust (method 2) or
//! have it CA-signed (methods 3 and 4), upload the CA chain, renew, fix NTP.

use super::common::*;
use crate::codes;
use crate::ils::connection::ConnView;
use crate::ils::Ctx;
use crate::model::*;
use crate::sdl::events::EventKind;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Hub,
    Spoke,
}

impl Owner {
    fn en(self) -> &'static str {
        match self {
            Owner::Hub => "hub",
            Owner::Spoke => "spoke",
        }
    }
    fn ja(self) -> &'static str {
        match self {
            Owner::Hub => "ハブ",
            Owner::Spoke => "スポーク",
        }
    }
    fn other(self) -> Owner {
        match self {
            Owner::Hub => Owner::Spoke,
            Owner::Spoke => Owner::Hub,
        }
    }
}

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in ctx.connections() {
        for owner in [Owner::Hub, Owner::Spoke] {
            // The hub's certificate is verified by the spoke, against hub:7501, and vice versa.
            let failures: Vec<(Option<i64>, Option<String>)> = view
                .kinds(ctx)
                .filter_map(|(_, e)| match &e.kind {
                    EventKind::TlsVerifyFailed {
                        code,
                        reason,
                        remote,
                        ..
                    } if remote.is_ils_port() == (owner == Owner::Hub) => {
                        Some((*code, reason.clone()))
                    }
                    _ => None,
                })
                .collect();
            let alarm_only = owner == Owner::Hub
                && failures.is_empty()
                && view.has(ctx, |k| matches!(k, EventKind::Alarm { name, from, .. } if name == "ILSTLSAuthenticationFailed" && from == "wait_SdlConnectErrRsp"));
            if failures.is_empty() && !alarm_only {
                continue;
            }
            let code = failures.iter().find_map(|f| f.0);
            let reason = failures.iter().find_map(|f| f.1.clone());
            out.push(finding(ctx, view, owner, code, reason));
        }
    }
    out
}

fn finding(
    ctx: &Ctx,
    view: &ConnView,
    owner: Owner,
    code: Option<i64>,
    reason: Option<String>,
) -> Finding {
    let (o_en, o_ja, v_en, v_ja) = (
        owner.en(),
        owner.ja(),
        owner.other().en(),
        owner.other().ja(),
    );
    let decoded = code.map(codes::x509);
    let code_en = match (&decoded, &reason) {
        (Some(d), _) => format!(" with X509 error {} ({})", d.code, d.meaning.en),
        (None, Some(r)) => format!(" ({r})"),
        (None, None) => String::new(),
    };
    let code_ja = match (&decoded, &reason) {
        (Some(d), _) => format!("（X509 エラー {}: {}）", d.code, d.meaning.ja),
        (None, Some(r)) => format!("（{r}）"),
        (None, None) => String::new(),
    };
    let (server, client) = describe_peer(view);
    let addr = if owner == Owner::Hub { server } else { client };
    let what = bi(
        format!("The {v_en} rejected the {o_en}'s tomcat certificate ({addr}) during the ILS TLS handshake{code_en}; the connection was closed and ILSTLSAuthenticationFailed raised."),
        format!("ILS の TLS ハンドシェイク中に、{v_ja}が{o_ja}の tomcat 証明書（{addr}）を拒否しました{code_ja}。接続は閉じられ、ILSTLSAuthenticationFailed が発生します。"),
    );
    let (why, mut fix) = remedy(code, owner);
    fix.push(restart_ils_step());
    let explanation = Explanation {
        what,
        why,
        fix,
        verify: verify_join_steps(),
        collect: vec![],
    };
    let (rule, title) = match owner {
        Owner::Hub => (
            "ils.tls.hub-cert-rejected",
            bi(
                format!(
                    "The spoke rejected the hub's certificate{}",
                    code.map(|c| format!(" (X509 error {c})"))
                        .unwrap_or_default()
                ),
                format!(
                    "スポークがハブの証明書を拒否{}",
                    code.map(|c| format!("（X509 エラー {c}）"))
                        .unwrap_or_default()
                ),
            ),
        ),
        Owner::Spoke => (
            "ils.tls.spoke-cert-rejected",
            bi(
                format!(
                    "The hub rejected the spoke's certificate{}",
                    code.map(|c| format!(" (X509 error {c})"))
                        .unwrap_or_default()
                ),
                format!(
                    "ハブがスポークの証明書を拒否{}",
                    code.map(|c| format!("（X509 エラー {c}）"))
                        .unwrap_or_default()
                ),
            ),
        ),
    };
    connection_finding(
        ctx,
        view,
        rule,
        Severity::Error,
        title,
        explanation,
        decoded.into_iter().collect(),
    )
}

fn import_step(owner: Owner) -> Bilingual {
    let (o_en, o_ja, v_en, v_ja) = (
        owner.en(),
        owner.ja(),
        owner.other().en(),
        owner.other().ja(),
    );
    bi(
        format!("Method 2 (TLS with cross-imported certificates): on the {o_en} publisher, Cisco Unified OS Administration > Security > Certificate Management > find `tomcat` > Download .PEM File; on the {v_en} publisher, Certificate Management > Upload Certificate/Certificate chain with Certificate Purpose `tomcat-trust`. (Bulk Certificate Management can export, consolidate and import the certificates of all clusters.)"),
        format!("方法 2（証明書の相互インポートによる TLS）の場合: {o_ja}のパブリッシャで Cisco Unified OS Administration > Security > Certificate Management から `tomcat` を検索し Download .PEM File を実行します。{v_ja}のパブリッシャで Certificate Management > Upload Certificate/Certificate chain を開き、Certificate Purpose に `tomcat-trust` を選んでアップロードします（Bulk Certificate Management で全クラスタの証明書をまとめてエクスポート・統合・インポートすることもできます）。"),
    )
}

fn ca_sign_step(owner: Owner) -> Bilingual {
    let (o_en, o_ja) = (owner.en(), owner.ja());
    bi(
        format!("Methods 3 and 4 (CA-signed certificates, no cross-import): a self-signed tomcat certificate cannot work. On the {o_en}, Certificate Management > Generate CSR (purpose tomcat, with both server and client authentication), have it signed by your CA, upload the CA root (and intermediates) as `tomcat-trust` on BOTH clusters, then upload the signed certificate as `tomcat`."),
        format!("方法 3・4（CA 署名証明書、相互インポートなし）の場合: 自己署名の tomcat 証明書では成立しません。{o_ja}で Certificate Management > Generate CSR（用途 tomcat、サーバ認証とクライアント認証の両方）を実行して CA に署名してもらい、CA のルート（と中間）証明書を両方のクラスタに `tomcat-trust` としてアップロードしてから、署名済み証明書を `tomcat` としてアップロードします。"),
    )
}

fn remedy(code: Option<i64>, owner: Owner) -> (Bilingual, Vec<Bilingual>) {
    let (o_en, o_ja, v_en, v_ja) = (
        owner.en(),
        owner.ja(),
        owner.other().en(),
        owner.other().ja(),
    );
    match code {
        Some(18) => (
            bi(
                format!("The {o_en}'s tomcat certificate is self-signed (X509 error 18) and is not in the {v_en}'s tomcat-trust store, so OpenSSL cannot verify it. The same error appears when both clusters are self-signed."),
                format!("{o_ja}の tomcat 証明書は自己署名（X509 エラー 18）で、{v_ja}の tomcat-trust ストアにないため、OpenSSL が検証できません。両方のクラスタが自己署名の場合も同じエラーになります。"),
            ),
            vec![import_step(owner), ca_sign_step(owner)],
        ),
        Some(19) => (
            bi(
                format!("The {o_en}'s certificate chain ends in a self-signed root CA that the {v_en} does not trust (X509 error 19)."),
                format!("{o_ja}の証明書チェーンの最上位にある自己署名ルート CA を、{v_ja}が信頼していません（X509 エラー 19）。"),
            ),
            vec![bi(
                format!("Upload the root CA certificate that signed the {o_en}'s tomcat certificate to the {v_en} as `tomcat-trust` (Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate/Certificate chain)."),
                format!("{o_ja}の tomcat 証明書に署名したルート CA 証明書を、{v_ja}に `tomcat-trust` としてアップロードします（Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate/Certificate chain）。"),
            )],
        ),
        Some(2) | Some(20) => (
            bi(
                format!("The CA that issued the {o_en}'s certificate (root or intermediate) is missing from the {v_en}'s tomcat-trust store (X509 error {})." , code.unwrap_or(20)),
                format!("{o_ja}の証明書を発行した CA（ルートまたは中間）が、{v_ja}の tomcat-trust ストアにありません（X509 エラー {}）。", code.unwrap_or(20)),
            ),
            vec![bi(
                format!("Upload the full CA chain (root and every intermediate) of the {o_en}'s tomcat certificate to the {v_en} as `tomcat-trust`."),
                format!("{o_ja}の tomcat 証明書の CA チェーン全体（ルートとすべての中間証明書）を、{v_ja}に `tomcat-trust` としてアップロードします。"),
            )],
        ),
        Some(21) => (
            bi(
                format!("The {o_en} sends only its own certificate and the {v_en} does not know its issuer (X509 error 21): an intermediate CA is missing."),
                format!("{o_ja}が自分の証明書だけを送り、{v_ja}がその発行者を知りません（X509 エラー 21）。中間 CA 証明書が不足しています。"),
            ),
            vec![bi(
                format!("Upload the intermediate CA certificate(s) to the {v_en} as `tomcat-trust`, and re-upload the {o_en}'s signed tomcat certificate together with its chain."),
                format!("中間 CA 証明書を{v_ja}に `tomcat-trust` としてアップロードし、{o_ja}の署名済み tomcat 証明書をチェーン付きで再アップロードします。"),
            )],
        ),
        Some(10) | Some(9) => (
            bi(
                format!("The {o_en}'s certificate is {} (X509 error {}), or one of the clocks is wrong.", if code == Some(10) { "expired" } else { "not yet valid" }, code.unwrap_or(10)),
                format!("{o_ja}の証明書が{}（X509 エラー {}）か、どちらかの時計がずれています。", if code == Some(10) { "期限切れ" } else { "まだ有効期間に入っていない" }, code.unwrap_or(10)),
            ),
            vec![
                bi(
                    "Check the time on both publishers: `utils ntp status` (NTP synchronised, same time).",
                    "両方のパブリッシャで `utils ntp status` を実行し、NTP が同期して時刻が一致していることを確認します。",
                ),
                bi(
                    format!("If the certificate really is expired, renew the {o_en}'s tomcat certificate (Certificate Management > tomcat > Regenerate, or a new CA-signed certificate), re-import it where it was imported, and restart Cisco Tomcat and Cisco Intercluster Lookup Service."),
                    format!("証明書が本当に期限切れなら、{o_ja}の tomcat 証明書を更新し（Certificate Management > tomcat > Regenerate、または新しい CA 署名証明書）、インポート先に再インポートして、Cisco Tomcat と Cisco Intercluster Lookup Service を再起動します。"),
                ),
            ],
        ),
        Some(26) => (
            bi(
                format!("The {o_en}'s certificate does not allow this use (X509 error 26): tomcat certificates need both TLS Web Server and TLS Web Client authentication in the extended key usage."),
                format!("{o_ja}の証明書はこの用途を許可していません（X509 エラー 26）。tomcat 証明書の拡張キー使用法には TLS Web Server 認証と TLS Web Client 認証の両方が必要です。"),
            ),
            vec![bi(
                "Generate a new tomcat CSR and have the CA sign it with both server and client authentication, then upload it as `tomcat`.",
                "tomcat の CSR を新たに生成し、サーバ認証とクライアント認証の両方を含めて CA に署名してもらい、`tomcat` としてアップロードします。",
            )],
        ),
        Some(62) | Some(64) => (
            bi(
                format!("The {o_en}'s certificate does not name the host or address the {v_en} connected to (X509 error {}).", code.unwrap_or(62)),
                format!("{o_ja}の証明書に、{v_ja}の接続先ホスト名またはアドレスが含まれていません（X509 エラー {}）。", code.unwrap_or(62)),
            ),
            vec![bi(
                "Make the Registration Server / peer address match the certificate's CN or SAN (use the publisher FQDN), or reissue the certificate with the right names (wildcard certificates are not supported).",
                "Registration Server（相手のアドレス）を証明書の CN または SAN に合わせる（パブリッシャの FQDN を使う）か、正しい名前で証明書を再発行します（ワイルドカード証明書はサポートされません）。",
            )],
        ),
        _ => (
            bi(
                format!("OpenSSL on the {v_en} could not verify the {o_en}'s tomcat certificate{}.", code.map(|c| format!(" (X509 error {c})")).unwrap_or_default()),
                format!("{v_ja}の OpenSSL が{o_ja}の tomcat 証明書を検証できませんでした{}。", code.map(|c| format!("（X509 エラー {c}）")).unwrap_or_default()),
            ),
            vec![import_step(owner), ca_sign_step(owner)],
        ),
    }
}
