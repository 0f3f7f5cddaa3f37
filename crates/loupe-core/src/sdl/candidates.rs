//! Where the next ILS candidate literal starts: the first pass over every byte of a trace.
//!
//! Two searches run side by side over a block, each resumed only when a line is past its last
//! hit ([`Hits`]):
//! - [`find_signal`] for `Ils(` ([`SIGNAL_LITERAL`]), which is on nearly every line of a trace at
//!   level Detailed (every SdlSig record of the ILS process names it): resumed after nearly
//!   every line, so its start must cost little. A check of its first and last bytes 32
//!   positions at a time, in AVX2 on x86-64 (`avx2::find_signal`) and in `simd128` in
//!   WebAssembly (`simd128::find_signal`); elsewhere memchr's memmem;
//! - [`find_other`] for the other [`CANDIDATE_LITERALS`], which are rare (a few per thousand
//!   lines), so that a SIMD multi-literal search runs over long stretches. With `Ils(` among its
//!   needles it stopped and restarted on every signal line (callgrind, 2 × 10 MB ILS-dense: the
//!   split saved 1.2 % of the instructions natively; most of the search's cost is its scan).
//!
//! aho-corasick has no SIMD search for WebAssembly, where its DFA walks every byte and took 55 %
//! of the page's analysis time (node `--cpu-prof` of the wasm engine on 2 × 100 MB). There,
//! [`Fingerprint`] does what aho-corasick's Teddy does in 128-bit `simd128` lanes: each of 16
//! positions is checked at once against the first and fifth bytes of every needle (nibble tables
//! looked up with a swizzle, needles in 8 buckets), four vectors a step with one test for all,
//! and only the positions that pass are compared with their bucket's needles. On x86-64 with
//! AVX2 the same search runs 32 positions at a time (`avx2`): Teddy, which checks four bytes per
//! needle, cost more (the CLI's CPU time on 2 × 100 MB ILS-dense went from 137–150 ms to
//! 125–127 ms). Teddy remains on other native targets.
//! The same code runs on plain arrays ([`Lanes`]) on every target, so its result is tested
//! natively against aho-corasick, as is the AVX2 search where the CPU has it.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::events::{CANDIDATE_LITERALS, OTHER_CANDIDATE_LITERALS, SIGNAL_LITERAL};

/// The leftmost start, at or after `from`, of any of [`CANDIDATE_LITERALS`] in `hay`.
pub fn find(hay: &[u8], from: usize) -> Option<usize> {
    min_hit(find_other(hay, from), find_signal(hay, from))
}

/// The leftmost start, at or after `from`, of [`SIGNAL_LITERAL`] in `hay`.
#[inline]
pub fn find_signal(hay: &[u8], from: usize) -> Option<usize> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::find_signal(hay, from)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        #[cfg(target_arch = "x86_64")]
        if avx2::available() {
            // SAFETY: the CPU has AVX2 (checked at run time).
            return unsafe { avx2::find_signal(hay, from) };
        }
        find_signal_with_memmem(hay, from)
    }
}

/// [`SIGNAL_LITERAL`]'s four bytes (a longer or shorter literal fails to compile here): the
/// vector searches check its first and last, then the two between.
const SIGNAL_BYTES: [u8; 4] = match SIGNAL_LITERAL {
    &[a, b, c, d] => [a, b, c, d],
    _ => panic!("the signal literal is four bytes"),
};

/// The first position `at + j`, for the set bits `j` of `lanes` in order (where the first and
/// last bytes of [`SIGNAL_BYTES`] matched), where the two bytes between match too.
#[inline(always)]
fn first_signal(hay: &[u8], at: usize, mut lanes: u32) -> Option<usize> {
    while lanes != 0 {
        let j = at + lanes.trailing_zeros() as usize;
        lanes &= lanes - 1;
        if hay[j + 1..j + 3] == SIGNAL_BYTES[1..3] {
            return Some(j);
        }
    }
    None
}

