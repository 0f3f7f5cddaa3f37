//! The signals of the ILS process that are only counted, by name (timers, data signals, signals
//! of no connection): nearly every line of a dense trace is one, so the count is kept in a hash
//! map keyed by the name's bytes, with a cheap hash (names are short and few), and whether the
//! name is a step of a connection is decided once per name, not once per line.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::events::is_connection_step;

#[derive(Debug, Default)]
pub struct SignalNames {
    names: HashMap<Box<[u8]>, Name, BuildHasherDefault<NameHasher>>,
}

#[derive(Debug)]
struct Name {
    count: u64,
    /// [`is_connection_step`] of the name.
    step: bool,
}

impl SignalNames {
    /// Count a signal of this name unless the name is a step of a connection (then the caller
    /// reads the signal in full). Returns whether it was counted; `None` when the name is not
    /// UTF-8 (the caller reads it in full too).
    pub fn count_unless_step(&mut self, name: &[u8]) -> Option<bool> {
        if let Some(n) = self.names.get_mut(name) {
            if !n.step {
                n.count += 1;
            }
            return Some(!n.step);
        }
        let step = is_connection_step(std::str::from_utf8(name).ok()?);
        self.names.insert(
            name.into(),
            Name {
                count: u64::from(!step),
                step,
            },
        );
        Some(!step)
    }

    /// Count a signal of this name, whatever it is.
    pub fn count(&mut self, name: &str) {
        match self.names.get_mut(name.as_bytes()) {
            Some(n) => n.count += 1,
            None => {
                let step = is_connection_step(name);
                self.names
                    .insert(name.as_bytes().into(), Name { count: 1, step });
            }
        }
    }

    /// The counts by name, in name order (names seen but never counted left out).
    pub fn into_counts(self) -> BTreeMap<String, u64> {
        self.names
            .into_iter()
            .filter(|(_, n)| n.count > 0)
            .map(|(k, n)| (String::from_utf8_lossy(&k).into_owned(), n.count))
            .collect()
    }
}

/// FxHash's mixing, eight bytes at a time: a few instructions for a 20-byte name, against
/// SipHash's dozens. Not resistant to chosen collisions, which only slow one input's counting.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let mut last = [0u8; 8];
        let rest = words.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.0 =
            (self.0.rotate_left(5) ^ u64::from_le_bytes(last) ^ rest.len() as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_not_counted_here_and_everything_else_is() {
        let mut s = SignalNames::default();
        assert_eq!(s.count_unless_step(b"IlsHeartbeatTimer"), Some(true));
        assert_eq!(s.count_unless_step(b"IlsHeartbeatTimer"), Some(true));
        assert_eq!(s.count_unless_step(b"SdlConnectReq"), Some(false));
        assert_eq!(s.count_unless_step(b"SdlConnectReq"), Some(false));
        assert_eq!(s.count_unless_step(b"\xff"), None);
        // A step that names no connection is counted by the full reading.
        s.count("SdlConnectReq");
        s.count("SdlDataInd");
        let counts = s.into_counts();
        assert_eq!(
            counts.into_iter().collect::<Vec<_>>(),
            [
                ("IlsHeartbeatTimer".to_string(), 2),
                ("SdlConnectReq".to_string(), 1),
                ("SdlDataInd".to_string(), 1)
            ]
        );
    }
}
