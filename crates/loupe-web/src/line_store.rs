//! The decoded lines of an input the raw view cannot read again from its file, kept in memory
//! ([`StoreSink`]): a zip entry's as the engine decodes them, a gzip or UTF-16 input's when its
//! file is decoded again for the raw view.
//!
//! The text is kept in pieces of about [`PIECE`] bytes that are never grown once allocated (a
//! growing string is copied each time it doubles and needs its old and new room at once), each
//! line followed by `\n`, so that a block of lines the engine decoded (valid UTF-8, no CR: a trace)
//! is appended as it is and only its newlines are looked for. Writing the text into fresh memory
//! is most of the cost either way: about 100 ms per 100 MB natively.

use loupe_core::decode::lines::{each_line, LineSink};
use loupe_core::decode::newlines;
use serde::{Deserialize, Serialize};

/// The size of a piece of kept text (a block longer than that gets a piece of its own).
pub const PIECE: usize = 1 << 20;

/// The kept lines of one input.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LineStore {
    /// Not in the JSON of a hand-over: bytes of their own ([`LineStore::take_sections`]).
    #[serde(skip)]
    pieces: Vec<String>,
    /// The index of the first line of each piece.
    #[serde(skip)]
    firsts: Vec<u32>,
    /// Where each line ends in its piece (its `\n` is there).
    #[serde(skip)]
    ends: Vec<u32>,
    /// Lines were not kept because the budget of kept text ran out.
    pub overflow: bool,
}

impl LineStore {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of kept text (what it took of the budget).
    pub fn bytes(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }

    /// Keep only the first lines whose text fits in `bytes`; a store that loses lines says it
    /// overflowed.
    pub fn truncate_to(&mut self, bytes: usize) {
        let mut left = bytes;
        for k in 0..self.pieces.len() {
            let len = self.pieces[k].len();
            if len <= left {
                left -= len;
                continue;
            }
            let first = self.firsts[k] as usize;
            let last = self
                .firsts
                .get(k + 1)
                .map_or(self.ends.len(), |&f| f as usize);
            let fit = self.ends[first..last].partition_point(|&end| (end as usize) < left);
            self.ends.truncate(first + fit);
            let pieces = if fit == 0 {
                k
            } else {
                let piece = &mut self.pieces[k];
                piece.truncate(self.ends[first + fit - 1] as usize + 1);
                piece.shrink_to_fit();
                k + 1
            };
            self.pieces.truncate(pieces);
            self.firsts.truncate(pieces);
            self.overflow = true;
            return;
        }
    }

