//! Partial counts as bytes, framed like model files (`frame`): `b"CLCOUNTS"` · format version u32 ·
//! payload length u64 · CRC-32 of payload u32 · payload (postcard). A Spark executor sends one such blob per
//! partition; whatever arrives is checked before it is merged or finished, so damaged bytes fail with
//! `corrupt_model`, never a panic or a silently wrong model.

use super::counts::{unpair, Counts, PairTable};
use crate::error::{Error, ErrorCode, Result};
use crate::frame::{self, HEADER};

const MAGIC: &[u8; 8] = b"CLCOUNTS";
/// Bump when the payload layout changes.
pub const COUNTS_FORMAT_VERSION: u32 = 2;

impl Counts {
    /// The counts as framed, checksummed bytes (`Counts::from_bytes` reads them back).
    pub fn to_bytes(&self) -> Vec<u8> {
        let payload = postcard::to_allocvec(self).expect("counts serialize");
        frame::encode(MAGIC, COUNTS_FORMAT_VERSION, &payload)
    }

    /// Read counts written by [`Counts::to_bytes`]: truncated, damaged or foreign bytes fail with
    /// `corrupt_model`, another format version with `unsupported_version`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Counts> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(Error::corrupt("not cartlift counts (bad magic bytes)"));
        }
        if bytes.len() < HEADER {
            return Err(Error::corrupt("counts are truncated (incomplete header)"));
        }
        let version = frame::version(bytes);
        if version != COUNTS_FORMAT_VERSION {
            return Err(Error::new(
                ErrorCode::UnsupportedVersion,
                format!("counts format version {version}; this cartlift reads {COUNTS_FORMAT_VERSION}: count with one cartlift version"),
            ));
        }
        let payload = frame::payload(bytes, &frame::Subject { is: "counts are", has: "counts have" })?;
        let counts: Counts = postcard::from_bytes(payload)
            .map_err(|e| Error::corrupt(format!("counts payload does not decode: {e}")))?;
        counts.check()?;
        Ok(counts)
    }

    /// Every per-product table as long as the catalog, and pair tables sorted by key naming known products:
    /// what merging and finishing index by without checking again.
    pub fn check(&self) -> Result<()> {
        let n = self.n_products as usize;
        if self.item.len() != n || self.units.len() != n || self.recent_units.len() != n {
            return Err(Error::corrupt(format!("counts tables do not match their catalog of {n} products")));
        }
        check_pairs("counts pairs", &self.pairs, n)?;
        check_pairs("counts customer pairs", &self.customer_pairs, n)?;
        let lines = self.item.iter().map(|c| u64::from(c.count)).sum();
        self.facts.as_ref().map_or(Ok(()), |f| f.check(n, lines))
    }
}

/// Keys strictly increasing (sorted, no duplicates), each an unordered pair `a < b < n`.
fn check_pairs(part: &str, table: &PairTable, n: usize) -> Result<()> {
    let entries = table.entries();
    if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(Error::corrupt(format!("{part} are not sorted")));
    }
    match entries.iter().map(|e| unpair(e.0)).find(|&(a, b)| a >= b || b as usize >= n) {
        Some((a, b)) => Err(Error::corrupt(format!("{part} name the pair ({a}, {b}) in a catalog of {n}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Basket;

    fn sample() -> Counts {
        let baskets = vec![
            Basket { customer: Some(0), at: 100, items: vec![(0, 1), (1, 2)] },
            Basket { customer: Some(0), at: 200, items: vec![(1, 1), (2, 1)] },
        ];
        let mut c = Counts::count(&baskets, 3, 200, &Config::default(), true);
        let names = vec!["c0".to_string()];
        let histories = crate::personal::CustomerHistories::build(&names, &baskets);
        c.facts = Some(crate::behaviour::OrderFacts::count(&baskets, 3, 200, Some(&histories)));
        c
    }

    #[test]
    fn round_trips() {
        let c = sample();
        assert_eq!(Counts::from_bytes(&c.to_bytes()).unwrap(), c);
    }

    #[test]
    fn every_truncation_and_flipped_byte_is_an_error() {
        let bytes = sample().to_bytes();
        for n in 0..bytes.len() {
            let e = Counts::from_bytes(&bytes[..n]).unwrap_err();
            assert_eq!(e.code, ErrorCode::CorruptModel, "{n}: {e}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x41;
            assert!(Counts::from_bytes(&b).is_err(), "flipped byte {i} decoded");
        }
    }

    /// The sample's counts with the catalog cut to two products: what still names the third is out of range.
    fn sample_shrunk_to_two_products() -> Counts {
        let mut c = sample();
        c.n_products = 2;
        c.item.pop();
        c.units.pop();
        c.recent_units.pop();
        c
    }

    #[test]
    fn a_pair_outside_the_catalog_is_corrupt_even_with_a_good_checksum() {
        let mut c = sample_shrunk_to_two_products();
        c.facts = None;
        let e = Counts::from_bytes(&c.to_bytes()).unwrap_err();
        assert_eq!(e.code, ErrorCode::CorruptModel);
        assert!(e.message.contains("pair"), "{e}");
    }

    #[test]
    fn facts_naming_a_product_outside_the_catalog_are_corrupt() {
        let mut c = sample_shrunk_to_two_products();
        c.pairs = Default::default();
        c.customer_pairs = Default::default();
        let e = Counts::from_bytes(&c.to_bytes()).unwrap_err();
        assert_eq!(e.code, ErrorCode::CorruptModel);
        assert!(e.message.contains("outside the catalog"), "{e}");
    }
}
