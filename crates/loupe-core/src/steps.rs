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
}

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
    /// A cause's repeated findings from one peer grouped into one (`findings` before grouping).
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
}

impl<'a> Steps<'a> {
    pub fn new(report: &'a mut dyn FnMut(Step)) -> Self {
        Self { done: 0, report }
    }

    /// Report `what` as begun.
    pub fn begin(&mut self, what: What) {
        (self.report)(Step {
            done: self.done.min(TOTAL),
            total: TOTAL,
            what,
        });
        self.done += 1;
    }
}
