//! The SDL fast path (`SdlParser::lines`: multi-literal search over whole blocks, cheap
//! classification of the other lines) must give exactly what the line-by-line parse gives:
//! events, line accounting, record count, times, FileHead, whatever the chunk boundaries.

use loupe_core::decode::lines::{LineSink, LineSplitter};
use loupe_core::parse::stream::DETECT_LINES;
use loupe_core::sdl::SdlParser;
use loupe_core::{Engine, Limits};
use proptest::prelude::*;

/// The reference: every line through `SdlParser::line`.
fn slow(text: &[u8]) -> String {
    let mut p = SdlParser::new();
    let mut s = LineSplitter::new(1 << 20);
    struct Slow<'a>(&'a mut SdlParser);
    impl LineSink for Slow<'_> {
        fn line(&mut self, n: u32, t: &str) {
            self.0.line(n, t)
        }
        fn line_truncated(&mut self, _: u32, _: u64) {}
        fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
            loupe_core::decode::lines::each_line(first, block, |n, t| self.0.line(n, t))
        }
    }
    s.push(text, &mut Slow(&mut p));
    s.finish(&mut Slow(&mut p));
    format!("{:?}", p.finish())
}

struct Fast<'a>(&'a mut SdlParser);
impl LineSink for Fast<'_> {
    fn line(&mut self, n: u32, t: &str) {
        self.0.line(n, t)
    }
    fn line_truncated(&mut self, _: u32, _: u64) {}
    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        self.0.lines(first, block)
    }
}

/// The fast path, fed in the given chunks.
fn fast(chunks: &[&[u8]]) -> String {
    let mut p = SdlParser::new();
    let mut s = LineSplitter::new(1 << 20);
    for c in chunks {
        s.push(c, &mut Fast(&mut p));
    }
    s.finish(&mut Fast(&mut p));
    format!("{:?}", p.finish())
}

const TRICKY: &str = "not a record before the first one\n\
00000001.000 |23:59:58.000 |FileHead |UTC:+09:00,Date: 2024/03/11, AppName: Cisco Intercluster Lookup Service, HostName: com1150, HostIPAddress: 10.106.104.220\n\
00000002.000 |23:59:58.100 |SdlSig   |SdlDataInd  |wait |DbMon(1,600,30,1) |HTTPServer(1,600,25,1) |1,100,14,1.1^*^*\n\
00000002.100 |23:59:58.150 |SdlSig   |IlsRetryConnectTimer  |wait |Ils(1,600,20,1) |SdlTimerService(1,600,3,1) |1,600,3,1.5^*^* |*TraceFlagOverrode\n\
00000002.200 |23:59:58.160 |SdlSig   |SdlConnectionInd  |wait |Ils(1,600,20,1) |SdlTCPConnection(1,600,13,9) |1,600,13,9.1^*^* |*TraceFlagOverrode   \n\
00000002.300 |23:59:58.170 |SdlSig   |SdlDataInd  |wait |Ils(1,600,20,1) |SdlTCPConnection(1,600,13,9) |1,600,13,9.2^*^*\n\
00000002.400 |23:59:58.180 |SdlSig   |SdlDataInd  |wait |Ils(1,600,20,1)\n\
 |SdlTCPConnection(1,600,13,9) |1,600,13,9.3^*^* wrapped\n\
00000003.000 |23:59:58.200 |SdlSig   |SdlConnectRsp  \n\
|wait |Ils(1,600,20,1)  \n\
|SdlSSLTCPConnection(1,600,17,1) |1,600,16,1.1^*** |*TraceFlagOverrode\n\
00000004.001 |23:59:58.300 |AppInfo  |IlsD Ils::ConnectReq(): Requesting\n\
Connection to IpAddr(10.106.104.220), IpPort(7502), TLSReq(f)\n\
00000005.001 |23:59:58.400 |AppInfo  |[1, 600, 17, 5]: HandleSSLError - Certificate   \n\
 \n\
   verification  \n\
failed:(Verification error:18)- self signed certificate for 10.106.104.220:7501\n\
00000006.000 |23:59:59.000 |AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message\r\n\
[9957,NET]\r\n\
OPTIONS sip:10.20.30.4:5060 SIP/2.0\r\n\
\u{a0}00000007.000 |23:59:59.100 |AppInfo  |a record after a no-break space\n\
\t00000008.000 |23:59:59.200 |AppInfo  |a record after a tab\n\
 \u{b}\t \n\
00000009.000 |00:00:00.100 |AppInfo  |after midnight \u{65e5}\u{672c}\n\
continuation ending in Japanese \u{65e5}\n\
Connection to peerId(0) ipAddr(10.1.1.1) ipPort(7501) TLSReq(t) succeeded\n\
admin:file view activelog cm/trace/ils/sdl/SDL001_600_000001.txt\n\
orphan line after a prompt\n\
```\n\
00000010.000 |00:00:00.200 |AppInfo  |bad utf8 \u{fffd} here\n\
\u{3000}00000011.000 |00:00:00.300 |AppInfo  |ideographic space first\n\
00000012.000 |00:00:00.400 |SdlStat  |Period: 6s #Lines: 14\n\
0000001.000 |00:00:00.500 |AppInfo  |too few digits: a continuation\n\
00000013.0000 |00:00:00.600 |AppInfo  |four sub digits: a continuation\n\
00000014.000 |25:00:00.600 |AppInfo  |hour 25: a continuation\n\
00000015.000 |00:00:00.700 |  |no type: a continuation\n\
00000016.000 |00:00:00.800 |AppInfo  |IlsD Ils::VerifyCertificateInfo(): FQDN is in PeerInfoVector\n\
00000017.000 |00:00:00.900 |AppInfo  |Close\n\
Req. DeviceName=, TCPPid = [1.600.17.16], IPAddr=10.106.104.201, Port=39267, Controller=[1,20,1]\n\
00000018 .001 |00:00:01.000 |AppInfo  |IlsD Ils::ConnectReq(): Requesting Connection to IpAddr(10.106.104.220), IpPort(7501), TLSReq(t)\n\
INVITE sip:x SIP/2.0 glued text82645958 .001 |00:00:01.100 |AppInfo |IlsD Ils::processConnectReq Initiating TLS Connection\n\
text|12:00:00.000 |a bar and a time, no head: a continuation\n\
00000019.000 |00:00:01.200 |SdlSig |SdlConnectRsp |wait |Ils(1,600,20,1) |SdlSSLTCPConnection(1,600,17,2) |1,600,16,1.1^*^* |*TraceFlagOverrode\n\
00000020.000 |00:00:01.300 |Create |Ils(1,600,20,1) compact type\n\
00000021.001 |00:00:01.400 |LnkState |LinkAdmin - registerLinkStatus - Pid: [2,139,128507], NodeId: 1 regCount: 1\n\
00000022.000 |00:00:01.500 |SdlSig   |SdlCloseInd\n\
|wait\n\
|Ils(1,600,20,1)\n\
|SdlSSLTCPConnection(1,600,17,2)\n\
|1,600,17,2.9^*^*\n\
|*TraceFlagOverrode\n\
00000023.000 |00:00:01.600 |AppInfo  |[1, 600, 17, 2]: HandleSSLError - Certificate verification failed:(Verification er\n\
ror:10)- certificate has expired for 10.106.104.220:7501\n\
<#root>\n\
end of the file reached\n\
last line without newline";

