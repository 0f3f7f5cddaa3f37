//! The ladder diagram of one ILS connection attempt, in plain Rust (tested on the host): the
//! attempt's events become steps (a fixed vocabulary: `tcp-connect`, `tls-handshake`,
//! `certificate`, `password`, `established`, `closed`, `alarm`) between two lifelines, the spoke
//! and the hub, on the hub's clock (`aligned_ms`), and the steps are laid out for an SVG. The page
//! draws the layout as elements (`ui/views/ladder.rs`); the HTML export writes it as markup with
//! every label escaped ([`svg`]).

use loupe_core::{Analysis, Lang, Role};

use crate::export::{clock, esc};
use crate::i18n::t;
use crate::k;

/// One of the two lifelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Spoke,
    Hub,
}

/// One arrow of the ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `tcp-connect`, `tls-handshake`, `certificate`, `password`, `established`, `closed`, `alarm`.
    pub name: &'static str,
    pub from: Side,
    /// Equal to `from` for a note on one lifeline (an alarm).
    pub to: Side,
    /// Aligned time (hub clock) of the step's first event.
    pub time_ms: i64,
    pub failing: bool,
    /// Indices into [`Analysis::events`].
    pub events: Vec<usize>,
}

/// The step an event kind belongs to, and whether it fails the attempt; `None` for events the
/// ladder leaves out (signals, debug codes, request details).
pub fn step_of(kind: &str) -> Option<(&'static str, bool)> {
    Some(match kind {
        "connect-request"
        | "initiating"
        | "connect-response"
        | "client-connection-succeeded"
        | "connection-accepted"
        | "connect-indication" => ("tcp-connect", false),
        "tls-protocol-error" => ("tls-handshake", true),
        "tls-verify-failed" | "peer-unknown" => ("certificate", true),
        "cert-in-store"
        | "cert-not-in-local-store"
        | "cert-ca-signed"
        | "fqdn-in-peer-info-vector" => ("certificate", false),
        "decrypt-failed" => ("password", true),
        "decrypt-succeeded" => ("password", false),
        "server-connection-established" | "client-connection-established" => ("established", false),
        "client-connection-failed" => ("closed", true),
        "close-request" => ("closed", false),
        "alarm" => ("alarm", false),
        _ => return None,
    })
}

fn other(s: Side) -> Side {
    match s {
        Side::Spoke => Side::Hub,
        Side::Hub => Side::Spoke,
    }
}

/// The steps of connection `conn`, in the order of its events (aligned time). Consecutive events
/// of the same step on the same side make one arrow. An unanswered attempt with no failing step
/// has its TCP connect marked failing.
pub fn steps(a: &Analysis, conn: usize) -> Vec<Step> {
    let Some(c) = a.connections.get(conn) else {
        return Vec::new();
    };
    let mut idx: Vec<usize> = c.events.clone();
    idx.sort_by_key(|&i| (a.events.get(i).map_or(0, |e| e.aligned_ms), i));
    let mut out: Vec<Step> = Vec::new();
    for i in idx {
        let Some(e) = a.events.get(i) else { continue };
        let Some((name, failing)) = step_of(&e.kind) else {
            continue;
        };
        let side = if Some(e.input) == c.hub_input {
            Side::Hub
        } else if Some(e.input) == c.spoke_input {
            Side::Spoke
        } else if a.inputs.get(e.input).is_some_and(|x| x.role == Role::Hub) {
            Side::Hub
        } else {
            Side::Spoke
        };
        // Who sends what: the spoke connects and sends its password; a certificate verdict is on
        // the certificate the peer presented; the logging side establishes, closes, or alarms.
        let (from, to) = match name {
            "tcp-connect" | "password" => (Side::Spoke, Side::Hub),
            "certificate" | "tls-handshake" => (other(side), side),
            "alarm" => (side, side),
            _ => (side, other(side)),
        };
        match out.last_mut() {
            Some(last) if last.name == name && last.from == from && last.to == to => {
                last.failing |= failing;
                last.events.push(i);
            }
            _ => out.push(Step {
                name,
                from,
                to,
                time_ms: e.aligned_ms,
                failing,
                events: vec![i],
            }),
        }
    }
    if c.outcome == "unanswered" && !out.iter().any(|s| s.failing) {
        if let Some(s) = out.iter_mut().find(|s| s.name == "tcp-connect") {
            s.failing = true;
        }
    }
    out
}

/// The first failing step, the one the diagram marks.
pub fn failing_step(steps: &[Step]) -> Option<usize> {
    steps.iter().position(|s| s.failing)
}

