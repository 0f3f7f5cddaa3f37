//! `cargo xtask gen`: a deterministic corpus of CUCM ILS SDL traces, hub and spoke, for benchmarks
//! and for the test that checks the engine finds exactly the attempts planted.
//!
//! Each side is a run of rolled-over SDL files (a `FileHead` first in every file) filled with
//! noise from many CUCM components (`SdlSig`, `AppInfo`, `SdlStat`, `LnkState`, multi-line SIP
//! messages, blank lines) in which ILS connection attempts of every kind from the seed are planted
//! at known times, with matching ephemeral ports on both sides and the chosen clock offset
//! (`spoke clock - hub clock`). The manifest lists every planted attempt and what Loupe must say.

use std::fmt::Write as _;
use std::io::Write;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Bytes of (uncompressed) trace per side: the corpus holds twice this.
    pub size_per_side: u64,
    /// Roll over to a new file past this many bytes.
    pub file_size: u64,
    /// `spoke clock - hub clock`, ms.
    pub offset_ms: i64,
    pub seed: u64,
    /// Attempts planted; default one per 256 KiB of trace per side (at least 12: one of each kind).
    pub attempts: Option<usize>,
    pub gzip: bool,
    pub zip: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            size_per_side: 100 << 20,
            file_size: 10 << 20,
            offset_ms: 0,
            seed: 1,
            attempts: None,
            gzip: false,
            zip: false,
        }
    }
}

impl GenOptions {
    pub fn attempt_count(&self) -> usize {
        self.attempts
            .unwrap_or((self.size_per_side / (256 << 10)) as usize)
            .max(1)
    }
}

/// The kinds of attempt planted, in the order of the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    M1Joined,
    M1PasswordMismatch,
    M2Joined,
    M2HubCertRejected,
    M2PeerUnknown,
    M3Joined,
    M3SpokeCertRejected,
    M3HubCertRejected,
    M4Joined,
    M4HubCertRejected,
    M4SpokeCertRejected,
    Unanswered,
}

pub const KINDS: [AttemptKind; 12] = [
    AttemptKind::M1Joined,
    AttemptKind::M1PasswordMismatch,
    AttemptKind::M2Joined,
    AttemptKind::M2HubCertRejected,
    AttemptKind::M2PeerUnknown,
    AttemptKind::M3Joined,
    AttemptKind::M3SpokeCertRejected,
    AttemptKind::M3HubCertRejected,
    AttemptKind::M4Joined,
    AttemptKind::M4HubCertRejected,
    AttemptKind::M4SpokeCertRejected,
    AttemptKind::Unanswered,
];

impl AttemptKind {
    pub fn name(self) -> &'static str {
        use AttemptKind::*;
        match self {
            M1Joined => "m1-password-joined",
            M1PasswordMismatch => "m1-password-mismatch",
            M2Joined => "m2-tls-joined",
            M2HubCertRejected => "m2-hub-cert-not-trusted",
            M2PeerUnknown => "m2-spoke-cert-not-trusted",
            M3Joined => "m3-tls-password-joined",
            M3SpokeCertRejected => "m3-spoke-cert-self-signed",
            M3HubCertRejected => "m3-hub-cert-self-signed",
            M4Joined => "m4-peer-info-vector-joined",
            M4HubCertRejected => "m4-hub-cert-self-signed",
            M4SpokeCertRejected => "m4-spoke-cert-self-signed",
            Unanswered => "unanswered",
        }
    }

    /// `(rule, outcome, method, hub side written, spoke side written)`.
    pub fn expected(self) -> (&'static str, &'static str, Option<&'static str>, bool, bool) {
        use AttemptKind::*;
        match self {
            M1Joined => (
                "ils.joined.password",
                "joined",
                Some("password"),
                true,
                true,
            ),
            M1PasswordMismatch => ("ils.password-mismatch", "failed", None, true, false),
            M2Joined => ("ils.joined.tls", "joined", Some("tls"), true, true),
            M2HubCertRejected => ("ils.tls.hub-cert-rejected", "failed", None, false, true),
            M2PeerUnknown => ("ils.tls.peer-unknown", "failed", None, true, false),
            M3Joined => (
                "ils.joined.tls-password",
                "joined",
                Some("tls-password"),
                true,
                true,
            ),
            M3SpokeCertRejected => ("ils.tls.spoke-cert-rejected", "failed", None, true, false),
            M3HubCertRejected => ("ils.tls.hub-cert-rejected", "failed", None, false, true),
            M4Joined => (
                "ils.joined.peer-info-vector",
                "joined",
                Some("peer-info-vector"),
                true,
                true,
            ),
            M4HubCertRejected => ("ils.tls.hub-cert-rejected", "failed", None, false, true),
            M4SpokeCertRejected => ("ils.tls.spoke-cert-rejected", "failed", None, true, false),
            Unanswered => ("ils.connect.unanswered", "unanswered", None, false, true),
        }
    }
}

/// One planted attempt, as the manifest records it.
#[derive(Debug, Clone)]
pub struct Planted {
    pub id: usize,
    pub kind: AttemptKind,
    pub ephemeral_port: u16,
    /// Hub clock, local time, ms since 1970 (as the FileHead's date and time of day say).
    pub hub_ms: i64,
    pub hub_file: Option<String>,
    pub spoke_file: Option<String>,
}