fn tricky_bytes() -> Vec<u8> {
    // One invalid UTF-8 byte in a noise record.
    let mut v = TRICKY.as_bytes().to_vec();
    let pos = TRICKY.find("bad utf8 ").unwrap() + 9;
    v.splice(pos..pos + 3, [0xff]);
    v
}

#[test]
fn fast_path_equals_line_by_line_at_every_chunk_boundary() {
    let text = tricky_bytes();
    let want = slow(&text);
    assert!(want.contains("ConnectRequest"), "{want}");
    assert!(want.contains("TlsVerifyFailed"), "{want}");
    assert!(want.contains("CloseRequest"), "{want}");
    assert!(want.contains("Signal"), "{want}");
    assert!(want.contains("\"SdlDataInd\": 2"), "{want}");
    assert!(want.contains("\"IlsRetryConnectTimer\": 1"), "{want}");
    assert!(want.contains("connection: [1, 600, 13, 9]"), "{want}");
    // The record forms of real traces: a space before the sub-number, free text glued before
    // the head, unpadded columns, a signal wrapped over six lines, a wrap inside a word.
    assert!(want.contains("seq: 18, sub: 1"), "{want}");
    assert!(want.contains("seq: 82645958, sub: 1"), "{want}");
    assert!(want.contains("Initiating { tls: true }"), "{want}");
    assert!(
        want.contains("name: \"SdlConnectRsp\", connection: [1, 600, 17, 2]"),
        "{want}"
    );
    assert!(
        want.contains("name: \"SdlCloseInd\", connection: [1, 600, 17, 2]"),
        "{want}"
    );
    assert!(want.contains("code: Some(10)"), "{want}");
    assert_eq!(fast(&[&text]), want, "whole");
    for i in 0..=text.len() {
        assert_eq!(fast(&[&text[..i], &text[i..]]), want, "split at {i}");
    }
    for size in 1..64 {
        let chunks: Vec<&[u8]> = text.chunks(size).collect();
        assert_eq!(fast(&chunks), want, "chunks of {size}");
    }
}