/// [`find_signal`] by memchr's memmem: the form on targets with neither AVX2 nor `simd128`, the
/// end of a block for those (fewer than 35 bytes left), and the reference in tests.
pub fn find_signal_with_memmem(hay: &[u8], from: usize) -> Option<usize> {
    static F: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let f = F.get_or_init(|| memchr::memmem::Finder::new(SIGNAL_LITERAL));
    f.find(hay.get(from..)?).map(|i| from + i)
}

/// The leftmost start, at or after `from`, of any of [`OTHER_CANDIDATE_LITERALS`] in `hay`.
#[inline]
pub fn find_other(hay: &[u8], from: usize) -> Option<usize> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        fingerprint().find::<simd128::V>(hay, from)
    }
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::find(fingerprint(), hay, from) };
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        static F: OnceLock<AhoCorasick> = OnceLock::new();
        aho_corasick_find(&F, OTHER_CANDIDATE_LITERALS, hay, from)
    }
}

fn min_hit(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The next hit of one search over a block, resumed lazily line by line.
pub struct Hits<F> {
    next: usize,
    search: F,
}

impl<F: FnMut(usize) -> Option<usize>> Hits<F> {
    pub fn new(mut search: F) -> Self {
        let next = search(0).unwrap_or(usize::MAX);
        Hits { next, search }
    }

    /// Is there a hit in the line `start..end`? Lines must come in order. The search resumes
    /// only when its last hit lies before `start`; a hit in this line is kept until then.
    #[inline]
    pub fn in_line(&mut self, start: usize, end: usize) -> bool {
        if self.next < start {
            self.next = (self.search)(start).unwrap_or(usize::MAX);
        }
        self.next < end
    }
}

/// The reference for [`find`]: aho-corasick over all of [`CANDIDATE_LITERALS`] (Teddy where the
/// target has it).
pub fn find_with_aho_corasick(hay: &[u8], from: usize) -> Option<usize> {
    static F: OnceLock<AhoCorasick> = OnceLock::new();
    aho_corasick_find(&F, CANDIDATE_LITERALS, hay, from)
}

fn aho_corasick_find(
    cell: &OnceLock<AhoCorasick>,
    needles: &[&str],
    hay: &[u8],
    from: usize,
) -> Option<usize> {
    let f = cell.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(needles)
            .expect("literals")
    });
    if from > hay.len() {
        return None;
    }
    f.find(aho_corasick::Input::new(hay).span(from..hay.len()))
        .map(|m| m.start())
}

/// The portable form of [`find`] (the fingerprint search on plain arrays), for tests and
/// benchmarks on any target.
pub fn find_portable(hay: &[u8], from: usize) -> Option<usize> {
    min_hit(
        fingerprint().find::<Lanes>(hay, from),
        find_signal(hay, from),
    )
}

fn fingerprint() -> &'static Fingerprint {
    static F: OnceLock<Fingerprint> = OnceLock::new();
    F.get_or_init(|| Fingerprint::new(OTHER_CANDIDATE_LITERALS, &BUCKETS))
}

/// The bytes of each needle checked by the vector pass: its first and its fifth (every needle
/// has at least five). Two bytes cost two loads and four table lookups per 16 positions where
/// three adjacent bytes cost three and six, and the first and fifth bytes of these needles pass
/// fewer positions of a trace than the first two or three do (see [`BUCKETS`]).
const CHECKED: [usize; 2] = [0, 4];

/// The bucket of each of [`OTHER_CANDIDATE_LITERALS`], in their order. A bucket's tables accept
/// any mix of its needles' nibbles, so which needles share one decides how many positions of a
/// trace pass the vector check only to fail the comparison. Chosen by a local search over
/// assignments on 2 MB of the ILS-dense corpus (`cargo xtask gen`): 1,027 positions pass, against
/// 7,318 with needle `n` in bucket `n % 8` and 3,200 with the first three bytes checked that way.
/// Any assignment gives the same result; this one gives it faster.
const BUCKETS: [u8; 11] = [2, 5, 6, 3, 4, 1, 6, 7, 0, 1, 2];
const _: () = assert!(BUCKETS.len() == OTHER_CANDIDATE_LITERALS.len());

