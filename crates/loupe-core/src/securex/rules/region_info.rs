//! `sse.region` (info): which SSE region the device points at, from `connector_fqdn` in
//! connector.properties or the curl targets (US `api-sse.cisco.com`, EU
//! `api.eu.sse.itd.cisco.com`, APJC `api.apj.sse.itd.cisco.com`).
//!
//! - Why: a device enrolled in another region than the SecureX tenant is invisible there;
//!   staging hosts must never appear on a production device (then: warning).
//! - Example (seed): `connector_fqdn=api-sse.cisco.com` gives US.
//! - Fix: choose the tenant's region in the FMC cloud settings (EU/APJC need FTD 6.5 or later).

use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::explain::*;
use crate::securex::region::of_host;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.region";

pub fn check(c: &Corpus) -> Option<Finding> {
    let mut found: Vec<(&'static str, String, Seen)> = Vec::new();
    for s in c.find(|s| matches!(s, Signal::ConnectorFqdn { .. })) {
        if let Signal::ConnectorFqdn { host } = s.signal() {
            if let Some(region) = of_host(host) {
                found.push((region, host.clone(), s));
            }
        }
    }
    let from_properties = !found.is_empty();
    if !from_properties {
        for s in c.find(|s| matches!(s, Signal::CurlCommand)) {
            if let Some(host) = c.run(&s).and_then(|r| r.host.clone()) {
                if let Some(region) = of_host(&host) {
                    found.push((region, host, s));
                }
            }
        }
    }
    let (region, host, _) = found.first().cloned()?;
    let mut regions: Vec<&str> = found.iter().map(|(r, _, _)| *r).collect();
    regions.dedup();
    let staging = regions.contains(&"staging");
    let severity = if staging || regions.len() > 1 {
        Severity::Warning
    } else {
        Severity::Info
    };
    let mut f = finding(
        RULE,
        severity,
        None,
        b(
            format!("SSE region: {}", regions.join(", ")),
            format!("SSE リージョン: {}", regions.join(", ")),
        ),
    );
    let source = if from_properties {
        (
            "`connector_fqdn` in connector.properties points",
            "connector.properties の connector_fqdn",
        )
    } else {
        ("The curl tests point", "curl の接続先")
    };
    let mut what = vec![b(
        format!("{} at {host}: the {region} region.", source.0),
        format!(
            "{}は {host} を指しています: {region} リージョンです。",
            source.1
        ),
    )];
    if regions.len() > 1 {
        what.push(b(
            format!("Several regions appear ({}): the device must use the region of the SecureX tenant.", regions.join(", ")),
            format!("複数のリージョンが見られます（{}）。デバイスは SecureX テナントと同じリージョンを使う必要があります。", regions.join(", ")),
        ));
    }
    if staging {
        what.push(b(
            "A staging host appears: it must never be used by a production device.",
            "ステージング用のホストが含まれています。本番のデバイスで使用してはいけません。",
        ));
    }
    f.explanation.what = join(&what);
    f.explanation.why = b(
        "Devices enroll into one regional SSE cloud (US, EU, APJC...). A device enrolled in another region than the SecureX tenant never appears in it, although its connectivity tests pass.",
        "デバイスは 1 つのリージョンの SSE クラウド（US、EU、APJC など）に登録されます。SecureX テナントと異なるリージョンに登録されたデバイスは、接続テストが成功していてもテナントに表示されません。",
    );
    f.explanation.fix = vec![b(
        "If the SecureX tenant is in another region, select that region in the FMC cloud settings (Integration > SecureX > Cloud Region) and deploy; EU and APJC need FTD 6.5 or later.",
        "SecureX テナントが別のリージョンにある場合は、FMC のクラウド設定（Integration > SecureX > Cloud Region）でそのリージョンを選択して展開します。EU と APJC には FTD 6.5 以降が必要です。",
    )];
    let seen: Vec<Seen> = found.iter().map(|(_, _, s)| *s).collect();
    f.evidence = c.evidence(&seen);
    Some(f)
}
