//! Split UTF-8 byte chunks into numbered lines. LF and CRLF end a line; a CR split from its LF by a
//! chunk boundary is handled; invalid UTF-8 inside a line becomes U+FFFD. Lines longer than the
//! limit keep their first `max_line_bytes` bytes and the rest is counted and reported, never kept.

/// A numbered line of text, kept for the artefacts parsed as a whole (tables, SecureX outputs,
/// console sessions) and for detection's first lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: u32,
    pub text: String,
}

/// Receives lines (1-based numbers) and notes about them.
pub trait LineSink {
    fn line(&mut self, number: u32, text: &str);
    /// A line was longer than the limit: `dropped` bytes were not kept.
    fn line_truncated(&mut self, number: u32, dropped: u64);
    /// A block of complete lines: `block` ends with `\n` and none of its lines is longer than the
    /// limit; the first is numbered `first`. Returns how many lines the block held. The default
    /// hands each line to [`LineSink::line`]; a sink may instead scan the block as a whole (the
    /// SDL fast path), as long as the result is the same.
    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        each_line(first, block, |n, t| self.line(n, t))
    }
}

/// Two sinks fed the same lines: a front that keeps the text of an input it cannot read again
/// (the page, for a zip entry) takes it from the engine's decoder instead of decoding it twice.
/// The first sink's count of a block's lines is the one returned.
pub struct Tee<'a, 'b>(pub &'a mut dyn LineSink, pub &'b mut dyn LineSink);

impl LineSink for Tee<'_, '_> {
    fn line(&mut self, number: u32, text: &str) {
        self.0.line(number, text);
        self.1.line(number, text);
    }
    fn line_truncated(&mut self, number: u32, dropped: u64) {
        self.0.line_truncated(number, dropped);
        self.1.line_truncated(number, dropped);
    }
    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        let n = self.0.lines(first, block);
        self.1.lines(first, block);
        n
    }
}

/// Split a block of complete lines (ending with `\n`) as [`LineSplitter`] does: CR before LF
/// dropped, invalid UTF-8 replaced by U+FFFD. Returns the number of lines.
pub fn each_line(first: u32, block: &[u8], mut f: impl FnMut(u32, &str)) -> u32 {
    let mut number = first;
    let mut start = 0;
    for end in super::newlines::positions(block) {
        emit_line(number, &block[start..end], &mut f);
        number = number.saturating_add(1);
        start = end + 1;
    }
    number.wrapping_sub(first)
}

/// One line without its LF: a final CR is dropped, invalid UTF-8 replaced.
#[inline]
pub fn emit_line(number: u32, mut line: &[u8], f: &mut impl FnMut(u32, &str)) {
    if let [rest @ .., b'\r'] = line {
        line = rest;
    }
    match std::str::from_utf8(line) {
        Ok(text) => f(number, text),
        Err(_) => f(number, &String::from_utf8_lossy(line)),
    }
}

#[derive(Debug)]
pub struct LineSplitter {
    partial: Vec<u8>,
    dropped: u64,
    next_line: u32,
    max_line_bytes: usize,
    /// Bytes seen, for progress.
    pub bytes: u64,
}

impl LineSplitter {
    pub fn new(max_line_bytes: usize) -> Self {
        Self {
            partial: Vec::new(),
            dropped: 0,
            next_line: 1,
            max_line_bytes,
            bytes: 0,
        }
    }

    /// Number of complete lines emitted so far.
    pub fn lines_emitted(&self) -> u32 {
        self.next_line - 1
    }

