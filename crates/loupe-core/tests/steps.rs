//! The diagnosis says which step it is in (`Engine::finish_with`), so the page can show progress
//! while it runs: every step once, in order, with the counts the result then shows, and the
//! result the same as without a listener.

mod common;

use common::fixture;
use loupe_core::steps::{Step, What, TOTAL};
use loupe_core::{report, Analysis, Engine, Lang, Limits};

fn with_steps(rels: &[&str]) -> (Analysis, Vec<Step>) {
    let mut engine = Engine::new(Limits::default());
    for rel in rels {
        engine.add_whole(fixture(rel));
    }
    let mut steps = Vec::new();
    let analysis = engine.finish_with(&mut |s| steps.push(s));
    (analysis, steps)
}

fn assert_every_step_once_in_order(steps: &[Step]) {
    let done: Vec<usize> = steps.iter().map(|s| s.done).collect();
    assert_eq!(done, (0..TOTAL).collect::<Vec<_>>(), "{steps:#?}");
    assert!(steps.iter().all(|s| s.total == TOTAL), "{steps:#?}");
}

#[test]
fn an_ils_diagnosis_reports_its_steps_with_the_counts_of_its_result() {
    let rels = [
        "ils/m1-password-mismatch/hub.txt",
        "ils/m1-password-mismatch/spoke.txt",
    ];
    let (analysis, steps) = with_steps(&rels);
    assert_every_step_once_in_order(&steps);
    assert_eq!(steps[0].what, What::PairingAttempts);
    let connections = analysis.connections.len();
    assert!(connections > 0);
    assert_eq!(steps[1].what, What::Connections { connections });
    let rules: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s.what {
            What::Rule {
                rule,
                connections: n,
            } => {
                assert_eq!(n, connections, "{rule}");
                Some(rule)
            }
            _ => None,
        })
        .collect();
    assert_eq!(rules.len(), 10, "{rules:?}");
    // The rule that finds this scenario's failure is among the steps, under its id.
    assert!(analysis
        .findings
        .iter()
        .any(|f| f.rule == "ils.password-mismatch"));
    assert!(rules.contains(&"ils.password-mismatch"), "{rules:?}");
    let grouping = steps
        .iter()
        .find_map(|s| match s.what {
            What::GroupingFindings { findings } => Some(findings),
            _ => None,
        })
        .expect("a grouping step");
    // Grouping only merges: never more findings after it than before.
    let ils = analysis
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("ils."))
        .count();
    assert!(ils > 0 && ils <= grouping, "{ils} of {grouping}");
    assert_eq!(steps.last().unwrap().what, What::Securex);

    // Listening changes nothing: the same report as a plain `finish`.
    let plain = common::analyze_fixtures(&rels);
    assert_eq!(
        report::json::render(&analysis, Lang::En),
        report::json::render(&plain, Lang::En)
    );
}

#[test]
fn a_diagnosis_without_an_ils_trace_still_reports_every_step() {
    let (analysis, steps) = with_steps(&["securex/action_queue_exit28.log"]);
    assert!(!analysis.findings.is_empty());
    assert_every_step_once_in_order(&steps);
    assert_eq!(steps[1].what, What::Connections { connections: 0 });
}
