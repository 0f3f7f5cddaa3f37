//! Pasted console sessions: split at the shell prompts into blocks, each detected and parsed on
//! its own with its original line numbers (a block may be an SDL trace, a table or a SecureX
//! artefact; a block that is itself a console session is not split again).
//!
//! Prompts (see [`crate::securex_artefacts::prompt`]): the expert shell `root@host:~#`,
//! `root@host:/path#`, `admin@host:~$`, a bare `# command`, FTD CLISH `> command` and CUCM
//! `admin:command`. A block
//! runs from its prompt line to the line before the next prompt; lines before the first prompt
//! form a block of their own. The typed command names the block's kind when its output does
//! not (a `show network` whose output was cut, say); a block whose kind is unknown still has
//! its prompt line recognised and every other line counted, never dropped.

use super::{parse_whole, ParsedInput};
use crate::decode::Line;
use crate::detect::detect;
use crate::model::*;
use crate::securex_artefacts::{prompt, sniff_command};

/// One command and its output inside a pasted console session.
#[derive(Debug)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
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

/// Split `lines` at the prompts and parse each block.
pub fn split(lines: &[Line]) -> Vec<Block> {
    let mut starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| prompt::parse(&l.text).is_some())
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut blocks = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        if start >= end {
            continue;
        }
        blocks.push(block(&lines[start..end]));
    }
    blocks
}

fn block(lines: &[Line]) -> Block {
    let prompt = lines.first().and_then(|l| prompt::parse(&l.text));
    let detected = detect(lines, true);
    let kind = match detected {
        Kind::ConsoleSession => Kind::Unknown,
        Kind::Unknown | Kind::Empty => prompt
            .as_ref()
            .and_then(|p| sniff_command(&p.command))
            .unwrap_or(detected),
        other => other,
    };
    let mut input = parse_whole(kind, lines);
    input.kind = kind;
    let command = prompt
        .as_ref()
        .map(|p| p.command.clone())
        .filter(|c| !c.is_empty());
    Block {
        prompt_line: prompt.as_ref().map(|_| lines[0].number),
        host: prompt.and_then(|p| p.host),
        command,
        kind,
        counts: input.counts,
        not_understood: input.not_understood.clone(),
        input,
    }
}
