//! The verification artefacts an engineer copies to confirm a join: the ILS Clusters table
//! (Advanced Features > ILS Configuration, copied from a browser: tab-separated or space-aligned)
//! and `run sql select * from remotecluster`.

use crate::decode::Line;
use crate::model::*;
use crate::sdl::is_terminal_artefact;

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "transfer", derive(serde::Serialize, serde::Deserialize))]
pub struct ClusterTable {
    pub kind: Option<Kind>,
    /// Rows with `input` left at 0; the caller sets it.
    pub rows: Vec<ClusterRow>,
    pub counts: LineCounts,
    pub not_understood: Vec<u32>,
}

fn split_columns(text: &str) -> Vec<String> {
    let parts: Vec<&str> = if text.contains('\t') {
        text.split('\t').collect()
    } else {
        // Two or more spaces separate columns in space-aligned copies.
        let mut cols = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            match rest.find("  ") {
                Some(i) => {
                    cols.push(&rest[..i]);
                    rest = rest[i..].trim_start();
                }
                None => {
                    cols.push(rest);
                    rest = "";
                }
            }
        }
        cols
    };
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

fn is_version(tok: &str) -> bool {
    let t = tok.trim_matches(|c| c == '(' || c == ')');
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

pub fn parse(kind: Kind, lines: &[Line]) -> ClusterTable {
    let mut table = ClusterTable {
        kind: Some(kind),
        ..Default::default()
    };
    let mut header: Option<Vec<String>> = None;
    for l in lines {
        let c = &mut table.counts;
        c.lines += 1;
        let text = l.text.trim();
        if text.is_empty() {
            c.blank += 1;
            continue;
        }
        let lower = text.to_ascii_lowercase();
        if is_terminal_artefact(text) || text.chars().all(|ch| ch == '=' || ch == '-' || ch == ' ')
        {
            c.recognised += 1;
            continue;
        }
        let row = match kind {
            Kind::RemoteClusterSql => {
                if lower.starts_with("pkid") {
                    c.recognised += 1;
                    continue;
                }
                let toks: Vec<&str> = text.split_whitespace().collect();
                if toks.len() >= 3
                    && toks[0].contains('-')
                    && toks[2].chars().all(|ch| ch.is_ascii_alphanumeric())
                {
                    let mut end = toks.len();
                    while end > 3 && is_version(toks[end - 1]) {
                        end -= 1;
                    }
                    let version = (end < toks.len()).then(|| toks[end..].join(" "));
                    Some(ClusterRow {
                        input: 0,
                        line: l.number,
                        text: l.text.clone(),
                        cluster_id: toks[2].to_string(),
                        name: Some(toks[1].to_string()),
                        role: None,
                        last_contact: None,
                        sync_status: None,
                        version,
                    })
                } else {
                    None
                }
            }
            _ => {
                let cols = split_columns(text);
                if lower.contains("cluster id")
                    || (lower.contains("role") && lower.contains("status"))
                {
                    header = Some(cols.iter().map(|s| s.to_ascii_lowercase()).collect());
                    c.recognised += 1;
                    continue;
                }
                let find = |name: &str, default: usize| -> Option<String> {
                    let idx = header
                        .as_ref()
                        .and_then(|h| h.iter().position(|x| x.contains(name)))
                        .unwrap_or(default);
                    cols.get(idx)
                        .filter(|v| !v.is_empty() && *v != "-")
                        .cloned()
                };
                if cols.len() >= 4 {
                    find("cluster id", 0).map(|id| ClusterRow {
                        input: 0,
                        line: l.number,
                        text: l.text.clone(),
                        cluster_id: id,
                        last_contact: find("last contact", 1),
                        role: find("role", 2),
                        name: find("route string", 3),
                        sync_status: find("synchronization", 5),
                        version: None,
                    })
                } else {
                    None
                }
            }
        };
        match row {
            Some(r) => {
                c.recognised += 1;
                table.rows.push(r);
            }
            None => {
                c.not_understood += 1;
                if table.not_understood.len() < MAX_UNDERSTOOD_SAMPLES {
                    table.not_understood.push(l.number);
                }
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(t: &str) -> Vec<Line> {
        t.lines()
            .enumerate()
            .map(|(i, s)| Line {
                number: i as u32 + 1,
                text: s.to_string(),
            })
            .collect()
    }

    #[test]
    fn seed_clusters_table_tab_separated() {
        let t = parse(Kind::IlsClusterTable, &lines("Cluster ID/Name\tLast Contact Time\tRole\tAdvertised Route String\tLast USN Data Received\tUSN Data Synchronization Status\tAction\n2\t-\tHub (Local Cluster)\tcom1150.adfs.uccs.com\t-\tUp to date\tDisconnect\n1\t8/26/16 5:06 PM\tSpoke\tcucm11.adfs.uccs.com\t8/26/16 5:06 PM\tUp to date\tDisconnect"));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].role.as_deref(), Some("Hub (Local Cluster)"));
        assert_eq!(t.rows[1].cluster_id, "1");
        assert_eq!(t.rows[1].last_contact.as_deref(), Some("8/26/16 5:06 PM"));
        assert_eq!(t.rows[1].sync_status.as_deref(), Some("Up to date"));
        assert!(t.counts.adds_up() && t.counts.not_understood == 0);
    }

    #[test]
    fn seed_clusters_table_space_aligned() {
        let t = parse(Kind::IlsClusterTable, &lines("Cluster ID/Name  Last Contact Time  Role  Advertised Route String  Last USN Data Received  USN Data Synchronization Status  Action\n1  8/26/16 5:06 PM  Spoke  cucm11.adfs.uccs.com  8/26/16 5:06 PM  Up to date  Disconnect"));
        assert_eq!(t.rows[0].name.as_deref(), Some("cucm11.adfs.uccs.com"));
        assert_eq!(t.rows[0].role.as_deref(), Some("Spoke"));
    }

    #[test]
    fn seed_remotecluster_sql() {
        let t = parse(Kind::RemoteClusterSql, &lines("admin:run sql select * from remotecluster\npkid                fullyqualifiedname  clusterid description version\n=====\n5edbbe9-d72b-4cd1-8f8e-93ab32cb58da cucm11.adfs.uccs.com 1          11.5.1.10000 (4)\nadmin:"));
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].name.as_deref(), Some("cucm11.adfs.uccs.com"));
        assert_eq!(t.rows[0].cluster_id, "1");
        assert_eq!(t.rows[0].version.as_deref(), Some("11.5.1.10000 (4)"));
        assert_eq!(t.counts.recognised, 5);
    }
}
