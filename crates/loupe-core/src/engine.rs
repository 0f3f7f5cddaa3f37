//! The streaming driver: bytes of each input go through decode and detect into the right parser,
//! then all parsed inputs are diagnosed together.
//!
//! Inputs may be fed whole ([`Engine::add_whole`], which also opens zip archives) or in chunks
//! ([`Engine::begin`], [`Engine::push`], [`Engine::end`]); both give the same result.

use crate::decode::container::{self, RawInput};
use crate::decode::lines::{LineSink, Tee};
use crate::decode::stream::ByteDecoder;
use crate::decode::Limits;
use crate::model::*;
use crate::parse::{InputParser, Parsed, ParsedInput};
use crate::steps::{Step, Steps, What};
use crate::{ils, securex};

struct InputState {
    name: String,
    decoder: ByteDecoder,
    parser: InputParser,
}

/// The pieces [`Engine::add_whole`] streams a whole input in.
pub const WHOLE_CHUNK: usize = 1 << 20;

/// Drives the pipeline for a set of inputs.
pub struct Engine {
    limits: Limits,
    roles: Vec<(String, Role)>,
    open: Vec<Option<InputState>>,
    done: Vec<ParsedInput>,
    diagnostics: Vec<Diagnostic>,
}

/// The inputs one engine parsed, with their diagnostics, taken out of it
/// ([`Engine::into_parsed`]) to be diagnosed by another ([`Engine::absorb_parsed`]): with the
/// `transfer` feature it crosses a worker boundary as JSON.
#[derive(Debug)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct ParsedInputs {
    inputs: Vec<ParsedInput>,
    diagnostics: Vec<Diagnostic>,
}

impl ParsedInputs {
    /// Names of the inputs, in the order they were parsed.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.inputs.iter().map(|i| i.name.as_str())
    }
}

/// Handle to an input being streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputId(usize);

impl Engine {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            roles: Vec::new(),
            open: Vec::new(),
            done: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Start a streamed input (plain text or gzip; zip archives must go through [`Engine::add_whole`]).
    pub fn begin(&mut self, name: &str) -> InputId {
        self.open.push(Some(InputState {
            name: name.to_string(),
            decoder: ByteDecoder::new(self.limits),
            parser: InputParser::new(name),
        }));
        InputId(self.open.len() - 1)
    }

    pub fn push(&mut self, id: InputId, chunk: &[u8]) {
        if let Some(Some(state)) = self.open.get_mut(id.0) {
            state.decoder.push(chunk, &mut state.parser);
        }
    }

    /// [`Engine::push`], and every line decoded from `chunk` also goes to `also`, numbered and
    /// split as the parser gets it: a front that keeps an input's text decodes it once for both.
    pub fn push_with(&mut self, id: InputId, chunk: &[u8], also: &mut dyn LineSink) {
        if let Some(Some(state)) = self.open.get_mut(id.0) {
            state.decoder.push(chunk, &mut Tee(&mut state.parser, also));
        }
    }

    /// Bytes of raw input received so far for `id`.
    pub fn bytes_received(&self, id: InputId) -> u64 {
        self.open
            .get(id.0)
            .and_then(|s| s.as_ref())
            .map_or(0, |s| s.decoder.raw_bytes)
    }

    pub fn end(&mut self, id: InputId) {
        self.end_input(id, None);
    }

    /// [`Engine::end`], the last lines also going to `also` (see [`Engine::push_with`]).
    pub fn end_with(&mut self, id: InputId, also: &mut dyn LineSink) {
        self.end_input(id, Some(also));
    }

    fn end_input(&mut self, id: InputId, also: Option<&mut dyn LineSink>) {
        let Some(slot) = self.open.get_mut(id.0) else {
            return;
        };
        let Some(mut state) = slot.take() else { return };
        match also {
            Some(also) => state.decoder.finish(&mut Tee(&mut state.parser, also)),
            None => state.decoder.finish(&mut state.parser),
        }
        for note in state.decoder.notes.drain(..) {
            self.diagnostics.push(Diagnostic {
                input: state.name.clone(),
                line: 0,
                message: note,
            });
        }
        let bytes = state.decoder.raw_bytes;
        let (parsed, mut notes) = state.parser.finish();
        self.diagnostics.append(&mut notes);
        self.done.push(ParsedInput {
            name: state.name,
            bytes,
            ..parsed
        });
    }

