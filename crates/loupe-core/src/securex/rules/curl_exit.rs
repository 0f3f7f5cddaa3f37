//! `curl.exit`: any curl exit code that no more specific rule explained, decoded from the
//! complete table (securex.md §5).
//!
//! - What: `curl: (N) message`, or `canConnect ... exit code: N` in action_queue.log.
//! - Why: each code names the layer that failed (for example 52: empty reply; 47: too many
//!   redirects; 63: max file size exceeded).
//! - Example: `curl: (52) Empty reply from server`.
//! - Fix: depends on the code; the decoded meaning is given with the evidence.

use super::context_of_seen;
use crate::model::*;
use crate::securex::corpus::{Corpus, Seen};
use crate::securex::curl_codes::curl_exit;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "curl.exit";

/// `explained`: the (input, line) pairs already carried by another finding.
pub fn check(c: &Corpus, explained: &[(Text, u32)]) -> Vec<Finding> {
    let leftovers: Vec<Seen> = c
        .find(|s| matches!(s, Signal::CurlExit { code, .. } if *code != 0))
        .into_iter()
        .filter(|s| {
            !explained
                .iter()
                .any(|(input, line)| **input == *c.sources[s.source].input && *line == s.obs.line)
        })
        .collect();
    let mut codes: Vec<i64> = leftovers
        .iter()
        .filter_map(|s| match s.signal() {
            Signal::CurlExit { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .map(|code| {
            let seen: Vec<Seen> = leftovers.iter().copied().filter(|s| matches!(s.signal(), Signal::CurlExit { code: k, .. } if *k == code)).collect();
            let decoded = curl_exit(code);
            let first = seen[0];
            let host = c.run(&first).and_then(|r| r.host.clone()).unwrap_or_default();
            let mut f = finding(RULE, Severity::Error, None, b(format!("curl failed with exit code {code} ({})", decoded.name), format!("curl が終了コード {code}（{}）で失敗しました", decoded.name)));
            f.explanation.what = b(
                format!("curl exited with {code} (line {}): {}.", first.obs.line, decoded.meaning.en),
                format!("curl が終了コード {code} で終了しました（{} 行目）: {}。", first.obs.line, decoded.meaning.ja),
            );
            f.explanation.why = b(
                "The exit code is curl's own summary of what failed; the transcript lines before it show where.",
                "終了コードは curl 自身による失敗内容の要約です。その前の出力行から、どこで失敗したかがわかります。",
            );
            f.explanation.fix = vec![step_curl_retest(&host)];
            f.explanation.collect = vec![collect_curl(&host)];
            f.codes.push(decoded);
            f.evidence = c.evidence(&context_of_seen(c, &seen));
            f
        })
        .collect()
}
