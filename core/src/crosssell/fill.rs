//! Filling a page the learned suggestions leave short, honestly: first from what the data says goes with the
//! cart's categories, store-wide lists only for a cart nothing is known about, and nothing under the
//! merchant's relevance floor (`min_fill_score`).

use super::candidates::{Evidence, Pool, Source};
use super::{cart::Cart, eligibility::Eligibility};
use crate::catalog::ProductIdx;
use crate::model::Model;
use crate::shop::Shop;

/// The list a fill suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Popular in the category of a cart product nothing was learned about.
    Category,
    /// Popular in a category bought with the category of a cart product (`from`, a position in the model's
    /// category list).
    Linked {
        from: u32,
    },
    Trending,
    Popular,
}

impl Kind {
    fn list(self) -> usize {
        match self {
            Kind::Category => 0,
            Kind::Linked { .. } => 1,
            Kind::Trending => 2,
            Kind::Popular => 3,
        }
    }
}

/// Fill scores before popularity (which scales them by 0.5–1): below every learned suggestion worth showing.
const CATEGORY_FILL: f64 = 0.09;
const TRENDING_FILL: f64 = 0.07;
const POPULAR_FILL: f64 = 0.05;

/// Offers fill candidates, each list at most `per_list` of them: fills score low and in popularity order, so
/// deeper ones cannot reach the page, and checking and ranking hundreds of them was most of a cold cart's time.
struct Filler<'a> {
    model: &'a Model,
    elig: &'a Eligibility<'a>,
    floor: f64,
    per_list: usize,
    added: [usize; 4],
}

impl Filler<'_> {
    fn offer(&mut self, pool: &mut Pool, idx: ProductIdx, kind: Kind, base: f64) {
        let value = base * (0.5 + 0.5 * self.model.popularity[idx as usize] as f64);
        let n = &mut self.added[kind.list()];
        if *n < self.per_list && value >= self.floor && !pool.contains(idx) && self.elig.allows(idx) {
            pool.add(idx, Source::Fill, Evidence::Fill(kind), value);
            *n += 1;
        }
    }
}

pub(super) fn fill(pool: &mut Pool, shop: &Shop, cart: &Cart, elig: &Eligibility, wanted: usize) {
    if pool.len() >= wanted * 2 {
        return;
    }
    let model = shop.model;
    let catalog = shop.catalog;
    let floor = shop.config.min_fill_score;
    let mut filler = Filler { model, elig, floor, per_list: (wanted * 8).max(64), added: [0; 4] };
    let category = |i: ProductIdx| catalog.category(i).and_then(|c| model.category_position(c));
    // Same-category products only for cart products nothing was learned about (true cold start): for the
    // others, their category mates are substitutes, not complements.
    let mut cold: Vec<usize> =
        cart.known.iter().filter(|&&(i, _)| model.neighbours(i).is_empty()).filter_map(|&(i, _)| category(i)).collect();
    cold.dedup();
    for c in cold {
        for &idx in model.popular_at(c as u32) {
            filler.offer(pool, idx, Kind::Category, CATEGORY_FILL);
        }
    }
    let mut in_cart: Vec<usize> = cart.known.iter().filter_map(|&(i, _)| category(i)).collect();
    in_cart.sort_unstable();
    in_cart.dedup();
    for (linked, from, strength) in linked_categories(model, &in_cart) {
        for &idx in model.popular_at(linked) {
            filler.offer(pool, idx, Kind::Linked { from }, CATEGORY_FILL * strength as f64);
        }
    }
    // Store-wide lists say nothing about a cart: only for one nothing at all is known about.
    if pool.is_empty() {
        for &(idx, _) in &model.trending {
            filler.offer(pool, idx, Kind::Trending, TRENDING_FILL);
        }
        for &idx in &model.popular {
            filler.offer(pool, idx, Kind::Popular, POPULAR_FILL);
        }
    }
}

/// The categories bought with the cart's (sorted positions), other than the cart's own: (linked category, the
/// cart category it is linked from, strength), strongest first; a category linked from several keeps its
/// strongest link.
fn linked_categories(model: &Model, in_cart: &[usize]) -> Vec<(u32, u32, f32)> {
    let mut out: Vec<(u32, u32, f32)> = Vec::new();
    for &from in in_cart {
        for link in model.linked_categories(from) {
            if in_cart.binary_search(&(link.category as usize)).is_ok() {
                continue;
            }
            match out.iter_mut().find(|l| l.0 == link.category) {
                Some(l) if l.2 < link.strength => (l.1, l.2) = (from as u32, link.strength),
                Some(_) => {}
                None => out.push((link.category, from as u32, link.strength)),
            }
        }
    }
    out.sort_unstable_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)));
    out
}