/// Through the engine: detection reads the first lines one by one, then the SDL phase gets
/// blocks. Same result whole, in small chunks, and with lines over the limit.
#[test]
fn engine_fast_path_after_detection_and_long_lines() {
    let mut text = String::new();
    for i in 0..DETECT_LINES + 50 {
        text.push_str(&format!(
            "{:08}.000 |10:00:{:02}.{:03} |SdlStat  |Period: 6s #Lines: {i}\n",
            100 + i,
            i % 60,
            i % 1000
        ));
    }
    text.push_str(TRICKY);
    let bytes = text.as_bytes();
    let analysis = |limits: Limits, size: usize| {
        let mut e = Engine::new(limits);
        let id = e.begin("t.txt");
        for c in bytes.chunks(size) {
            e.push(id, c);
        }
        e.end(id);
        let a = e.finish();
        format!("{:?} {:?} {:?}", a.inputs, a.events, a.diagnostics)
    };
    let whole = analysis(Limits::default(), bytes.len());
    for size in [1, 7, 64, 100, 1000, 4096] {
        assert_eq!(analysis(Limits::default(), size), whole, "chunks of {size}");
    }
    // A limit shorter than some lines: they are cut and reported alike whatever the chunks.
    let small = Limits {
        max_line_bytes: 90,
        ..Limits::default()
    };
    let cut = analysis(small, bytes.len());
    assert!(cut.contains("line is too long"), "{cut}");
    for size in [1, 13, 91, 200, 5000] {
        assert_eq!(analysis(small, size), cut, "chunks of {size}, short limit");
    }
}

/// Pieces that random traces are made of, including every trap of the fast path.
const PIECES: &[&str] = &[
    "00000100.000 |10:00:00.000 |SdlSig   |SdlDataInd |wait |DbMon(1,600,30,1)",
    "00000101.001 |10:00:00.100 |AppInfo  |IlsD Ils::ConnectReq(): Requesting",
    "Connection to IpAddr(10.106.104.220), IpPort(7502), TLSReq(f)",
    "00000102.001 |10:00:00.200 |AppInfo  |TimerMgr - timer 1 expired",
    "00000103.000 |10:00:00.300 |SdlSig   |SdlConnectRsp",
    "|wait |Ils(1,600,20,1)",
    "Certificate",
    "verification",
    "failed for 10.106.104.220:7501",
    "[1, 600, 17, 5]: HandleSSLError - Certificate verification failed for 10.1.1.1:7501",
    "00000104.000 |23:59:59.900 |AppInfo  |before midnight",
    "00000105.000 |00:00:00.100 |AppInfo  |after midnight",
    "00000106.000 |09:00:00.000 |FileHead |UTC:+09:00,Date: 2024/03/12, AppName: x, HostName: h",
    " ",
    "",
    "\t\u{b} ",
    "   00000107.000 |10:00:01.000 |AppInfo  |indented",
    "admin:",
    "\u{a0}00000108.000 |10:00:02.000 |AppInfo  |nbsp",
    "plain words",
    "ERROR(",
    "000005C9): Connection to peerId(0) ipAddr(1.1.1.1) ipPort(7501) TLSReq(t) failed",
    "Close",
    "Req. DeviceName=, TCPPid = [1.600.17.16], IPAddr=10.106.104.201, Port=39267",
    "\u{65e5}\u{672c} Japanese",
    "line\r",
    "00000109.000 |10:00:03.000 | AppInfo  |space before the type",
    "00000110.000 |10:00:04.000 |SdlSigX  |SdlConnectRsp |wait |Ils(1,600,20,1)",
    "00000111.000 |10:00:05.000 |SdlSig   |SdlConnectInd |wait |SIPTcp(1,100,65,1)",
    "00000112.000 |10:00:06.000 |SdlSig   |SdlConnectInd |wait |Ils(1,600,20,1)",
    "00000113.000 |10:00:07.000 |SdlSig |SdlDataInd",
    "|wait |Ils(1,600,20,1) |ConnectInd",
    "New connection",
    "accepted. DeviceName=, TCPPid = [1.600.13.5], IPAddr=10.106.104.201, Port=37816, Controller=[1,20,1]",
    "IlsD IlsHandler: Ils::wait_SdlConnectionInd(): New",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_traces_parse_alike(
        picks in proptest::collection::vec(0..PIECES.len(), 1..60),
        cuts in proptest::collection::vec(0usize..4000, 0..6),
    ) {
        let mut text = String::new();
        for p in &picks {
            text.push_str(PIECES[*p]);
            text.push('\n');
        }
        let bytes = text.as_bytes();
        let want = slow(bytes);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut at = 0;
        for c in cuts {
            chunks.push(&bytes[at..c]);
            at = c;
        }
        chunks.push(&bytes[at..]);
        prop_assert_eq!(fast(&chunks), want);
    }
}
