//! Stage 3, parse: CUCM SDL trace records.
//!
//! Grammar (shared/domain/ils.md §2.1): `<seq>.<sub> |<HH:MM:SS.mmm> |<Type> |<body>`. Lines that
//! do not start a record are continuation lines of the record before them. Records are handed to
//! the ILS event extractor as soon as the next record starts, so only events are kept, not text.

pub mod candidates;
pub mod events;
pub mod filehead;
pub mod pid;
mod signal_names;

use crate::model::{LineCounts, MAX_UNDERSTOOD_SAMPLES};
use events::{EventKind, Extracted, IlsEvent};
pub use filehead::FileHead;

/// The head of a record line: everything before the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHead<'a> {
    pub seq: u64,
    pub sub: u32,
    /// Milliseconds since midnight.
    pub time_of_day_ms: u32,
    pub record_type: &'a str,
    pub body: &'a str,
}

/// Parse the head of an SDL record line, tolerating leading whitespace and any padding.
pub fn record_head(line: &str) -> Option<RecordHead<'_>> {
    let s = line.trim_start();
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(6..=10).contains(&digits) {
        return None;
    }
    // Real traces also write a space before the sub-number: `82645958 .001 |13:08:46.297 |...`.
    let dot = &s[digits..].trim_start();
    let after_dot = dot.strip_prefix('.')?;
    let sub_digits = after_dot.bytes().take_while(|c| c.is_ascii_digit()).count();
    if sub_digits != 3 {
        return None;
    }
    let seq: u64 = s[..digits].parse().ok()?;
    let sub: u32 = after_dot[..3].parse().ok()?;
    let rest = after_dot[3..].trim_start();
    let rest = rest.strip_prefix('|')?;
    let t = rest.as_bytes();
    if t.len() < 12 || t[2] != b':' || t[5] != b':' || t[8] != b'.' {
        return None;
    }
    // Read the digits from the bytes: slicing the str could cut a multi-byte character in two.
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &t[r];
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (h, m, sec, ms) = (num(0..2)?, num(3..5)?, num(6..8)?, num(9..12)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let rest = rest[12..].trim_start().strip_prefix('|')?;
    let type_len = rest.bytes().take_while(|c| c.is_ascii_alphabetic()).count();
    if type_len == 0 {
        return None;
    }
    let record_type = &rest[..type_len];
    let after = rest[type_len..].trim_start();
    let body = after.strip_prefix('|').unwrap_or(after);
    Some(RecordHead {
        seq,
        sub,
        time_of_day_ms: ((h * 60 + m) * 60 + sec) * 1000 + ms,
        record_type,
        body,
    })
}

/// Where a record head starts on a line that does not start with one: free text glued before
/// it (`...SIP/2.0 82645958 .001 |13:08:46.297 |AppInfo |...`, the end of the previous record's
/// multi-line message written without its newline). Returns the byte offset of the head and the
/// head. A head is found from a bar followed by a time (`|HH:MM:SS.mmm`), going back over the
/// sub-number and the sequence number. When the digits run on into the glued text, the
/// sequence number is its last 8 digits (the width CUCM writes), or the whole run when it is
/// 6 to 8 digits long.
pub fn glued_record_head(line: &str) -> Option<(usize, RecordHead<'_>)> {
    let b = line.as_bytes();
    for bar in memchr::memchr_iter(b'|', b) {
        if !is_time_at(b, bar + 1) {
            continue;
        }
        // Back over the whitespace before the bar, the three sub digits and the dot.
        let mut i = bar;
        while i > 0 && is_ws(b[i - 1]) {
            i -= 1;
        }
        if i < 4 || !b[i - 3..i].iter().all(u8::is_ascii_digit) || b[i - 4] != b'.' {
            continue;
        }
        i -= 4;
        while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        let end = i;
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        let run = end - i;
        if run < 6 {
            continue;
        }
        let start = if run > 8 { end - 8 } else { i };
        if line[..start].trim().is_empty() {
            // Nothing glued: the line starts with this record (or is not one at all).
            continue;
        }
        if let Some(head) = record_head(&line[start..]) {
            return Some((start, head));
        }
    }
    None
}

/// `HH:MM:SS.mmm` (digits and separators only) at `at`.
#[inline]
fn is_time_at(b: &[u8], at: usize) -> bool {
    let Some(t) = b.get(at..at + 12) else {
        return false;
    };
    t.iter().enumerate().all(|(k, c)| match k {
        2 | 5 => *c == b':',
        8 => *c == b'.',
        _ => c.is_ascii_digit(),
    })
}

/// Terminal artefacts accepted in pasted SDL text: the `admin:` prompt, the pager prompt,
/// Markdown code fences from documents.
pub fn is_terminal_artefact(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("admin:")
        || t.starts_with("Press <enter> for 1 line")
        || t.starts_with("```")
        || t == "<#root>"
        || t == "end of the file reached"
}

/// Most bytes of one record's text (first line and continuation lines) kept. A record that goes
/// on longer (a huge dump after a record, or a text file that only starts like a trace) has its
/// further continuation lines counted but not kept, and is reported in
/// [`SdlInput::long_records`]: memory stays bounded and no line goes uncounted.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// A complete record: its first line number, head fields and the body with continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: u32,
    pub seq: u64,
    pub sub: u32,
    pub time_of_day_ms: u32,
    pub record_type: String,
    /// Body of the first line, continuation lines appended after a space.
    pub body: String,
    /// The record as it appears in the file: first line, continuation lines joined with `\n`.
    pub text: String,
    /// Bytes of the record's lines as read (untrimmed, joined with `\n`), for the size limit.
    pub raw_len: usize,
    /// Continuation lines past [`MAX_RECORD_BYTES`]: counted, not kept.
    pub lines_not_kept: u64,
}

