//! The signals of the ILS process that are only counted, by name (timers, data signals, signals
//! of no connection): nearly every line of a dense trace is one, so the count is kept in a hash
//! map keyed by the name's bytes, with a cheap hash (names are short and few), and whether the
//! name is a step of a connection is decided once per name, not once per line. Lines of the
//! usual layout are counted from their padded name column as it stands ([`SignalNames::count_line`]),
//! without finding where the name ends.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::events::is_connection_step;

/// Bytes 34 to 77 of an SdlSig line of the usual layout: the padding after the type, the bar,
/// the name padded to 39 bytes, and the bar that ends it.
const COLUMN_AT: usize = 34;
const COLUMN_LEN: usize = 44;
/// Slots of the column cache: a trace has a dozen signal names or so.
const SLOTS: usize = 64;

type Column = [u8; COLUMN_LEN];

#[derive(Debug, Default)]
pub struct SignalNames {
    /// Index into `counts` by name.
    names: HashMap<Box<[u8]>, usize, BuildHasherDefault<NameHasher>>,
    counts: Vec<Name>,
    /// Name columns already read, each with the index of its name (a counted one): a line whose
    /// column is one of these is counted at once. Empty until the first line.
    columns: Vec<Option<(Column, usize)>>,
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
    #[cfg(test)]
    pub fn count_unless_step(&mut self, name: &[u8]) -> Option<bool> {
        self.count_unless_step_at(name).map(|(_, counted)| counted)
    }

    /// [`SignalNames::count_unless_step`] and the index of the name.
    fn count_unless_step_at(&mut self, name: &[u8]) -> Option<(usize, bool)> {
        if let Some(&i) = self.names.get(name) {
            let n = &mut self.counts[i];
            if !n.step {
                n.count += 1;
            }
            return Some((i, !n.step));
        }
        let step = is_connection_step(std::str::from_utf8(name).ok()?);
        Some((self.insert(name, u64::from(!step), step), !step))
    }

    /// [`SignalNames::count_unless_step`] of the name `name_of` finds in an SdlSig `line` of the
    /// usual layout. The name is a function of the line's bytes 34 to 77 when byte 77 is the bar
    /// that ends the name column (the name is read from byte 34 and ends at a bar): a line whose
    /// bytes there are those of a line already counted is counted without reading its name
    /// (`name_of` and the hash of the name took most of a counted signal's time).
    #[inline(always)]
    pub fn count_line(
        &mut self,
        line: &[u8],
        name_of: impl FnOnce(&[u8]) -> Option<&[u8]>,
    ) -> Option<bool> {
        let column: Option<&Column> = line
            .get(COLUMN_AT..COLUMN_AT + COLUMN_LEN)
            .and_then(|c| c.try_into().ok())
            .filter(|c: &&Column| c[COLUMN_LEN - 1] == b'|');
        let slot = column.map(slot_of);
        if let (Some(column), Some(slot)) = (column, slot) {
            if let Some(Some((seen, i))) = self.columns.get(slot) {
                if same_column(seen, column) {
                    self.counts[*i].count += 1;
                    return Some(true);
                }
            }
        }
        let (i, counted) = self.count_unless_step_at(name_of(line)?)?;
        if let (true, Some(column), Some(slot)) = (counted, column, slot) {
            if self.columns.is_empty() {
                self.columns.resize(SLOTS, None);
            }
            // The first column of a slot keeps it (another column there is read each time).
            self.columns[slot].get_or_insert((*column, i));
        }
        Some(counted)
    }

    /// Count a signal of this name, whatever it is.
    pub fn count(&mut self, name: &str) {
        match self.names.get(name.as_bytes()) {
            Some(&i) => self.counts[i].count += 1,
            None => {
                let step = is_connection_step(name);
                self.insert(name.as_bytes(), 1, step);
            }
        }
    }

    fn insert(&mut self, name: &[u8], count: u64, step: bool) -> usize {
        let i = self.counts.len();
        self.counts.push(Name { count, step });
        self.names.insert(name.into(), i);
        i
    }

