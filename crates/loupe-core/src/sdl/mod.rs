//! Stage 3, parse: CUCM SDL trace records.
//!
//! Grammar (shared/domain/ils.md §2.1): `<seq>.<sub> |<HH:MM:SS.mmm> |<Type> |<body>`. Lines that
//! do not start a record are continuation lines of the record before them. Records are handed to
//! the ILS event extractor as soon as the next record starts, so only events are kept, not text.

pub mod filehead;
pub mod pid;

use crate::ils::events::{self, IlsEvent};
use crate::model::{LineCounts, MAX_UNDERSTOOD_SAMPLES};
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
    if !(6..=10).contains(&digits) || b.get(digits) != Some(&b'.') {
        return None;
    }
    let sub_digits = b[digits + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if sub_digits != 3 {
        return None;
    }
    let seq: u64 = s[..digits].parse().ok()?;
    let sub: u32 = s[digits + 1..digits + 4].parse().ok()?;
    let rest = s[digits + 4..].trim_start();
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
}

/// Line-by-line SDL parser.
#[derive(Debug, Default)]
pub struct SdlParser {
    pending: Option<Record>,
    clock: Clock,
    out: SdlInput,
    matcher: events::Matcher,
}

impl SdlParser {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn line(&mut self, number: u32, text: &str) {
        let counts = &mut self.out.counts;
        counts.lines += 1;
        if text.trim().is_empty() {
            counts.blank += 1;
            return;
        }
        if let Some(head) = record_head(text) {
            counts.recognised += 1;
            self.flush();
            self.pending = Some(Record {
                line: number,
                seq: head.seq,
                sub: head.sub,
                time_of_day_ms: head.time_of_day_ms,
                record_type: head.record_type.to_string(),
                body: head.body.trim_end().to_string(),
                text: text.trim_end().to_string(),
                lines_not_kept: 0,
            });
            return;
        }
        if is_terminal_artefact(text) {
            counts.recognised += 1;
            self.flush();
            return;
        }
        match &mut self.pending {
            Some(rec) => {
                counts.continuation += 1;
                if rec.text.len() >= MAX_RECORD_BYTES {
                    rec.lines_not_kept += 1;
                    return;
                }
                let piece = text.trim();
                if !rec.body.is_empty() {
                    rec.body.push(' ');
                }
                rec.body.push_str(piece);
                rec.text.push('\n');
                rec.text.push_str(text.trim_end());
            }
            None => {
                counts.not_understood += 1;
                if self.out.not_understood.len() < MAX_UNDERSTOOD_SAMPLES {
                    self.out.not_understood.push(number);
                }
            }
        }
    }

    fn flush(&mut self) {
        let Some(rec) = self.pending.take() else {
            return;
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
        let time_ms = self.clock.stamp(rec.time_of_day_ms);
        self.out.first_ms = Some(self.out.first_ms.map_or(time_ms, |f| f.min(time_ms)));
        self.out.last_ms = Some(self.out.last_ms.map_or(time_ms, |l| l.max(time_ms)));
        if let Some(kind) = self.matcher.extract(&rec.record_type, &rec.body) {
            self.out.events.push(IlsEvent {
                line: rec.line,
                seq: rec.seq,
                sub: rec.sub,
                time_ms,
                time_of_day_ms: rec.time_of_day_ms,
                text: rec.text,
                kind,
            });
        }
    }

    pub fn finish(mut self) -> SdlInput {
        self.flush();
        self.out
    }
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