/// Receives the generated files.
pub trait Out {
    fn begin(&mut self, path: &str);
    fn write(&mut self, bytes: &[u8]);
    fn end(&mut self);
}

/// Files kept in memory (tests).
#[cfg(test)]
#[derive(Default)]
pub struct MemOut {
    pub files: Vec<(String, Vec<u8>)>,
}

#[cfg(test)]
impl Out for MemOut {
    fn begin(&mut self, path: &str) {
        self.files.push((path.to_string(), Vec::new()));
    }
    fn write(&mut self, bytes: &[u8]) {
        self.files
            .last_mut()
            .expect("begun")
            .1
            .extend_from_slice(bytes);
    }
    fn end(&mut self) {}
}

/// Files written below a folder.
pub struct DirOut {
    pub dir: std::path::PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    pub written: Vec<std::path::PathBuf>,
}

impl DirOut {
    pub fn new(dir: &std::path::Path) -> Self {
        DirOut {
            dir: dir.to_path_buf(),
            file: None,
            written: Vec::new(),
        }
    }
}

impl Out for DirOut {
    fn begin(&mut self, path: &str) {
        let p = self.dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("create folder");
        let f = std::fs::File::create(&p).unwrap_or_else(|e| panic!("create {p:?}: {e}"));
        self.file = Some(std::io::BufWriter::with_capacity(1 << 20, f));
        self.written.push(p);
    }
    fn write(&mut self, bytes: &[u8]) {
        self.file
            .as_mut()
            .expect("begun")
            .write_all(bytes)
            .expect("write");
    }
    fn end(&mut self) {
        if let Some(mut f) = self.file.take() {
            f.flush().expect("flush");
        }
    }
}

/// A zip archive (an RTMT collection: one folder per node) around another [`Out`]'s files.
pub struct ZipOut<W: Write + std::io::Seek> {
    zip: zip::ZipWriter<W>,
}

impl<W: Write + std::io::Seek> ZipOut<W> {
    pub fn new(w: W) -> Self {
        ZipOut {
            zip: zip::ZipWriter::new(w),
        }
    }
    pub fn finish(self) -> W {
        self.zip.finish().expect("zip")
    }
}

impl<W: Write + std::io::Seek> Out for ZipOut<W> {
    fn begin(&mut self, path: &str) {
        // Already-gzipped members are stored, plain ones deflated, as RTMT does.
        let method = if path.ends_with(".gz") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(true);
        self.zip.start_file(path, o).expect("zip entry");
    }
    fn write(&mut self, bytes: &[u8]) {
        self.zip.write_all(bytes).expect("zip write");
    }
    fn end(&mut self) {}
}

/// SplitMix64: small, fast, deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub const HUB_HOST: &str = "com1150";
pub const HUB_IP: &str = "10.106.104.220";
pub const SPOKE_HOST: &str = "cucm11";
pub const SPOKE_IP: &str = "10.106.104.201";
const HUB_PEER_ID: &str = "77c59d0960cc4fdc959168a3d686a6de";
const SPOKE_PEER_ID: &str = "f7f885dcaca845f18f3b7e583ff6c457";
const SPOKE_FQDN: &str = "cucm11.adfs.ucce.com";
/// 2024-03-11 08:00:00 local time, ms since 1970.
const START_MS: i64 = 19_793 * 86_400_000 + 8 * 3_600_000;
/// Time between two attempts: more than the engine's attempt and pairing windows.
const GAP_MS: i64 = 30_000;
const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Hub,
    Spoke,
}

/// One record of a planted attempt: `dt` ms after the attempt's time on the writer's clock.
struct Rec {
    dt: i64,
    ty: &'static str,
    body: String,
}

fn rec(dt: i64, ty: &'static str, body: String) -> Rec {
    Rec { dt, ty, body }
}

