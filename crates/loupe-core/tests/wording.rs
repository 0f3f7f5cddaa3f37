//! Explanations stay right and read as a report (issue 12, item 7): the FMC path for the proxy
//! and for DNS agree (Cisco's FMC configuration: System > Configuration > Management
//! Interfaces, see tests/fixtures/securex/README.md), the SecureX end of life is said once, and
//! the Japanese wording keeps one word for one thing and a report's register.

#[path = "securex_support.rs"]
mod support;

use loupe_core::{Finding, Lang};

const FMC_PATH_EN: &str = "System > Configuration > Management Interfaces";

fn finding<'a>(a: &'a loupe_core::Analysis, rule: &str) -> &'a Finding {
    a.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| {
            panic!(
                "{rule} in {:?}",
                a.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
            )
        })
}

fn fix_text(f: &Finding, lang: Lang) -> String {
    f.explanation
        .fix
        .iter()
        .map(|s| s.get(lang))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn proxy_and_dns_name_the_same_fmc_page() {
    let proxy = support::run(&["curl_proxy_407.txt"]);
    let dns = support::run(&["seed_curl_dns_failure.txt", "seed_show_network.txt"]);
    let proxy = fix_text(finding(&proxy, "sse.proxy.auth-required"), Lang::En);
    let dns_finding = dns
        .findings
        .iter()
        .find(|f| f.rule.starts_with("sse.dns."))
        .expect("a DNS finding");
    let dns = fix_text(dns_finding, Lang::En);
    assert!(proxy.contains(FMC_PATH_EN), "{proxy}");
    assert!(dns.contains(FMC_PATH_EN), "{dns}");
    assert!(!proxy.contains("HTTP Proxy page"), "{proxy}");
}

/// Every Japanese text of the rules, the checklist and the samples, from the sources.
fn japanese_sources() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("src/ils/rules"),
        root.join("src/securex/rules"),
        root.join("src/securex"),
        root.join("../loupe-web/src"),
    ];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("source folder") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).expect("source");
                files.push((p.display().to_string(), text));
            }
        }
    }
    files
}

#[test]
fn japanese_wording_of_a_report() {
    for (file, text) in japanese_sources() {
        for (n, line) in text.lines().enumerate() {
            // Too casual for a report: 送信しました.
            assert!(!line.contains("送ってきました"), "{file}:{}: {line}", n + 1);
            // The seed's four ways to join are 方法 1–4; 方式 is kept for schemes and ciphers.
            assert!(
                !(line.contains("方式") && line.contains("ILS")),
                "{file}:{}: {line}",
                n + 1
            );
            // Two sentences glued into one: 「期限切れです（…）、または…」.
            assert!(!line.contains("期限切れです（"), "{file}:{}: {line}", n + 1);
        }
    }
}

#[test]
fn the_tls_handshake_failure_says_what_the_peer_sent_in_a_reports_register() {
    let a = loupe_core::analyze(vec![
        loupe_core::RawInput::new(
            "hub.txt",
            std::fs::read(support::fixture_dir().join("../ils/h-tls-version/hub.txt")).unwrap(),
        ),
        loupe_core::RawInput::new(
            "spoke.txt",
            std::fs::read(support::fixture_dir().join("../ils/h-tls-version/spoke.txt")).unwrap(),
        ),
    ]);
    let f = finding(&a, "ils.tls.handshake-failed");
    let ja = format!(
        "{}{}",
        f.explanation.what.get(Lang::Ja),
        f.explanation.why.get(Lang::Ja)
    );
    assert!(!ja.contains("送ってきました"), "{ja}");
}
