//! Issue 12: what real CUCM traces and CUCM alarm outputs look like beyond the seed's lines.
//! The fixtures are built from the formats, not verbatim (tests/fixtures/ils/README.md).

mod common;
use common::*;
use loupe_core::Kind;

/// Item 5: the record forms of real traces are read as records: a space before the
/// sub-number, free text glued before a record head, unpadded signal columns, compact
/// `Create`/`LnkState` lines, a signal wrapped over six lines and a `HandleSSLError` line
/// wrapped inside a word.
#[test]
fn real_record_forms_are_read_as_records() {
    let a = analyze_fixtures(&["ils/record-forms/spoke.txt"]);
    let input = &a.inputs[0];
    assert_eq!(input.kind, Kind::SdlTrace);
    assert_eq!(
        input.host.as_deref(),
        Some("cucm11"),
        "the FileHead is read"
    );
    assert!(input.counts.adds_up());
    assert_eq!(input.counts.not_understood, 0, "{:?}", input.counts);
    // 12 records; the SIP message (2 lines), the wrapped HandleSSLError (1) and the wrapped
    // signal (5) are continuation lines.
    assert_eq!(
        (input.counts.recognised, input.counts.continuation),
        (13, 8)
    );
    assert_eq!(
        rules(&a),
        [("ils.tls.hub-cert-rejected".to_string(), "error")]
    );
    assert_eq!(
        evidence(&a, "ils.tls.hub-cert-rejected"),
        ["spoke:5", "spoke:9", "spoke:10", "spoke:12", "spoke:13", "spoke:14", "spoke:15"]
    );
    let f = &a.findings[0];
    assert_eq!(f.codes[0].name, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT");
    // The evidence of the glued record starts at its own head.
    let glued = f.evidence.iter().find(|e| e.line == 9).unwrap();
    assert!(
        glued
            .text
            .starts_with("00001797 .000 |16:34:01.720 |SdlSig |SdlConnectRsp"),
        "{}",
        glued.text
    );
}

/// Item 3: a host's rolled files are one timeline. The spoke's request ends file 1 and its
/// failure opens file 2: one attempt, one finding, its evidence in both files at their lines;
/// no `ils.connect.unanswered`. The files given in any order are ordered by FileNumber.
#[test]
fn an_attempt_split_across_rolled_files_is_one_attempt() {
    for order in [[1, 2], [2, 1]] {
        let files: Vec<String> = order
            .iter()
            .map(|n| format!("ils/rolled/SDL001_600_00000{n}.txt"))
            .collect();
        let a = analyze_fixtures(&files.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            rules(&a),
            [("ils.tls.hub-cert-rejected".to_string(), "error")],
            "order {order:?}"
        );
        assert_eq!(
            evidence(&a, "ils.tls.hub-cert-rejected"),
            [
                "SDL001_600_000001:5",
                "SDL001_600_000002:2",
                "SDL001_600_000002:3",
                "SDL001_600_000002:4",
                "SDL001_600_000002:5"
            ],
            "order {order:?}"
        );
        assert_eq!(a.connections.len(), 1);
        let f = &a.findings[0];
        let first = &f.evidence[0];
        assert!(
            first.text.contains("Requesting Connection"),
            "{}",
            first.text
        );
        assert!(a.inputs.iter().all(|i| i.role == loupe_core::Role::Spoke));
    }
}

/// Item 2: ILS alarms outside a trace give findings: a CUCM syslog (CiscoLog) copy, an RTMT alert
/// e-mail, a Syslog Viewer copy.
#[test]
fn ils_alarms_outside_a_trace_give_findings() {
    let a = analyze_fixtures(&["ils/alarms/syslog.txt"]);
    assert_eq!(a.inputs[0].kind, Kind::IlsAlarms);
    assert!(a.inputs[0].counts.adds_up());
    assert_eq!(
        rules(&a),
        [
            ("ils.password-mismatch".to_string(), "error"),
            ("ils.connect.unanswered".to_string(), "warning")
        ]
    );
    assert_eq!(evidence(&a, "ils.password-mismatch"), ["syslog:2"]);
    assert_eq!(evidence(&a, "ils.connect.unanswered"), ["syslog:3"]);
    assert!(a.findings[0].title.en.contains("10.106.104.201"));
    assert!(a.findings[1].title.en.contains("10.106.104.230"));

    let a = analyze_fixtures(&["ils/alarms/rtmt-alert-email.txt"]);
    assert_eq!(a.inputs[0].kind, Kind::IlsAlarms);
    assert_eq!(
        rules(&a),
        [("ils.tls.handshake-failed".to_string(), "error")]
    );
    // One alert over several lines: the subject, the name, the parameters.
    assert_eq!(
        evidence(&a, "ils.tls.handshake-failed"),
        ["rtmt-alert-email:2"]
    );
    assert!(a.findings[0].title.en.contains("10.106.104.220"));
    assert!(a.findings[0].evidence[0]
        .text
        .contains("Cluster1 : 10.106.104.220"));

    let a = analyze_fixtures(&["ils/alarms/syslog-viewer.txt"]);
    assert_eq!(rules(&a), [("ils.password-mismatch".to_string(), "error")]);
    assert_eq!(evidence(&a, "ils.password-mismatch"), ["syslog-viewer:1"]);
}

/// Item 2: with a trace of the same failure, the alarm joins the trace finding's evidence;
/// an alarm about another peer stays a finding of its own. A TLS alarm joins the certificate
/// rule the trace proves.
#[test]
fn an_alarm_with_its_trace_joins_the_trace_finding() {
    let a = analyze_fixtures(&[
        "ils/m1-password-mismatch/hub.txt",
        "ils/m1-password-mismatch/spoke.txt",
        "ils/alarms/syslog.txt",
    ]);
    assert_eq!(
        rules(&a),
        [
            ("ils.password-mismatch".to_string(), "error"),
            ("ils.connect.unanswered".to_string(), "warning")
        ]
    );
    let ev = evidence(&a, "ils.password-mismatch");
    assert_eq!(ev.last().map(String::as_str), Some("syslog:2"), "{ev:?}");
    assert!(
        ev.iter().filter(|e| e.starts_with("hub:")).count() >= 2,
        "{ev:?}"
    );
    assert!(a.findings[0].connection.is_some());

    let a = analyze_fixtures(&[
        "ils/m2-hub-cert-not-trusted/hub.txt",
        "ils/m2-hub-cert-not-trusted/spoke.txt",
        "ils/alarms/rtmt-alert-email.txt",
    ]);
    assert_eq!(
        rules(&a),
        [("ils.tls.hub-cert-rejected".to_string(), "error")]
    );
    assert_eq!(
        evidence(&a, "ils.tls.hub-cert-rejected"),
        [
            "spoke:5",
            "spoke:6",
            "spoke:7",
            "spoke:8",
            "rtmt-alert-email:2"
        ]
    );
}