/// The records one side writes for an attempt. Anchor events (established, or the first event)
/// are at the same `dt` on both sides, so the estimated offset is exactly the planted one.
fn attempt_records(kind: AttemptKind, side: Side, eph: u16, inst: u32) -> Vec<Rec> {
    use AttemptKind::*;
    let (h, s) = (HUB_IP, SPOKE_IP);
    let ai = "AppInfo";
    let hub = side == Side::Hub;
    let req = |port: u16, tls: bool| {
        let (t, long, word) = if tls {
            ("t", "true", "TLS")
        } else {
            ("f", "false", "non-TLS")
        };
        vec![
            rec(0, ai, format!("IlsD Ils::ConnectReq(): Requesting Connection to IpAddr({h}), IpPort({port}), TLSReq({t})")),
            rec(0, ai, format!("IlsD Ils::ConnectReq() Pub IP/Port({h}:{port}) Pri IP/Port(:{port}) TLSReq({long})")),
            rec(1, ai, format!("IlsD Ils::processConnectReq Initiating {word} Connection")),
        ]
    };
    let established_hub = |dt: i64, port: u16, tls: &str| {
        rec(dt, ai, format!("IlsD ::ConnectIndInner Server Connection to PeerId({SPOKE_PEER_ID}), TCPPid([1, 600, {}, {inst}]), PeerIP/Port({s}:{eph}), LocalIP/Port({h}:{port}) TLSReq({tls}) established", if port == 7501 { 17 } else { 13 }))
    };
    let established_spoke = |dt: i64, port: u16, tls: &str| {
        rec(dt, ai, format!("IlsD ::ConnectIndInner starting to PeerId({HUB_PEER_ID}), TCPPid([1, 600, {}, {inst}]), PeerIP/Port({h}:{port}), LocalIP/Port({s}:{eph}) TLSReq({tls}) established", if port == 7501 { 17 } else { 13 }))
    };
    let verify_failed = |remote: String, pid_word: &str| {
        vec![
            rec(0, ai, format!("[1, 600, 17, {inst}]: {pid_word} - Certificate verification failed:(Verification error:18)- self signed certificate for {remote}")),
            rec(0, ai, format!("[1, 600, 17, {inst}]: {pid_word} - Certificate verification failed for {remote}")),
        ]
    };
    match (kind, hub) {
        (M1Joined, true) => vec![
            rec(0, ai, format!("IlsD IlsHandler: Ils::wait_SdlConnectionInd(): New connection accepted. DeviceName=, TCPPid = [1.600.13.{inst}], IPAddr={s}, Port={eph}, Controller=[1,20,1]")),
            rec(0, ai, format!("IlsD Ils::ConnectInd TCPPid([1, 600, 13, {inst}]), PeerIP/Port({s}:{eph}), LocalIP/Port({h}:7502) ({s}:{eph})")),
            established_hub(11, 7502, "f"),
        ],
        (M1Joined, false) => {
            let mut v = req(7502, false);
            v.extend([
                rec(3, ai, format!("IlsD Ils::ConnectRes() appCorr(1029) TCPPid([1, 600, 13, {inst}]), PeerIP/Port({h}:7502), LocalIP/Port({s}:{eph}) TLSReq(f) found")),
                rec(3, ai, format!("IlsD DEBUG(0000FA0E): Client Connection to peerId(00000000000000000000000000000000) ipAddr({h}) ipPort(7502) TLSReq(f) succeeded")),
                established_spoke(11, 7502, "f"),
            ]);
            v
        }
        (M1PasswordMismatch, true) => vec![
            rec(0, ai, format!("IlsD IlsHandler: wait_SdlDataInd EncrUtil::decryptData failed. DeviceName=, TCPPid = [1.600.13.{inst}], IPAddr={s}, Port={eph}, Controller=[1,20,1]")),
            rec(0, ai, format!("IlsD wait_SdlDataInd sending ILSPwdAuthenticationFailed alarm with IPAddress= {s}; mAlarmedConnections count= 1")),
        ],
        (M2Joined, true) => vec![
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): peer certificates are in certificate store".into()),
            established_hub(2, 7501, "t"),
        ],
        (M2Joined, false) => vec![
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): peer certificates are in certificate store".into()),
            established_spoke(2, 7501, "t"),
        ],
        (M2HubCertRejected, false) => {
            let mut v = verify_failed(format!("{h}:7501"), "HandleSSLError");
            v.extend([
                rec(1, ai, format!("IlsD Ils::wait_SdlConnectErrRsp sending ILSTLSAuthenticationFailed alarm with Cluster1 = {h}; mAlarmedConnections count= 1")),
                rec(5, ai, format!("IlsD ERROR(000005C9): Connection to peerId(00000000000000000000000000000000) ipAddr({h}) ipPort(7501) TLSReq(t) failed, ConnReason(1)")),
            ]);
            v
        }
        (M2PeerUnknown, true) => vec![
            rec(0, ai, "CertUtil Ils::isCertInLocalStore X509_STORE_get_by_subject failed.".into()),
            rec(0, ai, format!("IlsD Ils::VerifyCertificateInfo(): certificate is not in the local store and the FQDN ({SPOKE_FQDN}) is not in the peer info vector, closing the connection")),
            rec(0, ai, format!("IlsD Ils::VerifyCertificateInfo(): sending ILSTLSAuthenticationFailed alarm for Cluster1= {SPOKE_FQDN}; mAlarmedConnections count= 1")),
            rec(5, ai, format!("IlsD IlsHandler: Close Req. DeviceName=, TCPPid = [1.600.17.{inst}], IPAddr={s}, Port={eph}, Controller=[1,20,1")),
        ],
        (M3Joined, true) => vec![
            rec(0, ai, "CertUtil Ils::isCertInLocalStore X509_STORE_get_by_subject failed.".into()),
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): peer certificates are not in certificate store but Root CA signed certs are uploaded locally".into()),
            rec(5, ai, "EncrUtil Function: decryptData at line 163 succeeded".into()),
            rec(5, ai, "EncrUtil Function: decryptData at line 165 succeeded".into()),
            rec(5, ai, "EncrUtil decryptData: inlen 1956, outlen 1949 succeed".into()),
            established_hub(6, 7501, "t"),
        ],
        (M3Joined, false) => vec![
            rec(0, "SdlSig", format!("{:<39}|{:<31}|{:<32}|{:<32}|{:<40}|*TraceFlagOverrode", "SdlConnectRsp", "wait", "Ils(1,600,20,1)", format!("SdlSSLTCPConnection(1,600,17,{inst})"), "1,600,16,1.1^*^*")),
            rec(0, ai, "CertUtil Ils::isCertInLocalStore X509_STORE_get_by_subject failed.".into()),
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): peer certificates are not in certificate store but Root CA signed certs are uploaded locally.".into()),
            rec(0, ai, format!("IlsD DEBUG(00000407): Client Connection to peerId(00000000000000000000000000000000) ipAddr({h}) ipPort(7501) TLSReq(t) succeeded")),
            established_spoke(6, 7501, "t"),
        ],
        (M3SpokeCertRejected, true) => {
            let mut v = verify_failed(format!("{s}:{eph}"), "HandleSSL error");
            v.push(rec(0, ai, format!("[1, 600, 17, {inst}]: HandleSSL error - TLS protocol error(ssl reason code=internal error [68]),lib=SSL routines [20],fun=SSL_clear [164], errno=0 for {s}:{eph}")));
            v
        }
        (M3HubCertRejected, false) => {
            let mut v = verify_failed(format!("{h}:7501"), "HandleSSL error");
            v.push(rec(0, ai, format!("[1, 600, 17, {inst}]: HandleSSL error - TLS protocol error(ssl reason code=bad message type [114]),lib=SSL routines [20],fun=ssl3_get_server_hello [146], errno=0 for {h}:7501")));
            v
        }
        (M4Joined, true) => vec![
            rec(0, ai, "CertUtil Ils::isCertInLocalStore X509_STORE_get_by_subject failed.".into()),
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): FQDN is in PeerInfoVector".into()),
            rec(0, ai, format!("IlsD IlsHandler: Ils::wait_SdlConnectionInd(): New connection accepted. DeviceName=, TCPPid = [1.600.17.{inst}], IPAddr={s}, Port={eph}, Controller=[1,20,1]")),
        ],
        (M4Joined, false) => vec![
            rec(0, ai, "CertUtil Ils::isCertInLocalStore X509_STORE_get_by_subject failed.".into()),
            rec(0, ai, "IlsD Ils::VerifyCertificateInfo(): FQDN is in PeerInfoVector".into()),
            established_spoke(2, 7501, "t"),
        ],
        (M4HubCertRejected, false) => verify_failed(format!("{h}:7501"), "HandleSSLSError"),
        (M4SpokeCertRejected, true) => verify_failed(format!("{s}:{eph}"), "HandleSSLSError"),
        (Unanswered, false) => req(7501, true),
        _ => vec![],
    }
}

