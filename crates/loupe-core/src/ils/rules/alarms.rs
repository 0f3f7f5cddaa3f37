//! ILS alarms outside a trace (CUCM syslog, RTMT alert e-mail and Alert Central, Syslog
//! Viewer copies; [`crate::ils_alarms`]): `ils.password-mismatch` for ILSPwdAuthenticationFailed,
//! `ils.tls.handshake-failed` for ILSTLSAuthenticationFailed, `ils.connect.unanswered` for
//! ILSHubClusterUnreachable.
//!
//! **What**: the alarm says which check failed, not which step: the traces say that.
//! **Why**: see the rule of each id; the alarm texts are Cisco's (shared/domain/ils.md §5).
//! **Example**: `%UC_CALLMANAGER-3-ILSPwdAuthenticationFailed: %[IPAddress=10.106.104.201]...`.
//! **Fix**: as for the trace rules; load the traces of both publishers to see the step.
//!
//! When a trace finding explains the same failure (its rule is one of the alarm's, and the alarm
//! names no peer or the connection's client or server address), the alarm line joins that
//! finding's evidence instead of making a finding of its own: a TLS alarm joins the certificate
//! rule that the trace proves. Alarm lines carry no parsed time: the join is by peer address only.

use super::common::*;
use crate::ils::{Ctx, InputAlarm};
use crate::model::*;

/// The rules a trace finding may have for the same failure, the alarm's own rule first.
fn rules_of(alarm: &str) -> &'static [&'static str] {
    match alarm {
        "ILSPwdAuthenticationFailed" => &["ils.password-mismatch"],
        "ILSTLSAuthenticationFailed" => &[
            "ils.tls.handshake-failed",
            "ils.tls.hub-cert-rejected",
            "ils.tls.spoke-cert-rejected",
            "ils.tls.peer-unknown",
        ],
        _ => &["ils.connect.unanswered", "ils.connect.failed"],
    }
}

fn evidence(a: &InputAlarm) -> Evidence {
    Evidence {
        input: a.input.into(),
        line: a.alarm.line,
        text: a.alarm.text.as_str().into(),
        role: Role::Unknown,
    }
}

/// Does the trace finding `f` concern the alarm's peer?
fn same_peer(ctx: &Ctx, f: &Finding, peer: Option<&str>) -> bool {
    let Some(peer) = peer else { return true };
    let conn = f
        .connection
        .and_then(|id| ctx.conns.iter().find(|c| c.id == id));
    conn.is_some_and(|c| {
        [&c.client, &c.server]
            .into_iter()
            .flatten()
            .any(|e| e.ip == peer)
    }) || f.evidence.iter().any(|e| e.text.contains(peer))
}

/// Add the alarms to `findings`: into a trace finding of the same failure, or as findings of
/// their own (one per alarm and peer, every line of it as evidence).
pub fn merge(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let traced = findings.len();
    for a in &ctx.alarms {
        let rules = rules_of(a.alarm.name);
        let peer = a.alarm.peer.as_deref();
        let explained = findings[..traced]
            .iter_mut()
            .find(|f| rules.contains(&f.rule.as_str()) && same_peer(ctx, f, peer));
        if let Some(f) = explained {
            f.evidence.push(evidence(a));
            continue;
        }
        let own = findings[traced..].iter_mut().find(|f| {
            f.rule == rules[0] && f.title.en.contains(a.alarm.name) && {
                let want = peer.unwrap_or("");
                f.title.en.ends_with(&format!("({want})"))
            }
        });
        match own {
            Some(f) => f.evidence.push(evidence(a)),
            None => findings.push(alarm_finding(a)),
        }
    }
}

