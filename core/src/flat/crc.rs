//! The CRC-32 of a model's tables, hashed by short-lived helper threads while the caller does other work.
//!
//! Hashing a mapped file also faults in its pages, which costs more than the hash when the page cache holds the
//! file in small folios (BENCHMARKS.md, issue 20). Threads that each take 4 MB pieces share both. They are scoped
//! threads that end before `open` returns, not a pool: a host that forks after opening (gunicorn `--preload`)
//! must not inherit a pool whose threads the child lacks, and an idle serving worker keeps no threads.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// Bytes a thread hashes at a time: small enough that a helper left without a core holds up little.
const PIECE: usize = 4 << 20;
/// At most this many threads hash, the caller included.
const MAX_THREADS: usize = 4;

/// The CRC-32 of `data` (as `crc32fast::hash`) and the result of `work`, run on the calling thread meanwhile.
pub fn crc32_while<R>(data: &[u8], work: impl FnOnce() -> R) -> (u32, R) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS);
    crc32_in_pieces(data, PIECE, threads - 1, work)
}

/// [`crc32_while`] with `helpers` threads besides the caller hashing pieces of `piece` bytes.
fn crc32_in_pieces<R>(data: &[u8], piece: usize, helpers: usize, work: impl FnOnce() -> R) -> (u32, R) {
    let pieces = data.len().div_ceil(piece);
    let helpers = helpers.min(pieces.saturating_sub(1));
    if helpers == 0 {
        return (crc32fast::hash(data), work());
    }
    let (next, crcs) = (AtomicUsize::new(0), (0..pieces).map(|_| AtomicU32::new(0)).collect::<Vec<_>>());
    let bounds = |i: usize| i * piece..data.len().min((i + 1) * piece);
    // Pieces are taken in order by whichever thread is free, so a thread without a core delays one piece at most.
    // Helpers allocate nothing (a thread's first allocation would set up a malloc arena for it).
    let hash_pieces = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= pieces {
            return;
        }
        crcs[i].store(crc32fast::hash(&data[bounds(i)]), Ordering::Relaxed);
    };
    let out = std::thread::scope(|s| {
        // A helper that cannot be started (a thread limit) leaves its pieces to the others.
        for _ in 0..helpers {
            let _ = std::thread::Builder::new().spawn_scoped(s, hash_pieces);
        }
        let out = work();
        hash_pieces();
        out
    });
    // The scope joined every helper: their stores are visible here.
    let mut crc = crc32fast::Hasher::new();
    for (i, piece_crc) in crcs.iter().enumerate() {
        let len = bounds(i).len() as u64;
        crc.combine(&crc32fast::Hasher::new_with_initial_len(piece_crc.load(Ordering::Relaxed), len));
    }
    (crc.finalize(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hashed_apart_make_the_crc_of_the_whole() {
        let data: Vec<u8> = (0..10_007u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in [0, 1, 15, 16, 17, 1000, 10_007] {
            let want = crc32fast::hash(&data[..len]);
            for piece in [1, 3, 16, 999, 4096, 20_000] {
                for helpers in [0, 1, 3] {
                    let (crc, out) = crc32_in_pieces(&data[..len], piece, helpers, || len * 2);
                    assert_eq!((crc, out), (want, len * 2), "len {len}, piece {piece}, helpers {helpers}");
                }
            }
        }
        // Over two pieces of the real size, so helpers run wherever there is more than one core.
        let large: Vec<u8> = data.iter().copied().cycle().take(2 * PIECE + 5).collect();
        assert_eq!(crc32_while(&large, || 7), (crc32fast::hash(&large), 7));
    }
}
