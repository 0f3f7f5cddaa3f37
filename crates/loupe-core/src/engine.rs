//! The streaming driver: bytes of each input go through decode and detect into the right parser,
//! then all parsed inputs are diagnosed together.
//!
//! Inputs may be fed whole ([`Engine::add_whole`], which also opens zip archives) or in chunks
//! ([`Engine::begin`], [`Engine::push`], [`Engine::end`]); both give the same result.

use crate::decode::container::{self, RawInput};
use crate::decode::lines::LineSink;
use crate::decode::stream::ByteDecoder;
use crate::decode::Limits;
use crate::detect;
use crate::ils;
use crate::model::*;
use crate::sdl::{SdlInput, SdlParser};
use crate::securex;

/// A numbered line of text kept for the small artefacts parsed as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: u32,
    pub text: String,
}

/// How many lines detection looks at before deciding.
pub const DETECT_LINES: usize = 200;

enum Phase {
    Detecting(Vec<Line>),
    Sdl(Box<SdlParser>),
    Buffered(Kind, Vec<Line>),
    /// Unknown, binary: lines are counted, not kept.
    Counting(Kind, LineCounts, Vec<u32>),
}

/// Most bytes of text kept for an artefact parsed whole (tables, SecureX outputs, console
/// sessions). Lines past it are counted (as not understood, or blank) but not kept, and the input
/// is reported: a huge file that starts like a small artefact cannot fill the memory.
pub const MAX_BUFFERED_BYTES: usize = 64 << 20;

struct Collector {
    input: String,
    phase: Phase,
    notes: Vec<Diagnostic>,
    /// Bytes of text kept in `Phase::Buffered`.
    buffered_bytes: usize,
    /// Lines past [`MAX_BUFFERED_BYTES`]: counted, not kept.
    overflow: LineCounts,
    overflow_samples: Vec<u32>,
}

impl Collector {
    fn decide(&mut self, at_end: bool) {
        let Phase::Detecting(lines) = &mut self.phase else {
            return;
        };
        let lines = std::mem::take(lines);
        let kind = detect::detect(&lines, at_end);
        self.phase = match kind {
            Kind::SdlTrace => {
                let mut parser = Box::new(SdlParser::new());
                for l in &lines {
                    parser.line(l.number, &l.text);
                }
                Phase::Sdl(parser)
            }
            Kind::Unknown | Kind::Binary | Kind::Empty => {
                let mut counts = LineCounts::default();
                let mut samples = Vec::new();
                for l in &lines {
                    count_unparsed(&mut counts, &mut samples, l.number, &l.text);
                }
                Phase::Counting(kind, counts, samples)
            }
            other => {
                self.buffered_bytes = lines.iter().map(|l| l.text.len()).sum();
                Phase::Buffered(other, lines)
            }
        };
    }
}

fn count_unparsed(counts: &mut LineCounts, samples: &mut Vec<u32>, number: u32, text: &str) {
    counts.lines += 1;
    if text.trim().is_empty() {
        counts.blank += 1;
    } else {
        counts.not_understood += 1;
        if samples.len() < MAX_UNDERSTOOD_SAMPLES {
            samples.push(number);
        }
    }
}

impl LineSink for Collector {
    fn line(&mut self, number: u32, text: &str) {
        match &mut self.phase {
            Phase::Detecting(lines) => {
                lines.push(Line {
                    number,
                    text: text.to_string(),
                });
                if lines.len() >= DETECT_LINES {
                    self.decide(false);
                }
            }
            Phase::Sdl(p) => p.line(number, text),
            Phase::Buffered(_, lines) => {
                if self.buffered_bytes < MAX_BUFFERED_BYTES {
                    self.buffered_bytes += text.len();
                    lines.push(Line {
                        number,
                        text: text.to_string(),
                    });
                } else {
                    count_unparsed(&mut self.overflow, &mut self.overflow_samples, number, text);
                }
            }
            Phase::Counting(_, counts, samples) => count_unparsed(counts, samples, number, text),
        }
    }

    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        match &mut self.phase {
            Phase::Sdl(p) => p.lines(first, block),
            Phase::Detecting(_) => {
                // Line by line until detection decides, then the rest as a block.
                let mut number = first;
                let mut start = 0;
                while start < block.len() && matches!(self.phase, Phase::Detecting(_)) {
                    let end =
                        start + memchr::memchr(b'\n', &block[start..]).expect("complete lines");
                    let mut f = |n: u32, t: &str| self.line(n, t);
                    crate::decode::lines::emit_line(number, &block[start..end], &mut f);
                    number = number.saturating_add(1);
                    start = end + 1;
                }
                if start < block.len() {
                    number = number.saturating_add(self.lines(number, &block[start..]));
                }
                number.wrapping_sub(first)
            }
            _ => crate::decode::lines::each_line(first, block, |n, t| self.line(n, t)),
        }
    }

    fn line_truncated(&mut self, number: u32, dropped: u64) {
        self.notes.push(Diagnostic {
            input: self.input.clone(),
            line: number,
            message: Bilingual::new(
                format!("line is too long: only its first part was kept, {dropped} bytes were not analysed"),
                format!("行が長すぎるため先頭部分だけを読み込み、{dropped} バイトは解析していません"),
            ),
        });
    }
}