/// Absolute or relative time of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    /// Days since 1970-01-01 of the current FileHead date, if any.
    day: Option<i64>,
    utc_offset_minutes: i32,
    /// Day roll-overs seen (midnight crossings).
    rolled: i64,
    last_tod: Option<u32>,
}

const DAY_MS: i64 = 86_400_000;
/// A time of day that goes back by more than this is a midnight crossing, not disorder.
const ROLLOVER_MS: u32 = 12 * 3_600_000;

impl Clock {
    fn set_date(&mut self, days: i64, utc_offset_minutes: i32) {
        self.day = Some(days);
        self.utc_offset_minutes = utc_offset_minutes;
        self.rolled = 0;
        self.last_tod = None;
    }

    /// Milliseconds: UTC epoch when a date is known, else since midnight of the first day.
    fn stamp(&mut self, tod: u32) -> i64 {
        let day = match self.last_tod {
            Some(last) if tod + ROLLOVER_MS < last => {
                self.rolled += 1;
                self.last_tod = Some(tod);
                self.rolled
            }
            // A late record from before midnight, written after the roll-over.
            Some(last) if tod > last + ROLLOVER_MS && self.rolled > 0 => self.rolled - 1,
            Some(last) => {
                self.last_tod = Some(last.max(tod));
                self.rolled
            }
            None => {
                self.last_tod = Some(tod);
                self.rolled
            }
        };
        (self.base() + day) * DAY_MS + tod as i64 - self.offset_ms()
    }

    fn base(&self) -> i64 {
        self.day.unwrap_or(0)
    }

    fn offset_ms(&self) -> i64 {
        if self.day.is_some() {
            self.utc_offset_minutes as i64 * 60_000
        } else {
            0
        }
    }
}

/// What an SDL trace became.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct SdlInput {
    /// The first FileHead of the input, if any.
    pub filehead: Option<FileHead>,
    pub events: Vec<IlsEvent>,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
    pub records: u64,
    /// Times are UTC epoch milliseconds (true) or time of day without a date (false).
    pub dated: bool,
    /// First and last record time, in the same scale as event times.
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Records longer than [`MAX_RECORD_BYTES`]: (first line, continuation lines not kept), up
    /// to [`MAX_UNDERSTOOD_SAMPLES`] of them.
    pub long_records: Vec<(u32, u64)>,
    /// Signals of the ILS process that are not events (timers, data, signals of no
    /// connection): how many of each name.
    pub signal_counts: std::collections::BTreeMap<String, u64>,
    /// Signals that are steps of a connection, past the memory allowed for them
    /// ([`signal_budget`]): counted, not kept; the line of the first.
    pub events_not_kept: u64,
    pub first_event_not_kept: Option<u32>,
}

/// Bytes of kept connection-step signals allowed after `bytes_seen` bytes of input: a floor,
/// then a twelfth of the input. Real traces hold a few per connection attempt (the whole 2 x
/// 100 MB dense corpus keeps 1,769 events of every kind, 0.4 MB); only a trace made of
/// connection steps, line after line, reaches it, and its memory then stays bounded by the
/// input's size instead of growing to several times it. The events that make attempts
/// (requests, accepts, verdicts, alarms: `IlsD` lines) are always kept: memory follows the
/// attempts.
pub fn signal_budget(bytes_seen: u64) -> u64 {
    SIGNAL_BYTES_FLOOR + bytes_seen / SIGNAL_SHARE_OF_INPUT
}

/// See [`signal_budget`].
pub const SIGNAL_BYTES_FLOOR: u64 = 1 << 20;
/// See [`signal_budget`]: the budget grows by one byte per this many bytes of input.
pub const SIGNAL_SHARE_OF_INPUT: u64 = 12;

/// What a signal is counted as against [`signal_budget`]: its fixed size and its text.
fn event_cost(event: &IlsEvent) -> u64 {
    (std::mem::size_of::<IlsEvent>() + event.text.len()) as u64
}

/// A record waiting for its continuation lines.
#[derive(Debug)]
enum Pending {
    /// A record that may hold an ILS event (or a FileHead): kept whole.
    Full(Record),
    /// A record whose text holds none of the event literals (fast path): only its line and time
    /// are kept, and the text of its last non-blank line, in case a continuation line turns it
    /// into a candidate.
    Light(Light),
}

#[derive(Debug)]
struct Light {
    line: u32,
    time_of_day_ms: u32,
    /// An SdlSig record whose head line names the ILS process (`Ils(`): at its end its columns
    /// are read (it may be a step of a connection, or only counted), without building a
    /// [`Record`] when it is one line long.
    signal: bool,
    /// The head line has the usual layout (its type at byte 28).
    plain: bool,
    /// Where the record's head line is in the current block; `None` once its lines were copied
    /// into [`SdlParser::light_text`] (the block went away, or a continuation line came).
    in_block: Option<(usize, usize)>,
    /// Continuation lines past [`MAX_RECORD_BYTES`]: counted, not kept (as in [`Record`]).
    lines_not_kept: u64,
}

impl Light {
    /// Bytes of the record's lines so far, as [`Record::raw_len`] counts them (`kept` is
    /// [`SdlParser::light_text`]).
    fn raw_len(&self, kept: &[u8]) -> usize {
        match self.in_block {
            Some((s, e)) => e - s,
            None => kept.len(),
        }
    }
}

