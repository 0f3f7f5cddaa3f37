//! The SecureX parsers and the console-session splitter on arbitrary text: the first byte picks
//! the kind (or lets detection decide); counts always add up and cover every line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::{parse::parse_whole, Line};
use loupe_core::{detect, Kind};

const KINDS: [Kind; 12] = [
    Kind::ConsoleSession,
    Kind::IlsClusterTable,
    Kind::ActionQueueLog,
    Kind::CurlVerbose,
    Kind::Nslookup,
    Kind::ShowNetwork,
    Kind::RemoteClusterSql,
    Kind::ConnectorProperties,
    Kind::NetstatSocket,
    Kind::LsofConnector,
    Kind::ConnectorLog,
    Kind::PmtoolStatus,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
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
    let kind = match KINDS.get(first as usize) {
        Some(k) => *k,
        None => detect::detect(&lines, true),
    };
    let p = parse_whole(kind, &lines);
    assert!(p.counts.adds_up(), "{kind:?}: {:?}", p.counts);
    assert_eq!(p.counts.lines, lines.len() as u64, "{kind:?}");
});