struct InputState {
    name: String,
    decoder: ByteDecoder,
    collector: Collector,
}

/// What one input became after parsing.
#[derive(Debug)]
pub enum Parsed {
    Sdl(SdlInput),
    ClusterTable(ils::tables::ClusterTable),
    Securex(securex::Artefact),
    Console(Vec<crate::console::Block>),
    Unparsed,
}

/// One input after decode, detect and parse.
#[derive(Debug)]
pub struct ParsedInput {
    pub name: String,
    pub kind: Kind,
    pub bytes: u64,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
    pub parsed: Parsed,
}

/// Drives the pipeline for a set of inputs.
pub struct Engine {
    limits: Limits,
    roles: Vec<(String, Role)>,
    open: Vec<Option<InputState>>,
    done: Vec<ParsedInput>,
    diagnostics: Vec<Diagnostic>,
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
            collector: Collector {
                input: name.to_string(),
                phase: Phase::Detecting(Vec::new()),
                notes: Vec::new(),
                buffered_bytes: 0,
                overflow: LineCounts::default(),
                overflow_samples: Vec::new(),
            },
        }));
        InputId(self.open.len() - 1)
    }

    pub fn push(&mut self, id: InputId, chunk: &[u8]) {
        if let Some(Some(state)) = self.open.get_mut(id.0) {
            state.decoder.push(chunk, &mut state.collector);
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
        let Some(slot) = self.open.get_mut(id.0) else {
            return;
        };
        let Some(mut state) = slot.take() else { return };
        state.decoder.finish(&mut state.collector);
        state.collector.decide(true);
        for note in state.decoder.notes.drain(..) {
            self.diagnostics.push(Diagnostic {
                input: state.name.clone(),
                line: 0,
                message: note,
            });
        }
        self.diagnostics.append(&mut state.collector.notes);
        let bytes = state.decoder.raw_bytes;
        let overflow = state.collector.overflow;
        let overflow_samples = std::mem::take(&mut state.collector.overflow_samples);
        let mut parsed = finish_phase(state.collector.phase);
        if overflow.lines > 0 {
            add_counts(&mut parsed.counts, &overflow);
            let room = MAX_UNDERSTOOD_SAMPLES.saturating_sub(parsed.not_understood.len());
            parsed
                .not_understood
                .extend(overflow_samples.into_iter().take(room));
            self.diagnostics.push(Diagnostic {
                input: state.name.clone(),
                line: 0,
                message: Bilingual::new(
                    format!("too long for its kind ({}): only its first {} MiB were analysed; the {} lines after them were counted but not analysed", parsed.kind.label().en, MAX_BUFFERED_BYTES >> 20, overflow.lines),
                    format!("{}としては長すぎるため、先頭 {} MiB だけを解析しました。その後の {} 行は数えましたが解析していません", parsed.kind.label().ja, MAX_BUFFERED_BYTES >> 20, overflow.lines),
                ),
            });
        }
        if let Parsed::Sdl(sdl) = &parsed.parsed {
            for &(line, not_kept) in &sdl.long_records {
                self.diagnostics.push(Diagnostic {
                    input: state.name.clone(),
                    line,
                    message: Bilingual::new(
                        format!("record is too long: only its first {} bytes were analysed; its {not_kept} further continuation lines were counted but not analysed", crate::sdl::MAX_RECORD_BYTES),
                        format!("レコードが長すぎるため先頭 {} バイトだけを解析しました。残りの継続行 {not_kept} 行は数えましたが解析していません", crate::sdl::MAX_RECORD_BYTES),
                    ),
                });
            }
        }
        self.done.push(ParsedInput {
            name: state.name,
            bytes,
            ..parsed
        });
    }

    /// Add a whole input: zip archives are opened, everything else is streamed.
    pub fn add_whole(&mut self, input: RawInput) {
        let (leaves, notes) = container::expand(input, &self.limits);
        for n in notes {
            self.diagnostics.push(Diagnostic {
                input: n.input,
                line: 0,
                message: n.message,
            });
        }
        for leaf in leaves {
            let id = self.begin(&leaf.name);
            for chunk in leaf.bytes.chunks(1 << 20) {
                self.push(id, chunk);
            }
            self.end(id);
        }
    }

    /// The user's correction of an input's role (hub, spoke, device): it replaces the detected one.
    pub fn set_role(&mut self, input_name: &str, role: Role) {
        self.roles.retain(|(n, _)| n != input_name);
        self.roles.push((input_name.to_string(), role));
    }

    /// Diagnose everything that was added.
    pub fn finish(mut self) -> Analysis {
        let ids: Vec<usize> = (0..self.open.len())
            .filter(|i| self.open[*i].is_some())
            .collect();
        for i in ids {
            self.end(InputId(i));
        }
        diagnose(self.done, self.diagnostics, &self.roles)
    }
}

