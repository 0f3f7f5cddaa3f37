//! Small helpers the rules share to write findings: bilingual text, the finding skeleton, the
//! standard FTD/FMC command steps.

use crate::model::*;

pub fn b(en: impl Into<Text>, ja: impl Into<Text>) -> Bilingual {
    Bilingual::new(en, ja)
}

/// A finding with its rule, severity, step and title; the rule fills in the rest.
pub fn finding(
    rule: &str,
    severity: Severity,
    step: Option<ChainStep>,
    title: Bilingual,
) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity,
        title,
        explanation: Explanation::default(),
        evidence: Vec::new(),
        codes: Vec::new(),
        connection: None,
        step,
        attempts: Vec::new(),
    }
}

/// Join sentences of both languages (English with spaces, Japanese without).
pub fn join(parts: &[Bilingual]) -> Bilingual {
    let en: Vec<&str> = parts
        .iter()
        .map(|p| &*p.en)
        .filter(|s| !s.is_empty())
        .collect();
    let ja: Vec<&str> = parts
        .iter()
        .map(|p| &*p.ja)
        .filter(|s| !s.is_empty())
        .collect();
    Bilingual::new(en.join(" "), ja.concat())
}

/// The registration test of the seed, against Cisco's CA bundle.
pub const CURL_API: &str = "curl -v https://api-sse.cisco.com/providers/sse/services/registration/api/v2/clients --cacert /ngfw/etc/ssl/connectorCA.pem";

pub fn curl_test(host: &str) -> String {
    if host == "api-sse.cisco.com" || host.is_empty() {
        CURL_API.to_string()
    } else {
        format!("curl -v https://{host} --cacert /ngfw/etc/ssl/connectorCA.pem")
    }
}

pub fn step_show_network() -> Bilingual {
    b(
        "In the FTD CLISH (or FMC CLI), run `show network` and read `DNS Servers`, the management interface's address and gateway, and `Proxy Information`.",
        "FTD の CLISH（または FMC の CLI）で `show network` を実行し、`DNS Servers`、管理インターフェイスのアドレスとゲートウェイ、`Proxy Information` を確認します。",
    )
}

pub fn step_curl_retest(host: &str) -> Bilingual {
    let cmd = curl_test(host);
    b(
        format!("From the expert shell (`expert`, then `sudo su -`), re-run `{cmd}`: an HTTP status line such as `HTTP/1.1 403 Forbidden` proves the path works."),
        format!("エキスパートシェル（`expert` の後 `sudo su -`）で `{cmd}` を再実行します。`HTTP/1.1 403 Forbidden` などの HTTP ステータス行が返れば経路は正常です。"),
    )
}

pub fn step_allow_hosts() -> Bilingual {
    b(
        "On the firewalls and proxies between the management interface and the Internet, allow outbound TCP 443 to api-sse.cisco.com, est.sco.cisco.com, eventing-ingest.sse.itd.cisco.com and mx*.sse.itd.cisco.com (EU: *.eu.sse.itd.cisco.com, APJC: *.apj.sse.itd.cisco.com), by name (URL/FQDN), not by IP: the addresses change.",
        "管理インターフェイスからインターネットまでの間にあるファイアウォールやプロキシで、api-sse.cisco.com、est.sco.cisco.com、eventing-ingest.sse.itd.cisco.com、mx*.sse.itd.cisco.com（EU は *.eu.sse.itd.cisco.com、APJC は *.apj.sse.itd.cisco.com）への TCP 443 の送信を許可します。IP アドレスは変わるため、IP ではなく URL（FQDN）で許可してください。",
    )
}

pub fn step_pmtool() -> Bilingual {
    b(
        "Check the processes with `pmtool status | grep -i sse` (SSEConnector must be Running) and `pmtool status | grep -i EventHandler`.",
        "`pmtool status | grep -i sse` でプロセスを確認します（SSEConnector が Running であること）。`pmtool status | grep -i EventHandler` も確認します。",
    )
}

pub fn collect_curl(host: &str) -> Bilingual {
    let cmd = curl_test(host);
    b(
        format!("Collect the full verbose transcript: `{cmd}` from the expert shell, copied with its prompt line and the final `curl: (N)` line."),
        format!("エキスパートシェルで `{cmd}` を実行し、プロンプト行から最後の `curl: (N)` 行までの詳細出力をすべて採取してください。"),
    )
}
