//! Character k-gram fingerprints selected by winnowing (Schleimer, Wilkerson and Aiken,
//! "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003): every run of at
//! least `K + W - 1` identical characters shared by two passages yields at least one shared
//! fingerprint, and about `2 / (W + 1)` of the k-grams are kept.

/// k-gram length in characters. Five characters are about two Chinese words: short enough to
/// survive a 15% edit rate between edits, long enough to be rare.
pub const K: usize = 5;
/// Winnowing window (in k-grams). Measured in BENCHMARKS.md: `W = 4` keeps ~40% of the k-grams
/// and finds most 15%-edited copies; `W = 8` halves the index but loses a fifth of them.
pub const W: usize = 4;

/// A fingerprint: a 32-bit k-gram hash and the position (in normalised characters) of its k-gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u32,
    pub pos: u32,
}

/// Hashes of every k-gram of `chars` (empty when shorter than `K`).
pub fn kgram_hashes(chars: &[char]) -> Vec<u32> {
    if chars.len() < K {
        return Vec::new();
    }
    const B: u64 = 0x100_0000_01b3;
    let mut pow = 1u64;
    for _ in 1..K {
        pow = pow.wrapping_mul(B);
    }
    let mut out = Vec::with_capacity(chars.len() + 1 - K);
    let mut h = 0u64;
    for (i, &c) in chars.iter().enumerate() {
        if i >= K {
            h = h.wrapping_sub(u64::from(chars[i - K] as u32).wrapping_mul(pow));
        }
        h = h.wrapping_mul(B).wrapping_add(u64::from(c as u32));
        if i + 1 >= K {
            out.push(mix(h));
        }
    }
    out
}

fn mix(h: u64) -> u32 {
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    (h >> 32) as u32
}

/// Winnowed fingerprints of `chars`: the minimum hash of every window of `W` consecutive
/// k-grams (the rightmost on ties), each recorded once. A passage shorter than one window still
/// gets its minimum.
pub fn winnow(chars: &[char]) -> Vec<Fingerprint> {
    let hashes = kgram_hashes(chars);
    let mut out = Vec::with_capacity(hashes.len() * 2 / (W + 1) + 1);
    if hashes.is_empty() {
        return out;
    }
    let windows = hashes.len().saturating_sub(W) + 1;
    let width = W.min(hashes.len());
    let mut last: Option<usize> = None;
    for start in 0..windows {
        let mut best = start;
        for j in start..start + width {
            if hashes[j] <= hashes[best] {
                best = j;
            }
        }
        if last != Some(best) {
            out.push(Fingerprint {
                hash: hashes[best],
                pos: best as u32,
            });
            last = Some(best);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn shared_runs_of_k_plus_w_minus_1_share_a_fingerprint() {
        let shared = "坚持稳中求进工作总基调";
        assert!(shared.chars().count() >= K + W - 1);
        let a = chars(&format!("前面完全不同的文字{shared}后面也不同"));
        let b = chars(&format!("另一段话开头{shared}结尾各异"));
        let fa: std::collections::HashSet<u32> = winnow(&a).iter().map(|f| f.hash).collect();
        assert!(winnow(&b).iter().any(|f| fa.contains(&f.hash)));
    }

    #[test]
    fn density_and_short_inputs() {
        let text: Vec<char> = (0..2000u32)
            .map(|i| char::from_u32(0x4E00 + (i * 7919) % 5000).unwrap())
            .collect();
        let n = winnow(&text).len() as f64 / (text.len() - K + 1) as f64;
        assert!((0.3..0.5).contains(&n), "density {n}");
        assert!(winnow(&chars("甲乙丙")).is_empty());
        assert_eq!(winnow(&chars("甲乙丙丁戊")).len(), 1);
        // Same text, same fingerprints.
        assert_eq!(winnow(&text), winnow(&text.clone()));
    }
}