/// Nibble tables for the [`CHECKED`] bytes of the needles, and the needles of each bucket.
pub struct Fingerprint {
    /// `lo[i][n]`: buckets with a needle whose byte `CHECKED[i]` has low nibble `n`; `hi` the
    /// same for the high nibble.
    lo: [[u8; 16]; CHECKED.len()],
    hi: [[u8; 16]; CHECKED.len()],
    buckets: [Vec<&'static [u8]>; 8],
}

/// The 16-lane operations the search needs: `simd128` in WebAssembly, plain arrays elsewhere.
pub trait Vector: Copy {
    /// 16 bytes from `bytes[at..at + 16]` (the caller checks the bounds).
    fn load(bytes: &[u8], at: usize) -> Self;
    fn table(t: &[u8; 16]) -> Self;
    /// Each lane's low and high nibble.
    fn nibbles(self) -> (Self, Self);
    /// `table[self[i]]` in lane `i` (every lane below 16).
    fn lookup(table: Self, index: Self) -> Self;
    fn and(self, other: Self) -> Self;
    /// Bit `i` set when lane `i` is not zero.
    fn nonzero_lanes(self) -> u16;
    fn lanes(self) -> [u8; 16];
    fn or(self, other: Self) -> Self;
    /// Is any lane not zero?
    fn any(self) -> bool;
}

/// The portable [`Vector`].
#[derive(Clone, Copy)]
pub struct Lanes([u8; 16]);

impl Vector for Lanes {
    #[inline]
    fn load(bytes: &[u8], at: usize) -> Self {
        let mut v = [0; 16];
        v.copy_from_slice(&bytes[at..at + 16]);
        Lanes(v)
    }
    fn table(t: &[u8; 16]) -> Self {
        Lanes(*t)
    }
    #[inline]
    fn nibbles(self) -> (Self, Self) {
        (
            Lanes(self.0.map(|b| b & 0x0f)),
            Lanes(self.0.map(|b| b >> 4)),
        )
    }
    #[inline]
    fn lookup(table: Self, index: Self) -> Self {
        Lanes(index.0.map(|i| table.0[i as usize & 0x0f]))
    }
    #[inline]
    fn and(self, other: Self) -> Self {
        self.each_with(other, |a, b| a & b)
    }
    #[inline]
    fn nonzero_lanes(self) -> u16 {
        self.0
            .iter()
            .enumerate()
            .fold(0, |m, (i, &b)| m | (u16::from(b != 0) << i))
    }
    fn lanes(self) -> [u8; 16] {
        self.0
    }
    #[inline]
    fn or(self, other: Self) -> Self {
        self.each_with(other, |a, b| a | b)
    }
    #[inline]
    fn any(self) -> bool {
        self.0 != [0; 16]
    }
}

impl Lanes {
    /// `f` of the two lanes `i`, in lane `i`.
    #[inline]
    fn each_with(self, other: Self, f: impl Fn(u8, u8) -> u8) -> Self {
        let mut v = self.0;
        for (a, b) in v.iter_mut().zip(other.0) {
            *a = f(*a, b);
        }
        Lanes(v)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    /// `simd128` lanes.
    #[derive(Clone, Copy)]
    pub struct V(v128);

    impl super::Vector for V {
        #[inline(always)]
        fn load(bytes: &[u8], at: usize) -> Self {
            assert!(at + 16 <= bytes.len());
            // SAFETY: the 16 bytes are in bounds (checked above); v128_load has no alignment need.
            V(unsafe { v128_load(bytes.as_ptr().add(at) as *const v128) })
        }
        fn table(t: &[u8; 16]) -> Self {
            // SAFETY: a 16-byte array, read unaligned.
            V(unsafe { v128_load(t.as_ptr() as *const v128) })
        }
        #[inline(always)]
        fn nibbles(self) -> (Self, Self) {
            (
                V(v128_and(self.0, u8x16_splat(0x0f))),
                V(u8x16_shr(self.0, 4)),
            )
        }
        #[inline(always)]
        fn lookup(table: Self, index: Self) -> Self {
            V(i8x16_swizzle(table.0, index.0))
        }
        #[inline(always)]
        fn and(self, other: Self) -> Self {
            V(v128_and(self.0, other.0))
        }
        #[inline(always)]
        fn nonzero_lanes(self) -> u16 {
            if !v128_any_true(self.0) {
                return 0;
            }
            u8x16_bitmask(u8x16_ne(self.0, u8x16_splat(0)))
        }
        fn lanes(self) -> [u8; 16] {
            let mut out = [0u8; 16];
            // SAFETY: a 16-byte array, written unaligned.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, self.0) };
            out
        }
        #[inline(always)]
        fn or(self, other: Self) -> Self {
            V(v128_or(self.0, other.0))
        }
        #[inline(always)]
        fn any(self) -> bool {
            v128_any_true(self.0)
        }
    }

    /// [`super::find_signal`]: `I` and `(` three bytes apart, 32 positions a step, then the two
    /// bytes between, as `avx2::find_signal` does natively. The search is resumed after nearly
    /// every line of a dense trace, a few hundred bytes each time, where memchr's memmem paid
    /// its start on every call: 39 ms of the 240 ms the wasm engine spent on 105 MB of ILS-dense
    /// trace (node `--cpu-prof` of the `wasm32-wasip1` build).
    pub fn find_signal(hay: &[u8], from: usize) -> Option<usize> {
        const NEEDLE: [u8; 4] = super::SIGNAL_BYTES;
        let (first, last) = (u8x16_splat(NEEDLE[0]), u8x16_splat(NEEDLE[3]));
        let mut at = from;
        while at + 32 + 3 <= hay.len() {
            let p = hay.as_ptr();
            // SAFETY: bytes `at..at + 35` are inside `hay` (loop condition); `v128_load` has no
            // alignment need.
            let both = |k: usize| unsafe {
                v128_and(
                    u8x16_eq(v128_load(p.add(at + k) as *const v128), first),
                    u8x16_eq(v128_load(p.add(at + k + 3) as *const v128), last),
                )
            };
            let (m0, m1) = (both(0), both(16));
            if v128_any_true(v128_or(m0, m1)) {
                let lanes = u32::from(u8x16_bitmask(m0)) | (u32::from(u8x16_bitmask(m1)) << 16);
                if let Some(j) = super::first_signal(hay, at, lanes) {
                    return Some(j);
                }
            }
            at += 32;
        }
        super::find_signal_with_memmem(hay, at)
    }
}

/// [`Fingerprint::find`] 32 positions at a time in AVX2 registers, where the CPU has them: the
/// same two checked bytes and nibble tables (each table in both 128-bit halves, as `vpshufb`
/// looks up within a half). Teddy, which aho-corasick runs here otherwise, checks four bytes of
/// each needle: on the ILS-dense corpus it was a fifth of the instructions of `loupe analyze`
/// (callgrind, 2 x 10 MB: 24.6 M), this about 12 M.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use core::arch::x86_64::*;
    use std::sync::OnceLock;