/// What the fast path can tell from a line's bytes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Whitespace only.
    Blank,
    /// A record head (not a FileHead) and its time of day.
    Head(u32),
    /// Surely not blank, not a record head and not a terminal artefact: a continuation line.
    Other,
    /// Let the full parse decide (FileHead, non-ASCII at a trimming point, maybe an artefact).
    Unsure,
}

/// Rust's `char::is_whitespace` on ASCII bytes (includes vertical tab, as `str::trim` does).
#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// Classify a line (without its newline, CR removed) the way [`SdlParser::line`] would, from its
/// bytes, or say [`Class::Unsure`].
#[cfg(test)]
fn classify(b: &[u8]) -> Class {
    classify_line(b).0
}

/// [`classify`], and whether the line has the usual layout ([`classify_plain`] decided): then
/// a record's type starts at byte 28.
#[inline]
fn classify_line(b: &[u8]) -> (Class, bool) {
    match classify_plain(b) {
        // The type starts at byte 28: a FileHead goes through the full parse.
        Some(Class::Head(_)) if b[28] == b'F' && is_filehead_type(&b[28..]) => {
            (Class::Unsure, true)
        }
        Some(c) => (c, true),
        None => (classify_general(b), false),
    }
}

/// Is the record type at the start of `t` exactly `FileHead`?
fn is_filehead_type(t: &[u8]) -> bool {
    t.starts_with(b"FileHead") && !t.get(8).is_some_and(u8::is_ascii_alphabetic)
}

/// The usual layout, `NNNNNNNN.NNN |HH:MM:SS.mmm |Type...` (8-digit sequence, one space before
/// each bar), decided from fixed offsets: the answer [`classify_general`] would give, or `None`
/// to let it decide. Every line of a trace comes through here: the 29 bytes are read as four
/// words, each compared with its [`Template`] without a branch, and one test says whether all
/// passed (the branch per check it replaced made this function a tenth of the parser's
/// instructions). Inlined, as [`SdlParser::flush_in`] is, into the line loop (callgrind,
/// 2 × 10 MB ILS-dense: the two, 2.5 % fewer instructions than as calls).
#[inline(always)]
fn classify_plain(b: &[u8]) -> Option<Class> {
    const SEQ: Template = Template::new(b"dddddddd");
    const SUB_HOUR: Template = Template::new(b".ddd |dd");
    const MIN_SEC: Template = Template::new(b":dd:dd.d");
    const MS_TYPE: Template = Template::new(b"d.ddd |?");
    let b: &[u8; 29] = b.get(..29)?.try_into().ok()?;
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    // Bytes 0-7, 8-15, 16-23, 21-28 (21 to 23 checked twice; 28, the type's first letter, below).
    let (x0, x8, x16, x21) = (
        SEQ.offsets(word(0)),
        SUB_HOUR.offsets(word(8)),
        MIN_SEC.offsets(word(16)),
        MS_TYPE.offsets(word(21)),
    );
    let wrong = SEQ.wrong(x0) | SUB_HOUR.wrong(x8) | MIN_SEC.wrong(x16) | MS_TYPE.wrong(x21);
    if wrong != 0 || !b[28].is_ascii_alphabetic() {
        return None;
    }
    // A digit's value is its lane of the offsets.
    let d = |x: u64, lane: u32| (x >> (8 * lane)) as u32 & 0xff;
    let (h, m, sec) = (
        d(x8, 6) * 10 + d(x8, 7),
        d(x16, 1) * 10 + d(x16, 2),
        d(x16, 4) * 10 + d(x16, 5),
    );
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let ms = d(x16, 7) * 100 + d(x21, 3) * 10 + d(x21, 4);
    Some(Class::Head(((h * 60 + m) * 60 + sec) * 1000 + ms))
}

/// What eight bytes of a line must be: `d` a digit, `?` anything, any other byte itself.
struct Template {
    /// `0` in each digit lane, the byte in each fixed lane.
    value: u64,
    /// 0xff in each digit lane.
    digits: u64,
    /// 0xff in each fixed lane.
    fixed: u64,
}

impl Template {
    const fn new(pattern: &[u8; 8]) -> Self {
        let (mut value, mut digits, mut fixed) = (0u64, 0u64, 0u64);
        let mut i = 0;
        while i < 8 {
            let lane = 8 * i as u32;
            match pattern[i] {
                b'd' => {
                    value |= (b'0' as u64) << lane;
                    digits |= 0xff << lane;
                }
                b'?' => {}
                c => {
                    value |= (c as u64) << lane;
                    fixed |= 0xff << lane;
                }
            }
            i += 1;
        }
        Template {
            value,
            digits,
            fixed,
        }
    }

    /// The word's bytes against the template's: a digit's value in a digit lane, 0 in a fixed
    /// lane that holds its byte.
    #[inline]
    fn offsets(&self, word: u64) -> u64 {
        word ^ self.value
    }

    /// Not 0 when a lane of `x` ([`Template::offsets`]) is wrong: a fixed lane not 0, a digit
    /// lane above 9 (its high nibble set, or set once 6 is added). The addition carries out of
    /// a lane only from a lane of 0xfa or more, wrong already.
    #[inline]
    fn wrong(&self, x: u64) -> u64 {
        const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
        let digits = x & self.digits;
        (x & self.fixed)
            | (digits & HIGH)
            | (digits.wrapping_add(0x0606_0606_0606_0606 & self.digits) & HIGH & self.digits)
    }
}

