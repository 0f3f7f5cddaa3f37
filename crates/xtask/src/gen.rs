//! `cargo xtask gen`: a deterministic corpus of CUCM ILS SDL traces, hub and spoke, for benchmarks
//! and for the test that checks the engine finds exactly the attempts planted.
//!
//! Each side is a run of rolled-over SDL files (a `FileHead` first in every file) filled with
//! noise in which ILS connection attempts of every kind from the seed are planted at known times,
//! with matching ephemeral ports on both sides and the chosen clock offset (`spoke clock - hub
//! clock`). The manifest lists every planted attempt and what Loupe must say.
//!
//! Two shapes of noise ([`Profile`]):
//!
//! * `ils-dense` (the default): what `activelog /cm/trace/ils/sdl/` holds at trace level Detailed
//!   (shared/domain/ils.md §2.2a): nearly every line names `Ils(1,600,20,1)` or starts `IlsD`:
//!   timers from `SdlTimerService`, data signals to and from the processes of long-lived open
//!   connections (`SdlTCPConnection(1,600,13,n)`, `SdlSSLTCPConnection(1,600,17,n)`), `IlsD` lines
//!   of USN sync, heartbeats and peer sync, `SdlStat` every 6 s, multi-line dumps. The planted
//!   attempts' lines are interleaved with other connections' signals and with timers.
//! * `ccm-mix`: noise from many CUCM components (`SdlSig`, `AppInfo`, `SdlStat`, `LnkState`,
//!   multi-line SIP messages, blank lines), few of its records ILS's: the generator's first shape.

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
    /// The shape of the noise.
    pub profile: Profile,
    /// Kinds planted, in this order (cycled); `None`: every kind, in a seeded order.
    pub kinds: Option<Vec<AttemptKind>>,
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
            profile: Profile::IlsDense,
            kinds: None,
        }
    }
}