    /// The counts by name, in name order (names seen but never counted left out).
    pub fn into_counts(self) -> BTreeMap<String, u64> {
        let counts = self.counts;
        self.names
            .into_iter()
            .filter(|(_, i)| counts[*i].count > 0)
            .map(|(k, i)| (String::from_utf8_lossy(&k).into_owned(), counts[i].count))
            .collect()
    }
}

/// `a == b`, as five words and four bytes compared in registers (`==` on the arrays called
/// `memcmp` for every counted signal).
#[inline(always)]
fn same_column(a: &Column, b: &Column) -> bool {
    let word =
        |c: &Column, at: usize| u64::from_le_bytes(c[at..at + 8].try_into().expect("8 bytes"));
    let differ = (0..5).fold(0, |d, k| d | (word(a, 8 * k) ^ word(b, 8 * k)));
    let tail = |c: &Column| u32::from_le_bytes(c[40..44].try_into().expect("4 bytes"));
    differ == 0 && tail(a) == tail(b)
}

/// The cache slot of a name column: its first 16 bytes after the bar (a name's start tells most
/// names apart) mixed into 6 bits.
#[inline]
fn slot_of(column: &Column) -> usize {
    let word = |at: usize| u64::from_le_bytes(column[at..at + 8].try_into().expect("8 bytes"));
    let h = (word(4) ^ word(12).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 58) as usize
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

    /// An SdlSig line of the usual layout with this name column (bytes 38 on).
    fn line(column: &str) -> Vec<u8> {
        format!("00077017.000 |08:20:04.252 |SdlSig   |{column}|wait |Ils(1,600,20,1) |x")
            .into_bytes()
    }

    fn padded(name: &str) -> String {
        format!("{name:<39}")
    }

    #[test]
    fn a_name_column_seen_before_is_counted_as_its_name_was() {
        let mut s = SignalNames::default();
        let name_of = super::super::counted_signal_name;
        let timer = line(&padded("IlsHeartbeatTimer"));
        let data = line(&padded("SdlDataInd"));
        let step = line(&padded("SdlConnectReq"));
        for _ in 0..3 {
            assert_eq!(s.count_line(&timer, name_of), Some(true));
            assert_eq!(s.count_line(&data, name_of), Some(true));
            // A step is never taken from the cache: its line is read in full each time.
            assert_eq!(s.count_line(&step, name_of), Some(false));
        }
        // The same name padded otherwise (its bar not at byte 77), or unpadded: read, same name.
        assert_eq!(
            s.count_line(&line("IlsHeartbeatTimer "), name_of),
            Some(true)
        );
        assert_eq!(
            s.count_line(&line(&format!("{:<45}", "IlsHeartbeatTimer")), name_of),
            Some(true)
        );
        // Another name in the same bytes up to its end, then different padding: its own name.
        let longer = line(&padded("IlsHeartbeatTimerX"));
        assert_eq!(s.count_line(&longer, name_of), Some(true));
        assert_eq!(s.count_line(&longer, name_of), Some(true));
        // A line cut before the column's end is read as before.
        assert_eq!(s.count_line(&timer[..60], name_of), Some(true));
        // Counted through the cache or not, the counts are those of the names.
        assert_eq!(
            s.into_counts().into_iter().collect::<Vec<_>>(),
            [
                ("IlsHeartbeatTimer".to_string(), 6),
                ("IlsHeartbeatTimerX".to_string(), 2),
                ("SdlDataInd".to_string(), 3),
            ]
        );
    }

    #[test]
    fn steps_are_not_counted_here_and_everything_else_is() {
        let mut s = SignalNames::default();
        assert_eq!(s.count_unless_step(b"IlsHeartbeatTimer"), Some(true));
        assert_eq!(s.count_unless_step(b"IlsHeartbeatTimer"), Some(true));
        // A timer, though its name says `Connect`.
        assert_eq!(s.count_unless_step(b"IlsRetryConnectTimer"), Some(true));
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
                ("IlsRetryConnectTimer".to_string(), 1),
                ("SdlConnectReq".to_string(), 1),
                ("SdlDataInd".to_string(), 1)
            ]
        );
    }
}
