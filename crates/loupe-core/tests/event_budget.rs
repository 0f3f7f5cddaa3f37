//! Memory follows attempts, not lines, on any line mix (issue 11): a trace made of connection
//! steps line after line (every line a signal naming a connection, the worst case for the
//! events kept) keeps at most `sdl::signal_budget` bytes of those signals, counts the rest, and says
//! from which line on; the findings of the real attempt before them are intact.

mod common;

use common::*;
use loupe_core::sdl::{signal_budget, SdlParser};
use loupe_core::{analyze, RawInput};

/// `n` one-line signals that are each a step of a connection (`SdlConnectReq` ... naming an
/// `SdlSSLTCPConnection(...)`), as `xtask gen --profile ils-steps` writes them.
fn connection_steps(first_seq: u64, n: u64) -> String {
    const NAMES: [&str; 5] = [
        "SdlConnectReq",
        "SdlConnectRsp",
        "SdlCloseReq",
        "SdlDisconnectInd",
        "SdlConnectErrRsp",
    ];
    let mut out = String::new();
    for i in 0..n {
        let ms = 65_000_000 + i * 3;
        let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        out.push_str(&format!(
            "{:08}.000 |{h:02}:{m:02}:{s:02}.{f:03} |SdlSig   |{:<38} |connected                      |SdlSSLTCPConnection(1,600,17,{}) |Ils(1,600,20,1)                 |1,600,20,1.{i}^10.106.108.133^*        |[R:N-H:0,N:1,L:0,V:0,Z:0,D:0]\n",
            first_seq + i,
            NAMES[(i % 5) as usize],
            i % 4093 + 1,
        ));
    }
    out
}

#[test]
fn a_trace_of_connection_steps_keeps_events_within_the_budget() {
    let n = 30_000;
    let text = connection_steps(1, n);
    let mut parser = SdlParser::new();
    // Through the block fast path, as the engine streams it.
    assert_eq!(parser.lines(1, text.as_bytes()), n as u32);
    let out = parser.finish();
    let kept: u64 = out
        .events
        .iter()
        .map(|e| (std::mem::size_of_val(e) + e.text.len()) as u64)
        .sum();
    assert!(
        kept <= signal_budget(text.len() as u64),
        "{kept} bytes of events kept for {} bytes of input",
        text.len()
    );
    assert!(out.events.len() > 1000, "the first events are kept");
    assert_eq!(
        out.events.len() as u64 + out.events_not_kept,
        n,
        "every step is kept or counted"
    );
    let first_dropped = out.first_event_not_kept.expect("some were not kept");
    assert_eq!(first_dropped as usize, out.events.len() + 1);
}

#[test]
fn the_reader_is_told_and_the_attempt_before_is_intact() {
    let hub = std::fs::read_to_string(fixtures().join("ils/m1-password-mismatch/hub.txt")).unwrap();
    let mut text = hub.clone();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let before = text.lines().count() as u32;
    text.push_str(&connection_steps(90_000_000, 40_000));
    let alone = analyze(vec![RawInput::new("hub.txt", hub.into_bytes())]);
    let a = analyze(vec![RawInput::new("hub.txt", text.into_bytes())]);
    let notes: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| {
            d.message
                .en
                .contains("were counted but not kept as evidence")
        })
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", a.diagnostics);
    assert_eq!(notes[0].input, "hub.txt");
    assert!(
        notes[0].line > before,
        "the note names a line of the steps: {}",
        notes[0].line
    );
    assert!(notes[0].message.ja.contains("保持していません"));
    // The password failure and its evidence lines are what they were without the steps.
    let finding = |a: &loupe_core::Analysis| {
        a.findings
            .iter()
            .find(|f| f.rule == "ils.password-mismatch")
            .map(|f| {
                f.evidence
                    .iter()
                    .map(|e| (e.line, e.text.clone()))
                    .collect::<Vec<_>>()
            })
    };
    assert!(finding(&alone).is_some(), "{:?}", rules(&alone));
    assert_eq!(finding(&a), finding(&alone));
}

/// Where attempts are dense, findings outnumber everything else (100,000 attempts gave 83,334
/// findings). What they have in common is held once (ARCHITECTURE.md, "A text is held once"):
/// an evidence line is the timeline's line, an input's name is one per input, and prose common
/// to two findings is one allocation.
#[test]
fn findings_hold_their_common_text_once() {
    use std::sync::Arc;
    let a = ils_scenario("retries");
    let failed = a
        .findings
        .iter()
        .find(|f| f.rule == "ils.password-mismatch")
        .expect("the failures");
    let joined = a
        .findings
        .iter()
        .find(|f| f.rule == "ils.joined.password")
        .expect("the join");
    assert!(failed.attempts.len() > 1, "the failures are grouped");
    let cited = failed
        .evidence
        .iter()
        .chain(failed.attempts.iter().flat_map(|t| &t.evidence))
        .chain(&joined.evidence);
    let mut names = Vec::new();
    for ev in cited {
        let input = a
            .inputs
            .iter()
            .position(|i| *i.name == *ev.input)
            .expect("an input's name");
        let event = a
            .events
            .iter()
            .find(|e| e.input == input && e.line == ev.line)
            .unwrap_or_else(|| panic!("{}:{} is on the timeline", ev.input, ev.line));
        assert!(
            Arc::ptr_eq(&event.text, &ev.text),
            "{}:{} is a copy of the timeline's line",
            ev.input,
            ev.line
        );
        match names.iter().find(|n: &&Arc<str>| ***n == *ev.input) {
            Some(n) => assert!(Arc::ptr_eq(n, &ev.input), "{} held twice", ev.input),
            None => names.push(ev.input.clone()),
        }
    }
    assert_eq!(names.len(), 2, "evidence from the hub and the spoke");
    let common: Vec<_> = failed
        .explanation
        .verify
        .iter()
        .filter_map(|v| {
            joined
                .explanation
                .verify
                .iter()
                .find(|w| *w == v)
                .map(|w| (v, w))
        })
        .collect();
    assert!(
        !common.is_empty(),
        "a join and a failure are verified alike"
    );
    for (v, w) in common {
        assert!(
            Arc::ptr_eq(&v.en, &w.en) && Arc::ptr_eq(&v.ja, &w.ja),
            "{}",
            v.en
        );
    }
}