/// Geometry of the diagram, in SVG user units.
pub const WIDTH: i32 = 560;
pub const SPOKE_X: i32 = 170;
pub const HUB_X: i32 = 470;
pub const TOP: i32 = 48;
pub const ROW: i32 = 40;

/// x of a lifeline.
pub fn x_of(s: Side) -> i32 {
    match s {
        Side::Spoke => SPOKE_X,
        Side::Hub => HUB_X,
    }
}

/// y of step `i`'s arrow.
pub fn y_of(i: usize) -> i32 {
    TOP + 28 + i as i32 * ROW
}

/// Height of a diagram of `n` steps.
pub fn height(n: usize) -> i32 {
    y_of(n) + 4
}

/// The lifelines' captions: "spoke cucm11", "hub com1150".
pub fn lifeline_labels(a: &Analysis, conn: usize, lang: Lang) -> (String, String) {
    let c = a.connections.get(conn);
    let name = |input: Option<usize>, addr: Option<&String>| {
        input
            .and_then(|i| a.inputs.get(i))
            .and_then(|i| i.host.clone().or_else(|| i.host_ip.clone()))
            .or_else(|| addr.map(|s| s.split(':').next().unwrap_or(s).to_string()))
            .unwrap_or_else(|| "?".into())
    };
    let spoke = name(
        c.and_then(|c| c.spoke_input),
        c.and_then(|c| c.client.as_ref()),
    );
    let hub = name(
        c.and_then(|c| c.hub_input),
        c.and_then(|c| c.server.as_ref()),
    );
    (
        format!("{} {spoke}", t(lang, k!("role.spoke"))),
        format!("{} {hub}", t(lang, k!("role.hub"))),
    )
}

/// The words of a step name, in `lang`.
pub fn step_label(name: &str, lang: Lang) -> &'static str {
    t(
        lang,
        match name {
            "tcp-connect" => k!("ladder.tcp-connect"),
            "tls-handshake" => k!("ladder.tls-handshake"),
            "certificate" => k!("ladder.certificate"),
            "password" => k!("ladder.password"),
            "established" => k!("ladder.established"),
            "closed" => k!("ladder.closed"),
            _ => k!("ladder.alarm"),
        },
    )
}

impl Step {
    /// The event the arrow speaks for: on a failing step, the first event that fails it (the one
    /// carrying the error, which the finding's evidence names); otherwise the step's first event.
    pub fn key_event(&self, a: &Analysis) -> Option<usize> {
        let fails = |i: &usize| {
            a.events
                .get(*i)
                .and_then(|e| step_of(&e.kind))
                .is_some_and(|(_, failing)| failing)
        };
        self.failing
            .then(|| self.events.iter().copied().find(fails))
            .flatten()
            .or_else(|| self.events.first().copied())
    }
}

/// The label drawn on step `s`'s arrow: the step's words and the label of its
/// [`Step::key_event`] (the failing event on a failing step).
pub fn arrow_text(a: &Analysis, s: &Step, lang: Lang) -> String {
    let label = s
        .key_event(a)
        .and_then(|i| a.events.get(i))
        .map(|e| e.label.get(lang).to_string())
        .unwrap_or_default();
    let mut text = format!("{}: {label}", step_label(s.name, lang));
    if text.chars().count() > 60 {
        text = text.chars().take(59).collect::<String>() + "…";
    }
    text
}

