//! Pasted console sessions: split at the shell prompts into blocks, each detected and parsed on
//! its own. (Placeholder until the SecureX work lands: one block for the whole paste.)

use crate::engine::{parse_buffered, Line, ParsedInput};
use crate::model::*;

/// One command and its output inside a pasted console session.
#[derive(Debug)]
pub struct Block {
    /// Line of the prompt that starts the block, if any.
    pub prompt_line: Option<u32>,
    /// Host named by the prompt (`root@ftd01:~#` gives `ftd01`).
    pub host: Option<String>,
    /// The command typed at the prompt.
    pub command: Option<String>,
    pub kind: Kind,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
    pub input: ParsedInput,
}

pub fn split(lines: &[Line]) -> Vec<Block> {
    let kind = crate::detect::detect(lines, true);
    let kind = if kind == Kind::ConsoleSession {
        Kind::Unknown
    } else {
        kind
    };
    let input = parse_buffered(kind, lines);
    vec![Block {
        prompt_line: None,
        host: None,
        command: None,
        kind,
        counts: input.counts,
        not_understood: input.not_understood.clone(),
        input,
    }]
}
