//! Where the newlines of a block are, 64 bytes at a time.
//!
//! [`masks`] gives, for each 64-byte stretch of a block, a bit mask of its `\n` bytes (bit `i` for
//! byte `base + i`); [`positions`] walks the set bits. A trace line is about 180 bytes, and
//! `memchr_iter` starts a vector search afresh for every line. Counting lines that way, the page's
//! line index took 36–54 ms per 100 MB in each worker; with the masks, 6–21 ms (Chromium trace,
//! 210 MB ILS-dense). In the native line loop (`perf`: memchr's newline search was 8–9 % of a
//! run) the masks run the same number of instructions (callgrind), with no gain beyond this
//! machine's noise. The bytes are compared 16 at a time with SSE2 (x86-64, always present) or
//! `simd128` (WebAssembly), and a line costs a few bit operations.
//! Elsewhere (AArch64 and others) the mask is built from memchr's searches, which gives the same
//! masks; the tests compare every form with memchr on every length and alignment.

/// Bytes per mask.
pub const STRETCH: usize = 64;

/// The `\n` masks of `block`, one per [`STRETCH`] bytes (the last one shorter): `(base, mask)`,
/// bit `i` of `mask` set when `block[base + i]` is `\n`.
#[inline]
pub fn masks(block: &[u8]) -> Masks<'_> {
    Masks { block, at: 0 }
}

/// The offsets of the `\n` bytes of `block`, in order: what `memchr::memchr_iter(b'\n', block)`
/// gives.
#[inline]
pub fn positions(block: &[u8]) -> Positions<'_> {
    Positions {
        masks: masks(block),
        base: 0,
        mask: 0,
    }
}

/// See [`masks`].
#[derive(Clone)]
pub struct Masks<'a> {
    block: &'a [u8],
    at: usize,
}

impl Iterator for Masks<'_> {
    type Item = (usize, u64);

    #[inline]
    fn next(&mut self) -> Option<(usize, u64)> {
        let base = self.at;
        let rest = self.block.get(base..).filter(|r| !r.is_empty())?;
        if rest.len() >= STRETCH {
            self.at += STRETCH;
            Some((base, full_mask(&rest[..STRETCH])))
        } else {
            self.at = self.block.len();
            Some((base, portable_mask(rest)))
        }
    }
}

/// See [`positions`].
#[derive(Clone)]
pub struct Positions<'a> {
    masks: Masks<'a>,
    base: usize,
    mask: u64,
}

impl Iterator for Positions<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let (base, mask) = self.masks.next()?;
            self.base = base;
            self.mask = mask;
        }
        let bit = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.base + bit)
    }
}

/// The mask of exactly [`STRETCH`] bytes.
#[inline(always)]
fn full_mask(bytes: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::mask(bytes)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::mask(bytes)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        portable_mask(&bytes[..STRETCH])
    }
}

/// The mask of at most [`STRETCH`] bytes, one byte at a time: a block's last bytes, the form used
/// where there is no vector code, and the reference in tests.
fn portable_mask(bytes: &[u8]) -> u64 {
    debug_assert!(bytes.len() <= STRETCH);
    memchr::memchr_iter(b'\n', bytes).fold(0, |m, i| m | 1 << i)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::*;

    #[inline(always)]
    pub fn mask(bytes: &[u8]) -> u64 {
        assert!(bytes.len() >= super::STRETCH);
        let p = bytes.as_ptr();
        // SAFETY: SSE2 is part of every x86-64 target; bytes `16 * i..16 * i + 16` are in bounds
        // (asserted above, `i` < 4) and `loadu` has no alignment need.
        unsafe {
            let want = _mm_set1_epi8(b'\n' as i8);
            let m = |i: usize| {
                let v = _mm_loadu_si128(p.add(16 * i) as *const __m128i);
                u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)) as u16)
            };
            m(0) | m(1) << 16 | m(2) << 32 | m(3) << 48
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    #[inline(always)]
    pub fn mask(bytes: &[u8]) -> u64 {
        assert!(bytes.len() >= super::STRETCH);
        let want = u8x16_splat(b'\n');
        let p = bytes.as_ptr();
        let m = |i: usize| {
            // SAFETY: bytes `16 * i..16 * i + 16` are in bounds (asserted above, `i` < 4);
            // `v128_load` has no alignment need.
            let v = unsafe { v128_load(p.add(16 * i) as *const v128) };
            u64::from(u8x16_bitmask(u8x16_eq(v, want)))
        };
        m(0) | m(1) << 16 | m(2) << 32 | m(3) << 48
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn expected(block: &[u8]) -> Vec<usize> {
        memchr::memchr_iter(b'\n', block).collect()
    }

    /// Every length up to three stretches and then some, every alignment of the block in memory,
    /// newlines at the first and last byte of each stretch and next to each other.
    #[test]
    fn every_length_and_alignment_gives_what_memchr_gives() {
        let mut pattern = Vec::new();
        for i in 0..300usize {
            let nl = i % 63 == 0 || i % 64 == 63 || i % 7 == 3 || (i / 5) % 11 == 0;
            pattern.push(if nl { b'\n' } else { b'a' + (i % 26) as u8 });
        }
        for skew in 0..16 {
            for len in 0..pattern.len() - skew {
                let block = &pattern[skew..skew + len];
                let want = expected(block);
                assert_eq!(
                    positions(block).collect::<Vec<_>>(),
                    want,
                    "skew {skew} len {len}"
                );
            }
        }
    }

    #[test]
    fn all_newlines_and_none() {
        for len in [0, 1, 63, 64, 65, 128, 1000] {
            let all = vec![b'\n'; len];
            assert_eq!(
                positions(&all).collect::<Vec<_>>(),
                (0..len).collect::<Vec<_>>()
            );
            let none = vec![b'\r'; len];
            assert_eq!(positions(&none).count(), 0);
        }
    }

    #[test]
    fn the_portable_mask_is_the_vector_mask() {
        let block: Vec<u8> = (0..STRETCH as u32 * 4)
            .map(|i| {
                if i.is_multiple_of(3) || i % 17 == 5 {
                    b'\n'
                } else {
                    (i % 251) as u8
                }
            })
            .collect();
        for at in 0..block.len() - STRETCH {
            let s = &block[at..at + STRETCH];
            assert_eq!(full_mask(s), portable_mask(s), "at {at}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn any_bytes_give_what_memchr_gives(
            block in proptest::collection::vec(
                prop_oneof![3 => Just(b'\n'), 1 => Just(b'\r'), 12 => any::<u8>()], 0..700)
        ) {
            prop_assert_eq!(positions(&block).collect::<Vec<_>>(), expected(&block));
        }
    }
}
