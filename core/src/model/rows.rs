//! Where a product's same-order pairs come from when a model is finished: a counted pair table (counts
//! merged from shards) or the baskets themselves (training on one machine, where no table is ever built).
//!
//! Both give every product the same integer sums, so a model finished either way is the same model.

use super::counts::{unpair, Basket, Counts, PairCount, PairTable, Postings};
use crate::catalog::ProductIdx;
use crate::flat::Csr;

/// The pairs a model is finished from.
pub enum PairSource<'a> {
    /// Counted pairs (`Counts::pairs`).
    Table(&'a PairTable),
    /// The counted baskets, each weighing what `Counts` gives it.
    Baskets(BasketPairs),
}

/// Same-order pairs read straight from the baskets through an inverted index: a product's row is summed from
/// the baskets that hold it. Each pair is visited from both of its products, but no table of all pairs (24
/// bytes each, most of training's memory) is written, indexed and read back at random.
pub struct BasketPairs {
    /// Every basket's products in one flat array: rows read thousands of baskets each, and this keeps them to
    /// the products alone, without a pointer each.
    items: Csr<ProductIdx>,
    weights: Vec<u64>,
    postings: Postings,
}

impl BasketPairs {
    /// `counts` holds the decay settings the weights come from (the counts of these same baskets).
    pub fn new(baskets: &[Basket], counts: &Counts) -> BasketPairs {
        let weights = baskets.iter().map(|b| counts.weight(b.at, b.items.len())).collect();
        let items = Csr::from_rows(baskets.iter().map(|b| b.items.iter().map(|&(p, _)| p)));
        let postings = Postings::build(baskets, counts.n_products as usize);
        BasketPairs { items, weights, postings }
    }
}

impl PairSource<'_> {
    /// Orders holding both `a` and `b`.
    pub fn together(&self, a: ProductIdx, b: ProductIdx) -> u32 {
        match self {
            PairSource::Table(table) => table.get(a, b).map_or(0, |c| c.count),
            PairSource::Baskets(bp) => {
                let (pa, pb) = (bp.postings.of(a), bp.postings.of(b));
                let (short, long) = if pa.len() <= pb.len() { (pa, pb) } else { (pb, pa) };
                short.iter().filter(|bi| long.binary_search(bi).is_ok()).count() as u32
            }
        }
    }

    /// What finishing reads the pairs through (built once per finish).
    pub(crate) fn rows(&self, n_products: usize) -> Rows<'_> {
        match self {
            PairSource::Table(table) => Rows::Table(table, TableIndex::build(table, n_products)),
            PairSource::Baskets(bp) => Rows::Baskets(bp),
        }
    }
}

pub(crate) enum Rows<'a> {
    Table(&'a PairTable, TableIndex),
    Baskets(&'a BasketPairs),
}

impl Rows<'_> {
    /// Call `add(b, count)` for every product `b` bought with `a`, in any order, possibly several times for
    /// one `b` (the calls add up to the pair's count).
    pub(crate) fn for_each(&self, a: ProductIdx, mut add: impl FnMut(ProductIdx, PairCount)) {
        match self {
            Rows::Table(table, index) => index.pairs_of(table, a).for_each(|(b, pc)| add(b, pc)),
            Rows::Baskets(bp) => {
                for &bi in bp.postings.of(a) {
                    let one = PairCount { count: 1, weight: bp.weights[bi as usize] };
                    for &b in bp.items.row(bi as usize) {
                        if b != a {
                            add(b, one);
                        }
                    }
                }
            }
        }
    }
}

/// Where each product's pairs sit in a `PairTable` (sorted by key, so a product's pairs with later products
/// are one run; its pairs with earlier ones are listed by position).
pub(crate) struct TableIndex {
    row_start: Vec<usize>,
    col_start: Vec<usize>,
    col_pos: Vec<u32>,
}

impl TableIndex {
    fn build(table: &PairTable, n: usize) -> TableIndex {
        let entries = table.entries();
        assert!(entries.len() <= u32::MAX as usize, "more than 2^32 pairs");
        let mut row_start = vec![0usize; n + 1];
        let mut col_start = vec![0usize; n + 1];
        for &(k, _) in entries {
            let (a, b) = unpair(k);
            row_start[a as usize + 1] += 1;
            col_start[b as usize + 1] += 1;
        }
        for i in 0..n {
            row_start[i + 1] += row_start[i];
            col_start[i + 1] += col_start[i];
        }
        let mut fill = col_start.clone();
        let mut col_pos = vec![0u32; entries.len()];
        for (pos, &(k, _)) in entries.iter().enumerate() {
            let b = unpair(k).1 as usize;
            col_pos[fill[b]] = pos as u32;
            fill[b] += 1;
        }
        TableIndex { row_start, col_start, col_pos }
    }

    /// Every pair of `a`: (the other product, its count).
    pub(crate) fn pairs_of<'t>(
        &'t self,
        table: &'t PairTable,
        a: ProductIdx,
    ) -> impl Iterator<Item = (ProductIdx, PairCount)> + 't {
        let entries = table.entries();
        let a = a as usize;
        let row = entries[self.row_start[a]..self.row_start[a + 1]].iter().map(|&(k, c)| (unpair(k).1, c));
        let col = self.col_pos[self.col_start[a]..self.col_start[a + 1]].iter().map(move |&p| {
            let (k, c) = entries[p as usize];
            (unpair(k).0, c)
        });
        col.chain(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn baskets() -> Vec<Basket> {
        let items = [vec![0, 1, 2], vec![1, 2], vec![0, 3], vec![2, 3, 4], vec![1, 2, 4]];
        let basket = |(i, b): (usize, &Vec<u32>)| Basket {
            customer: Some(i as u32 % 2),
            at: 1_000 * i as i64,
            items: b.iter().map(|&p| (p, 1)).collect(),
        };
        items.iter().enumerate().map(basket).collect()
    }

    /// Every product's row as sorted (other product, summed count).
    fn rows_of(source: &PairSource, n: usize) -> Vec<Vec<(ProductIdx, PairCount)>> {
        let rows = source.rows(n);
        (0..n as ProductIdx)
            .map(|a| {
                let mut sums = vec![PairCount::default(); n];
                rows.for_each(a, |b, pc| sums[b as usize].add(pc));
                sums.into_iter().enumerate().filter(|s| s.1.count > 0).map(|(b, s)| (b as ProductIdx, s)).collect()
            })
            .collect()
    }

    #[test]
    fn the_baskets_give_the_rows_and_counts_of_the_table() {
        let (baskets, n) = (baskets(), 5);
        let config = Config { half_life_days: Some(1.0), ..Config::default() };
        let counts = Counts::count(&baskets, n, 4_000, &config, false);
        let table = PairSource::Table(&counts.pairs);
        let from_baskets = PairSource::Baskets(BasketPairs::new(&baskets, &counts));
        assert_eq!(rows_of(&table, n), rows_of(&from_baskets, n));
        for a in 0..n as ProductIdx {
            for b in 0..n as ProductIdx {
                if a != b {
                    assert_eq!(table.together(a, b), from_baskets.together(a, b), "pair {a}, {b}");
                }
            }
        }
        assert_eq!(from_baskets.together(1, 2), 3);
    }
}
