//! One input's lines as they are decoded: detected from the first [`DETECT_LINES`], then routed.
//! SDL traces are parsed as they stream (only their ILS events are kept, not the text); small
//! artefacts are kept whole, up to [`MAX_BUFFERED_BYTES`], and parsed at the end; unknown and
//! binary inputs are counted line by line.

use super::{add_counts, parse_whole, Parsed, ParsedInput};
use crate::decode::lines::{each_line, emit_line, LineSink};
use crate::decode::Line;
use crate::detect;
use crate::model::*;
use crate::sdl::{SdlParser, MAX_RECORD_BYTES, SIGNAL_BYTES_FLOOR, SIGNAL_SHARE_OF_INPUT};
use crate::securex_artefacts::{Artefact, ErrorScan};

/// How many lines detection looks at before deciding.
pub const DETECT_LINES: usize = 200;

/// Most bytes of text kept for an artefact parsed whole (tables, SecureX outputs, console
/// sessions). Lines past it are counted (as not understood, or blank) but not kept, and the input
/// is reported: a huge file that starts like a small artefact cannot fill the memory.
pub const MAX_BUFFERED_BYTES: usize = 64 << 20;

enum Phase {
    Detecting(Vec<Line>),
    Sdl(Box<SdlParser>),
    Buffered(Kind, Vec<Line>),
    /// Unknown, binary: lines are counted, not kept.
    Counting(Kind, LineCounts, Vec<u32>),
    /// ILS alarms, and unknown text: scanned to its end for ILS alarms (a syslog file may name
    /// one past the lines detection reads) and for the error lines of the SecureX chain
    /// ([`crate::securex_artefacts::error_lines`]); only what they say is kept.
    Alarms(Kind, crate::ils_alarms::AlarmScanner, Box<ErrorScan>),
}

/// Parses one input fed line by line (it is the decoder's [`LineSink`]).
pub struct InputParser {
    input: String,
    phase: Phase,
    notes: Vec<Diagnostic>,
    /// Bytes of text kept in `Phase::Buffered`.
    buffered_bytes: usize,
    /// Lines past [`MAX_BUFFERED_BYTES`]: counted, not kept.
    overflow: LineCounts,
    overflow_samples: Vec<u32>,
}

