//! Similarity of two passages: the length of their longest common subsequence (characters in
//! order, gaps allowed) over the longer length. One inserted, deleted or replaced character
//! costs about one point in a hundred-character passage; a passage inside a longer one scores
//! its share of the longer. Computed bit-parallel (Hyyrö 2004), 64 characters per machine word.

/// A passage prepared for many comparisons: the match bit-vectors of each of its characters.
pub struct Pattern {
    len: usize,
    words: usize,
    /// Open-addressing table from a character to its row of `masks` (`EMPTY` keys are free):
    /// looked up once per character of every compared passage, so it is kept small and flat.
    rows: Vec<(u32, u32)>,
    row_bits: u32,
    masks: Vec<u64>,
}

impl Pattern {
    pub fn new(a: &[char]) -> Pattern {
        let words = a.len().div_ceil(64).max(1);
        // At most half full, whatever the number of distinct characters.
        // (Capped: there are not 2^21 distinct characters.)
        let row_bits = (a.len() * 2)
            .max(16)
            .next_power_of_two()
            .trailing_zeros()
            .min(22);
        let mut rows = vec![(EMPTY, 0u32); 1 << row_bits];
        let mut distinct = 0u32;
        let mut masks: Vec<u64> = Vec::new();
        for (i, &c) in a.iter().enumerate() {
            let key = c as u32;
            let mask = rows.len() - 1;
            let mut at = slot(key, row_bits);
            let row = loop {
                match rows[at] {
                    (k, row) if k == key => break row,
                    (EMPTY, _) => {
                        rows[at] = (key, distinct);
                        distinct += 1;
                        masks.resize(masks.len() + words, 0);
                        break distinct - 1;
                    }
                    _ => at = (at + 1) & mask,
                }
            };
            masks[row as usize * words + i / 64] |= 1u64 << (i % 64);
        }
        Pattern {
            len: a.len(),
            words,
            rows,
            row_bits,
            masks,
        }
    }

    fn row(&self, c: char) -> Option<usize> {
        let key = c as u32;
        let mask = self.rows.len() - 1;
        let mut at = slot(key, self.row_bits);
        loop {
            match *self.rows.get(at)? {
                (k, row) if k == key => return Some(row as usize),
                (EMPTY, _) => return None,
                _ => at = (at + 1) & mask,
            }
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Length of the longest common subsequence of the pattern and `b`.
    pub fn lcs(&self, b: &[char]) -> usize {
        if self.len == 0 || b.is_empty() {
            return 0;
        }
        let w = self.words;
        // Passages of up to 1,024 characters (nearly all) need no allocation.
        let mut stack = [u64::MAX; 16];
        let mut heap = Vec::new();
        let v: &mut [u64] = if w <= stack.len() {
            &mut stack[..w]
        } else {
            heap.resize(w, u64::MAX);
            &mut heap
        };
        for &c in b {
            let Some(row) = self.row(c) else {
                continue;
            };
            let m = &self.masks[row * w..row * w + w];
            let mut carry = 0u64;
            let mut borrow = 0u64;
            for k in 0..w {
                let u = v[k] & m[k];
                let (s1, c1) = v[k].overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(carry);
                carry = u64::from(c1 || c2);
                let (d1, b1) = v[k].overflowing_sub(u);
                let (d2, b2) = d1.overflowing_sub(borrow);
                borrow = u64::from(b1 || b2);
                v[k] = s2 | d2;
            }
        }
        let mut zeros = 0;
        for (k, word) in v.iter().enumerate() {
            let bits = if k + 1 == w && !self.len.is_multiple_of(64) {
                self.len % 64
            } else {
                64
            };
            let mask = if bits == 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            };
            zeros += (!word & mask).count_ones() as usize;
        }
        zeros
    }

    /// LCS over the longer length, in [0, 1].
    pub fn similarity(&self, b: &[char]) -> f64 {
        let longer = self.len.max(b.len());
        if longer == 0 {
            return 1.0;
        }
        self.lcs(b) as f64 / longer as f64
    }
}

/// A key that no `char` has.
const EMPTY: u32 = u32::MAX;

fn slot(key: u32, bits: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b9) >> (32 - bits)) as usize
}

/// Whether two lengths can reach `threshold` at all (the LCS is at most the shorter length).
pub fn lengths_compatible(a: usize, b: usize, threshold: f64) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    hi == 0 || lo as f64 >= threshold * hi as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lcs_dp(a: &[char], b: &[char]) -> usize {
        let mut prev = vec![0usize; b.len() + 1];
        for &x in a {
            let mut cur = vec![0usize; b.len() + 1];
            for (j, &y) in b.iter().enumerate() {
                cur[j + 1] = if x == y {
                    prev[j] + 1
                } else {
                    prev[j + 1].max(cur[j])
                };
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest! {
        #[test]
        fn bit_parallel_lcs_equals_dynamic_programming(
            a in proptest::collection::vec(proptest::char::range('甲', '癸'), 0..200),
            b in proptest::collection::vec(proptest::char::range('甲', '癸'), 0..200),
        ) {
            prop_assert_eq!(Pattern::new(&a).lcs(&b), lcs_dp(&a, &b));
        }
    }

    /// Long passages (more than 16 words of bits, many distinct characters) against the
    /// dynamic programme.
    #[test]
    fn long_passages_with_many_characters() {
        let a: Vec<char> = (0..1500u32)
            .map(|i| char::from_u32(0x4E00 + (i * 7919) % 3000).unwrap_or('甲'))
            .collect();
        let mut b = a.clone();
        for i in (0..b.len()).step_by(13) {
            b[i] = char::from_u32(0x4E00 + (i as u32 * 31) % 3000).unwrap_or('乙');
        }
        b.drain(100..160);
        b.extend("附加的内容ABC123".chars());
        let p = Pattern::new(&a);
        assert_eq!(p.lcs(&b), lcs_dp(&a, &b));
        assert_eq!(p.lcs(&a), a.len());
        assert_eq!(Pattern::new(&[]).lcs(&b), 0);
    }

    #[test]
    fn similarity_examples() {
        let a: Vec<char> = "坚持稳中求进工作总基调".chars().collect();
        let b: Vec<char> = "坚持稳中求进的工作总基调".chars().collect();
        let p = Pattern::new(&a);
        assert_eq!(p.similarity(&a), 1.0);
        assert!((p.similarity(&b) - 11.0 / 12.0).abs() < 1e-9);
        assert!(lengths_compatible(80, 100, 0.8));
        assert!(!lengths_compatible(79, 100, 0.8));
    }
}
