//! `sse.tls.hostname-mismatch`: the certificate names another host.
//!
//! - What: curl `SSL: no alternative certificate subject name matches target host name
//!   'api-sse.cisco.com'` / `SSL: certificate subject name 'x' does not match target host name
//!   'y'` (exit 51 before 7.62, 60 after); Go `x509: certificate is valid for <names>, not <host>`.
//! - Why: a server other than the cloud answered: a DNS hijack, a captive portal, or a proxy
//!   presenting its own certificate.
//! - Fix: check the DNS answer and the proxy.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tls.hostname-mismatch";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| {
        matches!(
            s,
            Signal::TlsHostnameMismatch { .. } | Signal::TlsVerifyFailed { code: Some(62), .. }
        )
    });
    let first = *seen.first()?;
    let seen = with_run_context(c, seen);
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tls),
        b(
            "The certificate does not name the SSE host",
            "証明書に SSE のホスト名が含まれていません",
        ),
    );
    f.explanation.what = b(
        format!("The certificate presented does not match the host name that was asked for (line {}: `{}`).", first.obs.line, first.obs.text.trim()),
        format!("提示された証明書が接続先のホスト名と一致しません（{} 行目: `{}`）。", first.obs.line, first.obs.text.trim()),
    );
    f.explanation.why = b(
        "The Cisco cloud's certificates name their hosts, so another server answered: DNS returned a wrong address (hijack, sinkhole), a captive portal intercepted the request, or a proxy presented its own certificate.",
        "Cisco クラウドの証明書には各ホスト名が含まれているため、別のサーバが応答しています。DNS が誤ったアドレスを返した（ハイジャック、シンクホール）、キャプティブポータルが要求を横取りした、またはプロキシが独自の証明書を提示した可能性があります。",
    );
    f.explanation.fix = vec![
        b("Check the address the name resolves to: `nslookup api-sse.cisco.com` (expert shell).", "名前解決の結果を確認します: エキスパートシェルで `nslookup api-sse.cisco.com`。"),
        b("Check the proxy path: `show network` > Proxy Information; exempt the SSE hosts from interception.", "プロキシの経路を確認します: `show network` の Proxy Information。SSE のホストをインスペクションの対象外にします。"),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    for s in &seen {
        if let Signal::CurlExit { code, .. } = s.signal() {
            f.codes.push(curl_exit(*code));
        }
    }
    f.codes.insert(0, crate::codes::x509(62));
    f.evidence = c.evidence(&seen);
    Some(f)
}