    /// 0-based line `i`.
    pub fn line(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let k = self
            .firsts
            .partition_point(|&f| f as usize <= i)
            .checked_sub(1)?;
        let start = if i == self.firsts[k] as usize {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        self.pieces.get(k)?.get(start..end)
    }

    /// A piece with room for `bytes` more: the last one, or a new one.
    fn room(&mut self, bytes: usize) -> &mut String {
        let fits = self
            .pieces
            .last()
            .is_some_and(|p| p.capacity() - p.len() >= bytes);
        if !fits {
            self.pieces.push(String::with_capacity(bytes.max(PIECE)));
            self.firsts.push(self.ends.len() as u32);
        }
        let piece = self.pieces.last_mut();
        piece.expect("a piece was just made")
    }

    fn push_line(&mut self, text: &str) {
        let piece = self.room(text.len() + 1);
        piece.push_str(text);
        let end = piece.len() as u32;
        piece.push('\n');
        self.ends.push(end);
    }

    /// Lines ending with `\n` each; returns how many.
    fn push_block(&mut self, block: &str) -> u32 {
        let piece = self.room(block.len());
        let base = piece.len();
        piece.push_str(block);
        let before = self.ends.len();
        self.ends
            .extend(newlines::positions(block.as_bytes()).map(|p| (base + p) as u32));
        (self.ends.len() - before) as u32
    }

    /// The text and line positions as byte sections for a hand-over between workers (the store
    /// is left empty): its first lines and its line ends (4 bytes each, little-endian), then its
    /// pieces as they are.
    pub fn take_sections(&mut self) -> Vec<Vec<u8>> {
        let numbers = |v: &[u32]| v.iter().flat_map(|n| n.to_le_bytes()).collect::<Vec<u8>>();
        let mut out = vec![numbers(&self.firsts), numbers(&self.ends)];
        out.extend(
            std::mem::take(&mut self.pieces)
                .into_iter()
                .map(String::into_bytes),
        );
        self.firsts = Vec::new();
        self.ends = Vec::new();
        out
    }

    /// Fill the store from the sections [`LineStore::take_sections`] made, taken from `sections`;
    /// an error if they are missing or do not fit together.
    pub fn put_sections(
        &mut self,
        sections: &mut impl Iterator<Item = Vec<u8>>,
    ) -> Result<(), String> {
        let numbers = |bytes: Option<Vec<u8>>| {
            let bytes = bytes.ok_or("kept text missing")?;
            let chunks = bytes.chunks_exact(4);
            if !chunks.remainder().is_empty() {
                return Err("line positions cut short");
            }
            Ok(chunks
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect::<Vec<u32>>())
        };
        self.firsts = numbers(sections.next())?;
        self.ends = numbers(sections.next())?;
        self.pieces = Vec::with_capacity(self.firsts.len());
        for _ in 0..self.firsts.len() {
            let piece = sections.next().ok_or("kept text missing")?;
            self.pieces
                .push(String::from_utf8(piece).map_err(|e| format!("kept text: {e}"))?);
        }
        if !self.fits() {
            return Err("line ends do not fit the kept text".into());
        }
        Ok(())
    }

    /// The pieces' first lines start at 0 and rise, and every line ends after its start, within
    /// its piece, at a character boundary.
    fn fits(&self) -> bool {
        let lines = self.ends.len();
        let bounds = |k: usize| {
            let first = self.firsts[k] as usize;
            let next = self.firsts.get(k + 1).map_or(lines, |&f| f as usize);
            (first, next)
        };
        self.firsts.first().is_none_or(|&f| f == 0)
            && self.firsts.windows(2).all(|w| w[0] < w[1])
            && self.firsts.last().is_none_or(|&f| (f as usize) < lines)
            && (self.firsts.is_empty() == (lines == 0))
            && (0..self.pieces.len()).all(|k| {
                let (first, next) = bounds(k);
                let piece = &self.pieces[k];
                let mut start = 0;
                self.ends[first..next].iter().all(|&end| {
                    let end = end as usize;
                    let ok = start <= end && end < piece.len() && piece.is_char_boundary(end);
                    start = end + 1;
                    ok
                })
            })
    }
}

/// Keeps the lines it is given in a [`LineStore`] while `budget` (bytes, shared by the inputs of
/// an analysis) lasts; past it, the store says it overflowed and keeps no more.
pub struct StoreSink<'a> {
    pub store: &'a mut LineStore,
    pub budget: &'a mut usize,
}