fn alarm_finding(a: &InputAlarm) -> Finding {
    let name = a.alarm.name;
    let peer = a.alarm.peer.clone().unwrap_or_default();
    let peer_en = if peer.is_empty() {
        "the remote cluster".to_string()
    } else {
        peer.clone()
    };
    let (severity, what, why, fix) = match name {
        "ILSPwdAuthenticationFailed" => (
            Severity::Error,
            bi(
                format!("CUCM raised the ILSPwdAuthenticationFailed alarm (\"Password Authentication Failure with ILS at remote cluster\") for {peer_en}: it could not decrypt that cluster's ILS data with its password."),
                format!("CUCM が {peer_en} について ILSPwdAuthenticationFailed アラーム（\"Password Authentication Failure with ILS at remote cluster\"）を出しました。相手クラスタの ILS データを自身のパスワードで復号できませんでした。"),
            ),
            bi(
                "The ILS password is not the same on the two clusters.",
                "2 つのクラスタで ILS パスワードが一致していません。",
            ),
            vec![
                bi(
                    "On every cluster, open Cisco Unified CM Administration > Advanced Features > ILS Configuration, and under ILS Authentication enter the same Password and Confirm Password, then Save.",
                    "すべてのクラスタで Cisco Unified CM Administration > Advanced Features > ILS Configuration を開き、ILS Authentication の Password と Confirm Password に同じ値を入力して Save します。",
                ),
                restart_ils_step(),
            ],
        ),
        "ILSTLSAuthenticationFailed" => (
            Severity::Error,
            bi(
                format!("CUCM raised the ILSTLSAuthenticationFailed alarm (\"TLS Failure to ILS at remote cluster\") for {peer_en}: the TLS connection with that cluster failed."),
                format!("CUCM が {peer_en} について ILSTLSAuthenticationFailed アラーム（\"TLS Failure to ILS at remote cluster\"）を出しました。相手クラスタとの TLS 接続に失敗しています。"),
            ),
            bi(
                "Usually one cluster does not trust the other's tomcat certificate (not in tomcat-trust, self-signed where a CA-signed one is needed, expired). The ILS traces say which side rejected which certificate.",
                "多くの場合、一方のクラスタが相手の tomcat 証明書を信頼していません（tomcat-trust にない、CA 署名が必要なのに自己署名、期限切れなど）。どちらがどの証明書を拒否したかは ILS トレースで分かります。",
            ),
            vec![
                bi(
                    "Import each cluster's tomcat certificate (or its CA's root) into the other cluster's tomcat-trust (Cisco Unified OS Administration > Security > Certificate Management).",
                    "各クラスタの tomcat 証明書（またはその CA のルート証明書）を相手クラスタの tomcat-trust にインポートします（Cisco Unified OS Administration > Security > Certificate Management）。",
                ),
                restart_ils_step(),
            ],
        ),
        _ => (
            Severity::Warning,
            bi(
                format!("CUCM raised the ILSHubClusterUnreachable alarm (\"A connection to the remote ILS server could not be established\") for {peer_en}."),
                format!("CUCM が {peer_en} について ILSHubClusterUnreachable アラーム（\"A connection to the remote ILS server could not be established\"）を出しました。"),
            ),
            bi(
                "TCP 7501/7502 is dropped between the publishers, Cisco Intercluster Lookup Service is not running on the remote publisher, or its address does not resolve.",
                "パブリッシャ間で TCP 7501/7502 が破棄されている、相手のパブリッシャで Cisco Intercluster Lookup Service が動作していない、またはアドレスが解決できません。",
            ),
            vec![
                bi(
                    "Permit TCP 7501 and 7502 between the publishers in both directions on every firewall in the path.",
                    "経路上のすべてのファイアウォールで、パブリッシャ間の TCP 7501 と 7502 を双方向に許可します。",
                ),
                bi(
                    "On the remote publisher, start Cisco Intercluster Lookup Service (Cisco Unified Serviceability > Tools > Control Center - Feature Services).",
                    "相手のパブリッシャで Cisco Intercluster Lookup Service を起動します（Cisco Unified Serviceability > Tools > Control Center - Feature Services）。",
                ),
            ],
        ),
    };
    let rule = rules_of(name)[0];
    Finding {
        rule: rule.to_string(),
        severity,
        title: bi(
            format!("ILS alarm {name} ({peer})"),
            format!("ILS アラーム {name}（{peer}）"),
        ),
        explanation: Explanation {
            what,
            why,
            fix,
            verify: verify_join_steps(),
            collect: vec![bi(
                "The alarm says which check failed, not at which step: load the ILS SDL traces (`activelog /cm/trace/ils/sdl/`) of both publishers covering the alarm's time to see it.",
                "アラームはどの検査に失敗したかを示すだけで、どの段階かは示しません。アラームの時刻を含む両パブリッシャの ILS SDL トレース（`activelog /cm/trace/ils/sdl/`）を読み込むと分かります。",
            )],
        },
        evidence: vec![evidence(a)],
        codes: vec![],
        connection: None,
        step: None,
        attempts: Vec::new(),
    }
}