/// The diagram of connection `conn` as SVG markup, every label escaped: for the HTML export.
/// Colours are CSS variables with fallbacks, so that the page's dark mode applies.
pub fn svg(a: &Analysis, conn: usize, lang: Lang) -> String {
    let steps = steps(a, conn);
    let (spoke, hub) = lifeline_labels(a, conn, lang);
    let h = height(steps.len());
    let mut s = format!(
        "<svg data-ladder=\"{conn}\" class=\"ladder\" viewBox=\"0 0 {WIDTH} {h}\" width=\"{WIDTH}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" style=\"color:var(--fg,#222)\">",
        esc(&format!("{} #{conn}", t(lang, k!("ladder.title"))))
    );
    for (x, label) in [(SPOKE_X, &spoke), (HUB_X, &hub)] {
        s += &format!(
            "<text x=\"{x}\" y=\"20\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"13\" font-weight=\"bold\">{}</text><line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{h}\" stroke=\"currentColor\" stroke-dasharray=\"4 3\"/>",
            esc(label),
            TOP - 18
        );
    }
    for (i, st) in steps.iter().enumerate() {
        let y = y_of(i);
        let colour = if st.failing {
            "var(--error,#c62828)"
        } else {
            "currentColor"
        };
        s += &format!(
            "<g data-step=\"{}\"{}><text x=\"4\" y=\"{}\" font-size=\"11\" fill=\"currentColor\">{}</text>",
            st.name,
            if st.failing { " data-failing=\"true\"" } else { "" },
            y + 4,
            clock(st.time_ms)
        );
        let (x1, x2) = (x_of(st.from), x_of(st.to));
        if x1 == x2 {
            s += &format!("<circle cx=\"{x1}\" cy=\"{y}\" r=\"6\" fill=\"{colour}\"/>");
        } else {
            let head = if x2 > x1 { x2 - 8 } else { x2 + 8 };
            s += &format!(
                "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"/><polygon points=\"{x2},{y} {head},{} {head},{}\" fill=\"{colour}\"/>",
                y - 5,
                y + 5
            );
        }
        s += &format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{colour}\">{}</text></g>",
            (SPOKE_X + HUB_X) / 2,
            y - 8,
            esc(&arrow_text(a, st, lang))
        );
    }
    s + "</svg>"
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use loupe_core::{Engine, Limits};

    /// The engine's result over the files of `tests/fixtures/ils/<dir>`.
    pub fn fixture(dir: &str) -> Analysis {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/ils")
            .join(dir);
        let mut files: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut engine = Engine::new(Limits::default());
        for f in files {
            let id = engine.begin(&f.file_name().unwrap().to_string_lossy());
            engine.push(id, &std::fs::read(&f).unwrap());
            engine.end(id);
        }
        engine.finish()
    }

    fn names(s: &[Step]) -> Vec<&str> {
        s.iter().map(|s| s.name).collect()
    }

    #[test]
    fn peer_unknown_fails_on_the_certificate() {
        let a = fixture("m2-spoke-cert-not-trusted");
        let s = steps(&a, 0);
        assert_eq!(names(&s), ["certificate", "alarm", "closed"]);
        assert_eq!(failing_step(&s), Some(0));
        assert_eq!((s[0].from, s[0].to), (Side::Spoke, Side::Hub));
        assert_eq!(s[0].events, [0, 1]);
        assert_eq!((s[2].from, s[2].to), (Side::Hub, Side::Spoke));
    }

    #[test]
    fn password_mismatch_after_a_tcp_connect() {
        let a = fixture("three-clusters");
        let s = steps(&a, 1);
        assert_eq!(names(&s), ["tcp-connect", "password", "alarm"]);
        assert_eq!(failing_step(&s), Some(1));
        assert!(s[0].time_ms < s[1].time_ms);
    }

    #[test]
    fn joined_attempt_has_no_failing_step() {
        let a = fixture("m3-tls-password-joined");
        let s = steps(&a, 0);
        assert_eq!(
            names(&s),
            [
                "certificate",
                "tcp-connect",
                "certificate",
                "password",
                "established",
                "established"
            ]
        );
        assert_eq!(failing_step(&s), None);
        // The four decryptions are one arrow; each side establishes: one arrow each way.
        assert_eq!(s[3].events.len(), 4);
        assert_eq!((s[4].from, s[5].from), (Side::Hub, Side::Spoke));
    }

    #[test]
    fn unanswered_connect_is_the_failing_step() {
        let a = fixture("h-port-blocked");
        let s = steps(&a, 0);
        assert_eq!(s[0].name, "tcp-connect");
        assert!(s[0].failing);
    }

    #[test]
    fn failing_arrow_names_the_failing_event() {
        // The certificate step holds "not in the local store" (normal in methods 3 and 4) and
        // then the verdict that fails the attempt: the arrow must say the latter.
        let a = fixture("m2-spoke-cert-not-trusted");
        let s = steps(&a, 0);
        assert_eq!(&*a.events[s[0].events[0]].kind, "cert-not-in-local-store");
        assert_eq!(s[0].key_event(&a), Some(1));
        let text = arrow_text(&a, &s[0], Lang::En);
        assert!(
            text.starts_with("certificate: certificate of cucm11"),
            "{text}"
        );
        assert!(!text.contains("local store"), "{text}");
        // A step that does not fail speaks for its first event.
        let joined = fixture("m3-tls-password-joined");
        let js = steps(&joined, 0);
        assert_eq!(js[3].key_event(&joined), Some(js[3].events[0]));
    }

    #[test]
    fn svg_escapes_labels() {
        let mut a = fixture("m2-spoke-cert-not-trusted");
        // The failing certificate arrow's label is event 1's.
        a.events[1].label.en = "<script>x</script>".into();
        a.inputs[0].host = Some("<b>".into());
        let svg = svg(&a, 0, Lang::En);
        assert!(svg.contains("&lt;script&gt;x"));
        assert!(svg.starts_with("<svg data-ladder=\"0\""));
        assert!(svg.contains("data-step=\"certificate\" data-failing=\"true\""));
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;"));
    }
}