/// [`classify`] for any layout. Mirrors [`record_head`] step by step; a line that is no record
/// head but holds a bar and a time (a head may be glued after free text,
/// [`glued_record_head`]) goes to the full parse.
fn classify_general(b: &[u8]) -> Class {
    match classify_head(b) {
        Class::Other if may_hold_glued_head(b) => Class::Unsure,
        c => c,
    }
}

/// A bar followed by a time somewhere in the line.
fn may_hold_glued_head(b: &[u8]) -> bool {
    memchr::memchr_iter(b'|', b).any(|bar| is_time_at(b, bar + 1))
}

fn classify_head(b: &[u8]) -> Class {
    let start = skip_ws(b, 0);
    if start == b.len() {
        return Class::Blank;
    }
    let first = b[start];
    if first >= 0x80 {
        return Class::Unsure;
    }
    if !first.is_ascii_digit() {
        // Terminal artefacts start with one of these.
        return if matches!(first, b'a' | b'P' | b'`' | b'<' | b'e') {
            Class::Unsure
        } else {
            Class::Other
        };
    }
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = start;
    while digit(i) {
        i += 1;
    }
    let digits = i - start;
    if !(6..=10).contains(&digits) {
        return Class::Other;
    }
    // `82645958 .001`: whitespace may come before the dot.
    i = skip_ws(b, i);
    match b.get(i) {
        Some(b'.') => {}
        Some(c) if *c >= 0x80 => return Class::Unsure,
        _ => return Class::Other,
    }
    if !(digit(i + 1) && digit(i + 2) && digit(i + 3)) || digit(i + 4) {
        return Class::Other;
    }
    i = skip_ws(b, i + 4);
    match b.get(i) {
        Some(b'|') => i += 1,
        Some(c) if *c >= 0x80 => return Class::Unsure,
        _ => return Class::Other,
    }
    let t = &b[i..];
    if t.len() < 12 || t[2] != b':' || t[5] != b':' || t[8] != b'.' {
        return Class::Other;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        t[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(h), Some(m), Some(sec), Some(ms)) = (num(0..2), num(3..5), num(6..8), num(9..12))
    else {
        // `record_head` would slice the text there: let it.
        return Class::Unsure;
    };
    if h > 23 || m > 59 || sec > 60 {
        return Class::Other;
    }
    i = skip_ws(b, i + 12);
    match b.get(i) {
        Some(b'|') => i += 1,
        Some(c) if *c >= 0x80 => return Class::Unsure,
        _ => return Class::Other,
    }
    // No whitespace is skipped between this bar and the type.
    let type_start = i;
    while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    match &b[type_start..i] {
        [] => Class::Other,
        b"FileHead" => Class::Unsure,
        _ => Class::Head(((h * 60 + m) * 60 + sec) * 1000 + ms),
    }
}

/// Does this line, classified `class` ([`classify_line`]), start an SdlSig record?
fn is_signal_head(line: &[u8], class: Class, plain: bool) -> bool {
    if !matches!(class, Class::Head(_)) {
        return false;
    }
    // `<seq>.<sub> |HH:MM:SS.mmm |SdlSig`: the type sits after the second `|` (at byte 28 in
    // the usual layout).
    let ty = if plain {
        &line[28..]
    } else {
        let mut bars = memchr::memchr_iter(b'|', line);
        let (Some(_), Some(second)) = (bars.next(), bars.next()) else {
            return false;
        };
        &line[second + 1..]
    };
    ty.starts_with(b"SdlSig") && !ty.get(6).is_some_and(u8::is_ascii_alphabetic)
}

/// Line-by-line SDL parser, with a fast path for whole blocks of lines ([`SdlParser::lines`]).
#[derive(Debug, Default)]
pub struct SdlParser {
    pending: Option<Pending>,
    /// The lines of the open light record, joined with `\n` as in [`Record::text`] but untrimmed,
    /// once they are no longer in the current block (kept in case a later continuation line turns
    /// the record into a candidate). Reused from record to record.
    light_text: Vec<u8>,
    clock: Clock,
    out: SdlInput,
    matcher: events::Matcher,
    /// The counted signals, by name (into [`SdlInput::signal_counts`] at the end).
    signal_names: signal_names::SignalNames,
    /// Bytes of input lines seen, and of connection-step signals kept: see [`signal_budget`].
    bytes_seen: u64,
    event_bytes: u64,
}

impl SdlParser {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn line(&mut self, number: u32, text: &str) {
        self.bytes_seen += text.len() as u64 + 1;
        self.parse_line(number, text);
    }

    fn parse_line(&mut self, number: u32, text: &str) {
        let counts = &mut self.out.counts;
        counts.lines += 1;
        if text.trim().is_empty() {
            counts.blank += 1;
            return;
        }
        let (start, head) = match record_head(text) {
            Some(head) => (0, Some(head)),
            None => match glued_record_head(text) {
                Some((start, head)) => (start, Some(head)),
                None => (0, None),
            },
        };
        if let Some(head) = head {
            counts.recognised += 1;
            if start > 0 {
                // The glued text is the end of the record before (its message written without
                // the newline): it is kept there, as the tail of that record's text, and the new
                // record's text starts at its own head. With no record before, it is part of this
                // line and stays out of both.
                if let Some(Pending::Light(light)) = &self.pending {
                    let record = promote(light, &self.light_text);
                    self.pending = Some(Pending::Full(record));
                }
                if let Some(Pending::Full(rec)) = &mut self.pending {
                    append_glued(rec, &text[..start]);
                }
            }
            self.flush();
            let text = &text[start..];
            self.pending = Some(Pending::Full(Record {
                line: number,
                seq: head.seq,
                sub: head.sub,
                time_of_day_ms: head.time_of_day_ms,
                record_type: head.record_type.to_string(),
                body: head.body.trim_end().to_string(),
                text: text.trim_end().to_string(),
                raw_len: text.len(),
                lines_not_kept: 0,
            }));
            return;
        }
        if is_terminal_artefact(text) {
            counts.recognised += 1;
            self.flush();
            return;
        }
        if let Some(Pending::Light(light)) = &self.pending {
            let record = promote(light, &self.light_text);
            self.pending = Some(Pending::Full(record));
        }
        let counts = &mut self.out.counts;
        match &mut self.pending {
            Some(Pending::Full(rec)) => {
                counts.continuation += 1;
                append_continuation(rec, text);
            }
            _ => {
                counts.not_understood += 1;
                if self.out.not_understood.len() < MAX_UNDERSTOOD_SAMPLES {
                    self.out.not_understood.push(number);
                }
            }
        }
    }

    /// A block of complete lines (each ending with `\n`), the first numbered `first`: the same
    /// result as [`SdlParser::line`] on each, faster. A multi-literal search finds the lines that
    /// may belong to an ILS event; only their records are parsed fully. The other lines are
    /// classified from their first bytes (blank, record head, continuation) and their records'
    /// times kept. Returns the number of lines.
    pub fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        self.bytes_seen += block.len() as u64;
        let mut signals = candidates::Hits::new(|from| candidates::find_signal(block, from));
        let mut others = candidates::Hits::new(|from| candidates::find_other(block, from));
        let mut number = first;
        let mut start = 0;
        for end in crate::decode::newlines::positions(block) {
            let mut line = &block[start..end];
            if let [rest @ .., b'\r'] = line {
                line = rest;
            }
            let (class, plain) = classify_line(line);
            let signal = signals.in_line(start, end);
            let fast = if signal || others.in_line(start, end) {
                // An SdlSig record is read from its columns alone, and only with `Ils(` in it
                // (a continuation line bringing one is a candidate of its own).
                is_signal_head(line, class, plain)
                    && self.fast_line(number, line, start, block, signal, (class, plain))
            } else {
                self.fast_line(number, line, start, block, false, (class, plain))
            };
            if !fast {
                self.keep_light_text(block);
                let mut f = |n: u32, t: &str| self.parse_line(n, t);
                crate::decode::lines::emit_line(number, line, &mut f);
            }
            number = number.saturating_add(1);
            start = end + 1;
        }
        // The block goes away: a light record still open keeps its head line.
        self.keep_light_text(block);
        number.wrapping_sub(first)
    }

    /// The fast path for one line without a needle; false if the full parse must see it. Always
    /// inlined into its two calls in [`SdlParser::lines`] (callgrind, 2 × 10 MB ILS-dense: 4 %
    /// fewer instructions than as a call).
    #[inline(always)]
    fn fast_line(
        &mut self,
        number: u32,
        line: &[u8],
        start: usize,
        block: &[u8],
        signal: bool,
        (class, plain): (Class, bool),
    ) -> bool {
        match class {
            Class::Head(tod) => {
                self.out.counts.lines += 1;
                self.out.counts.recognised += 1;
                self.flush_in(block);
                self.pending = Some(Pending::Light(Light {
                    line: number,
                    time_of_day_ms: tod,
                    signal,
                    plain,
                    in_block: Some((start, start + line.len())),
                    lines_not_kept: 0,
                }));
                true
            }
            Class::Blank => {
                self.out.counts.lines += 1;
                self.out.counts.blank += 1;
                true
            }
            Class::Other => {
                let Some(Pending::Light(light)) = &mut self.pending else {
                    return false;
                };
                // Past the size limit the line is counted, not kept, as `append_continuation`
                // does: nothing it holds can make the record an event any more.
                if light.raw_len(&self.light_text) >= MAX_RECORD_BYTES {
                    light.lines_not_kept += 1;
                    self.out.counts.lines += 1;
                    self.out.counts.continuation += 1;
                    return true;
                }
                // No needle in this line nor in the record's earlier lines: the record stays
                // light (needles hold no whitespace, so joining the lines cannot make one).
                // Keep its text: a later line may still make it a candidate.
                if let Some((s, e)) = light.in_block.take() {
                    self.light_text.clear();
                    self.light_text.extend_from_slice(&block[s..e]);
                }
                self.light_text.push(b'\n');
                self.light_text.extend_from_slice(line);
                self.out.counts.lines += 1;
                self.out.counts.continuation += 1;
                true
            }
            Class::Unsure => false,
        }
    }

    /// Copy the head line of an open light record out of the block.
    fn keep_light_text(&mut self, block: &[u8]) {
        if let Some(Pending::Light(light)) = &mut self.pending {
            if let Some((s, e)) = light.in_block.take() {
                self.light_text.clear();
                self.light_text.extend_from_slice(&block[s..e]);
            }
        }
    }

    fn flush(&mut self) {
        self.flush_in(&[]);
    }

    /// End the pending record; `block` is the block a light record's head line may still be in.
    /// Nearly every record of a trace ends here as one of two kinds, handled first: a signal
    /// only counted (its line still in the block, of the usual layout) and a light record of no
    /// signal. The others go to [`SdlParser::flush_record`], kept out of line, so that these two
    /// do not pay for its large frame (callgrind, 2 × 10 MB ILS-dense: 1 % fewer instructions).
    #[inline(always)]
    fn flush_in(&mut self, block: &[u8]) {
        if let Some(Pending::Light(light)) = &self.pending {
            let counted = if light.signal {
                match light.in_block {
                    Some((s, e)) if light.plain => {
                        self.signal_names
                            .count_line(&block[s..e], counted_signal_name)
                            == Some(true)
                    }
                    _ => false,
                }
            } else {
                light.lines_not_kept == 0
            };
            if counted {
                let tod = light.time_of_day_ms;
                self.pending = None;
                self.out.records += 1;
                self.stamp(tod);
                return;
            }
        }
        self.flush_record(block);
    }

    /// [`SdlParser::flush_in`] of any record but a counted signal and a light record of no
    /// signal (whose signal, if it is one, was not counted).
    #[inline(never)]
    fn flush_record(&mut self, block: &[u8]) {
        let rec = match self.pending.take() {
            None => return,
            Some(Pending::Light(mut light)) if light.signal => {
                if let Some((s, e)) = light.in_block {
                    // One line, still in the block: read its columns there (not only counted,
                    // [`SdlParser::flush_in`]).
                    let line = &block[s..e];
                    let text = utf8(line);
                    self.one_line_signal(&light, &text);
                    return;
                }
                if memchr::memchr(b'\n', &self.light_text).is_none() {
                    let kept = std::mem::take(&mut self.light_text);
                    self.one_line_signal(&light, &utf8(&kept));
                    self.light_text = kept;
                    return;
                }
                // Wrapped over several lines: read it as the full parse does.
                light.in_block = None;
                promote(&light, &self.light_text)
            }
            Some(Pending::Light(light)) => {
                self.out.records += 1;
                if light.lines_not_kept > 0 && self.out.long_records.len() < MAX_UNDERSTOOD_SAMPLES
                {
                    self.out
                        .long_records
                        .push((light.line, light.lines_not_kept));
                }
                self.stamp(light.time_of_day_ms);
                return;
            }
            Some(Pending::Full(rec)) => rec,
        };
        self.out.records += 1;
        if rec.lines_not_kept > 0 && self.out.long_records.len() < MAX_UNDERSTOOD_SAMPLES {
            self.out.long_records.push((rec.line, rec.lines_not_kept));
        }
        if rec.record_type == "FileHead" {
            if let Some(fh) = FileHead::parse(&rec.body, rec.line) {
                if let Some(days) = fh.days {
                    self.clock
                        .set_date(days, fh.utc_offset_minutes.unwrap_or(0));
                    if self.out.first_ms.is_none() {
                        self.out.dated = true;
                    }
                }
                if self.out.filehead.is_none() {
                    self.out.filehead = Some(fh);
                }
            }
        }
        let time_ms = self.stamp(rec.time_of_day_ms);
        let unwrapped;
        let mut extracted = self.matcher.extract(&rec.record_type, &rec.body);
        // A message wrapped in the middle of a word (a terminal's 80 columns:
        // `...(Verification er` / `ror:18)- self signed ...`) reads as one only with its lines
        // joined without the space. Tried only for a record that holds a needle, so the fast
        // path (which keeps only those records whole) gives the same.
        if extracted.is_none()
            && rec.text.contains('\n')
            && candidates::find(rec.body.as_bytes(), 0).is_some()
        {
            unwrapped = unwrapped_body(&rec.text);
            extracted = self.matcher.extract(&rec.record_type, &unwrapped);
        }
        self.keep(extracted, |kind| IlsEvent {
            line: rec.line,
            seq: rec.seq,
            sub: rec.sub,
            time_ms,
            time_of_day_ms: rec.time_of_day_ms,
            text: rec.text.into(),
            kind,
        });
    }

    /// A one-line SdlSig record of the ILS process, as [`SdlParser::flush`] reads a [`Record`],
    /// without building one: most of them are only counted. The head is parsed only for an
    /// event (its sequence numbers); a counted signal needs its body alone.
    fn one_line_signal(&mut self, light: &Light, text: &str) {
        self.out.records += 1;
        let time_ms = self.stamp(light.time_of_day_ms);
        let Some(body) = signal_body(text) else {
            return;
        };
        // `Matcher::extract` on an SdlSig record: `light.signal` says the line holds `Ils(`, and
        // a record head cannot, so its body does. (The body's trailing whitespace, which
        // `flush` trims, is in a column that `events::signal` trims.)
        match events::signal(body) {
            Some(Extracted::Counted(name)) => self.count_signal(name),
            Some(Extracted::Event(kind)) => {
                let Some(head) = record_head(text) else {
                    return;
                };
                self.push_event(IlsEvent {
                    line: light.line,
                    seq: head.seq,
                    sub: head.sub,
                    time_ms,
                    time_of_day_ms: light.time_of_day_ms,
                    text: text.trim_end().into(),
                    kind,
                });
            }
            None => {}
        }
    }

    /// Keep an event; a connection-step signal is counted instead once those kept reach
    /// [`signal_budget`].
    fn push_event(&mut self, event: IlsEvent) {
        if !matches!(event.kind, EventKind::Signal { .. }) {
            self.out.events.push(event);
            return;
        }
        let cost = event_cost(&event);
        if self.event_bytes + cost > signal_budget(self.bytes_seen) {
            self.out.events_not_kept += 1;
            self.out.first_event_not_kept.get_or_insert(event.line);
            return;
        }
        self.event_bytes += cost;
        self.out.events.push(event);
    }

    fn count_signal(&mut self, name: &str) {
        self.signal_names.count(name);
    }

    /// Keep an event (`event` builds it around its kind) or count a signal.
    fn keep(
        &mut self,
        extracted: Option<Extracted<'_>>,
        event: impl FnOnce(EventKind) -> IlsEvent,
    ) {
        match extracted {
            Some(Extracted::Event(kind)) => self.push_event(event(kind)),
            Some(Extracted::Counted(name)) => self.count_signal(name),
            None => {}
        }
    }

    fn stamp(&mut self, time_of_day_ms: u32) -> i64 {
        let time_ms = self.clock.stamp(time_of_day_ms);
        self.out.first_ms = Some(self.out.first_ms.map_or(time_ms, |f| f.min(time_ms)));
        self.out.last_ms = Some(self.out.last_ms.map_or(time_ms, |l| l.max(time_ms)));
        time_ms
    }

    pub fn finish(mut self) -> SdlInput {
        self.flush();
        self.out.signal_counts = std::mem::take(&mut self.signal_names).into_counts();
        // Kept until the end of the analysis, with copies: no room left over from growing.
        self.out.events.shrink_to_fit();
        self.out
    }
}

