//! `sse.tls.untrusted`: the server certificate chain is not trusted.
//!
//! - What: curl without `-k`: `SSL certificate problem: self signed certificate in certificate
//!   chain` / `unable to get local issuer certificate` and `curl: (60) ...` (51 before 7.62);
//!   Go `x509: certificate signed by unknown authority`. With `-k`, `SSL certificate verify
//!   result: ... (19), continuing anyway.` is only reported here (as a warning) when the
//!   `issuer:` is not a public CA.
//! - Why: when the issuer is not the public CA the cloud uses (HydrantID, IdenTrust,
//!   DigiCert...), a TLS-inspecting proxy or firewall is re-signing the connection; otherwise
//!   the CA bundle in use does not hold the root.
//! - Example: `* issuer: C=JP; O=Example Corp; CN=Example Corp SSL Inspection CA` then
//!   `curl: (60) SSL certificate problem: self signed certificate in certificate chain`.
//! - Fix: exempt the SSE hosts from SSL decryption; test with `--cacert connectorCA.pem`.

use super::{issuers_of_runs, with_run_context};
use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;
use crate::securex_artefacts::x509_text::{is_public_issuer, is_time};

pub const RULE: &str = "sse.tls.untrusted";

fn is_trust_failure(s: &Signal) -> Option<bool> {
    match s {
        Signal::TlsVerifyFailed { code, ignored, .. }
            if !code.is_some_and(is_time) && *code != Some(62) =>
        {
            Some(*ignored)
        }
        _ => None,
    }
}