    /// Add a whole input: zip archives are opened, everything else is streamed.
    pub fn add_whole(&mut self, input: RawInput) {
        for leaf in self.expand(input) {
            self.add_leaf(leaf);
        }
    }

    /// Add one input that is no archive (an entry [`Engine::expand`] gave): streamed as a file.
    pub fn add_leaf(&mut self, leaf: RawInput) {
        let id = self.begin(&leaf.name);
        for chunk in leaf.bytes.chunks(WHOLE_CHUNK) {
            self.push(id, chunk);
        }
        self.end(id);
    }

    /// The inputs a whole input holds (the entries of a zip archive, nested archives opened; any
    /// other input is its own), to be streamed with [`Engine::begin`]. The archive's problems are
    /// kept for the report.
    pub fn expand(&mut self, input: RawInput) -> Vec<RawInput> {
        let mut leaves = Vec::new();
        self.expand_each(input, |leaf| leaves.push(leaf));
        leaves
    }

    /// [`Engine::expand`], each leaf given to `each` as soon as it is opened (one entry held
    /// at a time by a caller that moves it elsewhere).
    pub fn expand_each(&mut self, input: RawInput, mut each: impl FnMut(RawInput)) {
        self.expand_each_with(input, |_, leaf| each(leaf));
    }

    /// [`Engine::expand_each`], this engine given back to `each` with every leaf, so that the
    /// caller may parse a leaf at once ([`Engine::add_leaf`]) while the archive waits.
    pub fn expand_each_with(
        &mut self,
        input: RawInput,
        mut each: impl FnMut(&mut Engine, RawInput),
    ) {
        let limits = self.limits;
        let notes = container::expand_each(input, &limits, &mut |leaf| each(self, leaf));
        for n in notes {
            self.diagnostics.push(Diagnostic {
                input: n.input,
                line: 0,
                message: n.message,
            });
        }
    }

    /// The user's correction of an input's role (hub, spoke, device): it replaces the detected one.
    pub fn set_role(&mut self, input_name: &str, role: Role) {
        self.roles.retain(|(n, _)| n != input_name);
        self.roles.push((input_name.to_string(), role));
    }

    /// Take over the inputs another engine parsed (its open inputs are ended first), so that
    /// inputs can be parsed on several threads, one engine each, and diagnosed together: the
    /// inputs are independent until diagnosis, which puts them in a canonical order, so the
    /// result does not depend on which engine parsed which input. Roles stay this engine's.
    pub fn absorb(&mut self, mut other: Engine) {
        other.end_all();
        self.done.append(&mut other.done);
        self.diagnostics.append(&mut other.diagnostics);
    }

    /// Everything this engine parsed (its open inputs ended first), for another engine's
    /// [`Engine::absorb_parsed`]: the same as [`Engine::absorb`] of this engine, in two steps
    /// that may run in different workers. Roles are not taken: they stay the diagnosing engine's.
    pub fn into_parsed(mut self) -> ParsedInputs {
        self.end_all();
        ParsedInputs {
            inputs: self.done,
            diagnostics: self.diagnostics,
        }
    }

    /// The inputs ended so far and the diagnostics so far, taken out; inputs still open stay.
    /// A helper worker hands each input over as it ends, so that the worker that diagnoses takes
    /// them in while it reads its own (at the end, 1.8 s of hand-over on 100,000 attempts).
    pub fn take_parsed(&mut self) -> ParsedInputs {
        ParsedInputs {
            inputs: std::mem::take(&mut self.done),
            diagnostics: std::mem::take(&mut self.diagnostics),
        }
    }

    /// Take over inputs another engine parsed ([`Engine::into_parsed`]).
    pub fn absorb_parsed(&mut self, mut parsed: ParsedInputs) {
        self.done.append(&mut parsed.inputs);
        self.diagnostics.append(&mut parsed.diagnostics);
    }

    fn end_all(&mut self) {
        let ids: Vec<usize> = (0..self.open.len())
            .filter(|i| self.open[*i].is_some())
            .collect();
        for i in ids {
            self.end(InputId(i));
        }
    }

    /// Diagnose everything that was added.
    pub fn finish(self) -> Analysis {
        self.finish_with(&mut |_| {})
    }

    /// [`Engine::finish`], telling `report` as each step of the diagnosis begins.
    pub fn finish_with(mut self, report: &mut dyn FnMut(Step)) -> Analysis {
        self.end_all();
        diagnose_with(self.done, self.diagnostics, &self.roles, report)
    }
}

