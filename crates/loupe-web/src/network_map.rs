//! The map of the ILS network, in plain Rust (tested on the host): one node per cluster seen in
//! the inputs (a trace's FileHead host and address, a connection's addresses, a row of the ILS
//! tables), one link per hub–spoke pair that tried to connect, with its connection attempts and
//! its worst verdict; and a deterministic two-dimensional layout (hubs on one row, the spokes on
//! the row below, each under its hub; many spokes split between a row above and a row below; the
//! width grows so that no two labels meet). Drawn by `ui/views/network_map.rs` when there are
//! more than two clusters.

use std::collections::HashMap;

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
    /// Where the two labels go: on the side away from the node's links.
    pub labels: LabelSide,
}

/// Where a node's name and second line go, so that its links do not cross them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelSide {
    /// Name above the circle, second line below (links on both sides, or none).
    #[default]
    Split,
    /// Both above (every link goes down).
    Above,
    /// Both below (every link comes from above).
    Below,
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
        let (name_y, sub_y) = self.label_ys();
        (
            self.x - half,
            (name_y - 12).min(self.y - RADIUS),
            self.x + half,
            (sub_y + 4).max(self.y + RADIUS),
        )
    }

    /// Baselines of the name (12 px) and of the second line (11 px).
    pub fn label_ys(&self) -> (i32, i32) {
        match self.labels {
            LabelSide::Split => (self.y - RADIUS - 6, self.y + RADIUS + 14),
            LabelSide::Above => (self.y - RADIUS - 22, self.y - RADIUS - 6),
            LabelSide::Below => (self.y + RADIUS + 15, self.y + RADIUS + 29),
        }
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
/// Radius of a node's circle.
pub const RADIUS: i32 = 16;
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
        labels: LabelSide::Split,
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
pub fn map<'a>(a: &'a Analysis) -> Map {
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
    // The node of each address met: here every node is found by its address alone and keeps it,
    // so the first answer stays the answer (a search of the nodes for each of 100,000 attempts
    // was a fifth of the page's first render).
    let mut node_of_address: HashMap<&'a str, usize> = HashMap::new();
    let mut node_at = |nodes: &mut Vec<Node>, addr: &'a str, role: Role| -> usize {
        let ip = ip_of(addr);
        if let Some(&n) = node_of_address.get(ip) {
            return n;
        }
        let n = find_or_add(nodes, None, Some(ip), role);
        node_of_address.insert(ip, n);
        n
    };
    for c in &a.connections {
        let hub = c.hub_input.and_then(|i| node_of_input[i]).or_else(|| {
            c.server
                .as_deref()
                .map(|s| node_at(&mut nodes, s, Role::Hub))
        });
        let spoke = c.spoke_input.and_then(|i| node_of_input[i]).or_else(|| {
            c.client
                .as_deref()
                .map(|s| node_at(&mut nodes, s, Role::Spoke))
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
    // The worst finding of each link, in one pass over the findings: a connection id names its
    // link through this index (a search of each link's connections for each finding took 5.7 s
    // of the page's main thread for 100,000 attempts and 83,334 findings).
    let mut link_of: Vec<Option<usize>> = Vec::new();
    for (i, l) in links.iter().enumerate() {
        for &c in &l.connections {
            if link_of.len() <= c {
                link_of.resize(c + 1, None);
            }
            link_of[c] = Some(i);
        }
    }
    let mut worst: Vec<Option<Severity>> = vec![None; links.len()];
    for f in &a.findings {
        let links_of = f
            .connection
            .into_iter()
            .chain(f.attempts.iter().map(|t| t.connection))
            .filter_map(|c| link_of.get(c).copied().flatten());
        for l in links_of {
            worst[l] = Some(worst[l].map_or(f.severity, |w| w.min(f.severity)));
        }
    }
    for (l, worst) in links.iter_mut().zip(worst) {
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
    for (r, row) in rows.iter().enumerate() {
        let n = row.len() as i32;
        for (k, &i) in row.iter().enumerate() {
            nodes[i].x = MARGIN + inner * (2 * k as i32 + 1) / (2 * n);
            nodes[i].y = r as i32 * ROW_GAP;
        }
    }
    // Labels away from the links: above a node whose links all go down, below one whose links
    // all come from above.
    for i in 0..nodes.len() {
        let ends: Vec<i32> = links
            .iter()
            .filter_map(|l| match (l.hub == i, l.spoke == i) {
                (true, _) => Some(nodes[l.spoke].y),
                (_, true) => Some(nodes[l.hub].y),
                _ => None,
            })
            .collect();
        let y = nodes[i].y;
        nodes[i].labels = if !ends.is_empty() && ends.iter().all(|&e| e > y) {
            LabelSide::Above
        } else if !ends.is_empty() && ends.iter().all(|&e| e < y) {
            LabelSide::Below
        } else {
            LabelSide::Split
        };
    }
    // The top of the highest box at MARGIN; the height to the bottom of the lowest, plus MARGIN.
    let top = nodes.iter().map(|n| n.bounds().1).min().unwrap_or(0);
    for n in nodes.iter_mut() {
        n.y += MARGIN - top;
    }
    let bottom = nodes.iter().map(|n| n.bounds().3).max().unwrap_or(0);
    (width, bottom + MARGIN)
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
            n.label_ys().0,
            esc(&n.key),
            n.label_ys().1,
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

    /// No link runs through a label: points along each link (outside the circles at its ends)
    /// fall in no node's name or second line.
    fn assert_links_clear_labels(m: &Map) {
        let rects: Vec<(&str, i32, i32, i32, i32)> = m
            .nodes
            .iter()
            .flat_map(|n| {
                let (name_y, sub_y) = n.label_ys();
                let name = text_width(&n.key, 12) / 2;
                let sub = (ROLE_WIDTH + text_width(&n.detail(), 11)) / 2;
                [
                    (
                        n.key.as_str(),
                        n.x - name,
                        name_y - 10,
                        n.x + name,
                        name_y + 2,
                    ),
                    (n.key.as_str(), n.x - sub, sub_y - 9, n.x + sub, sub_y + 2),
                ]
            })
            .collect();
        for l in &m.links {
            let (a, b) = (&m.nodes[l.hub], &m.nodes[l.spoke]);
            let len = (((b.x - a.x).pow(2) + (b.y - a.y).pow(2)) as f64).sqrt();
            for k in 0..=100 {
                let d = len * k as f64 / 100.0;
                if d < RADIUS as f64 || d > len - RADIUS as f64 {
                    continue;
                }
                let x = a.x as f64 + (b.x - a.x) as f64 * d / len;
                let y = a.y as f64 + (b.y - a.y) as f64 * d / len;
                for &(key, x0, y0, x1, y1) in &rects {
                    let inside =
                        x >= x0 as f64 && x <= x1 as f64 && y >= y0 as f64 && y <= y1 as f64;
                    assert!(!inside, "link {} crosses a label of {key}", l.key(&m.nodes));
                }
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
            labels: LabelSide::Split,
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
        // Labels on the side away from the links: the hub's above it, the spokes' below them.
        assert_eq!(hub.labels, LabelSide::Above);
        assert_eq!((s1.labels, s2.labels), (LabelSide::Below, LabelSide::Below));
        assert_readable(&m);
        assert_links_clear_labels(&m);
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
                if hubs == 1 && spokes <= ONE_ROW {
                    assert_links_clear_labels(&m);
                }
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
    fn a_link_takes_the_worst_finding_of_its_attempts() {
        let mut a = fixture("three-clusters");
        // The failure of link 1 (cucm12) is listed as one more attempt of a finding about link 0
        // (cucm11): link 0 takes its severity, and link 1 keeps it through its own finding.
        let failed = a
            .findings
            .iter()
            .position(|f| f.connection == Some(1) && f.severity == Severity::Error)
            .expect("the fixture's failure on connection 1");
        let mut f = a.findings[failed].clone();
        f.connection = None;
        f.attempts = vec![loupe_core::FindingAttempt {
            connection: 0,
            start_ms: 0,
            evidence: Vec::new(),
        }];
        a.findings.push(f);
        let m = map(&a);
        assert_eq!(m.links[0].verdict, "error");
        assert_eq!(m.links[1].verdict, "error");
        // Without findings, a link's outcomes decide.
        a.findings.clear();
        let m = map(&a);
        assert_eq!((m.links[0].verdict, m.links[1].verdict), ("ok", "error"));
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