/// The shape of the noise between the planted attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The ILS process's own trace at level Detailed: nearly every line is ILS's.
    IlsDense,
    /// Many CUCM components, few lines of them ILS's.
    CcmMix,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::IlsDense, Profile::CcmMix];

    pub fn name(self) -> &'static str {
        match self {
            Profile::IlsDense => "ils-dense",
            Profile::CcmMix => "ccm-mix",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or(format!("unknown profile `{s}` (ils-dense, ccm-mix)"))
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
    pub fn parse(s: &str) -> Result<Self, String> {
        KINDS
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or(format!("unknown attempt kind `{s}`"))
    }

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

/// Noise: what fills the files between the planted attempts, none of it an ILS connection event.
struct Noise {
    rng: Rng,
    profile: Profile,
    /// `ils-dense`: this side's long-lived open connections (instances 1..=n, below every planted
    /// attempt's instance).
    conns: Vec<OpenConn>,
    /// `ils-dense`: the local USN, the next `SdlStat` time and the lines since the last one.
    usn: u64,
    next_stat_ms: i64,
    lines_since_stat: u64,
    bytes_since_stat: u64,
    /// `ils-dense`: the kind of the next record, instead of a random one.
    force: Option<u64>,
}

/// `ils-dense`: [`Noise::force`] for a message on an open connection.
const DATA_SIGNAL: u64 = 330;

impl Noise {
    fn new(profile: Profile, side: Side, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        // ccm-mix draws nothing here: its output stays what it was before the profiles.
        let (conns, usn) = if profile == Profile::IlsDense {
            (open_conns(side, &mut rng), 100_000 + rng.below(900_000))
        } else {
            (Vec::new(), 0)
        };
        Noise {
            rng,
            profile,
            conns,
            usn,
            next_stat_ms: 0,
            lines_since_stat: 0,
            bytes_since_stat: 0,
            force: None,
        }
    }

    /// Append one noise record (maybe several lines: sub-records, continuation lines) with its
    /// first line's seq and time.
    fn record(&mut self, buf: &mut String, seq: u64, ms: i64) {
        let start = buf.len();
        match self.profile {
            Profile::CcmMix => {
                let (tod, _) = civil(ms);
                let head = format!("{seq:08}.000 |{tod} |");
                self.ccm_record(buf, &head);
            }
            Profile::IlsDense => self.dense_record(buf, seq, ms),
        }
        self.lines_since_stat += buf[start..].matches('\n').count() as u64;
        self.bytes_since_stat += (buf.len() - start) as u64;
    }
}

/// One long-lived ILS connection of the `ils-dense` noise: its process, its peer cluster, ports.
struct OpenConn {
    /// `SdlSSLTCPConnection` (type 17, port 7501) or `SdlTCPConnection` (type 13, port 7502).
    tls: bool,
    inst: u32,
    peer_ip: String,
    peer_port: u16,
    local_port: u16,
    peer_id: String,
    fqdn: String,
    role: &'static str,
    /// Messages sent and received on it: the correlation counter of its signals.
    count: u64,
}

impl OpenConn {
    fn process(&self) -> String {
        if self.tls {
            format!("SdlSSLTCPConnection(1,600,17,{})", self.inst)
        } else {
            format!("SdlTCPConnection(1,600,13,{})", self.inst)
        }
    }
    fn pid(&self) -> String {
        format!(
            "[1, 600, {}, {}]",
            if self.tls { 17 } else { 13 },
            self.inst
        )
    }
}

/// Instances below this belong to the `ils-dense` open connections; planted attempts use the
/// ones above (a connection process gets the next instance number when it is created, so the
/// connections open since the service started have the low ones) [H].
const OPEN_INSTANCES: u32 = 8;

/// The open connections of one side [H: the topology is the notes' (§3: hubs in a full mesh, up
/// to 20 spokes per hub); the addresses, ports and PeerIds are invented]. The hub serves other
/// spokes (local port 7501/7502, remote ephemeral) and is a client of two other hubs; the joining
/// cluster (the "spoke" of the seed) holds client connections to hubs of its own mesh.
fn open_conns(side: Side, rng: &mut Rng) -> Vec<OpenConn> {
    let n = match side {
        Side::Hub => 6,
        Side::Spoke => 3,
    };
    (0..n)
        .map(|i| {
            let server = side == Side::Hub && i < 4;
            let tls = i % 3 != 2;
            let ilsport = if tls { 7501 } else { 7502 };
            let eph = 32_768 + rng.below(28_000) as u16;
            let site = rng.below(90) + 10;
            OpenConn {
                tls,
                inst: i + 1,
                peer_ip: format!("10.106.{}.{}", 105 + i, site + 100),
                peer_port: if server { eph } else { ilsport },
                local_port: if server { ilsport } else { eph },
                peer_id: format!("{:016x}{:016x}", rng.next(), rng.next()),
                fqdn: format!("cucm{site}.site{i}.ucce.com"),
                role: if server { "Spoke" } else { "Hub" },
                count: rng.below(5_000),
            }
        })
        .collect()
}

/// SDL signal names of the `ils-dense` noise. Verbatim: `DbObjectCacheTimer` (a CallManager
/// timer, ils.md §2.2a), `SdlDataInd` (in the seed's `wait_SdlDataInd`); the rest are
/// hypotheses in the same style.
const DENSE_TIMERS: &[&str] = &[
    "IlsHeartbeatTimer",
    "IlsUsnSyncTimer",
    "IlsPeerSyncTimer",
    "DbObjectCacheTimer",
    "IlsRetryConnectTimer",
    "IlsReplicationCheckTimer",
];
/// ILS message types carried by data signals [H].
const DENSE_MESSAGES: &[&str] = &[
    "HeartbeatReq",
    "HeartbeatRsp",
    "UsnSyncReq",
    "UsnSyncRsp",
    "PeerInfoVectorUpdate",
    "DirectoryUriUpdate",
    "RouteStringUpdate",
    "GdprCatalogSync",
];
/// The flags trailer of SdlSig records (verbatim from CUCM SDL traces, ils.md §2.2).
const FLAGS: &str = "[R:N-H:0,N:1,L:0,V:0,Z:0,D:0]";
/// The ILS process, verbatim from the seed.
const ILS: &str = "Ils(1,600,20,1)";

/// `ccm-mix`: the components, signals and states of its SdlSig records.
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
    /// `ccm-mix`: one record of many CUCM components; returns its line count.
    fn ccm_record(&mut self, buf: &mut String, head: &str) -> u32 {
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

impl Noise {
    /// `ils-dense`: one record of the ILS process's own routine traffic. Every line names
    /// `Ils(1,600,20,1)` or starts `IlsD`, except `SdlStat`, the continuation lines of the dumps
    /// and the odd blank line. What is verbatim: the record grammar, the SdlSig column widths and
    /// trailers, `Ils(1,600,20,1)`, the connection process names and types (13: 7502, 17: 7501),
    /// the `SdlStat` body, the PID spelling `TCPPid([1, 600, 17, n])`, state `wait` of `Ils` (seed,
    /// ils.md §2.1–2.3). What is a hypothesis (ils.md §2.2a, no public ILS trace shows it): the
    /// timer and message names, `SdlTimerService(1,600,3,1)` (by analogy with CallManager's
    /// `SdlTimerService(1,100,3,1)`), `DbMon(1,600,30,1)`, the IlsD texts of the periodic work,
    /// the connection status lines and the peer info vector dump.
    fn dense_record(&mut self, buf: &mut String, seq: u64, ms: i64) {
        let (tod, _) = civil(ms);
        let line = |buf: &mut String, sub: u32, ty: &str, body: &str| {
            let _ = writeln!(buf, "{seq:08}.{sub:03} |{tod} |{ty:<8} |{body}");
        };
        let sig = |name: &str, state: &str, dst: &str, src: &str, corr: &str, trailer: &str| {
            format!("{name:<39}|{state:<31}|{dst:<32}|{src:<32}|{corr:<40}|{trailer}")
        };
        // Statistics every 6 s, as in CallManager's SDL files (ils.md §2.2a).
        if ms >= self.next_stat_ms {
            let first = self.next_stat_ms == 0;
            self.next_stat_ms = ms + 6_000;
            if !first {
                let (n, b) = (self.lines_since_stat, self.bytes_since_stat);
                let lwm = 9_990 - self.rng.below(40);
                line(buf, 0, "SdlStat", &format!("Period: 6s #Lines: {n} #Bytes: {b} Total Number of Buffers: 10000 Free LWM: {lwm} Free LWM(total): {}", lwm - 27));
                self.lines_since_stat = 0;
                self.bytes_since_stat = 0;
                return;
            }
        }
        let n_conns = self.conns.len() as u64;
        let r = match self.force.take() {
            Some(r) => r,
            None => self.rng.below(1000),
        };
        match r {
            // A timer fires; its handler writes what it did.
            0..=329 => {
                let name = DENSE_TIMERS[self.rng.below(DENSE_TIMERS.len() as u64) as usize];
                let corr = format!("1,600,3,1.{}^*^*", self.rng.below(1_000_000));
                let trailer = if self.rng.below(4) == 0 {
                    "*TraceFlagOverrode"
                } else {
                    FLAGS
                };
                line(
                    buf,
                    0,
                    "SdlSig",
                    &sig(
                        name,
                        "wait",
                        ILS,
                        "SdlTimerService(1,600,3,1)",
                        &corr,
                        trailer,
                    ),
                );
                let k = self.rng.below(4);
                match name {
                    "IlsHeartbeatTimer" => line(buf, 1, "AppInfo", &format!("IlsD Ils::wait_IlsHeartbeatTimer(): sending HeartbeatReq to {n_conns} connected peers")),
                    "IlsUsnSyncTimer" => {
                        self.usn += k;
                        line(buf, 1, "AppInfo", &format!("IlsD Ils::wait_IlsUsnSyncTimer(): local USN {}, {k} changes since the last sync", self.usn));
                        line(buf, 2, "AppInfo", &format!("IlsD Ils::UsnSync(): {} of {n_conns} peers in sync", n_conns - k.min(n_conns)));
                    }
                    "IlsPeerSyncTimer" => line(buf, 1, "AppInfo", &format!("IlsD Ils::wait_IlsPeerSyncTimer(): peer info vector unchanged ({} entries)", n_conns + 1)),
                    "IlsRetryConnectTimer" => line(buf, 1, "AppInfo", "IlsD Ils::wait_IlsRetryConnectTimer(): no connection to retry"),
                    "IlsReplicationCheckTimer" => line(buf, 1, "AppInfo", "IlsD IlsDb::checkReplication(): replication state 2, learned data writes enabled"),
                    _ => {}
                }
            }
            // A message on one of the open connections, in or out.
            330..=679 => {
                let i = self.rng.below(n_conns) as usize;
                let msg = DENSE_MESSAGES[self.rng.below(DENSE_MESSAGES.len() as u64) as usize];
                let len = 120 + self.rng.below(3_000);
                let inbound = self.rng.below(2) == 0;
                let remote = self.rng.below(1_000_000);
                let c = &mut self.conns[i];
                c.count += 1;
                let (proc_, pid, ty) = (c.process(), c.pid(), if c.tls { 17 } else { 13 });
                if inbound {
                    let corr = format!("1,600,{ty},{}.{}^{}^*", c.inst, c.count, c.peer_ip);
                    line(
                        buf,
                        0,
                        "SdlSig",
                        &sig("SdlDataInd", "wait", ILS, &proc_, &corr, FLAGS),
                    );
                    line(buf, 1, "AppInfo", &format!("IlsD Ils::wait_SdlDataInd(): {msg} from PeerId({}), TCPPid({pid}), {len} bytes", c.peer_id));
                    if msg == "UsnSyncRsp" {
                        line(buf, 2, "AppInfo", &format!("IlsD Ils::processUsnSyncRsp(): remote USN {remote}, {} records applied", len / 400));
                    }
                } else {
                    let corr = format!("1,600,20,1.{}^{}^*", c.count, c.peer_ip);
                    line(
                        buf,
                        0,
                        "SdlSig",
                        &sig("SdlDataReq", "connected", &proc_, ILS, &corr, FLAGS),
                    );
                    line(buf, 1, "AppInfo", &format!("IlsD Ils::sendMessage(): {msg} to PeerId({}), TCPPid({pid}), {len} bytes", c.peer_id));
                }
            }
            // Periodic work that names no connection.
            680..=849 => {
                let k = self.rng.below(5);
                self.usn += k;
                let body = match self.rng.below(6) {
                    0 => format!("IlsD Ils::UsnSync(): local USN {}, highest acknowledged USN {}, {k} changes pending", self.usn, self.usn - k),
                    1 => format!("IlsD Ils::heartbeat(): {n_conns} peers connected, 0 heartbeats missed"),
                    2 => format!("IlsD Ils::peerSync(): peer info vector unchanged, {} clusters known", n_conns + 1),
                    3 => format!("IlsD IlsDb::learnedObjects(): {} learned directory URIs, {} learned patterns, limit 100000", 20_000 + self.usn % 5_000, 300 + k),
                    4 => format!("IlsD Ils::gdprSync(): advertised route string unchanged, {k} imported catalogs"),
                    _ => format!("IlsD Ils::processTimers(): 6 timers active, next in {} ms", self.rng.below(1_000)),
                };
                line(buf, 0, "AppInfo", &body);
            }
            // The database tells ILS about a change.
            850..=899 => {
                self.usn += 1;
                let corr = format!("1,600,30,1.{}^*^*", self.rng.below(1_000_000));
                line(
                    buf,
                    0,
                    "SdlSig",
                    &sig(
                        "DbChangeNotify",
                        "wait",
                        ILS,
                        "DbMon(1,600,30,1)",
                        &corr,
                        FLAGS,
                    ),
                );
                let table = ["directoryuri", "routestring", "remotecluster", "numplan"]
                    [self.rng.below(4) as usize];
                line(buf, 1, "AppInfo", &format!("IlsD Ils::wait_DbChangeNotify(): table={table} action=update rows=1, local USN {}", self.usn));
            }
            // A connection's status: its process, PeerId, addresses and ports (not an attempt).
            900..=979 => {
                let c = &self.conns[self.rng.below(n_conns) as usize];
                line(buf, 0, "AppInfo", &format!(
                    "IlsD Ils::connectionStatus(): TCPPid({}) PeerId({}) FQDN({}) remote {}:{} local port {} TLS({}) up, {} messages",
                    c.pid(), c.peer_id, c.fqdn, c.peer_ip, c.peer_port, c.local_port, if c.tls { "t" } else { "f" }, c.count
                ));
            }
            // The peer info vector dumped over several lines (continuation lines).
            980..=989 => {
                line(
                    buf,
                    0,
                    "AppInfo",
                    &format!("IlsD Ils::dumpPeerInfoVector(): {n_conns} entries"),
                );
                for (i, c) in self.conns.iter().enumerate() {
                    let _ = writeln!(
                        buf,
                        "    [{i}] PeerId({}) ClusterId({}) FQDN({}) Role({}) Version(14.0.1.12900-161) USN({})",
                        c.peer_id,
                        c.fqdn.split('.').next().unwrap_or(""),
                        c.fqdn,
                        c.role,
                        self.usn.saturating_sub(c.count % 7)
                    );
                }
            }
            // A blank line holding one space, as between the seed's records.
            _ => buf.push_str(" \n"),
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
        self.noise_record(noise, ms);
    }

    /// One noise record in the current file.
    fn noise_record(&mut self, noise: &mut Noise, ms: i64) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let seq = self.seq;
        self.seq += 1;
        noise.record(&mut buf, seq, ms);
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
            // Other components (ccm-mix), other connections and timers (ils-dense) keep writing
            // in between.
            let n = match noise.profile {
                Profile::CcmMix => noise.rng.below(3),
                Profile::IlsDense => {
                    // Another connection's message first, then whatever comes.
                    noise.force = Some(DATA_SIGNAL);
                    1 + noise.rng.below(3)
                }
            };
            for _ in 0..n {
                self.noise_record(noise, t);
            }
        }
        Some(file)
    }
}

/// The planted attempts' schedule: kinds cycle through every kind in a seeded order (or through
/// the kinds asked for).
pub fn schedule(opts: &GenOptions) -> Vec<Planted> {
    let mut rng = Rng::new(opts.seed);
    let n = opts.attempt_count();
    let order = match &opts.kinds {
        Some(k) if !k.is_empty() => k.clone(),
        _ => {
            let mut order = KINDS;
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            order.to_vec()
        }
    };
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
        let mut noise = Noise::new(
            opts.profile,
            side,
            opts.seed.wrapping_mul(31).wrapping_add(side as u64 + 7),
        );
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
            // ~170 (ccm-mix) or ~280 (ils-dense) bytes per noise record: spread them over the
            // time to the next attempt.
            let per_record = match opts.profile {
                Profile::CcmMix => 170,
                Profile::IlsDense => 280,
            };
            let expect = ((goal.saturating_sub(w.total)) / per_record).max(1) as i64;
            let step = ((end - t) / expect).max(0);
            while w.total < goal {
                if step > 0 {
                    t = (t + noise.rng.below(2 * step as u64 + 1) as i64).min(end);
                }
                w.noise(&mut noise, t);
            }
            if let Some(p) = planted.get_mut(seg) {
                let inst = match opts.profile {
                    Profile::CcmMix => (p.id % 900) as u32 + 1,
                    Profile::IlsDense => OPEN_INSTANCES + 1 + (p.id % 900) as u32,
                };
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
        "profile": opts.profile.name(),
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

/// `cargo xtask gen --size 100MB --out DIR [--profile ils-dense|ccm-mix] [--gzip] [--zip] [--file-size 10MB] [--offset-ms N] [--seed N] [--attempts N] [--kinds K,K]`
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
            "--profile" => o.profile = Profile::parse(&v()?)?,
            "--kinds" => {
                o.kinds = Some(
                    v()?.split(',')
                        .map(AttemptKind::parse)
                        .collect::<Result<_, _>>()?,
                )
            }
            "--gzip" => o.gzip = true,
            "--zip" => o.zip = true,
            other => return Err(format!("gen: unknown option `{other}`\n{GEN_HELP}")),
        }
    }
    let out = out.ok_or(format!("gen: --out DIR is required\n{GEN_HELP}"))?;
    let planted = write_corpus(&o, &out)?;
    eprintln!(
        "gen: {} profile, {} per side, {} attempts planted, offset {} ms -> {}",
        o.profile.name(),
        o.size_per_side,
        planted.len(),
        o.offset_ms,
        out.display()
    );
    Ok(())
}