/// Noise: what many CUCM components write, none of it an ILS event.
struct Noise {
    rng: Rng,
}

const COMPONENTS: &[&str] = &[
    "SIPTcp(1,100,65,1)",
    "SIPHandler(1,100,71,1)",
    "SdlTCPConnection(1,600,14,63)",
    "DbMon(1,600,30,1)",
    "HTTPServer(1,600,25,1)",
    "UDSLookup(1,600,31,2)",
    "CcdRequest(1,100,161,1)",
    "TimerMgr(1,600,8,1)",
    "SdlRouter(1,600,3,1)",
    "LdapSync(1,600,44,1)",
];
const SIGNALS: &[&str] = &[
    "SdlDataInd",
    "SdlReadRsp",
    "SdlWriteReq",
    "DbChangeNotify",
    "SdlTimeoutInd",
    "CcdLookupReq",
    "SdlLinkStatusInd",
    "UdsSyncReq",
    // A false positive for the prefilter (`ConnectInd`) that is not an ILS event.
    "SdlConnectInd",
];
const STATES: &[&str] = &["wait", "active", "connected", "restart2"];

impl Noise {
    /// Append one noise record (maybe several lines); returns its line count.
    fn record(&mut self, buf: &mut String, head: &str) -> u32 {
        let r = self.rng.below(1000);
        let c = |rng: &mut Rng| COMPONENTS[rng.below(COMPONENTS.len() as u64) as usize];
        match r {
            0..=379 => {
                let sig = SIGNALS[self.rng.below(SIGNALS.len() as u64) as usize];
                let state = STATES[self.rng.below(STATES.len() as u64) as usize];
                let (d, s) = (c(&mut self.rng), c(&mut self.rng));
                let corr = self.rng.below(100_000);
                let _ = writeln!(
                    buf,
                    "{head}SdlSig   |{sig:<39}|{state:<31}|{d:<32}|{s:<32}|1,100,14,1.{corr}^*^*{:<20}|[R:N-H:0,N:1,L:0,V:0,Z:0,D:0]",
                    ""
                );
                1
            }
            380..=429 => {
                let n = self.rng.below(40) + 1;
                let _ = writeln!(buf, "{head}SdlStat  |Period: 6s #Lines: {n} #Bytes: {} Total Number of Buffers: 10000 Free LWM: 9991 Free LWM(total): 9964", n * 170);
                1
            }
            430..=459 => {
                let inst = self.rng.below(9) + 1;
                let _ = writeln!(buf, "{head}LnkState |LinkAdmin - registerLinkStatus - Pid: [1,600,20,{inst}], NodeId: 1 regCount: 1");
                1
            }
            460..=479 => {
                // A SIP message written over several lines (continuation lines).
                let idx = self.rng.below(10_000);
                let ip = self.rng.below(250) + 2;
                let _ = writeln!(buf, "{head}AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from 10.20.30.{ip} on port 5060 index {idx} with 1024 bytes:");
                let _ = write!(buf, "[{idx},NET]\nOPTIONS sip:10.20.30.{ip}:5060 SIP/2.0\nVia: SIP/2.0/TCP 10.20.30.{ip}:5060;branch=z9hG4bK{idx:x}\nFrom: <sip:10.20.30.{ip}>;tag={idx}\nTo: <sip:10.106.104.220>\nCall-ID: {idx:08x}@10.20.30.{ip}\nCSeq: 101 OPTIONS\nContent-Length: 0\n");
                9
            }
            480..=484 => {
                buf.push_str(" \n");
                1
            }
            _ => {
                let n = self.rng.below(100_000);
                let ms = self.rng.below(80);
                let body = match self.rng.below(6) {
                    0 => format!("DbMon - processChangeNotify: table=device action=update rows=1 cdrid={n}"),
                    1 => format!("HTTPServer::processRequest GET /uds/users?name=user{n} status=200 bytes={}", n % 4096),
                    2 => format!("CMDbAccess::query executed in {ms} ms rows={}", n % 17),
                    3 => format!("UDSLookup - directory URI lookup user{n}@example.com result=found"),
                    4 => format!("LdapSync - agreement 2 sync cycle complete entries={n}"),
                    _ => format!("TimerMgr - timer {n} expired after {ms} ms, restarting"),
                };
                let _ = writeln!(buf, "{head}AppInfo  |{body}");
                1
            }
        }
    }
}