/// Add a continuation line to a record, or only count it once the record is past
/// [`MAX_RECORD_BYTES`].
fn append_continuation(rec: &mut Record, text: &str) {
    if rec.raw_len >= MAX_RECORD_BYTES {
        rec.lines_not_kept += 1;
        return;
    }
    rec.raw_len += 1 + text.len();
    let piece = text.trim();
    if !rec.body.is_empty() {
        rec.body.push(' ');
    }
    rec.body.push_str(piece);
    rec.text.push('\n');
    rec.text.push_str(text.trim_end());
}

/// A record's body with its continuation lines joined without a separator.
fn unwrapped_body(text: &str) -> String {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let mut body = record_head(first)
        .map_or(first, |h| h.body)
        .trim_end()
        .to_string();
    for l in lines {
        body.push_str(l.trim());
    }
    body
}

/// Add text glued before the next record's head on the same line to a record (not a line of
/// its own: nothing is counted), within [`MAX_RECORD_BYTES`].
fn append_glued(rec: &mut Record, glued: &str) {
    let piece = glued.trim();
    if piece.is_empty() || rec.raw_len >= MAX_RECORD_BYTES {
        return;
    }
    rec.raw_len += 1 + glued.len();
    if !rec.body.is_empty() {
        rec.body.push(' ');
    }
    rec.body.push_str(piece);
    rec.text.push('\n');
    rec.text.push_str(glued.trim_end());
}