    use super::{Fingerprint, Lanes, CHECKED};

    pub fn available() -> bool {
        static AVX2: OnceLock<bool> = OnceLock::new();
        *AVX2.get_or_init(|| std::is_x86_feature_detected!("avx2"))
    }

    /// [`super::find_signal`]: `I` and `(` three bytes apart, 32 positions at a time, then the
    /// two bytes between. The search is resumed after nearly every line of a dense trace, a few
    /// hundred bytes each time, where memmem's start cost as much as its scan (callgrind: 174
    /// instructions a call).
    ///
    /// # Safety
    /// The CPU must have AVX2 ([`available`]).
    #[target_feature(enable = "avx2")]
    pub unsafe fn find_signal(hay: &[u8], from: usize) -> Option<usize> {
        const NEEDLE: [u8; 4] = super::SIGNAL_BYTES;
        let (first, last) = (
            _mm256_set1_epi8(NEEDLE[0] as i8),
            _mm256_set1_epi8(NEEDLE[3] as i8),
        );
        let mut at = from;
        while at + 32 + 3 <= hay.len() {
            // SAFETY: AVX2 is enabled; bytes `at..at + 35` are inside `hay` (loop condition).
            let (a, d) = unsafe {
                (
                    _mm256_loadu_si256(hay.as_ptr().add(at).cast()),
                    _mm256_loadu_si256(hay.as_ptr().add(at + 3).cast()),
                )
            };
            let both = _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(d, last));
            if let Some(j) = super::first_signal(hay, at, _mm256_movemask_epi8(both) as u32) {
                return Some(j);
            }
            at += 32;
        }
        super::find_signal_with_memmem(hay, at)
    }