/// Time of day `HH:MM:SS.mmm` and date `YYYY/MM/DD` of local ms since 1970.
fn civil(ms: i64) -> (String, String) {
    let days = ms.div_euclid(DAY_MS);
    let tod = ms.rem_euclid(DAY_MS);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            tod / 3_600_000,
            tod / 60_000 % 60,
            tod / 1000 % 60,
            tod % 1000
        ),
        format!("{y:04}/{m:02}/{d:02}"),
    )
}

/// Writes one side's files: FileHead, records, rollover, gzip.
struct SideWriter<'a> {
    side: Side,
    opts: &'a GenOptions,
    out: &'a mut dyn Out,
    file_no: u32,
    /// Uncompressed bytes in the current file.
    in_file: u64,
    total: u64,
    seq: u64,
    buf: String,
    gz: Option<flate2::write::GzEncoder<Vec<u8>>>,
    open: bool,
    pub files: Vec<(String, u64)>,
    last_ms: i64,
}

impl<'a> SideWriter<'a> {
    fn host(&self) -> (&'static str, &'static str) {
        match self.side {
            Side::Hub => (HUB_HOST, HUB_IP),
            Side::Spoke => (SPOKE_HOST, SPOKE_IP),
        }
    }

    fn current_file(&self) -> String {
        let (host, _) = self.host();
        let ext = if self.opts.gzip { ".txt.gz" } else { ".txt" };
        format!("{host}/SDL001_600_{:06}{ext}", self.file_no)
    }

    fn open_file(&mut self, ms: i64) {
        self.file_no += 1;
        self.in_file = 0;
        let path = self.current_file();
        self.out.begin(&path);
        self.files.push((path, 0));
        self.open = true;
        if self.opts.gzip {
            self.gz = Some(flate2::write::GzEncoder::new(
                Vec::new(),
                flate2::Compression::new(6),
            ));
        }
        let (host, ip) = self.host();
        let (tod, date) = civil(ms);
        let (_, start_date) = civil(START_MS);
        let line = format!(
            "{:08}.000 |{tod} |FileHead |UTC:+09:00,Date: {date}, AppName: Cisco Intercluster Lookup Service, AppId: 600, AppNodeId: 1, AppVersion: CUCM Install=14.0.1.12900-161 Build=14.0.1.12900-161 (0) memlog=20, HostName: {host}, HostIPAddress: {ip}, AppStartTime: {start_date} 06:12:40, FileNumber: {}, TraceVer: 3.0\n",
            self.seq, self.file_no
        );
        self.seq += 1;
        self.emit(line.as_bytes());
    }

    fn emit(&mut self, bytes: &[u8]) {
        self.in_file += bytes.len() as u64;
        self.total += bytes.len() as u64;
        if let Some(f) = self.files.last_mut() {
            f.1 += bytes.len() as u64;
        }
        match &mut self.gz {
            Some(gz) => {
                gz.write_all(bytes).expect("gzip");
                if gz.get_ref().len() >= 1 << 20 {
                    let data = std::mem::take(gz.get_mut());
                    self.out.write(&data);
                }
            }
            None => self.out.write(bytes),
        }
    }

    fn close_file(&mut self) {
        if !self.open {
            return;
        }
        if let Some(gz) = self.gz.take() {
            let data = gz.finish().expect("gzip");
            self.out.write(&data);
        }
        self.out.end();
        self.open = false;
    }

    /// Start a new file when the current one is full, or at midnight (CUCM starts a new file at
    /// the date change).
    fn maybe_roll(&mut self, ms: i64) {
        let new_day = self.open && ms.div_euclid(DAY_MS) != self.last_ms.div_euclid(DAY_MS);
        if !self.open || self.in_file >= self.opts.file_size || new_day {
            self.close_file();
            self.open_file(ms);
        }
    }

