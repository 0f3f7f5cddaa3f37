//! The map of the ILS network, in plain Rust (tested on the host): one node per cluster seen in
//! the inputs (a trace's FileHead host and address, a connection's addresses, a row of the ILS
//! tables), one link per hub–spoke pair that tried to connect, with its connection attempts and
//! its worst verdict; and a deterministic two-dimensional layout (hubs on one row, the spokes on
//! the row below, each under its hub; many spokes split between a row above and a row below; the
//! width grows so that no two labels meet). Drawn by `ui/views/network_map.rs` when there are
//! more than two clusters.

use loupe_core::{Analysis, Lang, Role, Severity};

use crate::export::esc;
use crate::i18n::{role_key, t};
use crate::k;

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

impl Node {
    /// What the node's second line says after its role: the host and address that are not its key.
    pub fn detail(&self) -> String {
        [self.host.as_deref(), self.address.as_deref()]
            .into_iter()
            .flatten()
            .filter(|x| *x != self.key)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The box the node's circle and two labels take (x0, y0, x1, y1), in SVG user units: the
    /// name above the circle (12 px), the role and [`Node::detail`] below it (11 px; the role word
    /// is given its longest width in either language).
    pub fn bounds(&self) -> (i32, i32, i32, i32) {
        let name = text_width(&self.key, 12);
        let sub = ROLE_WIDTH + text_width(&self.detail(), 11);
        let half = (name.max(sub).max(2 * RADIUS) + 1) / 2;
        (
            self.x - half,
            self.y - NAME_DY - 12,
            self.x + half,
            self.y + SUB_DY + 4,
        )
    }
}

/// Estimated width of `text` at `px` font size: full width for CJK and other wide characters,
/// about 0.62 em for the others (a generous estimate for system sans-serif fonts).
pub fn text_width(text: &str, px: i32) -> i32 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x2E80 {
                px * 100
            } else {
                px * 62
            }
        })
        .sum::<i32>()
        / 100
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    /// The viewBox, in SVG user units.
    pub width: i32,
    pub height: i32,
}

/// The narrowest map, in SVG user units.
pub const WIDTH: i32 = 640;
/// Radius of a node's circle; its name's baseline above the centre, its second line's below.
pub const RADIUS: i32 = 16;
pub const NAME_DY: i32 = 22;
pub const SUB_DY: i32 = 30;
/// Room for the role word and a space ("spoke ", "スポーク ") on a node's second line.
const ROLE_WIDTH: i32 = 50;
/// Space between two nodes' boxes on a row, between rows, and around the map.
const GAP: i32 = 24;
const ROW_GAP: i32 = 120;
const MARGIN: i32 = 12;
/// Beyond this many spokes, they take a row above the hubs and a row below.
const ONE_ROW: usize = 6;

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
    let (width, height) = lay_out(&mut nodes, &links);
    Map {
        nodes,
        links,
        width,
        height,
    }
}

