//! How a cart's learned scores are combined. `cut_credit`: a cart line's list cut at `top_k` counts a
//! suggestion missing from it as `cut_credit` times the list's last score, not 0 (checked against the model's
//! own lists, computed here a second way). `popularity_prior`: the learned suggestions blended with popularity.

use cartlift_core::lab::{Internals, ProductIdx};
use cartlift_core::{CartLineInput, CrossSellRequest, Engine};
use serde_json::{json, Value};
use std::collections::HashMap;

const TOP_K: usize = 4;

/// 40 products; each order holds 5 of them, drawn with a skew, so every list is cut at `TOP_K`.
fn store(config: Value) -> Engine {
    let products: Vec<Value> =
        (0..40).map(|i| json!({"id": format!("p{i}"), "title": format!("P{i}"), "price": "10.00"})).collect();
    let mut state: u64 = 11;
    let mut next = |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let orders: Vec<Value> = (0..3000)
        .map(|o| {
            let mut ids: Vec<u64> = Vec::new();
            while ids.len() < 5 {
                let p = next(40).min(next(40));
                if !ids.contains(&p) {
                    ids.push(p);
                }
            }
            let lines: Vec<Value> = ids.iter().map(|p| json!({"product_id": format!("p{p}")})).collect();
            json!({"id": format!("o{o}"), "created_at": format!("2026-03-{:02}T10:00:00Z", 1 + o % 28), "lines": lines})
        })
        .collect();
    Engine::train_value(json!({"products": products, "orders": orders, "config": config})).unwrap()
}

fn config(credit: Option<f64>) -> Value {
    config_with("cut_credit", credit)
}

fn config_with(setting: &str, value: Option<f64>) -> Value {
    let mut c = json!({"measure": "jaccard", "top_k": TOP_K, "cart_weight": "equal", "max_per_category": 0,
                       "min_relative_score": 0.0, "use_seasonal": false, "use_buy_again": false});
    if let Some(value) = value {
        c[setting] = json!(value);
    }
    c
}

fn answer(e: &Engine, cart: &[&str]) -> Vec<(String, bool)> {
    let cart = cart.iter().map(|id| CartLineInput::Id(id.to_string())).collect();
    let req = CrossSellRequest { cart, limit: Some(20), ..Default::default() };
    e.cross_sell(&req).unwrap().recommendations.into_iter().map(|r| (r.product_id, r.fill)).collect()
}

/// Every product the cart's lists hold, by the estimate `cut_credit` defines, best first.
fn expected(e: &Engine, cart: &[&str], credit: f64) -> Vec<(String, f64)> {
    let (catalog, model) = (e.catalog(), e.model());
    let lines: Vec<ProductIdx> = cart.iter().map(|id| catalog.get(id).unwrap()).collect();
    let lists: Vec<HashMap<ProductIdx, f64>> =
        lines.iter().map(|&a| model.neighbours(a).iter().map(|n| (n.item, n.score as f64)).collect()).collect();
    let cut = |a: ProductIdx| {
        let list = model.neighbours(a);
        assert_eq!(list.len(), TOP_K, "every list is cut");
        credit * list.last().unwrap().score as f64
    };
    let mut found: Vec<ProductIdx> = lists.iter().flat_map(|l| l.keys().copied()).collect();
    found.sort_unstable();
    found.dedup();
    found.retain(|p| !lines.contains(p));
    let estimate = |p: ProductIdx| -> f64 {
        lines.iter().zip(&lists).map(|(&a, l)| l.get(&p).copied().unwrap_or_else(|| cut(a))).sum::<f64>()
    };
    let mut out: Vec<(String, f64)> = found.into_iter().map(|p| (catalog.id(p).to_string(), estimate(p))).collect();
    out.sort_by(|x, y| y.1.total_cmp(&x.1));
    out
}

#[test]
fn a_missing_entry_of_a_cut_list_counts_as_its_last_score() {
    let cart = ["p0", "p3", "p7", "p12"];
    for credit in [0.0, 1.0] {
        let e = store(config(Some(credit)));
        let learned: Vec<String> = answer(&e, &cart).into_iter().filter(|(_, fill)| !fill).map(|(id, _)| id).collect();
        let want = expected(&e, &cart, credit);
        assert_eq!(learned.len(), want.len(), "credit {credit}: {learned:?} vs {want:?}");
        // Ties may come in either order: compare the estimates in the engine's order.
        let by_id: HashMap<&str, f64> = want.iter().map(|(id, s)| (id.as_str(), *s)).collect();
        let got: Vec<f64> = learned.iter().map(|id| by_id[id.as_str()]).collect();
        assert!(got.windows(2).all(|w| w[0] >= w[1] - 1e-6), "credit {credit}: {learned:?} vs {want:?}");
    }
    // The credit changes the order here (else this test could not tell the two apart).
    let plain: Vec<(String, bool)> = answer(&store(config(Some(0.0))), &cart);
    let credited: Vec<(String, bool)> = answer(&store(config(Some(1.0))), &cart);
    assert_ne!(plain, credited);
}

#[test]
fn no_credit_is_the_answer_without_the_setting() {
    let cart = ["p1", "p2", "p5"];
    assert_eq!(answer(&store(config(None)), &cart), answer(&store(config(Some(0.0))), &cart));
}

#[test]
fn a_full_popularity_prior_orders_the_learned_suggestions_by_popularity() {
    let cart = ["p2", "p9", "p20"];
    let learned = |prior: f64| -> Vec<String> {
        let e = store(config_with("popularity_prior", Some(prior)));
        answer(&e, &cart).into_iter().filter(|(_, fill)| !fill).map(|(id, _)| id).collect()
    };
    let (plain, popular) = (learned(0.0), learned(1.0));
    let e = store(config_with("popularity_prior", Some(1.0)));
    let popularity = |id: &String| e.model().popularity[e.catalog().get(id).unwrap() as usize];
    assert!(popular.windows(2).all(|w| popularity(&w[0]) >= popularity(&w[1])), "{popular:?}");
    // The same suggestions (the prior reorders what the lists hold, it brings in nothing), in another order.
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(plain.clone()), sorted(popular.clone()));
    assert_ne!(plain, popular);
    let cart = ["p1", "p2", "p5"];
    let unset = answer(&store(config_with("popularity_prior", None)), &cart);
    assert_eq!(unset, answer(&store(config_with("popularity_prior", Some(0.0))), &cart));
}

#[test]
fn a_share_above_one_is_refused_by_name() {
    for setting in ["popularity_prior", "cut_credit"] {
        let store_value = json!({"products": [], "orders": [], "config": {setting: 1.5}});
        let err = Engine::train_value(store_value).unwrap_err();
        assert!(err.to_string().contains(&format!("config.{setting}")), "{err}");
    }
}