    fn head(&mut self, ms: i64, sub: u32) -> String {
        let (tod, _) = civil(ms);
        let s = format!("{:08}.{sub:03} |{tod} |", self.seq);
        if sub == 0 {
            self.seq += 1;
        }
        s
    }

    fn noise(&mut self, noise: &mut Noise, ms: i64) {
        self.maybe_roll(ms);
        self.last_ms = ms;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let head = self.head(ms, 0);
        noise.record(&mut buf, &head);
        self.emit(buf.as_bytes());
        self.buf = buf;
    }

    fn planted(&mut self, ms: i64, recs: &[Rec], noise: &mut Noise) -> Option<String> {
        if recs.is_empty() {
            return None;
        }
        self.maybe_roll(ms);
        let file = self.current_file();
        for (i, r) in recs.iter().enumerate() {
            let t = ms + r.dt;
            self.last_ms = t;
            let head = self.head(t, i as u32 + 1);
            let line = format!("{head}{:<8} |{}\n", r.ty, r.body);
            self.emit(line.as_bytes());
            // Other components keep writing in between.
            for _ in 0..noise.rng.below(3) {
                let mut buf = String::new();
                let head = self.head(t, 0);
                noise.record(&mut buf, &head);
                self.emit(buf.as_bytes());
            }
        }
        Some(file)
    }
}

/// The planted attempts' schedule: kinds cycle through every kind in a seeded order.
pub fn schedule(opts: &GenOptions) -> Vec<Planted> {
    let mut rng = Rng::new(opts.seed);
    let n = opts.attempt_count();
    let mut order = KINDS;
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let base_port = 32_768 + rng.below(20_000) as u32;
    (0..n)
        .map(|i| Planted {
            id: i,
            kind: order[i % order.len()],
            // A port is used again only 28,000 attempts later: never inside a pairing window.
            ephemeral_port: (32_768 + (base_port + i as u32 * 7_919) % 28_000) as u16,
            hub_ms: START_MS + (i as i64 + 1) * GAP_MS + rng.below(5_000) as i64,
            hub_file: None,
            spoke_file: None,
        })
        .collect()
}

/// Generate the corpus into `out`; returns the planted attempts and the files written per side.
pub fn generate(opts: &GenOptions, out: &mut dyn Out) -> (Vec<Planted>, Vec<(String, u64)>) {
    let mut planted = schedule(opts);
    let mut all_files = Vec::new();
    for side in [Side::Hub, Side::Spoke] {
        let mut noise = Noise {
            rng: Rng::new(opts.seed.wrapping_mul(31).wrapping_add(side as u64 + 7)),
        };
        let clock = |hub_ms: i64| match side {
            Side::Hub => hub_ms,
            Side::Spoke => hub_ms + opts.offset_ms,
        };
        let mut w = SideWriter {
            side,
            opts,
            out: &mut *out,
            file_no: 0,
            in_file: 0,
            total: 0,
            seq: 1_000 + noise.rng.below(50_000),
            buf: String::new(),
            gz: None,
            open: false,
            files: Vec::new(),
            last_ms: clock(START_MS),
        };
        let segments = planted.len() as u64 + 1;
        let budget = opts.size_per_side / segments;
        let mut t = clock(START_MS);
        for seg in 0..segments as usize {
            let goal = budget * (seg as u64 + 1);
            let end = planted
                .get(seg)
                .map_or(t + GAP_MS, |p| clock(p.hub_ms) - 1_000);
            // ~170 bytes per noise record: spread them over the time to the next attempt.
            let expect = ((goal.saturating_sub(w.total)) / 170).max(1) as i64;
            let step = ((end - t) / expect).max(0);
            while w.total < goal {
                if step > 0 {
                    t = (t + noise.rng.below(2 * step as u64 + 1) as i64).min(end);
                }
                w.noise(&mut noise, t);
            }
            if let Some(p) = planted.get_mut(seg) {
                let inst = (p.id % 900) as u32 + 1;
                let recs = attempt_records(p.kind, side, p.ephemeral_port, inst);
                let at = clock(p.hub_ms);
                let f = w.planted(at, &recs, &mut noise);
                match side {
                    Side::Hub => p.hub_file = f,
                    Side::Spoke => p.spoke_file = f,
                }
                t = at + 20;
            }
        }
        w.close_file();
        all_files.extend(w.files);
    }
    (planted, all_files)
}

