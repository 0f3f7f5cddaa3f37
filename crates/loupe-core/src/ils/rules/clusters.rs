//! `ils.clusters.summary` (info), `ils.clusters.duplicate-id` (error), `ils.clusters.stale`
//! (warning), `ils.clusters.missing` (warning)
//!
//! **What**: the ILS Clusters table (Advanced Features > ILS Configuration) and
//! `run sql select * from remotecluster` list the clusters a publisher knows. Loupe shows them and
//! cross-checks them with the traces: two clusters with one cluster ID, a cluster the table calls
//! `Up to date` while its trace shows only failures, a cluster in the traces missing from the table.
//! **Why**: the Cluster ID (Enterprise Parameters) must be unique per cluster; a table copied
//! before the failure can look healthy; a cluster that never joined is absent.
//! **Example**: `1\t8/26/16 5:06 PM\tSpoke\tcucm11.adfs.uccs.com\t8/26/16 5:06 PM\tUp to date\tDisconnect`.
//! **Fix**: unique Cluster IDs (System > Enterprise Parameters > Cluster ID), then restart ILS.

use super::common::*;
use crate::ils::connection::Outcome;
use crate::ils::Ctx;
use crate::model::*;

struct Row<'a> {
    input: &'a str,
    row: &'a ClusterRow,
}

fn evidence(r: &Row) -> Evidence {
    Evidence {
        input: r.input.into(),
        line: r.row.line,
        text: r.row.text.as_str().into(),
        role: Role::Unknown,
    }
}

/// `cucm11.adfs.uccs.com` names host `cucm11`.
fn names_host(fqdn: &str, host: &str) -> bool {
    let (f, h) = (fqdn.to_ascii_lowercase(), host.to_ascii_lowercase());
    !h.is_empty() && (f == h || f.starts_with(&format!("{h}.")))
}

