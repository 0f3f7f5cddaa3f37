//! `sse.tls.cafile`: the CA file given to curl could not be read (exit 77).
//!
//! - What: `curl: (77) Problem with the SSL CA cert (path? access rights?)`, usually with
//!   `--cacert /ngfw/etc/ssl/connectorCA.pem`.
//! - Why: the path is wrong (the seed prints it cut: `--cacert /ngfw/etc/`), the file is
//!   missing, or it is not readable by the user running curl.
//! - Fix: `ls -l /ngfw/etc/ssl/connectorCA.pem` as root; re-run with the full path.

use super::with_run_context;
use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.tls.cafile";

pub fn check(c: &Corpus) -> Option<Finding> {
    let seen = c.find(|s| matches!(s, Signal::CurlExit { code: 77, .. }));
    let first = *seen.first()?;
    let path = c
        .run(&first)
        .and_then(|r| r.cacert.clone())
        .unwrap_or_else(|| "/ngfw/etc/ssl/connectorCA.pem".into());
    let seen = with_run_context(c, seen);
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Tls),
        b(
            "curl could not read the CA file",
            "curl が CA 証明書ファイルを読み込めません",
        ),
    );
    f.explanation.what = b(
        format!("curl exited with 77 (line {}): the CA file `{path}` could not be read, so the test did not reach the network.", first.obs.line),
        format!("curl が終了コード 77 で終了しました（{} 行目）。CA ファイル `{path}` を読み込めなかったため、テストはネットワークに到達していません。", first.obs.line),
    );
    f.explanation.why = b(
        "This is a problem of the test command, not of the network: the path is wrong (the article prints it cut short as `--cacert /ngfw/etc/`), the file is missing, or the shell is not root.",
        "これはネットワークではなくテストコマンドの問題です。パスの誤り（記事ではパスが `--cacert /ngfw/etc/` と途中で切れています）、ファイルがない、または root 権限のシェルではないことが原因です。",
    );
    f.explanation.fix = vec![
        b("As root (`expert`, `sudo su -`), check the file: `ls -l /ngfw/etc/ssl/connectorCA.pem`.", "root（`expert` の後 `sudo su -`）でファイルを確認します: `ls -l /ngfw/etc/ssl/connectorCA.pem`。"),
        b(format!("Re-run the test with the full path: `{CURL_API}`."), format!("完全なパスでテストを再実行します: `{CURL_API}`。")),
    ];
    f.explanation.verify = vec![step_curl_retest("api-sse.cisco.com")];
    f.codes.push(curl_exit(77));
    f.evidence = c.evidence(&seen);
    Some(f)
}