/// All parsed inputs diagnosed together.
///
/// The inputs are first put in a canonical order (by name, then kind, size and line counts;
/// the sort is stable), and the diagnostics likewise (by input name, then line): the same inputs
/// given in any order give the same `Analysis`, byte for byte in every report. `Analysis::inputs`
/// and every input index in it (connections, timeline) follow that order, not the order the
/// inputs were added in; evidence names inputs by name.
pub fn diagnose(
    inputs: Vec<ParsedInput>,
    diagnostics: Vec<Diagnostic>,
    roles: &[(String, Role)],
) -> Analysis {
    diagnose_with(inputs, diagnostics, roles, &mut |_| {})
}

/// [`diagnose`], telling `report` as each of its [`steps`](crate::steps) begins.
pub fn diagnose_with(
    mut inputs: Vec<ParsedInput>,
    mut diagnostics: Vec<Diagnostic>,
    roles: &[(String, Role)],
    report: &mut dyn FnMut(Step),
) -> Analysis {
    let mut steps = Steps::new(report);
    inputs.sort_by(|a, b| {
        (
            &a.name,
            a.kind.as_str(),
            a.bytes,
            a.counts.lines,
            a.counts.recognised,
        )
            .cmp(&(
                &b.name,
                b.kind.as_str(),
                b.bytes,
                b.counts.lines,
                b.counts.recognised,
            ))
    });
    diagnostics.sort_by(|a, b| (&a.input, a.line).cmp(&(&b.input, b.line)));
    let mut analysis = Analysis::default();
    for p in &inputs {
        analysis.inputs.push(InputSummary {
            name: p.name.clone(),
            kind: p.kind,
            role: Role::Unknown,
            host: None,
            host_ip: None,
            app: None,
            date: None,
            utc_offset_minutes: None,
            lines: p.counts.lines,
            counts: p.counts,
            not_understood_lines: p.not_understood.clone(),
            bytes: p.bytes,
        });
        match p.kind {
            Kind::Unknown if matches!(p.parsed, Parsed::ErrorLines(_)) => {
                diagnostics.push(Diagnostic {
                    input: p.name.clone(),
                    line: 0,
                    message: Bilingual::new(
                        format!("not recognised as any log Loupe knows (CUCM SDL trace, ILS tables, SecureX artefacts); only its error lines were read ({} lines)", p.counts.recognised),
                        format!("Loupe が扱うログ（CUCM SDL トレース、ILS の一覧、SecureX 関連の出力）として認識できないため、エラー行だけを読み取りました（{} 行）", p.counts.recognised),
                    ),
                })
            }
            Kind::Unknown => diagnostics.push(Diagnostic {
                input: p.name.clone(),
                line: 0,
                message: Bilingual::new(
                    "not recognised as any log Loupe knows (CUCM SDL trace, ILS tables, SecureX artefacts); nothing was analysed",
                    "Loupe が扱うログ（CUCM SDL トレース、ILS の一覧、SecureX 関連の出力）として認識できないため、解析していません",
                ),
            }),
            Kind::Binary => diagnostics.push(Diagnostic {
                input: p.name.clone(),
                line: 0,
                message: Bilingual::new(
                    "binary data, not a text log; nothing was analysed",
                    "テキストのログではなくバイナリデータのため、解析していません",
                ),
            }),
            Kind::Empty => diagnostics.push(Diagnostic {
                input: p.name.clone(),
                line: 0,
                message: Bilingual::new("empty input", "空の入力です"),
            }),
            _ => {}
        }
    }
    ils::analyze(&mut inputs, roles, &mut analysis, &mut steps);
    steps.begin(What::Securex);
    securex::analyze(&inputs, &mut analysis);
    // Secure Firewall artefacts come from a device; the user's correction wins everywhere.
    for (summary, parsed) in analysis.inputs.iter_mut().zip(&inputs) {
        let device = parsed
            .parts()
            .any(|(_, part)| matches!(part, Parsed::Securex(_)));
        if device && summary.role == Role::Unknown {
            summary.role = Role::Device;
        }
        if let Some((_, role)) = roles.iter().find(|(n, _)| *n == summary.name) {
            summary.role = *role;
        }
    }
    analysis.findings.sort_by(|a, b| {
        (a.severity, a.connection.unwrap_or(usize::MAX), &a.rule).cmp(&(
            b.severity,
            b.connection.unwrap_or(usize::MAX),
            &b.rule,
        ))
    });
    analysis.diagnostics = diagnostics;
    analysis
}