/// The manifest (JSON) of a generated corpus: options, files, planted attempts, expected results.
pub fn manifest(opts: &GenOptions, planted: &[Planted], files: &[(String, u64)]) -> String {
    use serde_json::{json, Map, Value};
    let mut conns: Map<String, Value> = Map::new();
    let mut rules: Map<String, Value> = Map::new();
    for p in planted {
        let (rule, outcome, method, _, _) = p.kind.expected();
        let key = key_of(outcome, method);
        let n = conns.get(&key).and_then(Value::as_u64).unwrap_or(0);
        conns.insert(key, json!(n + 1));
        let n = rules.get(rule).and_then(Value::as_u64).unwrap_or(0);
        rules.insert(rule.to_string(), json!(n + 1));
    }
    if opts.offset_ms.abs() > 2_000 {
        rules.insert("ils.clock-skew".into(), json!(1));
    }
    let attempts: Vec<Value> = planted
        .iter()
        .map(|p| {
            let (rule, outcome, method, hub, spoke) = p.kind.expected();
            let (hub_tod, hub_date) = civil(p.hub_ms);
            json!({
                "id": p.id,
                "kind": p.kind.name(),
                "rule": rule,
                "outcome": outcome,
                "method": method,
                "sides": match (hub, spoke) { (true, true) => "both", (true, false) => "hub", _ => "spoke" },
                "ephemeral_port": p.ephemeral_port,
                "hub_time": format!("{hub_date} {hub_tod}"),
                "hub_file": p.hub_file,
                "spoke_file": p.spoke_file,
            })
        })
        .collect();
    let v = json!({
        "generator": "cargo xtask gen",
        "seed": opts.seed,
        "size_per_side": opts.size_per_side,
        "file_size": opts.file_size,
        "gzip": opts.gzip,
        "zip": opts.zip,
        "offset_ms": opts.offset_ms,
        "hub": { "host": HUB_HOST, "ip": HUB_IP },
        "spoke": { "host": SPOKE_HOST, "ip": SPOKE_IP },
        "files": files.iter().map(|(p, b)| json!({"path": p, "text_bytes": b})).collect::<Vec<_>>(),
        "expected": {
            "connections": conns,
            "rules": rules,
            "clock_offset_ms": opts.offset_ms,
        },
        "attempts": attempts,
    });
    serde_json::to_string_pretty(&v).expect("json")
}

fn key_of(outcome: &str, method: Option<&str>) -> String {
    match method {
        Some(m) => format!("{outcome}/{m}"),
        None => outcome.to_string(),
    }
}

/// Parse `100MB`, `1.5GB`, `512KB`, `1000` (bytes). Units are powers of 1024.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB").or_else(|| t.strip_suffix('G')) {
        (n, 1u64 << 30)
    } else if let Some(n) = t.strip_suffix("MB").or_else(|| t.strip_suffix('M')) {
        (n, 1 << 20)
    } else if let Some(n) = t.strip_suffix("KB").or_else(|| t.strip_suffix('K')) {
        (n, 1 << 10)
    } else {
        (t.strip_suffix('B').unwrap_or(&t), 1)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("bad size `{s}` (e.g. 100MB, 1GB)"))?;
    Ok((v * mult as f64) as u64)
}

/// Write a corpus below `dir` (loose files, or `dir/rtmt-collection.zip`) and `dir/manifest.json`.
pub fn write_corpus(opts: &GenOptions, dir: &std::path::Path) -> Result<Vec<Planted>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("create {dir:?}: {e}"))?;
    let (planted, files) = if opts.zip {
        let path = dir.join("rtmt-collection.zip");
        let f = std::fs::File::create(&path).map_err(|e| format!("create {path:?}: {e}"))?;
        let mut z = ZipOut::new(std::io::BufWriter::new(f));
        let r = generate(opts, &mut z);
        z.finish().flush().map_err(|e| e.to_string())?;
        r
    } else {
        let mut d = DirOut::new(dir);
        generate(opts, &mut d)
    };
    let m = manifest(opts, &planted, &files);
    std::fs::write(dir.join("manifest.json"), m).map_err(|e| e.to_string())?;
    Ok(planted)
}

/// `cargo xtask gen --size 100MB --out DIR [--gzip] [--zip] [--file-size 10MB] [--offset-ms N] [--seed N] [--attempts N]`
pub fn main(args: &[String]) -> Result<(), String> {
    let mut o = GenOptions::default();
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--size" => o.size_per_side = parse_size(&v()?)?,
            "--file-size" => o.file_size = parse_size(&v()?)?.max(4096),
            "--offset-ms" => o.offset_ms = v()?.parse().map_err(|e| format!("--offset-ms: {e}"))?,
            "--seed" => o.seed = v()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--attempts" => {
                o.attempts = Some(v()?.parse().map_err(|e| format!("--attempts: {e}"))?)
            }
            "--out" => out = Some(std::path::PathBuf::from(v()?)),
            "--gzip" => o.gzip = true,
            "--zip" => o.zip = true,
            other => return Err(format!("gen: unknown option `{other}`\n{GEN_HELP}")),
        }
    }
    let out = out.ok_or(format!("gen: --out DIR is required\n{GEN_HELP}"))?;
    let planted = write_corpus(&o, &out)?;
    eprintln!(
        "gen: {} per side, {} attempts planted, offset {} ms -> {}",
        o.size_per_side,
        planted.len(),
        o.offset_ms,
        out.display()
    );
    Ok(())
}