    /// # Safety
    /// The CPU must have AVX2 ([`available`]).
    #[target_feature(enable = "avx2")]
    pub unsafe fn find(f: &Fingerprint, hay: &[u8], from: usize) -> Option<usize> {
        // SAFETY (every intrinsic below): AVX2 is enabled for this function; each load reads
        // 32 bytes that the loop condition keeps inside `hay`, or a 16-byte table.
        let table = |t: &[u8; 16]| unsafe {
            _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast()))
        };
        let [lo0, lo1] = f.lo.each_ref().map(table);
        let [hi0, hi1] = f.hi.each_ref().map(table);
        let low = _mm256_set1_epi8(0x0f);
        let zero = _mm256_setzero_si256();
        // The buckets whose checked bytes match at positions `at..at + 32` (the caller keeps the
        // loads inside `hay`).
        let fingerprint = |at: usize| {
            let a = unsafe { _mm256_loadu_si256(hay.as_ptr().add(at + CHECKED[0]).cast()) };
            let b = unsafe { _mm256_loadu_si256(hay.as_ptr().add(at + CHECKED[1]).cast()) };
            // The byte itself indexes the low-nibble table: `vpshufb` reads its low nibble, and
            // gives 0 for a byte with the high bit set, which no needle has (they are ASCII).
            let look = |lo, hi, v| {
                let h = _mm256_and_si256(_mm256_srli_epi16::<4>(v), low);
                _mm256_and_si256(_mm256_shuffle_epi8(lo, v), _mm256_shuffle_epi8(hi, h))
            };
            _mm256_and_si256(look(lo0, hi0, a), look(lo1, hi1, b))
        };
        let verified = |at: usize, m: __m256i| {
            let lanes = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero)) as u32);
            let mut buckets = [0u8; 32];
            unsafe { _mm256_storeu_si256(buckets.as_mut_ptr().cast(), m) };
            f.first_verified(hay, at, lanes, &buckets)
        };
        let mut at = from;
        // 64 positions a step, one test for both halves (a candidate is rare).
        while at + 64 + CHECKED[1] <= hay.len() {
            let (m0, m1) = (fingerprint(at), fingerprint(at + 32));
            let any = _mm256_or_si256(m0, m1);
            if _mm256_testz_si256(any, any) == 0 {
                for (base, m) in [(at, m0), (at + 32, m1)] {
                    if let Some(s) = verified(base, m) {
                        return Some(s);
                    }
                }
            }
            at += 64;
        }
        if at + 32 + CHECKED[1] <= hay.len() {
            if let Some(s) = verified(at, fingerprint(at)) {
                return Some(s);
            }
            at += 32;
        }
        // The last positions, 16 then one at a time.
        f.find::<Lanes>(hay, at)
    }
}