    pub fn push(&mut self, mut chunk: &[u8], sink: &mut dyn LineSink) {
        self.bytes += chunk.len() as u64;
        // First the end of a line begun in an earlier chunk.
        if !self.partial.is_empty() || self.dropped > 0 {
            let Some(pos) = memchr::memchr(b'\n', chunk) else {
                self.append(chunk);
                return;
            };
            self.append(&chunk[..pos]);
            let buf = std::mem::take(&mut self.partial);
            self.emit_slice(&buf, sink);
            self.partial = buf;
            self.partial.clear();
            chunk = &chunk[pos + 1..];
        }
        // Then the complete lines, as blocks in which no line is over the limit.
        let Some(last) = memchr::memrchr(b'\n', chunk) else {
            self.append(chunk);
            return;
        };
        let (mut body, rest) = chunk.split_at(last + 1);
        while !body.is_empty() {
            if body.len() <= self.max_line_bytes {
                self.deliver(body, sink);
                break;
            }
            // A newline among the first `max + 1` bytes ends lines no longer than `max`.
            match memchr::memrchr(b'\n', &body[..=self.max_line_bytes]) {
                Some(p) => {
                    self.deliver(&body[..=p], sink);
                    body = &body[p + 1..];
                }
                None => {
                    // The first line is too long: keep its head, count the rest, report it.
                    let end = memchr::memchr(b'\n', body).expect("body ends with a newline");
                    self.append(&body[..end]);
                    let buf = std::mem::take(&mut self.partial);
                    self.emit_slice(&buf, sink);
                    self.partial = buf;
                    self.partial.clear();
                    body = &body[end + 1..];
                }
            }
        }
        self.append(rest);
    }

    fn deliver(&mut self, block: &[u8], sink: &mut dyn LineSink) {
        let n = sink.lines(self.next_line, block);
        self.next_line = self.next_line.saturating_add(n);
    }

    /// End of input: a last line without a final newline is still a line.
    pub fn finish(&mut self, sink: &mut dyn LineSink) {
        if !self.partial.is_empty() || self.dropped > 0 {
            let buf = std::mem::take(&mut self.partial);
            self.emit_slice(&buf, sink);
        }
    }

    fn append(&mut self, bytes: &[u8]) {
        let room = self.max_line_bytes.saturating_sub(self.partial.len());
        let take = room.min(bytes.len());
        self.partial.extend_from_slice(&bytes[..take]);
        self.dropped += (bytes.len() - take) as u64;
    }

    fn emit_slice(&mut self, line: &[u8], sink: &mut dyn LineSink) {
        let number = self.next_line;
        self.next_line = self.next_line.saturating_add(1);
        emit_line(number, line, &mut |n, t| sink.line(n, t));
        if self.dropped > 0 {
            sink.line_truncated(number, self.dropped);
            self.dropped = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(u32, String)>, Vec<(u32, u64)>);
    impl LineSink for Collect {
        fn line(&mut self, n: u32, t: &str) {
            self.0.push((n, t.to_string()));
        }
        fn line_truncated(&mut self, n: u32, d: u64) {
            self.1.push((n, d));
        }
    }

    fn split(chunks: &[&[u8]], max: usize) -> Collect {
        let mut s = LineSplitter::new(max);
        let mut c = Collect::default();
        for ch in chunks {
            s.push(ch, &mut c);
        }
        s.finish(&mut c);
        c
    }

    #[test]
    fn every_chunk_boundary_gives_the_same_lines() {
        let input = "a\r\nbb\n\nccc\r\n\u{3042}\u{3044}\nlast".as_bytes();
        let whole = split(&[input], 1 << 20).0;
        assert_eq!(whole.len(), 6);
        assert_eq!(whole[1], (2, "bb".to_string()));
        assert_eq!(whole[4], (5, "\u{3042}\u{3044}".to_string()));
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let got = split(&[&input[..i], &input[i..j], &input[j..]], 1 << 20).0;
                assert_eq!(got, whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn long_lines_are_cut_and_reported() {
        let c = split(&[b"abcdefgh\nxy\n"], 4);
        assert_eq!(c.0, vec![(1, "abcd".to_string()), (2, "xy".to_string())]);
        assert_eq!(c.1, vec![(1, 4)]);
        let c = split(&[b"ab", b"cdef", b"gh", b"\nxy"], 4);
        assert_eq!(c.0, vec![(1, "abcd".to_string()), (2, "xy".to_string())]);
        assert_eq!(c.1, vec![(1, 4)]);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_an_error() {
        let c = split(&[b"ok\xff\xfeok\n"], 100);
        assert_eq!(c.0[0].1, "ok\u{fffd}\u{fffd}ok");
    }
}
