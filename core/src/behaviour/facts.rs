//! What training learns from orders one customer at a time — repurchase gaps, units per week of the year,
//! stored customer histories — kept in a form that merges exactly, so an engine finished from the counts of
//! shards split by customer learns what training on all orders learns.
//!
//! Repurchase cycles are medians, so every gap is kept (tallied by exact seconds; shops exporting dates only
//! have few distinct gaps). Seasons need the year up to the newest order of all shards, which a shard does not
//! know: it counts the year up to `season_end` (the newest order when known, else the decay reference), and
//! finishing checks that it was the newest order ([`OrderFacts::seasons_exact`]).

use super::season::{self, SLOTS};
use super::{Repurchase, Season};
use crate::catalog::ProductIdx;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Basket;
use crate::personal::{CustomerHistories, HistoryRow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderFacts {
    /// Newest order counted (i64::MIN when none).
    pub last_at: i64,
    /// End of the year whose sales `season_units` holds.
    pub season_end: i64,
    /// ((product · 52 + week of the year), units), sorted by key, nonzero.
    season_units: Vec<(u64, u64)>,
    /// ((product, gap in seconds), times), sorted by key.
    gaps: Vec<((ProductIdx, i64), u64)>,
    /// Stored customer histories sorted by customer id; None when the config stores none.
    histories: Option<Vec<HistoryRow>>,
}

impl OrderFacts {
    /// The facts of one shard's baskets; `histories` when the config stores them.
    pub fn count(
        baskets: &[Basket],
        n_products: usize,
        season_end: i64,
        histories: Option<&CustomerHistories>,
    ) -> OrderFacts {
        let mut season_units = Vec::new();
        for (p, weeks) in season::units(baskets, n_products, season_end).iter().enumerate() {
            let key = p as u64 * SLOTS as u64;
            season_units
                .extend(weeks.iter().enumerate().filter(|w| *w.1 > 0).map(|(s, &u)| (key + s as u64, u as u64)));
        }
        let gaps = tally(super::repurchase::gaps_secs(baskets).into_iter().map(|g| (g, 1)).collect());
        OrderFacts {
            last_at: baskets.iter().map(|b| b.at).max().unwrap_or(i64::MIN),
            season_end,
            season_units,
            gaps,
            histories: histories.map(CustomerHistories::rows),
        }
    }

    /// Add another shard's facts (same `season_end`; a customer in both shards fails: split by customer).
    pub fn merge(&mut self, other: OrderFacts) -> Result<()> {
        if self.season_end != other.season_end {
            return Err(Error::invalid("counts", "cannot merge counts whose seasons end at different times"));
        }
        match (&self.histories, &other.histories) {
            (Some(a), Some(b)) => {
                if let Some(id) = first_shared(a, b) {
                    return Err(Error::invalid(
                        "counts",
                        format!("customer {id:?} has orders in two shards: split the orders by customer"),
                    ));
                }
            }
            (None, None) => {}
            _ => return Err(Error::invalid("counts", "cannot merge counts with and without customer histories")),
        }
        self.last_at = self.last_at.max(other.last_at);
        self.season_units = merge_sorted(std::mem::take(&mut self.season_units), other.season_units);
        self.gaps = merge_sorted(std::mem::take(&mut self.gaps), other.gaps);
        if let (Some(a), Some(b)) = (&mut self.histories, other.histories) {
            let mut all = std::mem::take(a);
            all.extend(b);
            all.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            *a = all;
        }
        Ok(())
    }

    /// Keys sorted and naming products of a catalog of `n`, and no more gaps than the `lines` (product
    /// purchases) counted: decoded bytes are checked before use (finishing expands every gap).
    pub fn check(&self, n: usize, lines: u64) -> Result<()> {
        let bad = |what: &str| Err(Error::corrupt(format!("counts {what} are out of order or outside the catalog")));
        if !sorted(&self.season_units) || self.season_units.last().is_some_and(|e| e.0 >= (n * SLOTS) as u64) {
            return bad("season units");
        }
        if !sorted(&self.gaps) || self.gaps.iter().any(|e| e.0 .0 as usize >= n) {
            return bad("repurchase gaps");
        }
        if self.gaps.iter().try_fold(0u64, |sum, e| sum.checked_add(e.1)).is_none_or(|gaps| gaps > lines) {
            return Err(Error::corrupt("counts hold more repurchase gaps than purchases"));
        }
        if let Some(h) = &self.histories {
            let ids_sorted = h.windows(2).all(|w| w[0].0 < w[1].0);
            if !ids_sorted || h.iter().flat_map(|r| &r.1).any(|b| b.0 as usize >= n) {
                return bad("customer histories");
            }
        }
        Ok(())
    }

    /// Whether the seasons counted are the ones training learns: counted up to the newest order, or the
    /// orders (from `first_at`) span too little time for any season.
    pub fn seasons_exact(&self, first_at: i64) -> bool {
        self.season_end == self.last_at || !season::covers_a_year(first_at, self.last_at)
    }

    pub fn has_histories(&self) -> bool {
        self.histories.is_some()
    }

    pub fn repurchase(&self, n_products: usize, config: &Config) -> Repurchase {
        Repurchase::from_tally(&self.gaps, n_products, config)
    }

    /// Seasons of orders from `first_at` (see [`OrderFacts::seasons_exact`]).
    pub fn season(&self, first_at: i64, n_products: usize, config: &Config) -> Season {
        if !season::covers_a_year(first_at, self.last_at) {
            return Season::default();
        }
        let mut units = vec![[0u32; SLOTS]; n_products];
        for &(key, u) in &self.season_units {
            units[key as usize / SLOTS][key as usize % SLOTS] = u.min(u32::MAX as u64) as u32;
        }
        Season::from_units(&units, config)
    }

    pub fn histories(&self) -> Option<CustomerHistories> {
        self.histories.as_deref().map(CustomerHistories::from_rows)
    }
}

fn sorted<K: Ord, V>(v: &[(K, V)]) -> bool {
    v.windows(2).all(|w| w[0].0 < w[1].0)
}

/// Sort and add up equal keys.
fn tally<K: Ord + Copy>(mut v: Vec<(K, u64)>) -> Vec<(K, u64)> {
    v.sort_unstable_by_key(|e| e.0);
    let mut out: Vec<(K, u64)> = Vec::with_capacity(v.len());
    for (k, n) in v {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += n,
            _ => out.push((k, n)),
        }
    }
    out
}