/// The name of a one-line signal in the usual layout (the caller knows it is), as
/// [`events::signal`] reads it, from the line's bytes (no UTF-8 check of the whole line, no
/// trimming of its padded columns); `None` when the full reading must decide: non-ASCII where
/// `str::trim` could differ from an ASCII trim, no name. Whether it is only counted (not a step
/// of a connection) is for [`signal_names::SignalNames::count_unless_step`].
fn counted_signal_name(line: &[u8]) -> Option<&[u8]> {
    const TYPE_AT: usize = 28;
    let ty = line.get(TYPE_AT..)?;
    if !ty.starts_with(b"SdlSig") || ty.get(6).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    // `record_head`: the type, whitespace, then the bar (if any) that starts the body.
    let mut i = skip_ws(line, TYPE_AT + 6);
    match line.get(i) {
        Some(b'|') => i += 1,
        Some(c) if *c >= 0x80 => return None,
        _ => {}
    }
    // The column runs to the next bar. A name pads it with spaces: its end is the first space
    // when only spaces follow up to the bar, else found as `trim_end` would. Walked byte by byte:
    // the name and its padding are a few dozen bytes, too few for a vector search to pay for its
    // start (two `memchr` calls per signal were 28 ms per 100 MB in WebAssembly).
    let rest = &line[i..];
    let start = skip_ws(rest, 0);
    let mut space = start;
    while space < rest.len() && !matches!(rest[space], b' ' | b'|') {
        space += 1;
    }
    let pad_end = skip_spaces(rest, space);
    let padded = rest.get(space) == Some(&b' ') && matches!(rest.get(pad_end), None | Some(b'|'));
    let end = if padded {
        space
    } else {
        // No bar among the bytes before `space`: the first one is at `space` or later.
        let mut end = memchr::memchr(b'|', &rest[space..]).map_or(rest.len(), |p| space + p);
        while end > start && is_ws(rest[end - 1]) {
            end -= 1;
        }
        end
    };
    let name = &rest[start..end];
    match (name.first(), name.last()) {
        (Some(&a), Some(&z)) if a < 0x80 && z < 0x80 => {}
        _ => return None,
    }
    Some(name)
}

