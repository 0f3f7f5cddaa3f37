//! `sse.tls.clock`: the certificate is outside its validity period: check the device clock.
//!
//! - What: curl `SSL certificate problem: certificate has expired` (X509 10) / `certificate is
//!   not yet valid` (9); Go `x509: certificate has expired or is not yet valid: current time
//!   ... is after/before ...`.
//! - Why: the cloud's certificates are renewed well before expiry, so the usual cause is a
//!   wrong clock on the FMC/FTD (no NTP); an expired interception certificate is the other.
//! - Fix: configure NTP on the FMC (System > Configuration > Time Synchronization) and push
//!   it to the devices; check with `show time` / `date`.

use super::{issuers_of_runs, with_run_context};
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;
use crate::securex_artefacts::x509_text::is_time;

pub const RULE: &str = "sse.tls.clock";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen =
        c.find(|s| matches!(s, Signal::TlsVerifyFailed { code: Some(code), .. } if is_time(*code)));
    let first = *seen.first()?;
    let (code, ignored) = match first.signal() {
        Signal::TlsVerifyFailed { code, ignored, .. } => (code.unwrap_or(10), *ignored),
        _ => (10, false),
    };
    let all_ignored = seen
        .iter()
        .all(|s| matches!(s.signal(), Signal::TlsVerifyFailed { ignored: true, .. }));
    let issuers = issuers_of_runs(c, &seen);
    let mut evidence = with_run_context(c, seen.clone());
    evidence.extend(issuers.iter().map(|(s, _)| *s));
    let severity = if all_ignored {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut f = finding(
        RULE,
        severity,
        Some(ChainStep::Tls),
        b(
            "Certificate time check failed: check the device clock (NTP)",
            "証明書の有効期間の検証に失敗: デバイスの時刻（NTP）を確認してください",
        ),
    );
    let state = if code == 9 {
        ("not yet valid", "まだ有効期間が始まっていません")
    } else {
        ("expired", "有効期限が切れています")
    };
    let mut what = vec![b(
        format!(
            "The server certificate is {} according to the device's clock (line {}: `{}`).",
            state.0,
            first.obs.line,
            first.obs.text.trim()
        ),
        format!(
            "デバイスの時刻では、サーバ証明書は{}（{} 行目: `{}`）。",
            state.1,
            first.obs.line,
            first.obs.text.trim()
        ),
    )];
    if ignored {
        what.push(b(
            "curl ran with -k and continued, but the connector verifies and will fail.",
            "curl は -k 付きのため続行しましたが、検証を行うコネクタは失敗します。",
        ));
    }
    f.explanation.what = join(&what);
    f.explanation.why = b(
        "The Cisco cloud renews its certificates well before they expire, so an expired or not-yet-valid certificate almost always means the FMC/FTD clock is wrong (NTP not configured or unreachable). If the issuer is a corporate CA, the TLS-inspecting device's own certificate may really have expired.",
        "Cisco クラウドの証明書は期限切れになる前に更新されるため、期限切れや有効期間前と判定される場合、ほとんどは FMC/FTD の時刻のずれ（NTP 未設定または到達不能）が原因です。発行者が社内 CA の場合は、TLS インスペクション装置の証明書が実際に期限切れの可能性もあります。",
    );
    f.explanation.fix = vec![
        b("Check the clock: `show time` in the FTD CLISH, or `date -u` in the expert shell.", "時刻を確認します: FTD の CLISH で `show time`、またはエキスパートシェルで `date -u`。"),
        b(
            "Configure NTP on the FMC (System > Configuration > Time Synchronization) and the devices' platform settings (Devices > Platform Settings > Time Synchronization), then deploy.",
            "FMC で NTP を設定し（System > Configuration > Time Synchronization）、デバイスのプラットフォーム設定（Devices > Platform Settings > Time Synchronization）も設定して展開します。",
        ),
    ];
    f.explanation.verify = vec![b(
        "`curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem` prints `SSL certificate verify ok.`.",
        "`curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem` で `SSL certificate verify ok.` が表示されることを確認します。",
    )];
    f.codes.push(crate::codes::x509(code));
    for s in &evidence {
        if let Signal::CurlExit { code, .. } = s.signal() {
            f.codes.push(curl_exit(*code));
        }
    }
    f.evidence = c.evidence(&evidence);
    Some(f)
}