impl InputParser {
    /// A parser for the input called `input` (the name its diagnostics carry).
    pub fn new(input: &str) -> Self {
        Self {
            input: input.to_string(),
            phase: Phase::Detecting(Vec::new()),
            notes: Vec::new(),
            buffered_bytes: 0,
            overflow: LineCounts::default(),
            overflow_samples: Vec::new(),
        }
    }

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
            Kind::Unknown | Kind::IlsAlarms => {
                let mut scanner = crate::ils_alarms::AlarmScanner::default();
                let mut errors = Box::<ErrorScan>::default();
                for l in &lines {
                    scan_line(&mut scanner, &mut errors, l.number, &l.text);
                }
                Phase::Alarms(kind, scanner, errors)
            }
            Kind::Binary | Kind::Empty => {
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

    /// The parsed input (its name and byte count are the caller's to fill) and the diagnostics
    /// about its lines.
    pub fn finish(mut self) -> (ParsedInput, Vec<Diagnostic>) {
        self.decide(true);
        let mut notes = self.notes;
        let mut parsed = match self.phase {
            Phase::Detecting(_) => unreachable!("decided at end"),
            Phase::Sdl(p) => {
                let trace = p.finish();
                ParsedInput::new(
                    Kind::SdlTrace,
                    trace.counts,
                    trace.not_understood.clone(),
                    Parsed::Sdl(trace),
                )
            }
            Phase::Counting(kind, counts, samples) => {
                let kind = if kind == Kind::Unknown && counts.not_understood == 0 {
                    Kind::Empty
                } else {
                    kind
                };
                ParsedInput::new(kind, counts, samples, Parsed::Unparsed)
            }
            Phase::Buffered(kind, lines) => parse_whole(kind, &lines),
            Phase::Alarms(kind, scanner, errors) => {
                let alarms = scanner.finish();
                let (counts, not_understood) = (alarms.counts, alarms.not_understood.clone());
                let kind = if !alarms.alarms.is_empty() {
                    Kind::IlsAlarms
                } else if counts.not_understood == 0 && counts.recognised == 0 {
                    Kind::Empty
                } else {
                    kind
                };
                // One input is one part: ILS alarms when it names any (a text holding both
                // is a syslog of the CUCM), else the SecureX error lines, if any.
                let parsed = if kind == Kind::IlsAlarms {
                    Parsed::IlsAlarms(alarms)
                } else {
                    match errors.finish() {
                        Some(observations) => Parsed::ErrorLines(Artefact {
                            counts,
                            not_understood: not_understood.clone(),
                            observations,
                            runs: Vec::new(),
                        }),
                        None => Parsed::Unparsed,
                    }
                };
                ParsedInput::new(kind, counts, not_understood, parsed)
            }
        };
        if self.overflow.lines > 0 {
            add_counts(&mut parsed.counts, &self.overflow);
            let room = MAX_UNDERSTOOD_SAMPLES.saturating_sub(parsed.not_understood.len());
            parsed
                .not_understood
                .extend(self.overflow_samples.into_iter().take(room));
            notes.push(Diagnostic {
                input: self.input.clone(),
                line: 0,
                message: Bilingual::new(
                    format!("too long for its kind ({}): only its first {} MiB were analysed; the {} lines after them were counted but not analysed", parsed.kind.label().en, MAX_BUFFERED_BYTES >> 20, self.overflow.lines),
                    format!("{}としては長すぎるため、先頭 {} MiB だけを解析しました。その後の {} 行は数えましたが解析していません", parsed.kind.label().ja, MAX_BUFFERED_BYTES >> 20, self.overflow.lines),
                ),
            });
        }
        for (_, part) in parsed.parts() {
            let Parsed::Sdl(trace) = part else { continue };
            if let Some(line) = trace.first_event_not_kept {
                let n = trace.events_not_kept;
                notes.push(Diagnostic {
                    input: self.input.clone(),
                    line,
                    message: Bilingual::new(
                        format!("{n} connection-step signals from this line on were counted but not kept as evidence: the trace holds far more of them than real traces do, and those kept may take at most {} MiB plus 1/{} of the input; attempts and findings are read from every line", SIGNAL_BYTES_FLOOR >> 20, SIGNAL_SHARE_OF_INPUT),
                        format!("この行以降の接続ステップのシグナル {n} 件は数えましたが、根拠としては保持していません。実際のトレースよりはるかに多く、保持できるのは {} MiB と入力の {} 分の 1 までです。接続試行と検出結果はすべての行から読み取っています", SIGNAL_BYTES_FLOOR >> 20, SIGNAL_SHARE_OF_INPUT),
                    ),
                });
            }
            for &(line, not_kept) in &trace.long_records {
                notes.push(Diagnostic {
                    input: self.input.clone(),
                    line,
                    message: Bilingual::new(
                        format!("record is too long: only its first {MAX_RECORD_BYTES} bytes were analysed; its {not_kept} further continuation lines were counted but not analysed"),
                        format!("レコードが長すぎるため先頭 {MAX_RECORD_BYTES} バイトだけを解析しました。残りの継続行 {not_kept} 行は数えましたが解析していません"),
                    ),
                });
            }
        }
        (parsed, notes)
    }
}

/// A line of unknown text or ILS alarms: an alarm (or a line of one), else an error line of the
/// SecureX chain, else not understood.
fn scan_line(
    alarms: &mut crate::ils_alarms::AlarmScanner,
    errors: &mut ErrorScan,
    number: u32,
    text: &str,
) {
    if crate::ils_alarms::alarm_name(text).is_none() && errors.line(number, text) {
        alarms.read_elsewhere();
    } else {
        alarms.line(number, text);
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

impl LineSink for InputParser {
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
            Phase::Alarms(_, scanner, errors) => scan_line(scanner, errors, number, text),
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
                    emit_line(number, &block[start..end], &mut f);
                    number = number.saturating_add(1);
                    start = end + 1;
                }
                if start < block.len() {
                    number = number.saturating_add(self.lines(number, &block[start..]));
                }
                number.wrapping_sub(first)
            }
            _ => each_line(first, block, |n, t| self.line(n, t)),
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