/// The first byte at or after `i` that is not a space, eight bytes at a time: a name column's
/// padding is some thirty spaces.
#[inline]
fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(w) = b.get(i..i + 8) {
        if u64::from_ne_bytes(w.try_into().expect("8 bytes")) != SPACES {
            break;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The body of a signal's head line, as [`record_head`] gives it: read at its fixed place in the
/// usual layout (`NNNNNNNN.NNN |HH:MM:SS.mmm |SdlSig   |body`), else through [`record_head`].
fn signal_body(text: &str) -> Option<&str> {
    const TYPE_AT: usize = 28;
    let plain = classify_plain(text.as_bytes()).is_some()
        && text.as_bytes()[TYPE_AT..].starts_with(b"SdlSig")
        && !text
            .as_bytes()
            .get(TYPE_AT + 6)
            .is_some_and(u8::is_ascii_alphabetic);
    if !plain {
        return record_head(text).map(|h| h.body);
    }
    let after = text[TYPE_AT + 6..].trim_start();
    Some(after.strip_prefix('|').unwrap_or(after))
}

/// A line's text, invalid UTF-8 replaced as the line splitter does (`from_utf8_lossy` alone
/// takes its slow path even on ASCII).
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The full record of a light one, from its kept lines, as [`SdlParser::line`] builds it.
fn promote(light: &Light, kept: &[u8]) -> Record {
    debug_assert!(light.in_block.is_none(), "kept before the full parse");
    let text = String::from_utf8_lossy(kept);
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let head = record_head(first).expect("a light record starts with a record head");
    let mut rec = Record {
        line: light.line,
        seq: head.seq,
        sub: head.sub,
        time_of_day_ms: head.time_of_day_ms,
        record_type: head.record_type.to_string(),
        body: head.body.trim_end().to_string(),
        text: first.trim_end().to_string(),
        raw_len: first.len(),
        lines_not_kept: 0,
    };
    for l in lines {
        append_continuation(&mut rec, l);
    }
    rec.lines_not_kept += light.lines_not_kept;
    rec
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_heads_in_every_spelling() {
        let h = record_head("00154617.001 |16:58:42.888 |AppInfo |IlsD IlsHandler: x").unwrap();
        assert_eq!(
            (h.seq, h.sub, h.record_type, h.body),
            (154617, 1, "AppInfo", "IlsD IlsHandler: x")
        );
        assert_eq!(h.time_of_day_ms, ((16 * 60 + 58) * 60 + 42) * 1000 + 888);
        let h = record_head(" 00000064.000 |08:06:58.802 |SdlSig   |SdlConnectRsp  ").unwrap();
        assert_eq!(h.record_type, "SdlSig");
        assert!(record_head("|wait |Ils(1,600,20,1)").is_none());
        assert!(record_head("12345.001 |16:58:42.888 |AppInfo |x").is_none());
        assert!(record_head("00154617.001 |26:58:42.888 |AppInfo |x").is_none());
        // Found by the property tests: a multi-byte character where the milliseconds end.
        assert!(record_head("00154617.001 |16:58:42.8\u{3042}|AppInfo |x").is_none());
        assert!(record_head("00154617.001 |16:58:42.88\u{3042} |AppInfo |x").is_none());
    }

    /// The name column read from the bytes is the name the full reading trims out of the body,
    /// however the column is padded (or not).
    #[test]
    fn a_counted_name_is_the_name_the_full_reading_gives() {
        let head = "00000001.000 |10:00:00.000 |SdlSig   |";
        let columns = [
            "SdlDataInd                             |",
            "SdlDataInd|",
            "SdlDataInd\t|",
            "SdlDataInd \t |",
            "  SdlDataInd   |",
            "Sdl DataInd  |",
            "SdlDataInd  x |",
            "SdlDataInd   ",
            "SdlDataInd",
            "   |",
            "|",
            "",
        ];
        for col in columns {
            for tail in ["wait |Ils(1,600,20,1) |x", ""] {
                let line = format!("{head}{col}{tail}");
                let full = record_head(&line)
                    .and_then(|h| h.body.split('|').next().map(|n| n.trim().to_string()))
                    .filter(|n| !n.is_empty());
                let fast = counted_signal_name(line.as_bytes())
                    .map(|n| String::from_utf8_lossy(n).into_owned());
                assert_eq!(fast, full, "{line:?}");
            }
        }
        let padded = format!("{head}{}wait", columns[0]);
        assert_eq!(
            counted_signal_name(padded.as_bytes()),
            Some(&b"SdlDataInd"[..])
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// A line of the usual layout with up to four of its first 30 bytes replaced (digits,
        /// separators, letters, whitespace, bytes around the digits' range, non-ASCII): the fixed
        /// offsets say what the general reading says.
        #[test]
        fn fixed_offsets_agree_with_the_general_reading(
            edits in proptest::collection::vec(
                (0usize..30, proptest::sample::select(b"0123456789:./|/ \tAZaz@`\xff\xc3".to_vec())),
                0..5,
            ),
            cut in 20usize..40,
        ) {
            let mut l = b"00021027.000 |23:59:60.999 |SdlSig   |UdsSyncReq   |restart2".to_vec();
            for (at, byte) in edits {
                l[at] = byte;
            }
            l.truncate(cut);
            proptest::prop_assert_eq!(classify(&l), classify_general(&l));
        }
    }

    #[test]
    fn the_plain_layout_is_classified_from_fixed_offsets() {
        let lines: [&[u8]; 4] = [
            b"00021027.000 |08:00:00.008 |SdlSig   |UdsSyncReq   |restart2",
            b"00021028.000 |08:00:00.023 |AppInfo  |CMDbAccess::query executed in 10 ms rows=12",
            b"00021026.000 |08:00:00.008 |FileHead |UTC:+09:00",
            b"00021026.000 |28:00:00.008 |AppInfo  |not a time",
        ];
        for l in lines {
            assert_eq!(classify(l), classify_general(l));
        }
        assert_eq!(
            classify_plain(lines[0]),
            Some(Class::Head(8 * 3_600_000 + 8))
        );
    }

    #[test]
    fn days_from_civil_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2016, 8, 26), 17_039);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn midnight_rollover_and_disorder() {
        let mut c = Clock::default();
        c.set_date(100, 0);
        let a = c.stamp(23 * 3_600_000 + 59 * 60_000);
        let b = c.stamp(23 * 3_600_000 + 58 * 60_000); // slightly out of order
        let n = c.stamp(5_000); // after midnight
        let late = c.stamp(23 * 3_600_000 + 59 * 60_000 + 1); // a late record from before midnight
        assert!(b < a && n > a && late < n, "{a} {b} {n} {late}");
        assert_eq!(n, 101 * DAY_MS + 5_000);
    }
}
