//! `sse.connector.not-running`: `pmtool status` shows SSEConnector or EventHandler not Running.
//!
//! - What: `SSEConnector (system) - Waiting` / `Disabled` / `User Disabled` / `Down`.
//! - Why: the Cisco Cloud configuration is off on the FMC (the connector only runs when cloud
//!   integration is enabled), or the process crashed.
//! - Example: `SSEConnector (system) - Disabled`.
//! - Fix: enable the cloud integration on the FMC; read connector.log.
//!
//! A Running state is reported as `sse.connector.running` (info): it does not clear the
//! network path (processes stay Running while DNS failures lose events).

use crate::model::*;
use crate::securex::corpus::Corpus;
use crate::securex::explain::*;
use crate::securex_artefacts::signal::Signal;

pub const RULE: &str = "sse.connector.not-running";
pub const RULE_RUNNING: &str = "sse.connector.running";

fn watched(name: &str) -> bool {
    name == "SSEConnector" || name == "EventHandler"
}

pub fn check(c: &Corpus) -> Option<Finding> {
    let down = c.find(
        |s| matches!(s, Signal::Process { name, state } if watched(name) && state != "Running"),
    );
    let first = *down.first()?;
    let (name, state) = match first.signal() {
        Signal::Process { name, state } => (name.clone(), state.clone()),
        _ => (String::new(), String::new()),
    };
    let mut f = finding(
        RULE,
        Severity::Error,
        Some(ChainStep::Connector),
        b(
            format!("{name} is not running ({state})"),
            format!("{name} が動作していません（{state}）"),
        ),
    );
    f.explanation.what = b(
        format!(
            "`pmtool status` shows {name} in state {state} (line {}).",
            first.obs.line
        ),
        format!(
            "`pmtool status` で {name} の状態が {state} になっています（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "The SSE connector only runs while the Cisco cloud integration is enabled on the FMC; Waiting or Disabled usually means the integration is off or the device has not received it yet. A process that keeps going Down is crashing: connector.log says why.",
        "SSE コネクタは FMC でシスコクラウド連携が有効な間だけ動作します。Waiting や Disabled は、通常、連携が無効か、デバイスにまだ設定が展開されていないことを示します。Down を繰り返す場合はプロセスが異常終了しており、その理由は connector.log に記録されます。",
    );
    f.explanation.fix = vec![
        b(
            "On the FMC, enable the cloud integration (Integration > SecureX, or System > Integration > Cloud Services: Enable Cisco Cloud / Send events to the cloud) and deploy to the device.",
            "FMC でクラウド連携を有効にし（Integration > SecureX、または System > Integration > Cloud Services でクラウドへのイベント送信を有効化）、デバイスに展開します。",
        ),
        b("Read `tail -n 50 /ngfw/var/log/connector/connector.log` for the reason it stopped.", "停止の理由を `tail -n 50 /ngfw/var/log/connector/connector.log` で確認します。"),
    ];
    f.explanation.verify = vec![step_pmtool()];
    f.evidence = c.evidence(&down);
    Some(f)
}

pub fn check_running(c: &Corpus) -> Option<Finding> {
    let running = c.find(|s| matches!(s, Signal::Process { name, state } if name == "SSEConnector" && state == "Running"));
    let first = *running.first()?;
    let mut f = finding(
        RULE_RUNNING,
        Severity::Info,
        Some(ChainStep::Connector),
        b("SSEConnector is running", "SSEConnector は動作しています"),
    );
    f.explanation.what = b(
        format!(
            "`pmtool status` shows SSEConnector Running (line {}).",
            first.obs.line
        ),
        format!(
            "`pmtool status` で SSEConnector が Running になっています（{} 行目）。",
            first.obs.line
        ),
    );
    f.explanation.why = b(
        "Running only says the process is up: events can still be lost when DNS or the path to the cloud fails, so check the connectivity tests too.",
        "Running はプロセスが起動していることを示すだけです。DNS やクラウドへの経路に問題があればイベントは失われるため、接続テストも確認してください。",
    );
    f.evidence = c.evidence(&running);
    Some(f)
}
