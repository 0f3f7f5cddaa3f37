//! Streaming byte decoder: gzip (tolerant of truncation), then BOM / UTF-16 detection, then lines.
//!
//! Feed chunks of any size with [`ByteDecoder::push`]; the lines produced are the same whatever the
//! chunk boundaries. Zip archives cannot be streamed (their directory is at the end): see
//! [`super::container`].

use std::io::Write;

use flate2::write::MultiGzDecoder;

use super::lines::{LineSink, LineSplitter};
use super::Limits;
use crate::model::Bilingual;

/// How the text of an input was encoded, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

#[derive(Debug)]
enum Compression {
    Sniffing(Vec<u8>),
    Plain,
    Gzip {
        decoder: Box<MultiGzDecoder<Vec<u8>>>,
        bytes_in: u64,
        bytes_out: u64,
        stopped: bool,
    },
}

#[derive(Debug)]
enum Text {
    Sniffing(Vec<u8>),
    Utf8,
    Utf16 {
        big_endian: bool,
        carry: Option<u8>,
        high_surrogate: Option<u16>,
        out: Vec<u8>,
    },
}

/// Turns raw bytes into numbered lines. Never fails; problems become [`ByteDecoder::notes`].
#[derive(Debug)]
pub struct ByteDecoder {
    compression: Compression,
    text: Text,
    encoding: Option<TextEncoding>,
    splitter: LineSplitter,
    limits: Limits,
    /// Problems met while decoding, for the whole input (line 0).
    pub notes: Vec<Bilingual>,
    /// Raw bytes received.
    pub raw_bytes: u64,
    /// The first raw bytes, up to [`ZIP_ENTRY_HEAD`]'s length: whether the input is a zip entry
    /// handed on compressed (`super::container`), for the wording of a damage note.
    head: Vec<u8>,
}

/// The gzip header of a deflated zip entry handed on compressed (`super::container`): no name,
/// no time, OS unknown, and a comment that says what it is (RFC 1952: FLG.FCOMMENT, a
/// zero-terminated comment after the fixed header; decoders skip it).
pub(crate) const ZIP_ENTRY_HEAD: &[u8] = b"\x1f\x8b\x08\x10\0\0\0\0\0\xffzip entry\0";

const GZIP_PIECE: usize = 8 * 1024;

impl ByteDecoder {
    pub fn new(limits: Limits) -> Self {
        Self {
            compression: Compression::Sniffing(Vec::new()),
            text: Text::Sniffing(Vec::new()),
            encoding: None,
            splitter: LineSplitter::new(limits.max_line_bytes),
            limits,
            notes: Vec::new(),
            raw_bytes: 0,
            head: Vec::new(),
        }
    }

    fn is_zip_entry(&self) -> bool {
        self.head == ZIP_ENTRY_HEAD
    }

    pub fn encoding(&self) -> Option<TextEncoding> {
        self.encoding
    }

    pub fn is_gzip(&self) -> bool {
        matches!(self.compression, Compression::Gzip { .. })
    }