pub fn check(ctx: &Ctx) -> Vec<Finding> {
    let rows: Vec<Row> = ctx
        .tables
        .iter()
        .flat_map(|(_, name, t)| t.rows.iter().map(move |row| Row { input: name, row }))
        .collect();
    if rows.is_empty() {
        return vec![];
    }
    let mut out = Vec::new();
    let listing: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} [{}] {}",
                r.row.cluster_id,
                r.row.name.as_deref().unwrap_or("-"),
                r.row.role.as_deref().unwrap_or("-"),
                r.row
                    .sync_status
                    .as_deref()
                    .or(r.row.version.as_deref())
                    .unwrap_or("")
            )
        })
        .collect();
    out.push(Finding {
        rule: "ils.clusters.summary".into(),
        severity: Severity::Info,
        title: bi(format!("{} cluster(s) listed by the ILS tables", rows.len()), format!("ILS の一覧に {} 件のクラスタ", rows.len())),
        explanation: Explanation {
            what: bi(format!("Clusters (ID, name, role, status): {}", listing.join("; ")), format!("クラスタ（ID、名前、ロール、状態）: {}", listing.join("; "))),
            why: bi(
                "The ILS Clusters table and `run sql select * from remotecluster` are how an engineer confirms a join.",
                "ILS Clusters の一覧と `run sql select * from remotecluster` は、クラスタ参加を確認するための手段です。",
            ),
            fix: vec![],
            verify: vec![],
            collect: vec![],
        },
        evidence: rows.iter().map(evidence).collect(),
        codes: vec![],
        connection: None,
        step: None,
        attempts: Vec::new(),
    });
    // Duplicate cluster ids: one id claimed by clusters of different names.
    let mut ids: Vec<&str> = rows.iter().map(|r| r.row.cluster_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let same: Vec<&Row> = rows.iter().filter(|r| r.row.cluster_id == id).collect();
        let mut names: Vec<&str> = same.iter().filter_map(|r| r.row.name.as_deref()).collect();
        names.sort_unstable();
        names.dedup();
        if names.len() < 2 {
            continue;
        }
        let list = names.join(", ");
        out.push(Finding {
            rule: "ils.clusters.duplicate-id".into(),
            severity: Severity::Error,
            title: bi(format!("Several clusters share cluster ID {id}"), format!("複数のクラスタが同じクラスタ ID {id} を使用")),
            explanation: Explanation {
                what: bi(format!("{list} all have cluster ID {id}."), format!("{list} がすべてクラスタ ID {id} です。")),
                why: bi(
                    "Every cluster of an ILS network needs a unique Cluster ID (for example both left at the default `StandAloneCluster`); duplicates break replication of learned data and the version shown for remote clusters.",
                    "ILS ネットワークの各クラスタには一意のクラスタ ID が必要です（例: 両方とも既定値 `StandAloneCluster` のまま）。重複すると学習データの複製やリモートクラスタのバージョン表示が正しく動作しません。",
                ),
                fix: vec![
                    bi(
                        "On all but one of them, Cisco Unified CM Administration > System > Enterprise Parameters > Cluster ID: set a unique value, Save.",
                        "1 つを除くすべてで Cisco Unified CM Administration > System > Enterprise Parameters > Cluster ID に一意の値を設定して Save します。",
                    ),
                    restart_ils_step(),
                    bi(
                        "If the remote cluster's version still does not appear, remove the cluster from the ILS network and join it again.",
                        "それでもリモートクラスタのバージョンが表示されない場合は、そのクラスタを ILS ネットワークから外して再参加させます。",
                    ),
                ],
                verify: verify_join_steps(),
                collect: vec![],
            },
            evidence: same.iter().map(|r| evidence(r)).collect(),
            codes: vec![],
            connection: None,
            step: None,
            attempts: Vec::new(),
        });
    }
    // Cross-check with the traces, per host that a trace belongs to.
    for input in &ctx.inputs {
        let Some(host) = input.sdl.filehead.as_ref().and_then(|f| f.host.clone()) else {
            continue;
        };
        let conns: Vec<_> = ctx
            .conns
            .iter()
            .filter(|c| {
                c.hub.is_some_and(|h| std::ptr::eq(&ctx.inputs[h], input))
                    || c.spoke.is_some_and(|s| std::ptr::eq(&ctx.inputs[s], input))
            })
            .collect();
        if conns.is_empty() {
            continue;
        }
        let row = rows
            .iter()
            .find(|r| r.row.name.as_deref().is_some_and(|n| names_host(n, &host)));
        let any_joined = conns.iter().any(|c| c.outcome == Outcome::Joined);
        let failed: Vec<_> = conns
            .iter()
            .filter(|c| c.outcome == Outcome::Failed)
            .collect();
        match row {
            None => out.push(Finding {
                rule: "ils.clusters.missing".into(),
                severity: Severity::Warning,
                title: bi(format!("{host} is in the traces but not in the ILS tables"), format!("{host} はトレースにあるが ILS の一覧にない")),
                explanation: Explanation {
                    what: bi(
                        format!("The trace `{}` comes from {host}, which took part in {} ILS connection(s), but no row of the loaded ILS tables names it.", input.name, conns.len()),
                        format!("トレース `{}` は {host} のもので、{} 件の ILS 接続に関わっていますが、読み込んだ ILS の一覧にはどの行にも現れません。", input.name, conns.len()),
                    ),
                    why: bi(
                        "A cluster that never completed the join (or was removed) is absent from ILS Clusters and from the remotecluster table; the table may also come from another cluster.",
                        "参加が完了していない（または削除された）クラスタは ILS Clusters にも remotecluster テーブルにも表示されません。一覧が別のクラスタから取得された可能性もあります。",
                    ),
                    fix: vec![bi("Resolve the connection findings above, then copy the table again from the hub.", "上記の接続に関する指摘を解決してから、ハブで一覧を取り直します。")],
                    verify: verify_join_steps(),
                    collect: vec![],
                },
                evidence: rows.iter().map(evidence).collect(),
                codes: vec![],
                connection: None,
                step: None,
                attempts: Vec::new(),
            }),
            Some(r) if !any_joined && !failed.is_empty() && r.row.sync_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("up to date")) => {
                let mut ev = vec![evidence(r)];
                ev.extend(connection_evidence(ctx, failed[0]));
                out.push(Finding {
                    rule: "ils.clusters.stale".into(),
                    severity: Severity::Warning,
                    title: bi(format!("The table says {host} is up to date, but its trace shows only failures"), format!("一覧では {host} は最新だが、トレースには失敗しかない")),
                    explanation: Explanation {
                        what: bi(
                            format!("The ILS table lists {} as `Up to date` (last contact {}), while every connection of {host} in the loaded traces failed.", r.row.name.as_deref().unwrap_or(&host), r.row.last_contact.as_deref().unwrap_or("-")),
                            format!("ILS の一覧では {} が `Up to date`（最終接続 {}）ですが、読み込んだトレースでは {host} の接続はすべて失敗しています。", r.row.name.as_deref().unwrap_or(&host), r.row.last_contact.as_deref().unwrap_or("-")),
                        ),
                        why: bi(
                            "The table shows the last successful synchronisation; a later change (password, certificate) can break new connections while the table still looks healthy.",
                            "一覧は最後に成功した同期の状態を示します。その後の変更（パスワードや証明書）で新しい接続が失敗していても、一覧は正常に見えることがあります。",
                        ),
                        fix: vec![bi("Fix the connection findings above; compare the table's Last Contact Time with the failure times.", "上記の接続に関する指摘を解決し、一覧の Last Contact Time と失敗の時刻を比較します。")],
                        verify: verify_join_steps(),
                        collect: vec![],
                    },
                    evidence: ev,
                    codes: vec![],
                    connection: Some(failed[0].id),
                    step: None,
                    attempts: Vec::new(),
                });
            }
            Some(_) => {}
        }
    }
    out
}
