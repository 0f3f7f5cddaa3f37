//! The map of the ILS network, in plain Rust (tested on the host): one node per cluster seen in
//! the inputs (a trace's FileHead host and address, a connection's addresses, a row of the ILS
//! tables), one link per hub–spoke pair that tried to connect, with its connection attempts and
//! its worst verdict; and a deterministic layout (hubs in the middle row, spokes above and
//! below). Drawn by `ui/views/network_map.rs` when there are more than two clusters.

use loupe_core::{Analysis, Role, Severity};

/// One cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What the page and the tests name it by: the host name, else the address.
    pub key: String,
    pub role: Role,
    pub host: Option<String>,
    pub address: Option<String>,
    /// Layout, in SVG user units.
    pub x: i32,
    pub y: i32,
}

/// One pair of clusters that tried to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Node indices: the hub side, the spoke side.
    pub hub: usize,
    pub spoke: usize,
    /// Indices into [`Analysis::connections`].
    pub connections: Vec<usize>,
    /// `ok`, `warning` or `error`: the worst among the pair's findings (or its outcomes).
    pub verdict: &'static str,
}

impl Link {
    /// `com1150—cucm12`: how the filter and the tests name the link.
    pub fn key(&self, nodes: &[Node]) -> String {
        format!("{}—{}", nodes[self.hub].key, nodes[self.spoke].key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

pub const WIDTH: i32 = 640;
pub const HEIGHT: i32 = 300;

fn ip_of(addr: &str) -> &str {
    addr.rsplit_once(':').map_or(addr, |(ip, _)| ip)
}

fn find_or_add(
    nodes: &mut Vec<Node>,
    host: Option<&str>,
    address: Option<&str>,
    role: Role,
) -> usize {
    let same = |n: &Node| {
        (host.is_some() && n.host.as_deref() == host)
            || (address.is_some() && n.address.as_deref() == address)
            || host.is_some_and(|h| {
                n.host.as_deref().is_some_and(|nh| {
                    h.to_lowercase()
                        .starts_with(&format!("{}.", nh.to_lowercase()))
                        || nh
                            .to_lowercase()
                            .starts_with(&format!("{}.", h.to_lowercase()))
                })
            })
    };
    if let Some(i) = nodes.iter().position(same) {
        let n = &mut nodes[i];
        if n.host.is_none() {
            n.host = host.map(str::to_string);
        }
        if n.address.is_none() {
            n.address = address.map(str::to_string);
        }
        if n.role == Role::Unknown {
            n.role = role;
        }
        return i;
    }
    let key = host.or(address).unwrap_or("?").to_string();
    nodes.push(Node {
        key,
        role,
        host: host.map(str::to_string),
        address: address.map(str::to_string),
        x: 0,
        y: 0,
    });
    nodes.len() - 1
}

fn verdict_of(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "ok",
    }
}

/// The map of `a`'s clusters and the pairs that tried to connect.
pub fn map(a: &Analysis) -> Map {
    let mut nodes: Vec<Node> = Vec::new();
    let mut node_of_input: Vec<Option<usize>> = vec![None; a.inputs.len()];
    for (i, input) in a.inputs.iter().enumerate() {
        if matches!(input.role, Role::Hub | Role::Spoke)
            && (input.host.is_some() || input.host_ip.is_some())
        {
            node_of_input[i] = Some(find_or_add(
                &mut nodes,
                input.host.as_deref(),
                input.host_ip.as_deref(),
                input.role,
            ));
        }
    }
    let mut links: Vec<Link> = Vec::new();
    for c in &a.connections {
        let hub = c.hub_input.and_then(|i| node_of_input[i]).or_else(|| {
            c.server
                .as_deref()
                .map(|s| find_or_add(&mut nodes, None, Some(ip_of(s)), Role::Hub))
        });
        let spoke = c.spoke_input.and_then(|i| node_of_input[i]).or_else(|| {
            c.client
                .as_deref()
                .map(|s| find_or_add(&mut nodes, None, Some(ip_of(s)), Role::Spoke))
        });
        let (Some(hub), Some(spoke)) = (hub, spoke) else {
            continue;
        };
        if hub == spoke {
            continue;
        }
        match links.iter_mut().find(|l| l.hub == hub && l.spoke == spoke) {
            Some(l) => l.connections.push(c.id),
            None => links.push(Link {
                hub,
                spoke,
                connections: vec![c.id],
                verdict: "ok",
            }),
        }
    }
    for row in &a.clusters {
        let role = match row.role.as_deref().map(str::to_lowercase).as_deref() {
            Some(r) if r.contains("hub") => Role::Hub,
            Some(r) if r.contains("spoke") => Role::Spoke,
            _ => Role::Unknown,
        };
        if let Some(name) = row.name.as_deref() {
            find_or_add(&mut nodes, Some(name), None, role);
        }
    }
    for l in &mut links {
        let worst = a
            .findings
            .iter()
            .filter(|f| {
                f.connection.is_some_and(|c| l.connections.contains(&c))
                    || f.attempts
                        .iter()
                        .any(|t| l.connections.contains(&t.connection))
            })
            .map(|f| f.severity)
            .min();
        l.verdict = match worst {
            Some(s) => verdict_of(s),
            None => {
                let outcomes = l.connections.iter().filter_map(|&c| a.connections.get(c));
                let mut v = "ok";
                for c in outcomes {
                    match c.outcome.as_str() {
                        "failed" => v = "error",
                        "unanswered" if v == "ok" => v = "warning",
                        _ => {}
                    }
                }
                v
            }
        };
    }
    lay_out(&mut nodes);
    Map { nodes, links }
}

/// Hubs spread over the middle row; the other clusters alternately above and below.
fn lay_out(nodes: &mut [Node]) {
    let spread = |n: usize, k: usize| WIDTH * (2 * k as i32 + 1) / (2 * n.max(1) as i32);
    let hubs: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].role == Role::Hub)
        .collect();
    let others: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].role != Role::Hub)
        .collect();
    for (k, &i) in hubs.iter().enumerate() {
        nodes[i].x = spread(hubs.len(), k);
        nodes[i].y = HEIGHT / 2;
    }
    let top: Vec<usize> = others.iter().copied().step_by(2).collect();
    let bottom: Vec<usize> = others.iter().copied().skip(1).step_by(2).collect();
    for (row, y) in [(top, 45), (bottom, HEIGHT - 45)] {
        for (k, &i) in row.iter().enumerate() {
            nodes[i].x = spread(row.len(), k);
            nodes[i].y = y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::tests::fixture;

    #[test]
    fn one_hub_two_spokes() {
        let a = fixture("three-clusters");
        let m = map(&a);
        let keys: Vec<&str> = m.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["com1150", "cucm11", "cucm12"]);
        assert_eq!(m.nodes[0].role, Role::Hub);
        assert_eq!(m.nodes[2].address.as_deref(), Some("10.106.104.202"));
        assert_eq!(m.links.len(), 2);
        assert_eq!(m.links[0].key(&m.nodes), "com1150—cucm11");
        assert_eq!(
            (m.links[0].verdict, m.links[0].connections.clone()),
            ("ok", vec![0])
        );
        assert_eq!(
            (m.links[1].verdict, m.links[1].connections.clone()),
            ("error", vec![1])
        );
        // Hub in the middle row, spokes above and below.
        assert_eq!(m.nodes[0].y, HEIGHT / 2);
        assert_ne!(m.nodes[1].y, m.nodes[2].y);
    }

    #[test]
    fn two_clusters_one_link() {
        let a = fixture("m2-spoke-cert-not-trusted");
        let m = map(&a);
        assert_eq!(m.nodes.len(), 2);
        assert_eq!(m.links.len(), 1);
        assert_eq!(m.links[0].verdict, "error");
    }
}