/// Place the nodes on rows and return the map's (width, height). Hubs share a row; the other
/// clusters go on the row below, ordered by the hub they link to (so each spoke sits under its
/// hub's side); more than [`ONE_ROW`] of them alternate between a row above the hubs and the row
/// below. A single row of three or more nodes is split in two, so that the map is never a line.
/// Each row is spread evenly over the width, which grows until every node's box (circle and
/// labels, [`Node::bounds`]) has room: nodes and labels never overlap.
fn lay_out(nodes: &mut [Node], links: &[Link]) -> (i32, i32) {
    let hubs: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].role == Role::Hub)
        .collect();
    let mut others: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].role != Role::Hub)
        .collect();
    // Under the hub it links to first (hub row order), unlinked clusters last.
    let hub_rank = |i: usize| {
        links
            .iter()
            .filter(|l| l.spoke == i)
            .filter_map(|l| hubs.iter().position(|&h| h == l.hub))
            .min()
            .unwrap_or(hubs.len())
    };
    others.sort_by_key(|&i| (hub_rank(i), i));
    let alternate = |v: &[usize]| -> (Vec<usize>, Vec<usize>) {
        (
            v.iter().copied().step_by(2).collect(),
            v.iter().copied().skip(1).step_by(2).collect(),
        )
    };
    let mut rows: Vec<Vec<usize>> = if others.len() > ONE_ROW {
        let (above, below) = alternate(&others);
        vec![above, hubs, below]
    } else {
        vec![hubs, others]
    };
    rows.retain(|r| !r.is_empty());
    if rows.len() == 1 && rows[0].len() >= 3 {
        let (a, b) = alternate(&rows[0]);
        rows = vec![a, b];
    }
    // Every slot of a row is as wide as the widest node box plus a gap.
    let slot = nodes
        .iter()
        .map(|n| {
            let (x0, _, x1, _) = n.bounds();
            x1 - x0 + GAP
        })
        .max()
        .unwrap_or(0);
    let widest = rows.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let width = WIDTH.max(widest * slot + 2 * MARGIN);
    let inner = width - 2 * MARGIN;
    // Top of the first row's boxes at MARGIN.
    let first_y = MARGIN + NAME_DY + 12;
    for (r, row) in rows.iter().enumerate() {
        let n = row.len() as i32;
        for (k, &i) in row.iter().enumerate() {
            nodes[i].x = MARGIN + inner * (2 * k as i32 + 1) / (2 * n);
            nodes[i].y = first_y + r as i32 * ROW_GAP;
        }
    }
    let last_y = first_y + (rows.len().max(1) as i32 - 1) * ROW_GAP;
    (width, last_y + SUB_DY + 4 + MARGIN)
}

