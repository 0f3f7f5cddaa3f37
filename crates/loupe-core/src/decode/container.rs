//! Expand archives into leaf inputs: `.zip` (RTMT collections: one folder per node, nested
//! folders, `.gz` files inside, zips inside zips up to a depth limit). Leaf bytes are left as they
//! are: gzip and text encodings are handled by [`super::stream`]. A deflated entry of text is
//! not inflated here either: it becomes a gzip member of its compressed bytes
//! ([`deflated_as_gzip`]), inflated by whoever parses it.

use std::io::{Cursor, Read};

use super::Limits;
use crate::model::Bilingual;

/// One input before decoding: a name (path inside archives joined with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl RawInput {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// A note about an archive, naming the entry it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveNote {
    pub input: String,
    pub message: Bilingual,
}

pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Files RTMT writes beside the traces that carry no log lines (`.index`,
/// `TraceCollection*.xml`), given a path whose last `/`-separated part is the file name.
/// Skipped inside zips here and in folder walks by the CLI.
pub fn is_rtmt_metadata(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.ends_with(".index") || (file.starts_with("TraceCollection") && file.ends_with(".xml"))
}

/// What one archive (all entries, all nesting levels) may still expand to.
#[derive(Clone, Copy)]
struct Budget {
    /// Entries read so far.
    entries: usize,
    /// Bytes expanded so far (all entries, all levels).
    expanded: u64,
    /// Size of the archive as given (the compressed side of the ratio).
    archive_bytes: u64,
    /// A limit was hit: read no further entry.
    stopped: bool,
}

impl Budget {
    /// Past `max_expanded_bytes` in total, or past `ratio_floor_bytes` at more than `max_ratio`
    /// times the archive's size (one entry or all together), expansion stops.
    fn over(&self, limits: &Limits, entry_out: u64, entry_compressed: u64) -> bool {
        let ratio = |out: u64, compressed: u64| {
            out > limits.ratio_floor_bytes && out / compressed.max(1) > limits.max_ratio
        };
        self.expanded > limits.max_expanded_bytes
            || ratio(self.expanded, self.archive_bytes)
            || ratio(entry_out, entry_compressed)
    }
}

/// Expand `input` if it is a zip archive; otherwise return it unchanged.
pub fn expand(input: RawInput, limits: &Limits) -> (Vec<RawInput>, Vec<ArchiveNote>) {
    let mut out = Vec::new();
    let notes = expand_each(input, limits, &mut |leaf| out.push(leaf));
    (out, notes)
}

/// [`expand`], each leaf given to `each` as soon as it is opened, in the same order: a caller
/// that moves each entry elsewhere (the page makes a `Blob` of it) holds one entry at a time,
/// not the whole archive's entries.
pub fn expand_each(
    input: RawInput,
    limits: &Limits,
    each: &mut dyn FnMut(RawInput),
) -> Vec<ArchiveNote> {
    let mut notes = Vec::new();
    let mut budget = Budget {
        entries: 0,
        expanded: 0,
        archive_bytes: input.bytes.len() as u64,
        stopped: false,
    };
    expand_into(input, limits, 0, &mut budget, each, &mut notes);
    notes
}

/// Read one entry in pieces, charging the budget; returns the bytes read and the error, if any.
fn read_entry(
    entry: &mut impl Read,
    compressed: u64,
    limits: &Limits,
    budget: &mut Budget,
) -> (Vec<u8>, Option<std::io::Error>) {
    let mut bytes = Vec::new();
    let mut piece = vec![0u8; 64 << 10];
    loop {
        match entry.read(&mut piece) {
            Ok(0) => return (bytes, None),
            Ok(n) => {
                bytes.extend_from_slice(&piece[..n]);
                budget.expanded += n as u64;
                if budget.over(limits, bytes.len() as u64, compressed) {
                    budget.stopped = true;
                    return (bytes, None);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (bytes, Some(e)),
        }
    }
}

fn expand_into(
    input: RawInput,
    limits: &Limits,
    depth: u32,
    budget: &mut Budget,
    out: &mut dyn FnMut(RawInput),
    notes: &mut Vec<ArchiveNote>,
) {
    if !is_zip(&input.bytes) {
        out(input);
        return;
    }
    if depth >= limits.max_zip_depth {
        notes.push(ArchiveNote {
            input: input.name,
            message: Bilingual::new(
                format!(
                    "zip archives nested deeper than {} levels are not opened",
                    limits.max_zip_depth
                ),
                format!(
                    "{} 階層を超えて入れ子になった zip は開きません",
                    limits.max_zip_depth
                ),
            ),
        });
        return;
    }
    let mut archive = match zip::ZipArchive::new(Cursor::new(&input.bytes[..])) {
        Ok(a) => a,
        Err(e) => {
            notes.push(ArchiveNote {
                input: input.name,
                message: Bilingual::new(
                    format!("not a readable zip archive: {e}"),
                    format!("読み取れない zip アーカイブです: {e}"),
                ),
            });
            return;
        }
    };
    for index in 0..archive.len() {
        if budget.stopped {
            return;
        }
        if budget.entries >= limits.max_zip_entries {
            notes.push(ArchiveNote {
                input: input.name.clone(),
                message: Bilingual::new(
                    format!(
                        "only the first {} archive entries are read",
                        limits.max_zip_entries
                    ),
                    format!(
                        "アーカイブの先頭 {} 個のエントリだけを読み込みました",
                        limits.max_zip_entries
                    ),
                ),
            });
            budget.stopped = true;
            return;
        }
        budget.entries += 1;
        let entry = match archive.by_index(index) {
            Ok(e) => e,
            Err(e) => {
                notes.push(ArchiveNote {
                    input: format!("{}/#{index}", input.name),
                    message: Bilingual::new(
                        format!("archive entry {index} cannot be read: {e}"),
                        format!("アーカイブのエントリ {index} を読み取れません: {e}"),
                    ),
                });
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        // The raw name as stored (may contain `../` or markup): it is only ever used as text.
        let name = format!(
            "{}/{}",
            input.name,
            String::from_utf8_lossy(entry.name_raw())
        );
        if is_rtmt_metadata(&name) {
            notes.push(ArchiveNote {
                input: name,
                message: Bilingual::new(
                    "RTMT metadata file skipped (it holds no log lines)",
                    "RTMT のメタデータファイルのため読み飛ばしました（ログ行を含みません）",
                ),
            });
            continue;
        }
        let compressed = entry.compressed_size();
        let declared = entry.size();
        drop(entry);
        // Charged as declared; an entry that would pass a limit is inflated below instead, where
        // the limit stops it at the byte.
        let charged = Budget {
            expanded: budget.expanded.saturating_add(declared),
            ..*budget
        };
        if !charged.over(limits, declared, compressed) {
            if let Some(gzip) = deflated_as_gzip(&mut archive, input.bytes.len(), index) {
                *budget = charged;
                out(RawInput { name, bytes: gzip });
                continue;
            }
        }
        let mut entry = match archive.by_index(index) {
            Ok(e) => e,
            Err(e) => {
                notes.push(ArchiveNote {
                    input: name,
                    message: Bilingual::new(
                        format!("archive entry {index} cannot be read: {e}"),
                        format!("アーカイブのエントリ {index} を読み取れません: {e}"),
                    ),
                });
                continue;
            }
        };
        let (bytes, error) = read_entry(&mut entry, compressed, limits, budget);
        if let Some(e) = error {
            notes.push(ArchiveNote {
                input: name.clone(),
                message: Bilingual::new(
                    format!(
                        "entry is damaged after {} bytes: {e}; the bytes read are analysed",
                        bytes.len()
                    ),
                    format!(
                        "エントリが {} バイト目以降で壊れています: {e}。読み取れた部分を解析します",
                        bytes.len()
                    ),
                ),
            });
        }
        if budget.stopped {
            let note = super::stream::bomb_note(budget.expanded, budget.archive_bytes, *limits);
            notes.push(ArchiveNote {
                input: name.clone(),
                message: Bilingual::new(
                    format!("{} (zip archive: no further entry is read)", note.en),
                    format!("{}（zip アーカイブ: 以降のエントリは読みません）", note.ja),
                ),
            });
        }
        expand_into(
            RawInput { name, bytes },
            limits,
            depth + 1,
            budget,
            out,
            notes,
        );
    }
}

/// A deflated entry of text as a gzip member, without inflating it: its compressed bytes between
/// a gzip header and a trailer of the CRC-32 and size the archive records for it (a zip entry
/// and a gzip member hold the same raw deflate data). The entry is then inflated as it is
/// parsed, like a `.gz` file, by whichever thread or worker reads it: inflated here, every entry
/// of an archive was inflated by the one that opened it (2 x 100 MB of text zipped: the CLI took
/// 0.37 s against 0.09 s for the same files loose). `None` for an entry that is not deflated,
/// is encrypted, or whose text starts as a zip or gzip does (opened as before: the nested
/// archive is expanded, the gzip inside inflated once).
fn deflated_as_gzip<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    archive_len: usize,
    index: usize,
) -> Option<Vec<u8>> {
    let (crc, size) = {
        let mut entry = archive.by_index(index).ok()?;
        if entry.compression() != zip::CompressionMethod::Deflated || entry.encrypted() {
            return None;
        }
        let mut head = [0u8; 4];
        let mut got = 0;
        while got < head.len() {
            match entry.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        if is_zip(&head[..got]) || head[..got].starts_with(&GZIP_MAGIC) {
            return None;
        }
        (entry.crc32(), entry.size())
    };
    let mut raw = archive.by_index_raw(index).ok()?;
    let head = super::stream::ZIP_ENTRY_HEAD;
    // The directory's compressed size is the archive's word, not its bytes (a fuzzed archive of
    // 3 KB claimed 2.4 GB): room for at most the archive itself.
    let room = (raw.compressed_size() as usize).min(archive_len);
    let mut gzip = Vec::with_capacity(head.len() + room + 8);
    gzip.extend_from_slice(head);
    raw.read_to_end(&mut gzip).ok()?;
    gzip.extend_from_slice(&crc.to_le_bytes());
    // ISIZE: the size modulo 2^32.
    gzip.extend_from_slice(&(size as u32).to_le_bytes());
    Some(gzip)
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn make_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in files {
            if name.ends_with('/') {
                w.add_directory(*name, opts).unwrap();
            } else {
                w.start_file(*name, opts).unwrap();
                w.write_all(data).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn nested_folders_and_zips_expand_to_leaves() {
        let inner = make_zip(&[("deep.txt", b"deep")]);
        let outer = make_zip(&[
            ("pub-hub/", b""),
            ("pub-hub/ils/sdl/SDL001_600_000001.txt", b"hub"),
            ("pub-hub/SDL001_600.index", b"idx"),
            ("pub-spoke/inner.zip", &inner),
        ]);
        let (leaves, notes) = expand(RawInput::new("rtmt.zip", outer), &Limits::default());
        let names: Vec<_> = leaves.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "rtmt.zip/pub-hub/ils/sdl/SDL001_600_000001.txt",
                "rtmt.zip/pub-spoke/inner.zip/deep.txt"
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].input.ends_with(".index"));
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("a valid gzip member");
        out
    }

    #[test]
    fn a_deflated_text_entry_is_handed_on_as_a_gzip_member_of_its_text() {
        let text: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"a gzip file zipped\n").unwrap();
        let gz = gz.finish().unwrap();
        let inner = make_zip(&[("deep.txt", b"deep\n")]);
        let z = make_zip(&[
            ("a.txt", text.as_bytes()),
            ("b.txt.gz", &gz),
            ("inner.zip", &inner),
            ("empty.txt", b""),
        ]);
        let (leaves, notes) = expand(RawInput::new("x.zip", z), &Limits::default());
        assert!(notes.is_empty(), "{notes:?}");
        let names: Vec<_> = leaves.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "x.zip/a.txt",
                "x.zip/b.txt.gz",
                "x.zip/inner.zip/deep.txt",
                "x.zip/empty.txt"
            ]
        );
        // Not inflated here: the entry's compressed bytes, read as a gzip file is.
        assert!(leaves[0].bytes.starts_with(&GZIP_MAGIC));
        assert!(leaves[0].bytes.len() < text.len() / 4);
        assert_eq!(gunzip(&leaves[0].bytes), text.as_bytes());
        // A gzip file inside is inflated once, to itself, not wrapped again.
        assert_eq!(leaves[1].bytes, gz);
        // A nested archive is still opened, and its entries handed on alike.
        assert_eq!(gunzip(&leaves[2].bytes), b"deep\n");
        assert_eq!(gunzip(&leaves[3].bytes), b"");
    }

    /// The directory's sizes are the archive's word: one claiming far more compressed bytes
    /// than the archive holds must not size an allocation (found by `cargo xtask fuzz`).
    #[test]
    fn an_overstated_compressed_size_reserves_no_more_than_the_archive() {
        let text = "a line of trace\n".repeat(100);
        let mut z = make_zip(&[("a.txt", text.as_bytes())]);
        let central = z.len() - 22 - 46 - "a.txt".len();
        assert_eq!(&z[central..central + 4], b"PK\x01\x02");
        // The compressed size, in the local header (offset 18) and the central directory (20).
        z[18..22].copy_from_slice(&0x9000_0000u32.to_le_bytes());
        z[central + 20..central + 24].copy_from_slice(&0x9000_0000u32.to_le_bytes());
        let len = z.len();
        let (leaves, notes) = expand(RawInput::new("x.zip", z), &Limits::default());
        for leaf in &leaves {
            assert!(
                leaf.bytes.capacity() <= len + 64,
                "{} for {len}",
                leaf.bytes.capacity()
            );
        }
        assert!(
            !leaves.is_empty() || !notes.is_empty(),
            "the entry is read or named"
        );
    }

    #[test]
    fn a_stored_entry_is_handed_on_as_it_is() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("s.txt", stored).unwrap();
        w.write_all(b"stored text\n").unwrap();
        let z = w.finish().unwrap().into_inner();
        let (leaves, _) = expand(RawInput::new("s.zip", z), &Limits::default());
        assert_eq!(
            leaves,
            [RawInput::new("s.zip/s.txt", b"stored text\n".to_vec())]
        );
    }

    #[test]
    fn nesting_past_the_limit_is_reported() {
        let mut z = make_zip(&[("a.txt", b"x")]);
        for _ in 0..5 {
            z = make_zip(&[("n.zip", &z)]);
        }
        let (leaves, notes) = expand(RawInput::new("n.zip", z), &Limits::default());
        assert!(leaves.is_empty());
        assert!(notes.iter().any(|n| n.message.en.contains("nested deeper")));
    }
}
