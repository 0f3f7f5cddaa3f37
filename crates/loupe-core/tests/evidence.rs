//! What a reader of an ILS finding sees: its evidence lines name the attempt. A timer, a
//! statistics line or a signal of another connection is never evidence (shared/domain/ils.md
//! §2.2a), and a finding cites few lines. Checked on every ILS fixture, the ILS-dense ones
//! included (traces that are mostly the ILS process's own signals).

mod common;

use common::*;
use loupe_core::{Analysis, Finding};
use std::path::Path;

/// Every ILS case among the fixtures: a folder with `hub.txt` and `spoke.txt` is one case, any
/// other text file is a case of its own.
fn ils_cases() -> Vec<Vec<String>> {
    let root = fixtures().join("ils");
    let mut cases = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        let rel = |p: &Path| {
            format!(
                "ils/{}",
                p.strip_prefix(&root).expect("below ils").to_string_lossy()
            )
        };
        let pair = ["hub.txt", "spoke.txt"].map(|n| dir.join(n));
        if pair.iter().all(|p| p.exists()) {
            cases.push(pair.iter().map(|p| rel(p)).collect());
        }
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "txt")
                && !pair.contains(&p)
                && !p.to_string_lossy().ends_with("README.md")
            {
                cases.push(vec![rel(&p)]);
            }
        }
    }
    cases
}

/// The four numbers of every process id or address a line names (`TCPPid = [1.600.13.5]`,
/// `TCPPid([1, 600, 13, 5])`, `SdlTCPConnection(1,600,13,5)`, `10.106.104.220`).
fn quads(text: &str) -> Vec<[u32; 4]> {
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut nums = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let n: String = bytes[start..j].iter().collect();
            nums.push(n.parse::<u32>().unwrap_or(u32::MAX));
            if nums.len() == 4 {
                break;
            }
            // A separator: `.`, `,` or `, `.
            let mut k = j;
            if k < bytes.len() && (bytes[k] == '.' || bytes[k] == ',') {
                k += 1;
                while k < bytes.len() && bytes[k] == ' ' {
                    k += 1;
                }
            }
            if k == j || k >= bytes.len() || !bytes[k].is_ascii_digit() {
                break;
            }
            j = k;
        }
        if nums.len() == 4 {
            out.push([nums[0], nums[1], nums[2], nums[3]]);
        }
        i = j.max(i + 1);
    }
    out
}

/// The record type of an SDL line (`SdlSig`, `SdlStat`, `AppInfo`), if it is a record head.
fn record_type(text: &str) -> Option<&str> {
    let mut bars = text.splitn(4, '|');
    bars.next()?;
    bars.next()?;
    Some(bars.next()?.split_whitespace().next().unwrap_or(""))
}

/// What is wrong with the evidence of one finding, as a reader would say it.
fn evidence_faults(case: &[String], f: &Finding) -> Vec<String> {
    let mut faults = Vec::new();
    // The processes and addresses the finding's non-signal lines name.
    let named: Vec<[u32; 4]> = f
        .evidence
        .iter()
        .filter(|e| record_type(&e.text) != Some("SdlSig"))
        .flat_map(|e| quads(&e.text))
        .collect();
    for e in &f.evidence {
        let at = format!("{case:?} {} {}:{}", f.rule, e.input, e.line);
        match record_type(&e.text) {
            Some("SdlStat") => faults.push(format!("{at}: a statistics line: {}", e.text)),
            Some("SdlSig") => {
                if e.text.contains("SdlTimerService") {
                    faults.push(format!("{at}: a timer: {}", e.text));
                }
                let connection: Vec<[u32; 4]> = e
                    .text
                    .split('|')
                    .filter(|c| c.contains("TCPConnection("))
                    .flat_map(quads)
                    .collect();
                if connection.is_empty() {
                    faults.push(format!("{at}: a signal of no connection: {}", e.text));
                } else if f.connection.is_some()
                    && !named.is_empty()
                    && !connection.iter().any(|q| named.contains(q))
                {
                    faults.push(format!("{at}: another connection's signal: {}", e.text));
                }
            }
            _ => {}
        }
    }
    faults
}