pub fn check(c: &Corpus) -> Option<Finding> {
    let enforced: Vec<Seen> = c.find(|s| is_trust_failure(s) == Some(false));
    let exit60: Vec<Seen> = c
        .find(|s| matches!(s, Signal::CurlExit { code: 60 | 51, .. }))
        .into_iter()
        .filter(|s| {
            // 60/51 with a hostname or clock problem in the same run belongs to those rules.
            let Some(run) = s.obs.run else { return true };
            !c.all().any(|o| {
                o.source == s.source
                    && o.obs.run == Some(run)
                    && matches!(
                        o.signal(),
                        Signal::TlsHostnameMismatch { .. }
                            | Signal::TlsVerifyFailed {
                                code: Some(9 | 10 | 62),
                                ..
                            }
                    )
            })
        })
        .collect();
    let ignored: Vec<Seen> = c.find(|s| is_trust_failure(s) == Some(true));
    let mut trigger: Vec<Seen> = enforced.iter().chain(exit60.iter()).copied().collect();
    let issuers = issuers_of_runs(c, &trigger);
    let intercepted_ignored: Vec<Seen> = ignored
        .iter()
        .copied()
        .filter(|s| {
            issuers_of_runs(c, &[*s])
                .iter()
                .any(|(_, i)| !is_public_issuer(i))
        })
        .collect();
    let severity = if !trigger.is_empty() {
        Severity::Error
    } else if !intercepted_ignored.is_empty() {
        trigger = intercepted_ignored;
        Severity::Warning
    } else {
        return None;
    };
    let issuers = if issuers.is_empty() {
        issuers_of_runs(c, &trigger)
    } else {
        issuers
    };
    let foreign: Vec<String> = issuers
        .iter()
        .filter(|(_, i)| !is_public_issuer(i))
        .map(|(_, i)| i.clone())
        .collect();
    let mut seen = with_run_context(c, trigger.clone());
    seen.extend(issuers.iter().map(|(s, _)| *s));
    let first = trigger[0];

    let mut f = finding(
        RULE,
        severity,
        Some(ChainStep::Tls),
        b(
            "The SSE cloud's certificate is not trusted",
            "SSE クラウドの証明書が信頼されていません",
        ),
    );
    let mut what = vec![b(
        format!(
            "Certificate verification failed (line {}: `{}`).",
            first.obs.line,
            first.obs.text.trim()
        ),
        format!(
            "証明書の検証に失敗しました（{} 行目: `{}`）。",
            first.obs.line,
            first.obs.text.trim()
        ),
    )];
    if severity == Severity::Warning {
        what.push(b(
            "curl ran with -k, so it continued anyway and this test alone did not fail; but the issuer shows the connection is re-signed, and the connector (which verifies) will fail.",
            "curl は -k 付きで実行されたため検証エラーを無視して続行しており、このテスト自体は失敗していません。しかし発行者から接続が再署名されていることがわかり、検証を行うコネクタは失敗します。",
        ));
    }
    if let Some(issuer) = foreign.first() {
        what.push(b(
            format!("The certificate was issued by \"{issuer}\", which is not the public CA the Cisco cloud uses: a TLS-inspecting (SSL-decrypting) proxy or firewall is probably in the path."),
            format!("証明書の発行者は「{issuer}」で、Cisco クラウドが使用する公的 CA ではありません。TLS インスペクション（SSL 復号）を行うプロキシやファイアウォールが経路上にある可能性が高いです。"),
        ));
    } else if let Some((_, issuer)) = issuers.first() {
        what.push(b(
            format!("The issuer \"{issuer}\" is a public CA: the CA bundle used for the test does not hold its root."),
            format!("発行者「{issuer}」は公的 CA です。テストに使用した CA バンドルにそのルート証明書が含まれていません。"),
        ));
    }
    f.explanation.what = join(&what);
    f.explanation.why = b(
        "The connector verifies the cloud's certificate against Cisco's bundle (/ngfw/etc/ssl/connectorCA.pem). A device that decrypts TLS presents its own certificate, signed by a corporate CA the connector does not know, so enrollment and event upload fail at the TLS step.",
        "コネクタはクラウドの証明書を Cisco の CA バンドル（/ngfw/etc/ssl/connectorCA.pem）で検証します。TLS を復号する装置は社内 CA で署名した独自の証明書を提示するため、コネクタはそれを信頼できず、登録とイベント送信が TLS の段階で失敗します。",
    );
    f.explanation.fix = vec![
        b(
            "Exempt api-sse.cisco.com, est.sco.cisco.com, eventing-ingest.sse.itd.cisco.com and mx*.sse.itd.cisco.com from SSL decryption on the proxy / firewall in the path (decrypt policy: Do Not Decrypt).",
            "経路上のプロキシやファイアウォールで、api-sse.cisco.com、est.sco.cisco.com、eventing-ingest.sse.itd.cisco.com、mx*.sse.itd.cisco.com を SSL 復号の対象外にします（復号ポリシーで Do Not Decrypt）。",
        ),
        b(
            "Test against Cisco's bundle, without -k: `curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem`.",
            "-k を付けずに Cisco の CA バンドルで検証します: `curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem`。",
        ),
    ];
    f.explanation.verify = vec![b(
        "The curl test prints `SSL certificate verify ok.` and an `issuer:` of a public CA, then an HTTP status line.",
        "curl のテストで `SSL certificate verify ok.` と公的 CA の `issuer:` が表示され、続いて HTTP ステータス行が返ることを確認します。",
    )];
    if issuers.is_empty() {
        f.explanation.collect.push(b(
            "Collect the `curl -v` transcript with its `Server certificate:` / `issuer:` lines: the issuer tells interception apart from a missing CA.",
            "`Server certificate:` と `issuer:` の行を含む `curl -v` の出力を採取してください。発行者から、TLS インスペクションか CA の不足かを判別できます。",
        ));
    }
    for s in &seen {
        match s.signal() {
            Signal::TlsVerifyFailed {
                code: Some(code), ..
            } => f.codes.push(crate::codes::x509(*code)),
            Signal::CurlExit { code, .. } if *code != 0 => f.codes.push(curl_exit(*code)),
            _ => {}
        }
    }
    f.codes.dedup();
    f.evidence = c.evidence(&seen);
    Some(f)
}
