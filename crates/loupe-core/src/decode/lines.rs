//! Split UTF-8 byte chunks into numbered lines. LF and CRLF end a line; a CR split from its LF by a
//! chunk boundary is handled; invalid UTF-8 inside a line becomes U+FFFD. Lines longer than the
//! limit keep their first `max_line_bytes` bytes and the rest is counted and reported, never kept.

/// Receives lines (1-based numbers) and notes about them.
pub trait LineSink {
    fn line(&mut self, number: u32, text: &str);
    /// A line was longer than the limit: `dropped` bytes were not kept.
    fn line_truncated(&mut self, number: u32, dropped: u64);
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
        while let Some(pos) = memchr::memchr(b'\n', chunk) {
            let head = &chunk[..pos];
            if self.partial.is_empty() && self.dropped == 0 && head.len() <= self.max_line_bytes {
                self.emit_slice(head, sink);
            } else {
                self.append(head);
                let buf = std::mem::take(&mut self.partial);
                self.emit_slice(&buf, sink);
                self.partial = buf;
                self.partial.clear();
            }
            chunk = &chunk[pos + 1..];
        }
        self.append(chunk);
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

    fn emit_slice(&mut self, mut line: &[u8], sink: &mut dyn LineSink) {
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        let number = self.next_line;
        self.next_line = self.next_line.saturating_add(1);
        match std::str::from_utf8(line) {
            Ok(text) => sink.line(number, text),
            Err(_) => sink.line(number, &String::from_utf8_lossy(line)),
        }
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
