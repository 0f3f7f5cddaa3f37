//! `sse.tls.verify-skipped` (info): curl ran with `-k`, the verification error was ignored, and
//! the issuer is the public CA the cloud uses.
//!
//! - What: `SSL certificate verify result: self signed certificate in certificate chain (19),
//!   continuing anyway.` with `issuer: ... HydrantID ...` (the seed's successful test).
//! - Why: `-k` skips verification; the system CA path of the FTD does not hold the chain's
//!   root. It is not a failure by itself; the connector uses Cisco's own bundle.
//! - Fix: none needed; to test trust, re-run with `--cacert /ngfw/etc/ssl/connectorCA.pem`.

use super::{issuers_of_runs, with_run_context};
use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;
use crate::securex_artefacts::x509_text::{is_public_issuer, is_time};

pub const RULE: &str = "sse.tls.verify-skipped";

pub fn check(c: &Corpus) -> Option<Finding> {
    let skipped: Vec<Seen> = c
        .find(|s| matches!(s, Signal::TlsVerifyFailed { ignored: true, code, .. } if !code.is_some_and(is_time) && *code != Some(62)))
        .into_iter()
        .filter(|s| issuers_of_runs(c, &[*s]).iter().all(|(_, i)| is_public_issuer(i)))
        .collect();
    let first = *skipped.first()?;
    let issuers = issuers_of_runs(c, &skipped);
    let mut seen = with_run_context(c, skipped.clone());
    seen.extend(issuers.iter().map(|(s, _)| *s));
    let code = match first.signal() {
        Signal::TlsVerifyFailed { code, .. } => *code,
        _ => None,
    };
    let issuer = issuers.first().map(|(_, i)| i.clone()).unwrap_or_default();
    let mut f = finding(
        RULE,
        Severity::Info,
        Some(ChainStep::Tls),
        b(
            "Certificate check skipped with -k (not an error)",
            "-k により証明書の検証を省略（エラーではありません）",
        ),
    );
    f.explanation.what = b(
        format!("curl ran with -k: the verification error at line {} was ignored (\"continuing anyway\"). The issuer is a public CA ({issuer}), so nothing points at TLS interception.", first.obs.line),
        format!("curl は -k 付きで実行されたため、{} 行目の検証エラーは無視されています（continuing anyway）。発行者は公的 CA（{issuer}）であり、TLS インスペクションを示す点はありません。", first.obs.line),
    );
    f.explanation.why = b(
        "The seed's own successful test shows this line: the FTD's system CA path (/etc/ssl/certs) lacks the root of the cloud's chain. The connector does not use that path; it verifies against Cisco's bundle /ngfw/etc/ssl/connectorCA.pem.",
        "シードの成功例にもこの行があります。FTD のシステム CA パス（/etc/ssl/certs）にクラウドの証明書チェーンのルートがないためです。コネクタはこのパスを使わず、Cisco の CA バンドル /ngfw/etc/ssl/connectorCA.pem で検証します。",
    );
    f.explanation.fix = vec![b(
        "No fix is needed for this line. To test the trust the connector relies on, run `curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem` (without -k).",
        "この行に対する対処は不要です。コネクタが使う信頼関係を確認するには、-k を付けずに `curl -v https://api-sse.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem` を実行します。",
    )];
    f.explanation.verify = vec![b(
        "That command prints `SSL certificate verify ok.`.",
        "そのコマンドで `SSL certificate verify ok.` が表示されることを確認します。",
    )];
    if let Some(code) = code {
        f.codes.push(crate::codes::x509(code));
    }
    f.evidence = c.evidence(&seen);
    Some(f)
}