fn finish_phase(phase: Phase) -> ParsedInput {
    let base = |kind, counts, not_understood, parsed| ParsedInput {
        name: String::new(),
        kind,
        bytes: 0,
        counts,
        not_understood,
        parsed,
    };
    match phase {
        Phase::Detecting(_) => unreachable!("decided at end"),
        Phase::Sdl(p) => {
            let out = p.finish();
            base(
                Kind::SdlTrace,
                out.counts,
                out.not_understood.clone(),
                Parsed::Sdl(out),
            )
        }
        Phase::Counting(kind, counts, samples) => {
            let kind = if kind == Kind::Unknown && counts.not_understood == 0 {
                Kind::Empty
            } else {
                kind
            };
            base(kind, counts, samples, Parsed::Unparsed)
        }
        Phase::Buffered(kind, lines) => parse_buffered(kind, &lines),
    }
}

/// Parse a small artefact kept whole.
pub fn parse_buffered(kind: Kind, lines: &[Line]) -> ParsedInput {
    match kind {
        Kind::IlsClusterTable | Kind::RemoteClusterSql => {
            let table = ils::tables::parse(kind, lines);
            ParsedInput {
                name: String::new(),
                kind,
                bytes: 0,
                counts: table.counts,
                not_understood: table.not_understood.clone(),
                parsed: Parsed::ClusterTable(table),
            }
        }
        Kind::ConsoleSession => {
            let blocks = crate::console::split(lines);
            let mut counts = LineCounts::default();
            let mut not_understood = Vec::new();
            for b in &blocks {
                add_counts(&mut counts, &b.counts);
                not_understood.extend(b.not_understood.iter().copied());
            }
            not_understood.truncate(MAX_UNDERSTOOD_SAMPLES);
            ParsedInput {
                name: String::new(),
                kind,
                bytes: 0,
                counts,
                not_understood,
                parsed: Parsed::Console(blocks),
            }
        }
        _ => {
            let artefact = securex::parse(kind, lines);
            ParsedInput {
                name: String::new(),
                kind,
                bytes: 0,
                counts: artefact.counts,
                not_understood: artefact.not_understood.clone(),
                parsed: Parsed::Securex(artefact),
            }
        }
    }
}

pub fn add_counts(into: &mut LineCounts, from: &LineCounts) {
    into.lines += from.lines;
    into.recognised += from.recognised;
    into.continuation += from.continuation;
    into.blank += from.blank;
    into.not_understood += from.not_understood;
}

/// Stage 6 and 7's input: all parsed inputs diagnosed together.
pub fn diagnose(
    inputs: Vec<ParsedInput>,
    mut diagnostics: Vec<Diagnostic>,
    roles: &[(String, Role)],
) -> Analysis {
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
    ils::analyze(&inputs, roles, &mut analysis);
    securex::analyze(&inputs, &mut analysis);
    // Secure Firewall artefacts come from a device; the user's correction wins everywhere.
    for (summary, parsed) in analysis.inputs.iter_mut().zip(&inputs) {
        let device = match &parsed.parsed {
            Parsed::Securex(_) => true,
            Parsed::Console(blocks) => blocks
                .iter()
                .any(|b| matches!(b.input.parsed, Parsed::Securex(_))),
            _ => false,
        };
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
