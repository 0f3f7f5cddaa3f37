//! How far a diagnosis has come, for a caller that shows progress ([`Engine::finish_with`]).
//!
//! The core reads no clock: it says which step begins, and the caller decides how often to show
//! it. On 100,000 attempts the diagnosis is seconds of work in the page's worker; without steps
//! the page's progress stood still for 3.4 s (bench/results.md, session 16).
//!
//! [`Engine::finish_with`]: crate::Engine::finish_with

/// A step of the diagnosis, begun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Steps begun before this one.
    pub done: usize,
    /// The steps of a whole diagnosis ([`TOTAL`]); every diagnosis reports each of them once.
    pub total: usize,
    pub what: What,
    /// How much of this step is done, in thousandths, while a long step runs; `None` as it
    /// begins. Reported every 50 thousandths, and only for steps over [`PART_MIN_ITEMS`] items:
    /// on 100,000 attempts one rule is a second of work in the page's worker.
    pub part: Option<u16>,
}

/// A step over fewer items is reported as it begins only.
pub const PART_MIN_ITEMS: usize = 4096;

/// What a [`Step`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// Grouping each trace's events into connection attempts and pairing them across traces.
    PairingAttempts,
    /// Building the connections (`connections` paired or lone attempts) and their outcomes.
    Connections { connections: usize },
    /// One ILS rule over every connection: `rule` is the rule id, or its family (`ils.joined.*`).
    Rule {
        rule: &'static str,
        connections: usize,
    },
    /// Alarms from syslog or RTMT joined to the findings they confirm.
    Alarms,
    /// The timeline published from the traces' events, then a cause's repeated findings from
    /// one peer grouped into one (`findings` before grouping).
    GroupingFindings { findings: usize },
    /// The SecureX chain (DNS, TCP, proxy, TLS, HTTP, connector).
    Securex,
}

/// Every step of a diagnosis: pairing, connections, ten rules, alarms, grouping, SecureX.
pub const TOTAL: usize = 15;

/// Counts the steps and hands each to the caller's callback.
pub struct Steps<'a> {
    done: usize,
    report: &'a mut dyn FnMut(Step),
    /// The step begun last, and the thousandths of it last reported.
    current: Option<(What, u16)>,
}

impl std::fmt::Debug for Steps<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Steps")
            .field("done", &self.done)
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl<'a> Steps<'a> {
    pub fn new(report: &'a mut dyn FnMut(Step)) -> Self {
        Self {
            done: 0,
            report,
            current: None,
        }
    }

    /// Report `what` as begun.
    pub fn begin(&mut self, what: What) {
        (self.report)(Step {
            done: self.done.min(TOTAL),
            total: TOTAL,
            what,
            part: None,
        });
        self.current = Some((what, 0));
        self.done += 1;
    }

    /// `item` of `items` done in pass `pass` of `passes` over them, in the step begun last:
    /// reported when another 50 thousandths of the step are done.
    pub fn part(&mut self, pass: usize, passes: usize, item: usize, items: usize) {
        if items < PART_MIN_ITEMS {
            return;
        }
        let Some((what, last)) = self.current else {
            return;
        };
        let whole = (passes.max(1) * items) as u64;
        let now = ((pass * items + item.min(items)) as u64 * 1000 / whole).min(1000) as u16;
        if now < last + 50 {
            return;
        }
        self.current = Some((what, now));
        (self.report)(Step {
            done: (self.done - 1).min(TOTAL),
            total: TOTAL,
            what,
            part: Some(now),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(run: impl FnOnce(&mut Steps)) -> Vec<Step> {
        let mut out = Vec::new();
        let mut report = |s: Step| out.push(s);
        let mut steps = Steps::new(&mut report);
        run(&mut steps);
        out
    }

    #[test]
    fn a_long_step_reports_its_parts_forward_a_small_one_only_its_beginning() {
        let n = 100_000;
        let out = reported(|steps| {
            steps.begin(What::Connections { connections: n });
            // Three passes over the connections, as building them does.
            for pass in 0..3 {
                for i in 0..n {
                    steps.part(pass, 3, i, n);
                }
            }
            steps.begin(What::Alarms);
            for i in 0..PART_MIN_ITEMS - 1 {
                steps.part(0, 1, i, PART_MIN_ITEMS - 1);
            }
        });
        let parts: Vec<u16> = out.iter().filter_map(|s| s.part).collect();
        // Every 50 thousandths, forward, never past the whole step.
        assert_eq!(parts, (1..20).map(|k| k * 50).collect::<Vec<u16>>());
        assert!(out
            .iter()
            .filter(|s| s.part.is_some())
            .all(|s| s.done == 0 && matches!(s.what, What::Connections { .. })));
        // The small step: its beginning only.
        let last = out.last().unwrap();
        assert_eq!((last.done, last.what, last.part), (1, What::Alarms, None));
    }
}