pub const GEN_HELP: &str = "usage: cargo xtask gen --size 100MB --out DIR [--profile ils-dense|ccm-mix] [--gzip] [--zip] [--file-size 10MB] [--offset-ms N] [--seed N] [--attempts N] [--kinds K,K]
  --profile    ils-dense (default): the ILS process's own trace at level Detailed, nearly every
               line ILS's (timers, data signals of open connections, IlsD sync lines, SdlStat);
               ccm-mix: noise of many CUCM components, few lines ILS's
  --size       bytes of trace per side (hub and spoke each get this much)
  --file-size  roll over to a new file past this size (default 10MB)
  --offset-ms  spoke clock minus hub clock (default 0)
  --attempts   ILS attempts planted (default one per 256KB per side)
  --kinds      plant these kinds in this order (cycled), e.g. m1-password-mismatch,m1-password-joined
  --gzip       write .txt.gz files;  --zip  put everything in DIR/rtmt-collection.zip
  Writes DIR/<host>/SDL001_600_NNNNNN.txt[.gz] and DIR/manifest.json (the planted attempts).";

#[cfg(test)]
mod tests {
    use super::*;
    use loupe_core::{clock_text, Engine, Limits, RawInput};
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
        // Repeated attempts of one cause from one peer are one finding listing them: count
        // every attempt a finding stands for.
        let got_rules = count(a.findings.iter().flat_map(|f| {
            let n = f.attempts.len().max(1);
            std::iter::repeat_n(f.rule.clone(), n)
        }));
        assert_eq!(got_rules, expected_rules, "rule ids and counts");
        for f in a.findings.iter().filter(|f| !f.attempts.is_empty()) {
            assert!(f.attempts.len() >= 2, "{}", f.rule);
            assert!(
                f.attempts.iter().all(|t| !t.evidence.is_empty()),
                "{}",
                f.rule
            );
            assert_eq!(f.attempts[0].evidence, f.evidence, "{}", f.rule);
        }
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
        // What a reader sees: no timer, statistics line or data signal among the evidence, and
        // few lines per finding.
        let mut sizes = Vec::new();
        for f in a.findings.iter().filter(|f| f.rule.starts_with("ils.")) {
            for e in &f.evidence {
                assert!(
                    !e.text.contains("SdlTimerService")
                        && !e.text.contains("|SdlStat")
                        && !e.text.contains("|SdlData"),
                    "{} cites {}:{}: {}",
                    f.rule,
                    e.input,
                    e.line,
                    e.text
                );
            }
            sizes.push(f.evidence.len());
        }
        sizes.sort_unstable();
        if let Some(median) = sizes.get(sizes.len() / 2) {
            assert!(*median <= 20, "median evidence lines {median}: {sizes:?}");
        }
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
        for profile in Profile::ALL {
            let opts = GenOptions {
                size_per_side: 400 << 10,
                file_size: 96 << 10,
                offset_ms: 3_500,
                seed: 7,
                attempts: Some(30),
                profile,
                ..GenOptions::default()
            };
            let mut out = MemOut::default();
            let (planted, files) = generate(&opts, &mut out);
            assert_eq!(planted.len(), 30);
            assert!(
                files.len() >= 8,
                "{profile:?}: rolled over: {}",
                files.len()
            );
            for k in KINDS {
                assert!(planted.iter().any(|p| p.kind == k), "{k:?} planted");
            }
            // Every file starts with a FileHead; its FileNumber counts the side's files.
            let mut numbers: BTreeMap<&str, u32> = BTreeMap::new();
            for (name, bytes) in &out.files {
                let first = String::from_utf8_lossy(bytes.split(|b| *b == b'\n').next().unwrap());
                assert!(first.contains("|FileHead |"), "{name}");
                let n = numbers.entry(name.split('/').next().unwrap()).or_default();
                *n += 1;
                assert!(
                    first.contains(&format!("FileNumber: {n}, ")),
                    "{name}: {first}"
                );
            }
            check(&opts, out.files, &planted);
        }
    }

    #[test]
    fn gzipped_files_in_an_rtmt_zip_give_the_same_attempts() {
        for profile in Profile::ALL {
            let opts = GenOptions {
                size_per_side: 200 << 10,
                file_size: 64 << 10,
                offset_ms: -250,
                seed: 3,
                attempts: Some(14),
                gzip: true,
                zip: true,
                profile,
                kinds: None,
            };
            let mut z = ZipOut::new(std::io::Cursor::new(Vec::new()));
            let (planted, _) = generate(&opts, &mut z);
            let bytes = z.finish().into_inner();
            check(&opts, vec![("rtmt-collection.zip".into(), bytes)], &planted);
        }
    }

    #[test]
    fn generation_is_deterministic_and_sized() {
        for profile in Profile::ALL {
            let opts = GenOptions {
                size_per_side: 300 << 10,
                file_size: 1 << 20,
                attempts: Some(5),
                profile,
                ..GenOptions::default()
            };
            let (mut a, mut b) = (MemOut::default(), MemOut::default());
            generate(&opts, &mut a);
            generate(&opts, &mut b);
            assert_eq!(a.files, b.files, "{profile:?}");
            let hub: usize = a
                .files
                .iter()
                .filter(|f| f.0.starts_with(HUB_HOST))
                .map(|f| f.1.len())
                .sum();
            assert!(
                (300 << 10..(300 << 10) + 4096).contains(&hub),
                "{profile:?}: {hub}"
            );
        }
        assert_eq!(parse_size("100MB").unwrap(), 100 << 20);
        assert_eq!(parse_size("1.5G").unwrap(), 3 << 29);
        assert_eq!(Profile::parse("ils-dense").unwrap(), Profile::IlsDense);
        assert_eq!(Profile::parse("ccm-mix").unwrap(), Profile::CcmMix);
        assert!(Profile::parse("dense").is_err());
    }

    /// Does a line name the ILS process, or is it an `IlsD` AppInfo line?
    fn is_ils_line(line: &str) -> bool {
        line.contains("Ils(1,600,20,1)")
            || line
                .splitn(4, '|')
                .nth(3)
                .is_some_and(|body| body.starts_with("IlsD "))
    }

    /// The ILS-dense profile is what the ILS process writes at level Detailed: more than 90 % of
    /// its lines name `Ils(1,600,20,1)` or start `IlsD`; other connections' signals and timers
    /// come between a planted attempt's lines; every attempt is in the manifest; a seed gives
    /// the same bytes.
    #[test]
    fn ils_dense_is_ils_lines_with_attempts_interleaved() {
        let opts = GenOptions {
            size_per_side: 1 << 20,
            file_size: 512 << 10,
            seed: 11,
            attempts: Some(12),
            ..GenOptions::default()
        };
        assert_eq!(opts.profile, Profile::IlsDense, "the default profile");
        let (mut out, mut again) = (MemOut::default(), MemOut::default());
        let (planted, files) = generate(&opts, &mut out);
        generate(&opts, &mut again);
        assert_eq!(out.files, again.files, "deterministic for a seed");
        assert_eq!(planted.len(), 12, "one of each kind");
        let (mut lines, mut ils) = (0usize, 0usize);
        for (_, bytes) in &out.files {
            for l in String::from_utf8_lossy(bytes).lines() {
                lines += 1;
                ils += usize::from(is_ils_line(l));
            }
        }
        let share = ils as f64 / lines as f64;
        assert!(share > 0.9, "{ils} of {lines} lines are ILS's ({share:.3})");
        eprintln!("ils-dense: {ils} of {lines} lines are ILS's ({share:.3})");
        // Between the first and the last line of each planted attempt of two lines or more (its
        // lines name its ephemeral port), other connections' signals; timers fire inside some.
        let (mut spans, mut with_timer) = (0, 0);
        for (name, bytes) in &out.files {
            let text = String::from_utf8_lossy(bytes);
            let all: Vec<&str> = text.lines().collect();
            for p in &planted {
                let (a, b) = (
                    format!("Port={}", p.ephemeral_port),
                    format!(":{}", p.ephemeral_port),
                );
                let at: Vec<usize> = (0..all.len())
                    .filter(|&i| all[i].contains(&a) || all[i].contains(&b))
                    .collect();
                let (Some(&first), Some(&last)) = (at.first(), at.last()) else {
                    continue;
                };
                if last == first {
                    continue;
                }
                spans += 1;
                let between = &all[first..last];
                assert!(
                    between
                        .iter()
                        .any(|l| l.contains("SdlTCPConnection(1,600,13,")
                            || l.contains("SdlSSLTCPConnection(1,600,17,")),
                    "{name}: attempt {} has no other connection's signal inside",
                    p.id
                );
                with_timer += usize::from(
                    between
                        .iter()
                        .any(|l| l.contains("SdlTimerService(1,600,3,1)")),
                );
            }
        }
        assert!(
            spans >= 3 && with_timer >= 1,
            "{spans} spans, {with_timer} with a timer"
        );
        let m: serde_json::Value =
            serde_json::from_str(&manifest(&opts, &planted, &files)).unwrap();
        assert_eq!(m["profile"], "ils-dense");
        let attempts = m["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), planted.len());
        for (a, p) in attempts.iter().zip(&planted) {
            let (rule, _, _, hub, spoke) = p.kind.expected();
            assert_eq!(a["rule"], rule);
            assert_eq!(a["ephemeral_port"], p.ephemeral_port);
            assert_eq!(a["hub_file"].is_string(), hub, "{a}");
            assert_eq!(a["spoke_file"].is_string(), spoke, "{a}");
        }
        let total: u64 = m["expected"]["rules"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(total as usize, planted.len());
    }

    /// At the default density (one attempt per 256 KiB per side, 30 s apart, ~30 records a
    /// second between them) the ILS-dense noise never pauses, as in a real trace. Today the
    /// engine chains an attempt's window through the timers and data signals (`Ils(` SdlSig
    /// events) up to the next attempt 30 s later: the unanswered request is merged into the
    /// following attempt and not reported; signals now join only their own connection's attempt.
    #[test]
    fn the_engine_finds_the_planted_attempts_in_dense_noise_at_default_density() {
        let opts = GenOptions {
            size_per_side: 3 << 20,
            file_size: 1 << 20,
            seed: 1,
            ..GenOptions::default()
        };
        let mut out = MemOut::default();
        let (planted, _) = generate(&opts, &mut out);
        check(&opts, out.files, &planted);
    }

    /// A spoke that retries with a wrong password, then joins once the password is fixed: one
    /// finding lists the failed attempts, and the join says after how many.
    #[test]
    fn repeated_failures_from_one_spoke_are_one_finding_and_the_join_counts_them() {
        use AttemptKind::*;
        let opts = GenOptions {
            size_per_side: 256 << 10,
            attempts: Some(5),
            kinds: Some(vec![
                M1PasswordMismatch,
                M1PasswordMismatch,
                M1PasswordMismatch,
                M1PasswordMismatch,
                M1Joined,
            ]),
            ..GenOptions::default()
        };
        let mut out = MemOut::default();
        let (planted, _) = generate(&opts, &mut out);
        let mut engine = Engine::new(Limits::default());
        for (name, bytes) in out.files {
            engine.add_whole(RawInput::new(&name, bytes));
        }
        let a = engine.finish();
        let failed: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.rule == "ils.password-mismatch")
            .collect();
        assert_eq!(failed.len(), 1, "{:#?}", a.findings);
        let f = failed[0];
        assert_eq!(f.attempts.len(), 4);
        let starts: Vec<i64> = f.attempts.iter().map(|t| t.start_ms).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        // Each attempt's own evidence: its decryptData failure with its own port.
        for (t, p) in f.attempts.iter().zip(&planted) {
            assert!(
                t.evidence
                    .iter()
                    .any(|e| e.text.contains("decryptData failed")
                        && e.text.contains(&format!("Port={}", p.ephemeral_port))),
                "{:?} {:?}",
                t.evidence,
                p.ephemeral_port
            );
        }
        assert!(
            f.explanation.what.en.contains("on 4 attempts from 10."),
            "{}",
            f.explanation.what.en
        );
        let joined = a
            .findings
            .iter()
            .find(|f| f.rule == "ils.joined.password")
            .expect("the join");
        let at = clock_text(a.connections[joined.connection.unwrap()].start_ms);
        assert!(
            joined
                .explanation
                .what
                .en
                .contains(&format!("It joined at {at} after 4 failed attempts.")),
            "{}",
            joined.explanation.what.en
        );
        assert!(joined.attempts.is_empty());
    }

    /// `--kinds` plants those kinds, in that order.
    #[test]
    fn kinds_asked_for_are_planted_in_order() {
        let opts = GenOptions {
            size_per_side: 64 << 10,
            attempts: Some(3),
            kinds: Some(vec![AttemptKind::M1PasswordMismatch, AttemptKind::M1Joined]),
            ..GenOptions::default()
        };
        let kinds: Vec<AttemptKind> = schedule(&opts).iter().map(|p| p.kind).collect();
        use AttemptKind::*;
        assert_eq!(kinds, [M1PasswordMismatch, M1Joined, M1PasswordMismatch]);
        assert_eq!(AttemptKind::parse("unanswered").unwrap(), Unanswered);
    }
}
