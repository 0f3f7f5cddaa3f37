//! Decoders for the codes found in logs: OpenSSL X509 verify results and OpenSSL error-queue
//! fields (reason, library, function). Keyed by number; the texts are OpenSSL 1.0.x (as CUCM
//! prints them) with the 3.x spelling where it differs. Source: shared/domain/ils.md §6, §7.

use crate::model::{Bilingual, DecodedCode};

/// (code, macro suffix, OpenSSL 1.0.x text, plain-language meaning EN, JA)
const X509: &[(i64, &str, &str, &str, &str)] = &[
    (0, "OK", "ok", "verification succeeded", "検証に成功しました"),
    (2, "UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate", "the issuer certificate of a certificate in the chain could not be found", "チェーン内の証明書の発行者証明書が見つかりません"),
    (3, "UNABLE_TO_GET_CRL", "unable to get certificate CRL", "the CRL of a certificate could not be found", "証明書の CRL が見つかりません"),
    (4, "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "unable to decrypt certificate's signature", "the certificate signature could not be decrypted", "証明書の署名を復号できません"),
    (6, "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "unable to decode issuer public key", "the issuer's public key could not be read", "発行者の公開鍵を読み取れません"),
    (7, "CERT_SIGNATURE_FAILURE", "certificate signature failure", "the certificate signature is invalid", "証明書の署名が不正です"),
    (9, "CERT_NOT_YET_VALID", "certificate is not yet valid", "the certificate is not yet valid: its start date is in the future, or the clock is wrong", "証明書の有効期間がまだ始まっていません（開始日が未来、または時計のずれ）"),
    (10, "CERT_HAS_EXPIRED", "certificate has expired", "the certificate has expired (or the clock is wrong)", "証明書の有効期限が切れています（または時計のずれ）"),
    (13, "ERROR_IN_CERT_NOT_BEFORE_FIELD", "format error in certificate's notBefore field", "the certificate's start date is malformed", "証明書の notBefore フィールドの形式が不正です"),
    (14, "ERROR_IN_CERT_NOT_AFTER_FIELD", "format error in certificate's notAfter field", "the certificate's end date is malformed", "証明書の notAfter フィールドの形式が不正です"),
    (17, "OUT_OF_MEM", "out of memory", "OpenSSL ran out of memory", "OpenSSL のメモリ不足です"),
    (18, "DEPTH_ZERO_SELF_SIGNED_CERT", "self signed certificate", "the peer presented a self-signed certificate that is not in the local trust store", "相手が自己署名証明書を提示しましたが、ローカルの信頼ストアにありません"),
    (19, "SELF_SIGNED_CERT_IN_CHAIN", "self signed certificate in certificate chain", "the chain ends in a self-signed root that is not trusted locally", "チェーンの最上位の自己署名ルート証明書がローカルで信頼されていません"),
    (20, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate", "the issuing CA (root or intermediate) is not in the local trust store", "発行元 CA（ルートまたは中間）がローカルの信頼ストアにありません"),
    (21, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate", "only the leaf certificate was sent and its issuer is unknown", "サーバ証明書だけが送られ、その発行者が不明です"),
    (22, "CERT_CHAIN_TOO_LONG", "certificate chain too long", "the chain is longer than allowed", "証明書チェーンが長すぎます"),
    (23, "CERT_REVOKED", "certificate revoked", "the certificate has been revoked", "証明書が失効しています"),
    (24, "INVALID_CA", "invalid CA certificate", "a CA certificate in the chain is not valid as a CA", "チェーン内の CA 証明書が CA として無効です"),
    (25, "PATH_LENGTH_EXCEEDED", "path length constraint exceeded", "the chain violates a path length constraint", "パス長の制約に違反しています"),
    (26, "INVALID_PURPOSE", "unsupported certificate purpose", "the certificate's extended key usage does not allow this use (tomcat certificates need both server and client authentication)", "証明書の拡張キー使用法がこの用途を許可していません（tomcat 証明書にはサーバ認証とクライアント認証の両方が必要）"),
    (27, "CERT_UNTRUSTED", "certificate not trusted", "the root CA is not marked as trusted", "ルート CA が信頼済みになっていません"),
    (28, "CERT_REJECTED", "certificate rejected", "the root CA is marked to reject this purpose", "ルート CA がこの用途を拒否するよう設定されています"),
    (29, "SUBJECT_ISSUER_MISMATCH", "subject issuer mismatch", "the issuer name does not match the CA's subject", "発行者名と CA のサブジェクトが一致しません"),
    (30, "AKID_SKID_MISMATCH", "authority and subject key identifier mismatch", "key identifiers do not match", "鍵識別子が一致しません"),
    (32, "KEYUSAGE_NO_CERTSIGN", "key usage does not include certificate signing", "the CA certificate may not sign certificates", "CA 証明書に証明書署名の鍵用途がありません"),
    (62, "HOSTNAME_MISMATCH", "Hostname mismatch", "the certificate does not name the host that was contacted", "証明書に接続先のホスト名が含まれていません"),
    (64, "IP_ADDRESS_MISMATCH", "IP address mismatch", "the certificate does not name the IP address that was contacted", "証明書に接続先の IP アドレスが含まれていません"),
];

/// Decode an X509 verify result (`Verification error:N`, `verify result: ... (N)`).
pub fn x509(code: i64) -> DecodedCode {
    match X509.iter().find(|e| e.0 == code) {
        Some(&(c, name, text, en, ja)) => DecodedCode {
            kind: "x509-verify".into(),
            code: c,
            name: format!("X509_V_ERR_{name}").replace("X509_V_ERR_OK", "X509_V_OK"),
            meaning: Bilingual::new(format!("{text}: {en}"), format!("{text}: {ja}")),
        },
        None => DecodedCode {
            kind: "x509-verify".into(),
            code,
            name: format!("X509 verify error {code}"),
            meaning: Bilingual::new(
                "an OpenSSL certificate verification error not in Loupe's table; see the OpenSSL X509_V_ERR list",
                "Loupe の表にない OpenSSL の証明書検証エラーです。OpenSSL の X509_V_ERR 一覧を参照してください",
            ),
        },
    }
}

/// (reason code, text, meaning EN, JA)
const SSL_REASONS: &[(i64, &str, &str, &str)] = &[
    (68, "internal error", "a generic OpenSSL error raised after the failure before it (here: after the certificate verification failure)", "直前の失敗（ここでは証明書検証の失敗）の後に出る OpenSSL の汎用エラーです"),
    (114, "bad message type", "the handshake was aborted: a message of an unexpected type arrived (the far side stopped the handshake)", "想定外の種類のメッセージを受信してハンドシェイクが中断されました（相手側がハンドシェイクを中止）"),
    (134, "certificate verify failed", "local verification of the peer's certificate chain failed", "相手の証明書チェーンのローカル検証に失敗しました"),
    (193, "no shared cipher", "the two sides have no cipher suite in common", "両側に共通の暗号スイートがありません"),
    (199, "peer did not return a certificate", "the server requires a client certificate and none was sent", "サーバがクライアント証明書を要求しましたが送られませんでした"),
    (244, "unexpected message", "a handshake message arrived out of order", "ハンドシェイクのメッセージが想定外の順序で届きました"),
    (252, "unknown protocol", "the peer does not speak TLS (e.g. plain TCP on 7501)", "相手が TLS を話していません（例: 7501 への平文 TCP）"),
    (258, "unsupported protocol", "the TLS versions allowed on the two sides do not overlap", "両側で許可された TLS バージョンが重なりません"),
    (267, "wrong version number", "TLS version mismatch, or a non-TLS peer on a TLS port", "TLS バージョンの不一致、または TLS ポートに非 TLS の相手"),
    (281, "decryption failed or bad record mac", "a record could not be decrypted (corruption or a middlebox)", "レコードを復号できません（データ破損または中間装置）"),
    (1040, "sslv3 alert handshake failure", "the peer aborted the handshake (alert 40)", "相手がハンドシェイクを中止しました（アラート 40）"),
    (1042, "sslv3 alert bad certificate", "the peer rejected our certificate (alert 42)", "相手がこちらの証明書を拒否しました（アラート 42）"),
    (1045, "sslv3 alert certificate expired", "the peer says our certificate has expired (alert 45)", "相手によるとこちらの証明書は期限切れです（アラート 45）"),
    (1046, "sslv3 alert certificate unknown", "the peer does not trust our certificate (alert 46)", "相手がこちらの証明書を信頼していません（アラート 46）"),
    (1048, "tlsv1 alert unknown ca", "the peer does not know the CA that issued our certificate (alert 48)", "相手がこちらの証明書の発行 CA を知りません（アラート 48）"),
    (1051, "tlsv1 alert decrypt error", "the peer could not verify the handshake signature (alert 51)", "相手がハンドシェイクの署名を検証できませんでした（アラート 51）"),
    (1070, "tlsv1 alert protocol version", "the peer refuses our TLS version (alert 70)", "相手がこちらの TLS バージョンを拒否しました（アラート 70）"),
    (1080, "tlsv1 alert internal error", "the peer hit an internal error (alert 80)", "相手側で内部エラーが発生しました（アラート 80）"),
];

/// Decode an OpenSSL reason code from `ssl reason code=<text> [<R>]`.
pub fn ssl_reason(code: i64, printed: &str) -> DecodedCode {
    let (text, en, ja) = match SSL_REASONS.iter().find(|e| e.0 == code) {
        Some(&(_, text, en, ja)) => (text.to_string(), en.to_string(), ja.to_string()),
        None if code > 1000 && code < 1256 => (
            printed.to_string(),
            format!("TLS alert {} received from the peer", code - 1000),
            format!("相手から TLS アラート {} を受信しました", code - 1000),
        ),
        None => (
            printed.to_string(),
            "an OpenSSL reason not in Loupe's table".to_string(),
            "Loupe の表にない OpenSSL の理由コードです".to_string(),
        ),
    };
    DecodedCode {
        kind: "openssl-reason".into(),
        code,
        name: text.clone(),
        meaning: Bilingual::new(format!("{text}: {en}"), format!("{text}: {ja}")),
    }
}

/// Is this reason a TLS alert that says the *peer* rejected our certificate?
pub fn reason_is_peer_cert_rejection(code: i64) -> bool {
    matches!(code, 1042 | 1045 | 1046 | 1048)
}

/// Decode the OpenSSL function field (`fun=ssl3_get_server_hello [146]`).
pub fn ssl_function(code: i64, printed: &str) -> DecodedCode {
    let (en, ja) = match code {
        146 => (
            "while reading the server's hello: the client side of the handshake",
            "サーバの Hello を読み取り中（ハンドシェイクのクライアント側）",
        ),
        164 => (
            "while resetting the connection after a failure (SSL_clear)",
            "失敗後に接続をリセット中（SSL_clear）",
        ),
        _ => (
            "OpenSSL function where the error was raised",
            "エラーが発生した OpenSSL の関数",
        ),
    };
    DecodedCode {
        kind: "openssl-function".into(),
        code,
        name: printed.to_string(),
        meaning: Bilingual::new(en, ja),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_codes_the_seed_shows() {
        assert_eq!(x509(18).name, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT");
        assert!(x509(18).meaning.en.starts_with("self signed certificate"));
        assert_eq!(x509(0).name, "X509_V_OK");
        assert!(x509(999).meaning.en.contains("not in Loupe's table"));
        assert!(ssl_reason(114, "bad message type")
            .meaning
            .en
            .contains("aborted"));
        assert!(ssl_reason(1049, "tlsv1 alert access denied")
            .meaning
            .en
            .contains("alert 49"));
    }
}
