//! Splitting one discount over lines so the parts add up exactly (largest-remainder method).
//!
//! Each line first gets `floor(amount × weight / Σweights)`; the minor units left over go one each to the lines
//! with the largest remainders, ties to the earlier line. With `amount ≤ Σweights` no line ever gets more than
//! its weight, so a line total never goes below zero.

/// Split `amount` (≥ 0) over `weights` (≥ 0) proportionally; the result sums to `amount` exactly.
/// With all weights zero the amount goes to the first line (callers never do this with a positive amount).
pub fn largest_remainder(amount: i64, weights: &[i64]) -> Vec<i64> {
    let mut out = vec![0i64; weights.len()];
    if amount == 0 || weights.is_empty() {
        return out;
    }
    let total: i128 = weights.iter().map(|&w| w as i128).sum();
    if total == 0 {
        out[0] = amount;
        return out;
    }
    // Ordinary amounts fit 64-bit products (and 64-bit division is several times cheaper than 128-bit).
    let narrow = i64::try_from(total).ok().filter(|_| weights.iter().all(|&w| amount.checked_mul(w).is_some()));
    // Only lines with a remainder can get a leftover unit (the leftover is Σ remainders / Σ weights, less
    // than their count), so the others are not ranked: a bundle's weights are mostly zero.
    let mut rems: smallvec::SmallVec<[(i128, usize); 16]> = smallvec::SmallVec::new();
    let mut given: i64 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let (share, rem) = match narrow {
            Some(t) => ((amount * w / t), (amount * w % t) as i128),
            None => {
                let n = amount as i128 * w as i128;
                ((n / total) as i64, n % total)
            }
        };
        out[i] = share;
        given += share;
        if rem > 0 {
            rems.push((rem, i));
        }
    }
    // Largest remainder first; equal remainders go to the earlier line.
    rems.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = (amount - given) as usize;
    for &(_, i) in rems.iter().take(left) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_thirds() {
        // $10.00 off three lines of $33.33: 333 + 333 + 334? no: ties go to the earliest line.
        assert_eq!(largest_remainder(1000, &[3333, 3333, 3333]), vec![334, 333, 333]);
        assert_eq!(largest_remainder(1, &[3333, 3333, 3333]), vec![1, 0, 0]);
    }

    #[test]
    fn sums_exactly_and_stays_within_weights() {
        for amount in 0..200 {
            let w = [7, 0, 13, 1, 99];
            let s = largest_remainder(amount.min(120), &w);
            assert_eq!(s.iter().sum::<i64>(), amount.min(120));
            assert!(s.iter().zip(w).all(|(a, w)| *a <= w));
        }
    }

    /// Ranking only the lines with a remainder gives what ranking every line gives.
    #[test]
    fn matches_ranking_every_line() {
        fn every_line(amount: i64, weights: &[i64]) -> Vec<i64> {
            let total: i128 = weights.iter().map(|&w| w as i128).sum();
            let mut out: Vec<i64> = weights.iter().map(|&w| (amount as i128 * w as i128 / total) as i64).collect();
            let mut rems: Vec<(i128, usize)> =
                weights.iter().enumerate().map(|(i, &w)| (amount as i128 * w as i128 % total, i)).collect();
            rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let left = amount - out.iter().sum::<i64>();
            for &(_, i) in rems.iter().take(left as usize) {
                out[i] += 1;
            }
            out
        }
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut next = |m: u64| rng.gen_range(0..m);
        for _ in 0..20_000 {
            let n = 1 + next(12) as usize;
            // Small weights too: remainders of 1 and ties.
            let scale = if next(2) == 0 { 50_000 } else { 4 };
            let weights: Vec<i64> = (0..n).map(|_| if next(3) == 0 { 0 } else { next(scale) as i64 }).collect();
            let total: i64 = weights.iter().sum();
            if total == 0 {
                continue;
            }
            let amount = next(total as u64 + 1) as i64;
            assert_eq!(largest_remainder(amount, &weights), every_line(amount, &weights), "{amount} over {weights:?}");
        }
    }
}