impl LineSink for StoreSink<'_> {
    fn line(&mut self, _number: u32, text: &str) {
        if self.store.overflow || text.len() + 1 > *self.budget {
            self.store.overflow = true;
            return;
        }
        *self.budget -= text.len() + 1;
        self.store.push_line(text);
    }

    fn line_truncated(&mut self, _number: u32, _dropped: u64) {}

    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        if self.store.overflow {
            return newlines::positions(block).count() as u32;
        }
        if block.len() <= *self.budget && memchr::memchr(b'\r', block).is_none() {
            if let Ok(text) = std::str::from_utf8(block) {
                *self.budget -= block.len();
                return self.store.push_block(text);
            }
        }
        each_line(first, block, |n, t| self.line(n, t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lines` given to a store, as blocks of `per_block` lines (the engine's path) or one by one.
    fn kept(lines: &[&str], per_block: usize, budget: usize) -> (LineStore, usize) {
        let mut store = LineStore::default();
        let mut budget = budget;
        let mut sink = StoreSink {
            store: &mut store,
            budget: &mut budget,
        };
        for group in lines.chunks(per_block.max(1)) {
            if per_block == 0 {
                sink.line(0, group[0]);
            } else {
                let block: String = group.iter().map(|l| format!("{l}\n")).collect();
                sink.lines(0, block.as_bytes());
            }
        }
        (store, budget)
    }

    fn all(store: &LineStore) -> Vec<&str> {
        (0..store.len()).map(|i| store.line(i).unwrap()).collect()
    }

    #[test]
    fn lines_come_back_whole_or_block_by_block_across_pieces() {
        // Lines of every length up to two pieces, so that pieces fill up at every offset.
        let long: Vec<String> = (0..40).map(|i| "x".repeat(i * 50_000)).collect();
        let mut lines: Vec<&str> = vec!["", "日本語", "a"];
        lines.extend(long.iter().map(String::as_str));
        lines.push("");
        for per_block in [0, 1, 2, 3, 7, lines.len()] {
            let (store, left) = kept(&lines, per_block, usize::MAX);
            assert_eq!(all(&store), lines, "per block {per_block}");
            if per_block < lines.len() {
                assert!(store.pieces.len() > 1, "{}", store.pieces.len());
            }
            let text: usize = lines.iter().map(|l| l.len() + 1).sum();
            assert_eq!(usize::MAX - left, text);
            assert_eq!(store.line(lines.len()), None);
        }
    }

    #[test]
    fn a_block_with_cr_or_invalid_utf8_is_kept_line_by_line_as_the_engine_splits_it() {
        let mut store = LineStore::default();
        let mut budget = usize::MAX;
        let mut sink = StoreSink {
            store: &mut store,
            budget: &mut budget,
        };
        assert_eq!(sink.lines(1, b"a\r\nb\xFFc\nd\n"), 3);
        assert_eq!(all(&store), vec!["a", "b\u{FFFD}c", "d"]);
    }

    #[test]
    fn past_the_budget_no_more_lines_are_kept() {
        let lines = ["aaaa", "bbbb", "cccc"];
        for per_block in [0, 1, 3] {
            // Room for two lines and their newlines.
            let (store, left) = kept(&lines, per_block, 11);
            assert!(store.overflow);
            // A block past the budget is kept line by line, as far as the budget goes.
            assert_eq!(all(&store), lines[..2], "per block {per_block}");
            assert!(left < 11);
        }
    }

    #[test]
    fn truncated_to_a_size_the_store_keeps_the_first_lines_that_fit() {
        // Lines across several pieces, cut at every size around each line's end.
        let long: Vec<String> = (0..6).map(|i| "z".repeat(300_000 + i)).collect();
        let mut lines: Vec<&str> = vec!["a", "", "日本語"];
        lines.extend(long.iter().map(String::as_str));
        lines.push("end");
        let mut ends = vec![0usize];
        for l in &lines {
            ends.push(ends.last().unwrap() + l.len() + 1);
        }
        let text = *ends.last().unwrap();
        for &at in &ends {
            for size in [at.saturating_sub(1), at, at + 1] {
                let (mut store, _) = kept(&lines, 2, usize::MAX);
                assert!(store.pieces.len() > 1);
                store.truncate_to(size);
                let fit = ends.iter().rposition(|&e| e <= size).unwrap();
                assert_eq!(all(&store), lines[..fit], "size {size}");
                assert!(store.bytes() <= size, "size {size}");
                assert_eq!(store.overflow, size < text, "size {size}");
                assert_eq!(store.line(fit), None);
            }
        }
    }

    #[test]
    fn sections_give_back_the_same_lines_and_damage_is_an_error() {
        let long = "y".repeat(PIECE);
        let lines = ["first", "", long.as_str(), "日本語", "last"];
        let (mut store, _) = kept(&lines, 2, usize::MAX);
        let sections = store.take_sections();
        assert_eq!(store.len(), 0);
        let mut back = LineStore::default();
        back.put_sections(&mut sections.clone().into_iter())
            .unwrap();
        assert_eq!(all(&back), lines);
        let damaged = |damage: &dyn Fn(&mut Vec<Vec<u8>>)| {
            let mut s = sections.clone();
            damage(&mut s);
            LineStore::default()
                .put_sections(&mut s.into_iter())
                .unwrap_err()
        };
        assert!(damaged(&|s| s.truncate(3)).contains("missing"));
        assert!(damaged(&|s| s[1].pop().map_or((), drop)).contains("cut short"));
        assert!(damaged(&|s| s[2][0] = 0xFF).contains("kept text"));
        let last_end_past_the_text = |s: &mut Vec<Vec<u8>>| {
            let n = s[1].len();
            s[1][n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        };
        assert!(damaged(&last_end_past_the_text).contains("do not fit"));
        // A line end inside a character.
        let mut one = LineStore::default();
        one.push_line("日本");
        let mut s = one.take_sections();
        s[1] = 1u32.to_le_bytes().to_vec();
        let err = LineStore::default()
            .put_sections(&mut s.into_iter())
            .unwrap_err();
        assert!(err.contains("do not fit"), "{err}");
    }
}