/// The map as SVG markup for the HTML export, every name escaped. Colours are the export's CSS
/// variables (with fallbacks) and `currentColor`, so its dark mode applies.
pub fn svg(m: &Map, lang: Lang) -> String {
    let mut s = format!(
        "<svg data-network-map=\"\" class=\"network-map\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" style=\"color:var(--fg,#1d2330)\" font-size=\"12\">",
        esc(t(lang, k!("map.title"))),
        w = m.width,
        h = m.height
    );
    for l in &m.links {
        let (a, b) = (&m.nodes[l.hub], &m.nodes[l.spoke]);
        let dash = match l.verdict {
            "error" => " stroke-dasharray=\"3 3\"",
            "warning" => " stroke-dasharray=\"8 4\"",
            _ => "",
        };
        s += &format!(
            "<g data-link=\"{}\" data-verdict=\"{v}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"var(--{v},currentColor)\" stroke-width=\"4\"{dash}/><text x=\"{}\" y=\"{}\" fill=\"currentColor\">×{}</text></g>",
            esc(&l.key(&m.nodes)),
            a.x,
            a.y,
            b.x,
            b.y,
            (a.x + b.x) / 2 + 6,
            (a.y + b.y) / 2 - 4,
            l.connections.len(),
            v = l.verdict
        );
    }
    for n in &m.nodes {
        let stroke = match n.role {
            Role::Hub => "var(--hub,#6a3fc2)",
            Role::Spoke => "var(--spoke,#0b6b79)",
            _ => "currentColor",
        };
        s += &format!(
            "<g data-cluster=\"{}\"><circle cx=\"{x}\" cy=\"{y}\" r=\"{RADIUS}\" fill=\"var(--panel,#fff)\" stroke=\"{stroke}\" stroke-width=\"3\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\" font-weight=\"bold\">{}</text><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"11\">{} {}</text></g>",
            esc(&n.key),
            n.y - NAME_DY,
            esc(&n.key),
            n.y + SUB_DY,
            esc(t(lang, role_key(n.role))),
            esc(&n.detail()),
            x = n.x,
            y = n.y
        );
    }
    s + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::tests::fixture;

    /// What a reader needs of a layout: not all on one line (three nodes or more), no two node
    /// boxes (circle and labels) overlapping, every box inside the viewBox.
    fn assert_readable(m: &Map) {
        let n = &m.nodes;
        if n.len() >= 3 {
            let (a, b) = (&n[0], &n[1]);
            let collinear = n[2..].iter().all(|c| {
                (b.x - a.x) as i64 * (c.y - a.y) as i64 == (b.y - a.y) as i64 * (c.x - a.x) as i64
            });
            assert!(!collinear, "all nodes on one line: {n:?}");
        }
        for (i, p) in n.iter().enumerate() {
            let (x0, y0, x1, y1) = p.bounds();
            assert!(
                x0 >= 0 && y0 >= 0 && x1 <= m.width && y1 <= m.height,
                "{} outside the {}×{} viewBox: {:?}",
                p.key,
                m.width,
                m.height,
                p.bounds()
            );
            for q in &n[i + 1..] {
                let (u0, v0, u1, v1) = q.bounds();
                let apart = x1 <= u0 || u1 <= x0 || y1 <= v0 || v1 <= y0;
                assert!(
                    apart,
                    "{} and {} overlap: {:?} {:?}",
                    p.key,
                    q.key,
                    p.bounds(),
                    q.bounds()
                );
            }
        }
    }

    fn node(key: &str, role: Role) -> Node {
        Node {
            key: key.into(),
            role,
            host: Some(key.into()),
            address: Some("10.106.104.250".into()),
            x: 0,
            y: 0,
        }
    }

    /// `hubs` hubs and `spokes` spokes, spoke `k` linked to hub `k % hubs`.
    fn synthetic(hubs: usize, spokes: usize, name: &str) -> Map {
        let mut nodes: Vec<Node> = (0..hubs)
            .map(|h| node(&format!("hub{h}-{name}"), Role::Hub))
            .collect();
        nodes.extend((0..spokes).map(|s| node(&format!("spoke{s}-{name}"), Role::Spoke)));
        let links = (0..spokes)
            .map(|s| Link {
                hub: s % hubs.max(1),
                spoke: hubs + s,
                connections: vec![s],
                verdict: "ok",
            })
            .filter(|_| hubs > 0)
            .collect();
        let mut m = Map {
            nodes,
            links,
            ..Map::default()
        };
        (m.width, m.height) = lay_out(&mut m.nodes, &m.links);
        m
    }

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
        // The hub on the first row, centred; the spokes side by side on the row below it.
        let (hub, s1, s2) = (&m.nodes[0], &m.nodes[1], &m.nodes[2]);
        assert!(hub.y < s1.y && s1.y == s2.y, "{:?}", m.nodes);
        assert!(s1.x < hub.x && hub.x < s2.x, "{:?}", m.nodes);
        assert_eq!(hub.x, m.width / 2);
        assert_readable(&m);
    }

    #[test]
    fn layouts_stay_readable() {
        for (hubs, spokes) in [
            (1, 2),
            (2, 1),
            (2, 5),
            (3, 0),
            (0, 3),
            (0, 4),
            (1, 6),
            (1, 7),
            (1, 14),
            (3, 20),
        ] {
            for name in ["x", "cucm-subscriber-long-name.example.com", "東京クラスタ"] {
                let m = synthetic(hubs, spokes, name);
                assert_readable(&m);
                assert!(m.width >= WIDTH);
            }
        }
        // Several hubs side by side on one row; each spoke on the side of its hub.
        let m = synthetic(2, 4, "x");
        assert_eq!(m.nodes[0].y, m.nodes[1].y);
        assert!(m.nodes[0].x < m.nodes[1].x);
        let left: Vec<i32> = [2, 4].iter().map(|&i| m.nodes[i].x).collect();
        let right: Vec<i32> = [3, 5].iter().map(|&i| m.nodes[i].x).collect();
        assert!(left.iter().max() < right.iter().min(), "{:?}", m.nodes);
        // Many spokes: a row above the hubs and a row below.
        let m = synthetic(1, 14, "x");
        let rows: std::collections::BTreeSet<i32> = m.nodes.iter().map(|n| n.y).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(m.nodes[0].y, *rows.iter().nth(1).unwrap());
    }

    #[test]
    fn svg_escapes_names() {
        let a = fixture("three-clusters");
        let mut m = map(&a);
        m.nodes[1].key = "<img src=x onerror=alert(1)>".into();
        let svg = svg(&m, Lang::En);
        assert!(svg.starts_with("<svg data-network-map=\"\""));
        assert!(!svg.contains("<img") && svg.contains("&lt;img src=x"));
        assert_eq!(svg.matches("<g data-cluster=").count(), 3);
        assert!(svg.contains("data-verdict=\"error\""));
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
