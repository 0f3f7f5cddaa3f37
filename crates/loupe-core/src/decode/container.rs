//! Expand archives into leaf inputs: `.zip` (RTMT collections: one folder per node, nested
//! folders, `.gz` files inside, zips inside zips up to a depth limit). Leaf bytes are left as they
//! are: gzip and text encodings are handled by [`super::stream`].

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

/// Files RTMT writes beside the traces that carry no log lines.
fn is_rtmt_metadata(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.ends_with(".index") || (file.starts_with("TraceCollection") && file.ends_with(".xml"))
}

/// Expand `input` if it is a zip archive; otherwise return it unchanged.
pub fn expand(input: RawInput, limits: &Limits) -> (Vec<RawInput>, Vec<ArchiveNote>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut entries = 0usize;
    expand_into(input, limits, 0, &mut entries, &mut out, &mut notes);
    (out, notes)
}

fn expand_into(
    input: RawInput,
    limits: &Limits,
    depth: u32,
    entries: &mut usize,
    out: &mut Vec<RawInput>,
    notes: &mut Vec<ArchiveNote>,
) {
    if !is_zip(&input.bytes) {
        out.push(input);
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
        if *entries >= limits.max_zip_entries {
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
            return;
        }
        *entries += 1;
        let mut entry = match archive.by_index(index) {
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
        let declared = entry.size();
        let mut bytes = Vec::new();
        let cap = limits.max_expanded_bytes;
        let read = (&mut entry).take(cap + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
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
        if bytes.len() as u64 > cap {
            bytes.truncate(cap as usize);
            notes.push(ArchiveNote {
                input: name.clone(),
                message: Bilingual::new(
                    format!("entry expands past {cap} bytes (declared {declared}); only the first {cap} bytes are analysed"),
                    format!("エントリが {cap} バイトを超えて展開されます（宣言値 {declared}）。先頭 {cap} バイトだけを解析します"),
                ),
            });
        }
        expand_into(
            RawInput { name, bytes },
            limits,
            depth + 1,
            entries,
            out,
            notes,
        );
    }
}

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