pub const GEN_HELP: &str = "usage: cargo xtask gen --size 100MB --out DIR [--gzip] [--zip] [--file-size 10MB] [--offset-ms N] [--seed N] [--attempts N]
  --size       bytes of trace per side (hub and spoke each get this much)
  --file-size  roll over to a new file past this size (default 10MB)
  --offset-ms  spoke clock minus hub clock (default 0)
  --attempts   ILS attempts planted (default one per 256KB per side)
  --gzip       write .txt.gz files;  --zip  put everything in DIR/rtmt-collection.zip
  Writes DIR/<host>/SDL001_600_NNNNNN.txt[.gz] and DIR/manifest.json (the planted attempts).";

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::{Engine, Limits, RawInput};
    use std::collections::BTreeMap;

    fn count<I: IntoIterator<Item = String>>(it: I) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for k in it {
            *m.entry(k).or_insert(0) += 1;
        }
        m
    }

    /// Analyse a generated corpus and check it against what was planted.
    fn check(opts: &GenOptions, files: Vec<(String, Vec<u8>)>, planted: &[Planted]) {
        let mut engine = Engine::new(Limits::default());
        for (name, bytes) in files {
            engine.add_whole(RawInput::new(&name, bytes));
        }
        let a = engine.finish();
        let expected_conns = count(planted.iter().map(|p| {
            let (_, outcome, method, _, _) = p.kind.expected();
            key_of(outcome, method)
        }));
        let got_conns = count(
            a.connections
                .iter()
                .map(|c| key_of(&c.outcome, c.method.as_deref())),
        );
        assert_eq!(got_conns, expected_conns, "connections per outcome/method");
        let mut expected_rules = count(planted.iter().map(|p| p.kind.expected().0.to_string()));
        if opts.offset_ms.abs() > 2_000 {
            expected_rules.insert("ils.clock-skew".into(), 1);
        }
        let got_rules = count(a.findings.iter().map(|f| f.rule.clone()));
        assert_eq!(got_rules, expected_rules, "rule ids and counts");
        // Two-sided attempts are joined by their ephemeral port.
        let mut by_port: Vec<u16> = a
            .connections
            .iter()
            .filter(|c| c.hub_input.is_some() && c.spoke_input.is_some())
            .map(|c| {
                assert_eq!(c.paired_by, "ephemeral-port", "{c:?}");
                let port = c.client.as_deref().and_then(|e| e.rsplit(':').next());
                port.and_then(|p| p.parse().ok()).expect("client port")
            })
            .collect();
        let mut planted_ports: Vec<u16> = planted
            .iter()
            .filter(|p| {
                let (_, _, _, hub, spoke) = p.kind.expected();
                hub && spoke
            })
            .map(|p| p.ephemeral_port)
            .collect();
        by_port.sort_unstable();
        planted_ports.sort_unstable();
        assert_eq!(by_port, planted_ports, "pairs by ephemeral port");
        assert_eq!(a.clock_offset_ms, Some(opts.offset_ms), "clock offset");
        // Every line is accounted for, nothing is not understood.
        for i in &a.inputs {
            assert_eq!(i.counts.not_understood, 0, "{}: {:?}", i.name, i.counts);
            assert_eq!(
                i.counts.lines,
                i.counts.recognised + i.counts.continuation + i.counts.blank,
                "{}",
                i.name
            );
        }
    }

    #[test]
    fn the_engine_finds_exactly_the_planted_attempts() {
        let opts = GenOptions {
            size_per_side: 400 << 10,
            file_size: 96 << 10,
            offset_ms: 3_500,
            seed: 7,
            attempts: Some(30),
            ..GenOptions::default()
        };
        let mut out = MemOut::default();
        let (planted, files) = generate(&opts, &mut out);
        assert_eq!(planted.len(), 30);
        assert!(files.len() >= 8, "rolled over: {}", files.len());
        for k in KINDS {
            assert!(planted.iter().any(|p| p.kind == k), "{k:?} planted");
        }
        // Every file starts with a FileHead.
        for (name, bytes) in &out.files {
            let first = bytes.split(|b| *b == b'\n').next().unwrap();
            assert!(
                String::from_utf8_lossy(first).contains("|FileHead |"),
                "{name}"
            );
        }
        check(&opts, out.files, &planted);
    }

    #[test]
    fn gzipped_files_in_an_rtmt_zip_give_the_same_attempts() {
        let opts = GenOptions {
            size_per_side: 200 << 10,
            file_size: 64 << 10,
            offset_ms: -250,
            seed: 3,
            attempts: Some(14),
            gzip: true,
            zip: true,
        };
        let mut z = ZipOut::new(std::io::Cursor::new(Vec::new()));
        let (planted, _) = generate(&opts, &mut z);
        let bytes = z.finish().into_inner();
        check(&opts, vec![("rtmt-collection.zip".into(), bytes)], &planted);
    }

    #[test]
    fn generation_is_deterministic_and_sized() {
        let opts = GenOptions {
            size_per_side: 300 << 10,
            file_size: 1 << 20,
            attempts: Some(5),
            ..GenOptions::default()
        };
        let (mut a, mut b) = (MemOut::default(), MemOut::default());
        generate(&opts, &mut a);
        generate(&opts, &mut b);
        assert_eq!(a.files, b.files);
        let hub: usize = a
            .files
            .iter()
            .filter(|f| f.0.starts_with(HUB_HOST))
            .map(|f| f.1.len())
            .sum();
        assert!((300 << 10..(300 << 10) + 4096).contains(&hub), "{hub}");
        assert_eq!(parse_size("100MB").unwrap(), 100 << 20);
        assert_eq!(parse_size("1.5G").unwrap(), 3 << 29);
    }
}