/// Two sorted tallies as one (equal keys added).
fn merge_sorted<K: Ord + Copy>(a: Vec<(K, u64)>, b: Vec<(K, u64)>) -> Vec<(K, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => out.push(a.next().expect("peeked")),
            std::cmp::Ordering::Greater => out.push(b.next().expect("peeked")),
            std::cmp::Ordering::Equal => {
                let (k, n) = a.next().expect("peeked");
                out.push((k, n + b.next().expect("peeked").1));
            }
        }
    }
    out.extend(a);
    out.extend(b);
    out
}

/// The first customer id both sorted history lists hold.
fn first_shared<'a>(a: &'a [HistoryRow], b: &[HistoryRow]) -> Option<&'a str> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(&a[i].0),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::DAY;

    #[test]
    fn tallies_merge_as_one_tally_of_both() {
        let a = tally(vec![(3u64, 1), (1, 2), (3, 4)]);
        let b = tally(vec![(2u64, 1), (3, 1)]);
        assert_eq!(a, vec![(1, 2), (3, 5)]);
        assert_eq!(merge_sorted(a, b), vec![(1, 2), (2, 1), (3, 6)]);
    }

    #[test]
    fn more_gaps_than_purchases_are_corrupt() {
        let facts = |times: u64| OrderFacts {
            last_at: 0,
            season_end: 0,
            season_units: vec![],
            gaps: vec![((0, DAY), times)],
            histories: None,
        };
        facts(3).check(1, 3).unwrap();
        assert!(facts(4).check(1, 3).is_err());
        assert!(facts(u64::MAX).check(1, u64::MAX).is_ok() && facts(1).check(0, 9).is_err());
    }

    #[test]
    fn a_customer_in_two_shards_refuses_to_merge() {
        let row = |id: &str| (id.to_string(), vec![(0, 1, 1)]);
        let facts = |rows: Vec<HistoryRow>| OrderFacts {
            last_at: 0,
            season_end: 0,
            season_units: vec![],
            gaps: vec![],
            histories: Some(rows),
        };
        let mut a = facts(vec![row("a"), row("c")]);
        assert!(a.merge(facts(vec![row("b"), row("c")])).unwrap_err().message.contains("\"c\""));
        a.merge(facts(vec![row("b")])).unwrap();
        assert_eq!(a.histories.unwrap().iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
