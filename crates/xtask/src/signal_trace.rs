//! The bench's worst cases for memory: one SDL trace in which every line is a signal of the ILS
//! process (issue 11: "peak RSS at most 0.3x the input on any line mix, including a trace where
//! every line is an ILS signal").
//!
//! * [`Mix::TimersAndData`]: timers and data signals, which the engine only counts by name.
//! * [`Mix::ConnectionSteps`]: every line a step of a connection naming its process
//!   (`SdlConnectReq` to `SdlSSLTCPConnection(1,600,17,n)`, ...), each of which is an event the
//!   engine keeps as evidence, up to `loupe_core::sdl::signal_budget`.
//!
//! Same record grammar and column widths as the `ils-dense` profile; the signal names of the
//! steps are hypotheses in the style of the seed's `wait_SdlConnectErrRsp`.

use std::io::Write;

use crate::gen::Rng;

#[derive(Debug, Clone, Copy)]
pub enum Mix {
    TimersAndData,
    ConnectionSteps,
}

impl Mix {
    pub fn label(self) -> &'static str {
        match self {
            Mix::TimersAndData => "every line an ILS timer or data signal",
            Mix::ConnectionSteps => "every line a connection step of ILS",
        }
    }

    pub fn dir_name(self) -> &'static str {
        match self {
            Mix::TimersAndData => "signals-timers-data",
            Mix::ConnectionSteps => "signals-connection-steps",
        }
    }
}

const STEPS: &[&str] = &[
    "SdlConnectReq",
    "SdlConnectRsp",
    "SdlConnectErrRsp",
    "SdlCloseReq",
    "SdlDisconnectInd",
];
const TIMERS_AND_DATA: &[&str] = &[
    "IlsHeartbeatTimer",
    "IlsUsnSyncTimer",
    "IlsPeerSyncTimer",
    "SdlDataInd",
    "SdlDataReq",
];

/// Write `size` bytes (or a line more) of `mix` to `path`; returns the bytes written.
pub fn write(path: &std::path::Path, size: u64, mix: Mix, seed: u64) -> Result<u64, String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut rng = Rng::new(seed);
    let mut text = String::from(
        "00000001.000 |08:00:00.000 |FileHead |UTC:+09:00,Date: 2024/03/11, AppName: Cisco Intercluster Lookup Service, AppId: 600, AppNodeId: 1, AppVersion: CUCM Install=14.0.1.12900-161 Build=14.0.1.12900-161 (0) memlog=20, HostName: com1150, HostIPAddress: ::ffff:10.106.104.220, AppStartTime: 2024/03/11 06:12:40, FileNumber: 1, TraceVer: 3.0\n",
    );
    let mut written = 0u64;
    let mut ms: u64 = 8 * 3_600_000;
    let mut seq = 2u64;
    while written < size {
        ms += rng.below(4);
        let tod = format!(
            "{:02}:{:02}:{:02}.{:03}",
            ms / 3_600_000 % 24,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        );
        let (name, dst, src) = match mix {
            Mix::ConnectionSteps => {
                let inst = 1 + rng.below(4096);
                let conn = if rng.below(2) == 0 {
                    format!("SdlSSLTCPConnection(1,600,17,{inst})")
                } else {
                    format!("SdlTCPConnection(1,600,13,{inst})")
                };
                let name = STEPS[rng.below(STEPS.len() as u64) as usize];
                (name, conn, "Ils(1,600,20,1)".to_string())
            }
            Mix::TimersAndData => {
                let name = TIMERS_AND_DATA[rng.below(TIMERS_AND_DATA.len() as u64) as usize];
                let src = if name.ends_with("Timer") {
                    "SdlTimerService(1,600,3,1)".to_string()
                } else {
                    format!("SdlSSLTCPConnection(1,600,17,{})", 1 + rng.below(8))
                };
                (name, "Ils(1,600,20,1)".to_string(), src)
            }
        };
        let corr = format!("1,600,20,1.{seq}^10.106.108.133^*");
        let line = format!(
            "{seq:08}.000 |{tod} |SdlSig   |{name:<39}|{:<31}|{dst:<32}|{src:<32}|{corr:<40}|[R:N-H:0,N:1,L:0,V:0,Z:0,D:0]\n",
            "wait"
        );
        text.push_str(&line);
        seq += 1;
        if text.len() >= 1 << 20 {
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            written += text.len() as u64;
            text.clear();
        }
    }
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    written += text.len() as u64;
    out.flush().map_err(|e| e.to_string())?;
    Ok(written)
}