    /// Text bytes (after decompression and transcoding) handed to the line splitter.
    pub fn text_bytes(&self) -> u64 {
        self.splitter.bytes
    }

    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn LineSink) {
        self.raw_bytes += chunk.len() as u64;
        if self.head.len() < ZIP_ENTRY_HEAD.len() {
            let n = (ZIP_ENTRY_HEAD.len() - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        match &mut self.compression {
            Compression::Sniffing(buf) => {
                buf.extend_from_slice(chunk);
                if buf.len() >= 2 {
                    let buf = std::mem::take(buf);
                    self.start_compression(&buf, sink);
                }
            }
            _ => self.push_compressed(chunk, sink),
        }
    }

    pub fn finish(&mut self, sink: &mut dyn LineSink) {
        if let Compression::Sniffing(buf) = &mut self.compression {
            let buf = std::mem::take(buf);
            self.compression = Compression::Plain;
            self.push_text(&buf, sink);
        }
        let zip_entry = self.is_zip_entry();
        if let Compression::Gzip {
            decoder,
            bytes_in,
            bytes_out,
            stopped,
        } = &mut self.compression
        {
            if !*stopped {
                let result = decoder.try_finish();
                let out = std::mem::take(decoder.get_mut());
                *bytes_out += out.len() as u64;
                let (produced, consumed) = (*bytes_out, *bytes_in);
                if let Err(err) = result {
                    // The stream ended early (a trace still being written), or its checksum
                    // does not match (damaged).
                    let note = damage_note(zip_entry, produced, consumed, &err);
                    self.notes.push(note);
                }
                self.push_text(&out, sink);
            }
        }
        self.finish_text(sink);
        self.splitter.finish(sink);
    }

    fn start_compression(&mut self, head: &[u8], sink: &mut dyn LineSink) {
        if head.starts_with(&[0x1f, 0x8b]) {
            self.compression = Compression::Gzip {
                decoder: Box::new(MultiGzDecoder::new(Vec::new())),
                bytes_in: 0,
                bytes_out: 0,
                stopped: false,
            };
        } else {
            self.compression = Compression::Plain;
        }
        self.push_compressed(head, sink);
    }

    fn push_compressed(&mut self, chunk: &[u8], sink: &mut dyn LineSink) {
        if matches!(self.compression, Compression::Plain) {
            return self.push_text(chunk, sink);
        }
        let limits = self.limits;
        let zip_entry = self.is_zip_entry();
        for piece in chunk.chunks(GZIP_PIECE) {
            let Compression::Gzip {
                decoder,
                bytes_in,
                bytes_out,
                stopped,
            } = &mut self.compression
            else {
                return;
            };
            if *stopped {
                return;
            }
            let mut rest = piece;
            let mut error = None;
            while !rest.is_empty() {
                match decoder.write(rest) {
                    // The decoder takes no more: never drop the rest silently.
                    Ok(0) => {
                        error = Some(std::io::Error::other(format!(
                            "{} bytes after the end of the gzip data",
                            rest.len()
                        )));
                        break;
                    }
                    Ok(n) => {
                        // Count what the decoder took, not what it was offered, so that the
                        // position in a message does not depend on the chunk boundaries.
                        *bytes_in += n as u64;
                        rest = &rest[n..];
                    }
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            let out = std::mem::take(decoder.get_mut());
            *bytes_out += out.len() as u64;
            let (produced, consumed) = (*bytes_out, *bytes_in);
            let over_size = produced > limits.max_expanded_bytes;
            let over_ratio = produced > limits.ratio_floor_bytes
                && produced / consumed.max(1) > limits.max_ratio;
            let note = if let Some(err) = error {
                Some(damage_note(zip_entry, produced, consumed, &err))
            } else if over_size || over_ratio {
                Some(bomb_note(produced, consumed, limits))
            } else {
                None
            };
            if note.is_some() {
                *stopped = true;
            }
            self.notes.extend(note);
            self.push_text(&out, sink);
            // The buffer goes back to the decoder, emptied, rather than being grown anew for
            // every piece (about 14 times the piece's size, for a trace).
            if let Compression::Gzip { decoder, .. } = &mut self.compression {
                let mut out = out;
                out.clear();
                *decoder.get_mut() = out;
            }
        }
    }

    fn push_text(&mut self, bytes: &[u8], sink: &mut dyn LineSink) {
        if bytes.is_empty() {
            return;
        }
        match &mut self.text {
            Text::Sniffing(buf) => {
                buf.extend_from_slice(bytes);
                if buf.len() >= 4 {
                    let buf = std::mem::take(buf);
                    self.start_text(&buf, sink);
                }
            }
            Text::Utf8 => self.splitter.push(bytes, sink),
            Text::Utf16 { .. } => self.push_utf16(bytes, sink),
        }
    }

    fn start_text(&mut self, head: &[u8], sink: &mut dyn LineSink) {
        let (encoding, skip) = sniff_encoding(head);
        self.encoding = Some(encoding);
        self.text = match encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => Text::Utf8,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Text::Utf16 {
                big_endian: encoding == TextEncoding::Utf16Be,
                carry: None,
                high_surrogate: None,
                out: Vec::new(),
            },
        };
        self.push_text(&head[skip..], sink);
    }

    fn push_utf16(&mut self, bytes: &[u8], sink: &mut dyn LineSink) {
        let Text::Utf16 {
            big_endian,
            carry,
            high_surrogate,
            out,
        } = &mut self.text
        else {
            return;
        };
        out.clear();
        out.reserve(bytes.len() / 2 + 4);
        let be = *big_endian;
        let unit = |a: u8, b: u8| {
            if be {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        };
        let mut rest = bytes;
        if let Some(first) = carry.take() {
            let Some((&second, tail)) = rest.split_first() else {
                *carry = Some(first);
                return;
            };
            push_utf16_unit(unit(first, second), high_surrogate, out);
            rest = tail;
        }
        // Trace text is nearly all ASCII: four units at a time when they all are (each unit's
        // high byte 0 and low byte below 0x80), one unit at a time otherwise.
        let ascii_mask: u64 = if be {
            0x80FF_80FF_80FF_80FF
        } else {
            0xFF80_FF80_FF80_FF80
        };
        let low = usize::from(be);
        let whole = rest.len() & !1;
        let mut i = 0;
        while i < whole {
            if i + 8 <= whole && high_surrogate.is_none() {
                let w = u64::from_le_bytes(rest[i..i + 8].try_into().expect("8 bytes"));
                if w & ascii_mask == 0 {
                    out.extend_from_slice(&[
                        rest[i + low],
                        rest[i + 2 + low],
                        rest[i + 4 + low],
                        rest[i + 6 + low],
                    ]);
                    i += 8;
                    continue;
                }
            }
            push_utf16_unit(unit(rest[i], rest[i + 1]), high_surrogate, out);
            i += 2;
        }
        if whole < rest.len() {
            *carry = Some(rest[whole]);
        }
        let out = std::mem::take(out);
        self.splitter.push(&out, sink);
        if let Text::Utf16 { out: o, .. } = &mut self.text {
            *o = out;
        }
    }

    fn finish_text(&mut self, sink: &mut dyn LineSink) {
        match &mut self.text {
            Text::Sniffing(buf) => {
                let buf = std::mem::take(buf);
                if !buf.is_empty() {
                    let (encoding, skip) = sniff_encoding(&buf);
                    self.encoding = Some(encoding);
                    if matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
                        self.text = Text::Utf16 {
                            big_endian: encoding == TextEncoding::Utf16Be,
                            carry: None,
                            high_surrogate: None,
                            out: Vec::new(),
                        };
                        self.push_utf16(&buf[skip..], sink);
                        self.finish_text(sink);
                        return;
                    }
                    self.text = Text::Utf8;
                    self.splitter.push(&buf[skip..], sink);
                } else {
                    self.text = Text::Utf8;
                }
            }
            Text::Utf8 => {}
            Text::Utf16 {
                carry,
                high_surrogate,
                ..
            } => {
                let odd = carry.take().is_some();
                let lone = high_surrogate.take().is_some();
                if odd || lone {
                    self.splitter.push("\u{fffd}".as_bytes(), sink);
                }
                if odd {
                    self.notes.push(Bilingual::new(
                        "UTF-16 text has an odd number of bytes: the last byte was replaced by U+FFFD",
                        "UTF-16 のテキストのバイト数が奇数です。最後の 1 バイトを U+FFFD に置き換えました",
                    ));
                }
            }
        }
    }
}

fn push_utf16_unit(unit: u16, high: &mut Option<u16>, out: &mut Vec<u8>) {
    if unit < 0x80 && high.is_none() {
        out.push(unit as u8);
        return;
    }
    let mut buf = [0u8; 4];
    if (0xD800..0xDC00).contains(&unit) {
        if high.replace(unit).is_some() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
        return;
    }
    let ch = if (0xDC00..0xE000).contains(&unit) {
        match high.take() {
            Some(h) => {
                char::from_u32(0x10000 + (((h as u32) - 0xD800) << 10) + (unit as u32 - 0xDC00))
            }
            None => None,
        }
    } else {
        if high.take().is_some() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
        char::from_u32(unit as u32)
    };
    out.extend_from_slice(ch.unwrap_or('\u{fffd}').encode_utf8(&mut buf).as_bytes());
}

/// Which text encoding the first bytes announce, and how many BOM bytes to skip.
pub fn sniff_encoding(head: &[u8]) -> (TextEncoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (TextEncoding::Utf8Bom, 3),
        [0xFF, 0xFE, ..] => (TextEncoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (TextEncoding::Utf16Be, 2),
        // BOM-less UTF-16 of ASCII text: every other byte is NUL.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => {
            (TextEncoding::Utf16Le, 0)
        }
        [0, a, 0, b, ..] if *a != 0 && *b != 0 && a.is_ascii() && b.is_ascii() => {
            (TextEncoding::Utf16Be, 0)
        }
        _ => (TextEncoding::Utf8, 0),
    }
}

/// The note for compressed data that cannot be decoded past `produced` bytes, for a zip entry
/// handed on compressed or a gzip input.
fn damage_note(zip_entry: bool, produced: u64, consumed: u64, err: &std::io::Error) -> Bilingual {
    if zip_entry {
        // As `super::container` words the damage of an entry it inflates itself (the gzip
        // wrapping is Loupe's own, so its checksum is the entry's CRC-32).
        let err = match err.kind() {
            std::io::ErrorKind::InvalidInput if err.to_string().contains("checksum") => {
                "its data does not match its CRC-32".to_string()
            }
            _ => err.to_string(),
        };
        Bilingual::new(
            format!("entry is damaged after {produced} bytes: {err}; the bytes read are analysed"),
            format!("エントリが {produced} バイト目以降で壊れています: {err}。読み取れた部分を解析します"),
        )
    } else if err.kind() == std::io::ErrorKind::UnexpectedEof {
        truncated_gzip(produced, &err.to_string())
    } else {
        Bilingual::new(
            format!("gzip data is corrupt after {consumed} compressed bytes ({err}); the {produced} bytes decoded before it are analysed"),
            format!("gzip データが {consumed} バイト目以降で壊れています（{err}）。それまでに展開できた {produced} バイトを解析します"),
        )
    }
}

fn truncated_gzip(produced: u64, err: &str) -> Bilingual {
    Bilingual::new(
        format!("gzip stream is truncated ({err}), as the trace file still being written is; the {produced} bytes decoded are analysed"),
        format!("gzip ストリームが途中で切れています（{err}）。書き込み中のトレースファイルによくあることです。展開できた {produced} バイトを解析します"),
    )
}

pub(crate) fn bomb_note(produced: u64, consumed: u64, limits: Limits) -> Bilingual {
    Bilingual::new(
        format!(
            "decompression stopped after {produced} bytes from {consumed} compressed bytes: past the limit of {} bytes or a ratio of {}:1 (a compression bomb?); what was decoded is analysed",
            limits.max_expanded_bytes, limits.max_ratio
        ),
        format!(
            "{consumed} バイトの圧縮データから {produced} バイトを展開したところで停止しました（上限 {} バイトまたは圧縮率 {}:1 を超過。圧縮爆弾の可能性）。展開済みの部分を解析します",
            limits.max_expanded_bytes, limits.max_ratio
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    #[derive(Default)]
    struct Collect(Vec<String>);
    impl LineSink for Collect {
        fn line(&mut self, _: u32, t: &str) {
            self.0.push(t.to_string());
        }
        fn line_truncated(&mut self, _: u32, _: u64) {}
    }

    fn decode_chunks(bytes: &[u8], size: usize) -> (Vec<String>, Vec<Bilingual>) {
        let mut d = ByteDecoder::new(Limits::default());
        let mut c = Collect::default();
        for ch in bytes.chunks(size.max(1)) {
            d.push(ch, &mut c);
        }
        d.finish(&mut c);
        (c.0, d.notes)
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const TEXT: &str = "line one\r\nline two \u{65e5}\u{672c}\nthree";

    #[test]
    fn utf8_utf16_and_gzip_decode_alike_at_every_chunk_size() {
        let expected: Vec<String> = vec![
            "line one".into(),
            "line two \u{65e5}\u{672c}".into(),
            "three".into(),
        ];
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(TEXT.as_bytes());
        let variants = [
            TEXT.as_bytes().to_vec(),
            bom,
            le.clone(),
            be,
            gzip(TEXT.as_bytes()),
            gzip(&le),
        ];
        for v in &variants {
            for size in 1..=v.len() {
                let (lines, notes) = decode_chunks(v, size);
                assert_eq!(lines, expected, "chunk size {size}");
                assert!(notes.is_empty());
            }
        }
    }

    #[test]
    fn utf16_with_surrogates_decodes_as_std_at_every_chunk_size() {
        // ASCII runs of every length around the 4-unit fast path, broken by a character
        // outside ASCII, a surrogate pair, and unpaired surrogates at each position.
        let mut units: Vec<u16> = Vec::new();
        for run in 0..12 {
            units.extend((0..run).map(|i| u16::from(b'a' + i as u8)));
            units.push([0x65e5, 0xD83D, 0xDE00, 0xD800, 0xDC00, 0x0A, 0xD801][run % 7]);
            if run % 3 == 0 {
                units.push(0xDE01);
            }
        }
        units.extend([0x0A, u16::from(b'x'), 0xD83D]);
        let want: String = char::decode_utf16(units.iter().copied())
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
        let expected = decode_chunks(want.as_bytes(), want.len()).0;
        for big_endian in [false, true] {
            let mut bytes = if big_endian {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in &units {
                bytes.extend_from_slice(&if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            for size in 1..=bytes.len() {
                let (lines, notes) = decode_chunks(&bytes, size);
                assert_eq!(
                    lines, expected,
                    "big endian {big_endian}, chunk size {size}"
                );
                assert!(notes.is_empty());
            }
        }
    }

    #[test]
    fn truncated_gzip_yields_decoded_text_and_a_note() {
        let text = "a line of trace\n".repeat(2000);
        let gz = gzip(text.as_bytes());
        let cut = &gz[..gz.len() - 40];
        let (lines, notes) = decode_chunks(cut, 4096);
        assert!(lines.len() > 1000 && lines.len() <= 2000, "{}", lines.len());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].en.contains("truncated"), "{}", notes[0].en);
    }

    /// A whole stream whose checksum fails is damaged, not cut short; a zip entry handed on as a
    /// gzip member (`super::super::container`) is worded as an entry, at every chunk size.
    #[test]
    fn a_checksum_that_fails_is_corruption_worded_for_the_input_it_is() {
        let text = "a line of trace\n".repeat(2000);
        let mut gz = gzip(text.as_bytes());
        let crc = gz.len() - 8;
        gz[crc] ^= 1;
        let (lines, notes) = decode_chunks(&gz, 4096);
        assert_eq!(lines.len(), 2000);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].en.starts_with("gzip data is corrupt"),
            "{}",
            notes[0].en
        );
        // The same deflate data behind the zip entry's header (FLG.FCOMMENT, no time).
        let mut entry = ZIP_ENTRY_HEAD.to_vec();
        entry.extend_from_slice(&gz[10..]);
        for chunk in [1, 7, 4096] {
            let (lines, notes) = decode_chunks(&entry, chunk);
            assert_eq!(lines.len(), 2000, "chunks of {chunk}");
            assert_eq!(notes.len(), 1, "chunks of {chunk}");
            assert_eq!(
                &*notes[0].en,
                format!("entry is damaged after {} bytes: its data does not match its CRC-32; the bytes read are analysed", text.len()),
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn odd_length_utf16_is_reported() {
        let (lines, notes) = decode_chunks(&[0xFF, 0xFE, b'a', 0, b'b'], 3);
        assert_eq!(lines, vec!["a\u{fffd}".to_string()]);
        assert!(notes[0].en.contains("odd number of bytes"));
    }

    #[test]
    fn gzip_bomb_stops_at_the_limit() {
        let zeros = vec![b'0'; 8 << 20];
        let gz = gzip(&zeros);
        let limits = Limits {
            ratio_floor_bytes: 1 << 20,
            ..Limits::default()
        };
        let mut d = ByteDecoder::new(limits);
        let mut c = Collect::default();
        d.push(&gz, &mut c);
        d.finish(&mut c);
        assert!(
            d.notes.iter().any(|n| n.en.contains("compression bomb")),
            "{:?}",
            d.notes
        );
        assert!(d.text_bytes() < 8 << 20);
    }
}