impl Fingerprint {
    /// Needles must be longer than the last of [`CHECKED`]; `buckets[n]` is needle `n`'s bucket
    /// (below 8), one for each needle.
    pub fn new(needles: &'static [&'static str], buckets: &[u8]) -> Self {
        assert_eq!(needles.len(), buckets.len(), "one bucket per needle");
        let mut f = Fingerprint {
            lo: [[0; 16]; CHECKED.len()],
            hi: [[0; 16]; CHECKED.len()],
            buckets: Default::default(),
        };
        for (n, needle) in needles.iter().enumerate() {
            let bytes = needle.as_bytes();
            assert!(bytes.len() > CHECKED[1], "needle {needle:?} too short");
            // The AVX2 search relies on it.
            assert!(bytes.is_ascii(), "needle {needle:?} is not ASCII");
            let bucket = usize::from(buckets[n]);
            assert!(bucket < 8, "bucket {bucket} of {needle:?}");
            f.buckets[bucket].push(bytes);
            for (i, &at) in CHECKED.iter().enumerate() {
                let b = bytes[at];
                f.lo[i][usize::from(b & 0x0f)] |= 1 << bucket;
                f.hi[i][usize::from(b >> 4)] |= 1 << bucket;
            }
        }
        f
    }

    /// The leftmost start at or after `from` of any needle in `hay`.
    #[inline]
    pub fn find<V: Vector>(&self, hay: &[u8], from: usize) -> Option<usize> {
        let [lo0, lo1] = self.lo.map(|t| V::table(&t));
        let [hi0, hi1] = self.hi.map(|t| V::table(&t));
        // The buckets whose checked bytes match at positions `at..at + 16`, read from the bytes
        // up to `at + 15 + CHECKED[1]`.
        let buckets = |at: usize| {
            let (l, h) = V::load(hay, at + CHECKED[0]).nibbles();
            let m = V::lookup(lo0, l).and(V::lookup(hi0, h));
            let (l, h) = V::load(hay, at + CHECKED[1]).nibbles();
            m.and(V::lookup(lo1, l)).and(V::lookup(hi1, h))
        };
        let verified = |at: usize, m: V| match m.nonzero_lanes() {
            0 => None,
            lanes => self.first_verified(hay, at, u32::from(lanes), &m.lanes()),
        };
        let mut at = from;
        // 64 positions a step, one test for all four vectors (a candidate is rare). In the wasm
        // engine (node `--cpu-prof`, 2 x 100 MB ILS-dense, five runs each on a noisy machine)
        // this and `simd128::find_signal` took the two searches and the line loop from a median
        // of 292 ms to 247 ms.
        while at + 64 + CHECKED[1] <= hay.len() {
            let m = [
                buckets(at),
                buckets(at + 16),
                buckets(at + 32),
                buckets(at + 48),
            ];
            if m[0].or(m[1]).or(m[2].or(m[3])).any() {
                for (k, m) in m.into_iter().enumerate() {
                    if let Some(s) = verified(at + 16 * k, m) {
                        return Some(s);
                    }
                }
            }
            at += 64;
        }
        while at + 16 + CHECKED[1] <= hay.len() {
            if let Some(s) = verified(at, buckets(at)) {
                return Some(s);
            }
            at += 16;
        }
        // The last few positions, one by one.
        (at..hay.len()).find(|&s| self.verify(hay, s, 0xff))
    }

    /// The first position `at + j`, for the set bits `j` of `lanes` in order, where a needle of
    /// the buckets `buckets[j]` starts.
    #[inline]
    fn first_verified(
        &self,
        hay: &[u8],
        at: usize,
        mut lanes: u32,
        buckets: &[u8],
    ) -> Option<usize> {
        while lanes != 0 {
            let j = lanes.trailing_zeros() as usize;
            lanes &= lanes - 1;
            if self.verify(hay, at + j, buckets[j]) {
                return Some(at + j);
            }
        }
        None
    }

    /// Does a needle of one of `buckets` start at `s`?
    #[inline]
    fn verify(&self, hay: &[u8], s: usize, mut buckets: u8) -> bool {
        let rest = &hay[s..];
        while buckets != 0 {
            let b = buckets.trailing_zeros() as usize;
            buckets &= buckets - 1;
            if self.buckets[b].iter().any(|n| rest.starts_with(n)) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bytes that often make up a needle or a near miss, and some others.
    fn alphabet() -> Vec<u8> {
        let mut a: Vec<u8> = CANDIDATE_LITERALS.concat().into_bytes();
        a.extend_from_slice(b" \n|\r\t0(\xe3\x81\x82\xff");
        a
    }

    fn hay() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            4 => proptest::sample::select(alphabet()).prop_map(|b| vec![b]),
            1 => proptest::sample::select(CANDIDATE_LITERALS.to_vec()).prop_map(|n| n.as_bytes().to_vec()),
            1 => proptest::sample::select(CANDIDATE_LITERALS.to_vec())
                .prop_map(|n| n.as_bytes()[..n.len() - 1].to_vec()),
        ];
        proptest::collection::vec(pieces, 0..120).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_fingerprint_search_finds_what_aho_corasick_finds(h in hay(), from in 0usize..200) {
            let from = from.min(h.len());
            prop_assert_eq!(find_portable(&h, from), find_with_aho_corasick(&h, from));
            // The search this target runs (AVX2 where the CPU has it).
            prop_assert_eq!(find(&h, from), find_with_aho_corasick(&h, from));
            prop_assert_eq!(find_signal(&h, from), find_signal_with_memmem(&h, from));
        }
    }

    #[test]
    fn every_needle_at_every_offset_and_at_the_very_end() {
        for n in CANDIDATE_LITERALS {
            for pad in 0..40 {
                let mut h = vec![b'x'; pad];
                h.extend_from_slice(n.as_bytes());
                assert_eq!(find_portable(&h, 0), Some(pad), "{n} after {pad}");
                assert_eq!(find_portable(&h, pad + 1), None);
                assert_eq!(find(&h, 0), Some(pad), "{n} after {pad}");
                assert_eq!(find(&h, pad + 1), None);
                assert_eq!(
                    find_signal(&h, 0),
                    find_signal_with_memmem(&h, 0),
                    "{n} after {pad}"
                );
                // Cut one byte short: no match.
                h.pop();
                assert_eq!(find_portable(&h, 0), None);
                assert_eq!(find(&h, 0), None);
            }
        }
    }

    #[test]
    fn a_real_trace_gives_the_same_candidates() {
        let trace = [
            include_str!("../../../../tests/fixtures/ils/m3-tls-password-joined/hub.txt"),
            include_str!("../../../../tests/fixtures/ils/m3-tls-password-joined/spoke.txt"),
            include_str!("../../../../tests/fixtures/ils/m2-spoke-cert-not-trusted/hub.txt"),
            include_str!("../../../../tests/fixtures/ils/m2-spoke-cert-not-trusted/spoke.txt"),
        ]
        .concat();
        let h = trace.as_bytes();
        let mut at = 0;
        let mut hits = 0;
        while let Some(s) = find_with_aho_corasick(h, at) {
            assert_eq!(find_portable(h, at), Some(s));
            assert_eq!(find(h, at), Some(s));
            assert_eq!(find_signal(h, at), find_signal_with_memmem(h, at));
            hits += 1;
            at = s + 1;
        }
        assert_eq!(find_portable(h, at), None);
        assert!(hits > 10);
    }
}
