//! The ILS Clusters table and remotecluster SQL parsers on arbitrary text: counts add up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::Line;
use loupe_core::cluster_tables;
use loupe_core::Kind;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = if first & 1 == 0 {
        Kind::IlsClusterTable
    } else {
        Kind::RemoteClusterSql
    };
    let text = String::from_utf8_lossy(rest);
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            number: i as u32 + 1,
            text: t.to_string(),
        })
        .collect();
    let t = cluster_tables::parse(kind, &lines);
    assert!(t.counts.adds_up(), "{:?}", t.counts);
    assert_eq!(t.counts.lines, lines.len() as u64);
});
