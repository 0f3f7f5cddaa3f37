//! `ils.trace.no-date` (info)
//!
//! **What**: an SDL trace has no `FileHead` line, so it has no date and no UTC offset (typical of
//! snippets copied from a document or a terminal).
//! **Why**: lines carry only the time of day; the date and zone come from FileHead.
//! **Example**: a paste starting at `00000064.000 |08:06:58.802 |SdlSig ...`.
//! **Fix**: load the whole SDL file (it starts with FileHead) when dates matter.

use super::common::*;
use crate::ils::Ctx;
use crate::model::*;

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for input in ctx
        .inputs
        .iter()
        .filter(|i| i.sdl.filehead.is_none() && !i.events.is_empty())
    {
        out.push(Finding {
            rule: "ils.trace.no-date".into(),
            severity: Severity::Info,
            title: bi(format!("{}: no FileHead, no date context", input.name), format!("{}: FileHead がなく日付が不明", input.name)),
            explanation: Explanation {
                what: bi(
                    "This trace has no FileHead line, so its lines have a time of day but no date and no UTC offset. Traces are aligned by time of day only.",
                    "このトレースには FileHead 行がないため、各行には時刻だけがあり、日付と UTC オフセットがありません。トレースは時刻だけで並べています。",
                ),
                why: bi("The date and time zone of SDL lines come only from the FileHead record at the top of each file.", "SDL の各行の日付とタイムゾーンは、各ファイル先頭の FileHead レコードからしか得られません。"),
                fix: vec![],
                verify: vec![],
                collect: collect_steps(None),
            },
            evidence: input
                .events
                .first()
                .map(|e| Evidence { input: input.name.clone(), line: e.line, text: e.text.clone(), role: input.role })
                .into_iter()
                .collect(),
            codes: vec![],
            connection: None,
            step: None,
            attempts: Vec::new(),
        });
    }
    out
}