fn ils_findings(a: &Analysis) -> impl Iterator<Item = &Finding> {
    a.findings.iter().filter(|f| f.rule.starts_with("ils."))
}

#[test]
fn evidence_of_ils_findings_names_the_attempt() {
    let cases = ils_cases();
    assert!(
        cases.iter().any(|c| c[0].starts_with("ils/dense/")),
        "the ILS-dense fixtures are missing: {cases:?}"
    );
    let mut faults = Vec::new();
    let mut sizes = Vec::new();
    for case in &cases {
        let names: Vec<&str> = case.iter().map(String::as_str).collect();
        let a = analyze_fixtures(&names);
        for f in ils_findings(&a) {
            faults.extend(evidence_faults(case, f));
            if !f.evidence.is_empty() {
                sizes.push(f.evidence.len());
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!(
        median <= 20,
        "median evidence lines per finding {median} (sizes {sizes:?})"
    );
}

#[test]
fn the_dense_traces_give_their_findings_with_both_sides_evidence() {
    let a = analyze_fixtures(&["ils/dense/hub.txt", "ils/dense/spoke.txt"]);
    let failed = a
        .findings
        .iter()
        .find(|f| f.rule == "ils.password-mismatch")
        .expect("the planted password failure");
    assert!(failed
        .evidence
        .iter()
        .any(|e| e.text.contains("decryptData failed")));
    let joined = a
        .findings
        .iter()
        .find(|f| f.rule == "ils.joined.password")
        .expect("the planted join");
    let sides: std::collections::HashSet<_> = joined.evidence.iter().map(|e| e.role).collect();
    assert_eq!(sides.len(), 2, "hub and spoke lines: {:?}", joined.evidence);
}

#[test]
fn the_check_catches_a_timer_and_another_connections_signal() {
    let real = analyze_fixtures(&["ils/m1-password-mismatch/hub.txt"]).findings[0].clone();
    assert_eq!(real.connection, Some(0));
    let finding = |lines: &[&str]| Finding {
        evidence: lines
            .iter()
            .enumerate()
            .map(|(i, t)| loupe_core::Evidence {
                input: "hub.txt".into(),
                line: i as u32 + 1,
                text: (*t).into(),
                role: loupe_core::Role::Hub,
            })
            .collect(),
        ..real.clone()
    };
    let good = finding(&[
        "00155891.005 |17:25:26.197 |AppInfo |IlsD IlsHandler: wait_SdlDataInd EncrUtil::decryptData failed. DeviceName=, TCPPid = [1.600.13.7], IPAddr=10.106.104.201, Port=40592, Controller=[1,20,1]",
        "00155890.000 |17:25:26.190 |SdlSig   |SdlConnectionInd |wait |Ils(1,600,20,1) |SdlTCPConnection(1,600,13,7) |1,600,13,7.1^*^* |*TraceFlagOverrode",
    ]);
    assert!(evidence_faults(&[], &good).is_empty());
    let bad = finding(&[
        "00155891.005 |17:25:26.197 |AppInfo |IlsD IlsHandler: wait_SdlDataInd EncrUtil::decryptData failed. DeviceName=, TCPPid = [1.600.13.7], IPAddr=10.106.104.201, Port=40592, Controller=[1,20,1]",
        "00155890.000 |17:25:26.190 |SdlSig   |SdlConnectionInd |wait |Ils(1,600,20,1) |SdlTCPConnection(1,600,13,9) |1,600,13,9.1^*^* |*TraceFlagOverrode",
        "00155892.000 |17:25:26.290 |SdlSig   |IlsRetryConnectTimer |wait |Ils(1,600,20,1) |SdlTimerService(1,600,3,1) |1,600,3,1.1^*^* |*TraceFlagOverrode",
        "00155861.000 |17:24:26.197 |SdlStat  |Period: 6s #Lines: 14 #Bytes: 2377",
    ]);
    let faults = evidence_faults(&[], &bad);
    assert_eq!(faults.len(), 4, "{faults:#?}");
}
