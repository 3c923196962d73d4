//! Synthetic stores, deterministic by seed: the embedded demo shop and `cartlift gen` stores of any size.
//! Both plant known structure (complements, families, Zipfian popularity) so tests can check it is learned.

use cartlift_core::{format_minor, Currency, MoneyInput};
use cartlift_core::{format_time, OrderLineRecord, OrderRecord};
use cartlift_core::{AttributeInput, ProductRecord};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// A generated store: products, orders sorted by time, and (for the demo) rules and bundles.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub products: Vec<ProductRecord>,
    pub orders: Vec<OrderRecord>,
    pub rules: Vec<serde_json::Value>,
    pub bundles: Vec<serde_json::Value>,
}

/// 2025-01-01T00:00:00Z: generated histories cover the year from here.
pub const GEN_START: i64 = 1_735_689_600;
const YEAR: i64 = 365 * 86_400;

fn money(minor: i64) -> MoneyInput {
    MoneyInput::Text(format_minor(minor, Currency::USD))
}

/// Sample an index from cumulative weights.
fn pick(cum: &[f64], rng: &mut ChaCha8Rng) -> usize {
    let x = rng.gen::<f64>() * cum[cum.len() - 1];
    cum.partition_point(|&c| c <= x).min(cum.len() - 1)
}

fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

const CATEGORIES: [&str; 24] = [
    "cameras",
    "lenses",
    "tripods",
    "memory-cards",
    "laptops",
    "laptop-sleeves",
    "mice",
    "keyboards",
    "headphones",
    "headphone-cases",
    "coffee-machines",
    "coffee-grinders",
    "coffee-beans",
    "mugs",
    "running-shoes",
    "socks",
    "water-bottles",
    "yoga-mats",
    "phone-cases",
    "chargers",
    "desk-lamps",
    "notebooks",
    "pens",
    "backpacks",
];

/// `cartlift gen`: `n_products` products over 24 categories, `n_orders` orders over a year.
/// Planted structure: each product's complement is a product of the next category (by index), bought with it in
/// about 40% of its orders; every 8th group of three products in a category is a family of tiers.
pub fn synthetic(n_products: usize, n_orders: usize, seed: u64) -> Store {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = n_products.max(2);
    let mut products = Vec::with_capacity(n);
    for i in 0..n {
        let cat = CATEGORIES[i % CATEGORIES.len()];
        let base = 300 + (i as i64 * 7919) % 20_000;
        let group = i / CATEGORIES.len();
        let (family, attributes) = if group % 8 < 3 {
            let tier = (group % 8) as i64 + 1;
            let mut a = BTreeMap::new();
            a.insert("tier".to_string(), AttributeInput::Number(tier as f64));
            a.insert("capacity_gb".to_string(), AttributeInput::Number((64 << tier) as f64));
            (Some(format!("{cat}-family-{}", group / 8)), a)
        } else {
            (None, BTreeMap::new())
        };
        let price = if family.is_some() { 5_000 + (group % 8) as i64 * 2_500 } else { base };
        products.push(ProductRecord {
            id: format!("P{i:06}"),
            title: format!("{} {}", cat.replace('-', " "), i),
            price: money(price),
            currency: None,
            compare_at_price: None,
            category: Some(cat.to_string()),
            tags: if i % 5 == 0 { vec!["featured".to_string()] } else { Vec::new() },
            vendor: Some(format!("vendor-{}", i % 37)),
            available: Some(i % 97 != 0),
            inventory: None,
            family,
            attributes,
            cost: Some(money(price * 6 / 10)),
            kind: None,
        });
    }
    // Zipfian popularity over a shuffled order of products.
    let mut rank: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        rank.swap(i, rng.gen_range(0..=i));
    }
    let mut weight = vec![0.0; n];
    for (r, &p) in rank.iter().enumerate() {
        weight[p] = 1.0 / (r as f64 + 1.0).powf(0.9);
    }
    let cum = cumulative(weight.iter().copied());
    let complement = |p: usize| -> usize { (p + 1 + CATEGORIES.len() * ((p * 31) % 5)) % n };
    let n_customers = (n_orders / 6).max(1);
    let mut times: Vec<i64> = (0..n_orders).map(|_| GEN_START + rng.gen_range(0..YEAR)).collect();
    times.sort_unstable();
    let orders = times
        .into_iter()
        .enumerate()
        .map(|(k, at)| {
            let mut items: Vec<usize> = vec![pick(&cum, &mut rng)];
            if rng.gen_bool(0.4) {
                items.push(complement(items[0]));
            }
            while rng.gen_bool(0.45) && items.len() < 12 {
                items.push(pick(&cum, &mut rng));
            }
            items.sort_unstable();
            items.dedup();
            OrderRecord {
                id: format!("O{k:08}"),
                customer_id: Some(format!("C{:07}", rng.gen_range(0..n_customers))),
                created_at: format_time(at),
                currency: None,
                lines: items
                    .into_iter()
                    .map(|p| OrderLineRecord {
                        product_id: format!("P{p:06}"),
                        quantity: if rng.gen_bool(0.15) { 2 } else { 1 },
                        price: Some(products[p].price.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    Store { products, orders, ..Default::default() }
}

/// What [`plant_personal`] planted, for tests to check it is recovered.
#[derive(Debug, Clone, Default)]
pub struct Planted {
    /// Customers who buy mostly `organic` products.
    pub organic_customers: Vec<String>,
    /// Customers who buy only cheap products (at most `bargain_max_price` minor units).
    pub bargain_customers: Vec<String>,
    pub bargain_max_price: i64,
    /// Customers who restock one staple product every `repurchase_days` (± 3 days).
    pub repurchase_customers: Vec<String>,
    pub staples: Vec<String>,
    pub repurchase_days: i64,
}

/// Plant personal preferences into a generated store (`cartlift gen --personal`): every 6th product is tagged
/// `organic` and bought mostly by 2% of customers; 2% buy only the cheapest fifth of the catalog (a price
/// band); 3% restock one of a few staples every 30 ± 3 days through the year (a repurchase cycle). The added
/// orders follow the store's, so the rest of its structure is unchanged. Deterministic by seed.
pub fn plant_personal(store: &mut Store, seed: u64) -> Planted {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5045_5253_4f4e_414c);
    let n = store.products.len();
    for (i, p) in store.products.iter_mut().enumerate() {
        if i % 6 == 3 && !p.tags.iter().any(|t| t == "organic") {
            p.tags.push("organic".to_string());
        }
    }
    let price = |p: &ProductRecord| p.price.to_minor(Currency::USD, "price").unwrap_or(0);
    let sellable: Vec<usize> = (0..n).filter(|&i| store.products[i].available != Some(false)).collect();
    let organic: Vec<usize> =
        sellable.iter().copied().filter(|&i| store.products[i].tags.iter().any(|t| t == "organic")).collect();
    let mut prices: Vec<i64> = sellable.iter().map(|&i| price(&store.products[i])).collect();
    prices.sort_unstable();
    let bargain_max = prices.get(prices.len() / 5).copied().unwrap_or(0);
    let cheap: Vec<usize> = sellable.iter().copied().filter(|&i| price(&store.products[i]) <= bargain_max).collect();
    let n_customers = (store.orders.len() / 6).max(50);
    let share = |pct: usize| (n_customers * pct / 100).max(5);
    let mut planted = Planted { bargain_max_price: bargain_max, repurchase_days: 30, ..Default::default() };
    let mut added: Vec<(i64, String, Vec<usize>)> = Vec::new();
    let basket = |pool: &[usize], rng: &mut ChaCha8Rng, size: usize| -> Vec<usize> {
        let mut v: Vec<usize> = (0..size).map(|_| pool[rng.gen_range(0..pool.len())]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if !organic.is_empty() {
        for k in 0..share(2) {
            let c = format!("G{k:06}");
            for _ in 0..6 {
                let size = rng.gen_range(2..=4);
                let mut items = basket(&organic, &mut rng, size);
                if rng.gen_bool(0.3) {
                    items.push(sellable[rng.gen_range(0..sellable.len())]);
                }
                added.push((GEN_START + rng.gen_range(0..YEAR), c.clone(), items));
            }
            planted.organic_customers.push(c);
        }
    }
    if !cheap.is_empty() {
        for k in 0..share(2) {
            let c = format!("B{k:06}");
            for _ in 0..6 {
                let size = rng.gen_range(2..=4);
                added.push((GEN_START + rng.gen_range(0..YEAR), c.clone(), basket(&cheap, &mut rng, size)));
            }
            planted.bargain_customers.push(c);
        }
    }
    let staples: Vec<usize> = sellable.iter().copied().step_by((sellable.len() / 8).max(1)).take(8).collect();
    for k in 0..share(3) {
        let c = format!("R{k:06}");
        let staple = staples[k % staples.len()];
        let mut at = GEN_START + rng.gen_range(0..30 * 86_400);
        while at < GEN_START + YEAR {
            let mut items = vec![staple];
            if rng.gen_bool(0.3) {
                items.push(sellable[rng.gen_range(0..sellable.len())]);
            }
            added.push((at, c.clone(), items));
            at += (planted.repurchase_days + rng.gen_range(-3..=3)) * 86_400;
        }
        planted.repurchase_customers.push(c);
    }
    planted.staples = staples.iter().map(|&i| store.products[i].id.clone()).collect();
    let first = store.orders.len();
    for (k, (at, c, items)) in added.into_iter().enumerate() {
        store.orders.push(OrderRecord {
            id: format!("X{:08}", first + k),
            customer_id: Some(c),
            created_at: format_time(at),
            currency: None,
            lines: items
                .into_iter()
                .map(|p| OrderLineRecord {
                    product_id: store.products[p].id.clone(),
                    quantity: 1,
                    price: Some(store.products[p].price.clone()),
                })
                .collect(),
        });
    }
    store.orders.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
    planted
}

/// One product of the demo catalog: (id, title, price in cents, category, family, kind, tags, attributes).
struct Spec(
    &'static str,
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    &'static [(&'static str, f64)],
);

#[rustfmt::skip]
const DEMO: &[Spec] = &[
    Spec("cam-a1", "Aperture A1 Camera", 49_900, "cameras", Some("aperture"), None, &["photo"], &[("megapixels", 20.0), ("video_4k", 0.0), ("weather_sealed", 0.0)]),
    Spec("cam-a2", "Aperture A2 Camera", 74_900, "cameras", Some("aperture"), None, &["photo"], &[("megapixels", 24.0), ("video_4k", 1.0), ("weather_sealed", 0.0)]),
    Spec("cam-a3", "Aperture A3 Pro Camera", 79_900, "cameras", Some("aperture"), None, &["photo"], &[("megapixels", 45.0), ("video_4k", 1.0), ("weather_sealed", 1.0)]),
    Spec("lens-50", "50mm f/1.8 Prime Lens", 21_900, "lenses", None, None, &["photo"], &[("focal_mm", 50.0)]),
    Spec("lens-35", "35mm f/2 Lens", 29_900, "lenses", None, None, &["photo"], &[("focal_mm", 35.0)]),
    Spec("lens-zoom", "24-105mm Zoom Lens", 89_900, "lenses", None, None, &["photo"], &[("focal_mm", 105.0)]),
    Spec("sd-64", "SD Card 64 GB", 1_999, "memory-cards", Some("sd-card"), Some("accessory"), &["photo"], &[("storage_gb", 64.0)]),
    Spec("sd-128", "SD Card 128 GB", 2_999, "memory-cards", Some("sd-card"), Some("accessory"), &["photo"], &[("storage_gb", 128.0)]),
    Spec("sd-256", "SD Card 256 GB", 4_999, "memory-cards", Some("sd-card"), Some("accessory"), &["photo"], &[("storage_gb", 256.0)]),
    Spec("tripod-travel", "Travel Tripod", 8_900, "tripods", None, None, &["photo"], &[]),
    Spec("tripod-studio", "Studio Tripod", 15_900, "tripods", None, None, &["photo"], &[]),
    Spec("bag-sling", "Camera Sling Bag", 5_900, "bags", None, Some("accessory"), &["photo"], &[]),
    Spec("bag-backpack", "Camera Backpack", 11_900, "bags", None, Some("accessory"), &["photo"], &[]),
    Spec("battery-cam", "Spare Camera Battery", 4_900, "batteries", None, Some("accessory"), &["photo"], &[]),
    Spec("warranty-cam", "2-Year Camera Protection", 6_900, "protection", None, Some("warranty"), &["photo"], &[]),
    Spec("filter-uv", "UV Filter", 2_900, "filters", None, Some("accessory"), &["photo"], &[]),
    Spec("lp-13", "Notebook Air 13", 99_900, "laptops", Some("notebook"), None, &["computing"], &[("storage_gb", 256.0), ("ram_gb", 8.0), ("screen_in", 13.0)]),
    Spec("lp-14", "Notebook Air 14", 129_900, "laptops", Some("notebook"), None, &["computing"], &[("storage_gb", 512.0), ("ram_gb", 16.0), ("screen_in", 14.0)]),
    Spec("lp-15", "Notebook Air 15", 139_900, "laptops", Some("notebook"), None, &["computing"], &[("storage_gb", 512.0), ("ram_gb", 8.0), ("screen_in", 15.0)]),
    Spec("lp-16", "Notebook Pro 16", 149_900, "laptops", Some("notebook"), None, &["computing"], &[("storage_gb", 1024.0), ("ram_gb", 32.0), ("screen_in", 16.0)]),
    Spec("sleeve-13", "Laptop Sleeve 13\"", 3_900, "laptop-sleeves", None, Some("accessory"), &["computing"], &[]),
    Spec("sleeve-16", "Laptop Sleeve 16\"", 4_900, "laptop-sleeves", None, Some("accessory"), &["computing"], &[]),
    Spec("mouse-wl", "Wireless Mouse", 2_900, "mice", None, Some("accessory"), &["computing"], &[]),
    Spec("mouse-pro", "Ergonomic Pro Mouse", 7_900, "mice", None, Some("accessory"), &["computing"], &[]),
    Spec("hub-usbc", "USB-C Hub 7-in-1", 4_900, "hubs", None, Some("accessory"), &["computing"], &[]),
    Spec("kb-mech", "Mechanical Keyboard", 12_900, "keyboards", None, None, &["computing"], &[]),
    Spec("warranty-lp", "3-Year Laptop Protection", 19_900, "protection", None, Some("warranty"), &["computing"], &[]),
    Spec("office-suite", "Office Suite (1 year)", 9_900, "software", None, Some("digital"), &["computing"], &[]),
    Spec("antivirus", "Antivirus (1 year)", 3_900, "software", None, Some("digital"), &["computing"], &[]),
    Spec("stand-lp", "Aluminium Laptop Stand", 4_500, "desk", None, Some("accessory"), &["computing"], &[]),
    Spec("esp-basic", "Espresso Machine Basic", 19_900, "coffee-machines", Some("espresso"), None, &["coffee"], &[("bar_pressure", 15.0), ("milk_frother", 0.0), ("grinder_built_in", 0.0)]),
    Spec("esp-plus", "Espresso Machine Plus", 37_900, "coffee-machines", Some("espresso"), None, &["coffee"], &[("bar_pressure", 15.0), ("milk_frother", 1.0), ("grinder_built_in", 0.0)]),
    Spec("esp-barista", "Espresso Machine Barista", 44_900, "coffee-machines", Some("espresso"), None, &["coffee"], &[("bar_pressure", 19.0), ("milk_frother", 1.0), ("grinder_built_in", 1.0)]),
    Spec("grinder-burr", "Burr Coffee Grinder", 12_900, "coffee-grinders", None, None, &["coffee"], &[]),
    Spec("grinder-hand", "Hand Coffee Grinder", 4_900, "coffee-grinders", None, None, &["coffee"], &[]),
    Spec("beans-house", "House Blend Beans 1 kg", 2_400, "coffee-beans", None, None, &["coffee", "organic"], &[]),
    Spec("beans-eth", "Ethiopia Single Origin 500 g", 1_800, "coffee-beans", None, None, &["coffee", "organic"], &[]),
    Spec("beans-col", "Colombia Single Origin 500 g", 1_700, "coffee-beans", None, None, &["coffee"], &[]),
    Spec("beans-decaf", "Decaf Blend 500 g", 1_600, "coffee-beans", None, None, &["coffee"], &[]),
    Spec("jug-milk", "Milk Frothing Jug", 1_900, "coffee-tools", None, Some("accessory"), &["coffee"], &[]),
    Spec("tamper", "Espresso Tamper", 2_900, "coffee-tools", None, Some("accessory"), &["coffee"], &[]),
    Spec("descaler", "Descaler 3-pack", 1_400, "coffee-care", None, Some("accessory"), &["coffee"], &[]),
    Spec("cups-esp", "Espresso Cups (set of 4)", 2_200, "mugs", None, None, &["coffee"], &[]),
    Spec("mug-travel", "Insulated Travel Mug", 2_600, "mugs", None, None, &["coffee"], &[]),
    Spec("warranty-esp", "2-Year Machine Protection", 3_900, "protection", None, Some("warranty"), &["coffee"], &[]),
    Spec("hp-basic", "Headphones Basic", 7_900, "headphones", Some("headphones"), None, &["audio"], &[("battery_h", 20.0), ("noise_cancelling", 0.0)]),
    Spec("hp-nc", "Headphones NC", 19_900, "headphones", Some("headphones"), None, &["audio"], &[("battery_h", 30.0), ("noise_cancelling", 1.0)]),
    Spec("hp-pro", "Headphones Pro", 24_900, "headphones", Some("headphones"), None, &["audio"], &[("battery_h", 40.0), ("noise_cancelling", 1.0)]),
    Spec("hp-case", "Headphone Hard Case", 2_900, "audio-accessories", None, Some("accessory"), &["audio"], &[]),
    Spec("hp-cable", "Audio Cable 1.5 m", 1_200, "audio-accessories", None, Some("accessory"), &["audio"], &[]),
    Spec("hp-stand", "Headphone Stand", 3_400, "audio-accessories", None, Some("accessory"), &["audio"], &[]),
    Spec("spk-mini", "Mini Bluetooth Speaker", 4_900, "speakers", None, None, &["audio"], &[]),
    Spec("run-road", "Road Running Shoes", 12_900, "running-shoes", None, None, &["running", "shoes"], &[]),
    Spec("run-trail", "Trail Running Shoes", 14_900, "running-shoes", None, None, &["running", "shoes"], &[]),
    Spec("run-race", "Racing Flats", 17_900, "running-shoes", None, None, &["running", "shoes"], &[]),
    Spec("socks-run", "Running Socks", 1_400, "socks", None, None, &["running", "socks"], &[]),
    Spec("socks-merino", "Merino Running Socks", 2_200, "socks", None, None, &["running", "socks", "organic"], &[]),
    Spec("socks-comp", "Compression Socks", 2_900, "socks", None, None, &["running", "socks"], &[]),
    Spec("bottle-500", "Running Bottle 500 ml", 1_900, "bottles", None, Some("accessory"), &["running"], &[]),
    Spec("belt-run", "Running Belt", 2_400, "running-gear", None, Some("accessory"), &["running"], &[]),
    Spec("cap-run", "Running Cap", 2_500, "running-gear", None, None, &["running"], &[]),
    Spec("gel-pack", "Energy Gels (12)", 2_800, "nutrition", None, None, &["running"], &[]),
    Spec("watch-gps", "GPS Running Watch", 24_900, "wearables", None, None, &["running"], &[]),
    Spec("gift-25", "Gift Card $25", 2_500, "gift-cards", None, Some("gift_card"), &[], &[]),
    Spec("gift-50", "Gift Card $50", 5_000, "gift-cards", None, Some("gift_card"), &[], &[]),
];

/// Planted complements of the demo: (anchor, complement, probability that an order with the anchor has it).
const DEMO_COMPLEMENTS: &[(&str, &str, f64)] = &[
    ("cam-a1", "sd-64", 0.55),
    ("cam-a1", "bag-sling", 0.30),
    ("cam-a1", "lens-50", 0.25),
    ("cam-a2", "sd-128", 0.55),
    ("cam-a2", "lens-50", 0.35),
    ("cam-a2", "bag-sling", 0.25),
    ("cam-a2", "warranty-cam", 0.20),
    ("cam-a3", "sd-256", 0.55),
    ("cam-a3", "lens-zoom", 0.35),
    ("cam-a3", "bag-backpack", 0.30),
    ("cam-a3", "warranty-cam", 0.30),
    ("cam-a3", "battery-cam", 0.30),
    ("lens-50", "filter-uv", 0.30),
    ("lens-zoom", "filter-uv", 0.30),
    ("tripod-travel", "bag-sling", 0.15),
    ("lp-13", "sleeve-13", 0.45),
    ("lp-14", "sleeve-13", 0.35),
    ("lp-16", "sleeve-16", 0.45),
    ("lp-15", "sleeve-16", 0.35),
    ("lp-13", "mouse-wl", 0.35),
    ("lp-14", "mouse-wl", 0.30),
    ("lp-16", "mouse-pro", 0.40),
    ("lp-16", "hub-usbc", 0.45),
    ("lp-14", "hub-usbc", 0.30),
    ("lp-16", "warranty-lp", 0.30),
    ("lp-14", "office-suite", 0.25),
    ("lp-13", "antivirus", 0.15),
    ("esp-basic", "grinder-hand", 0.35),
    ("esp-plus", "grinder-burr", 0.40),
    ("esp-barista", "tamper", 0.35),
    ("esp-basic", "beans-house", 0.50),
    ("esp-plus", "beans-house", 0.45),
    ("esp-barista", "beans-eth", 0.45),
    ("esp-plus", "jug-milk", 0.40),
    ("esp-barista", "jug-milk", 0.30),
    ("esp-plus", "descaler", 0.25),
    ("esp-basic", "cups-esp", 0.25),
    ("esp-plus", "warranty-esp", 0.20),
    ("grinder-burr", "beans-eth", 0.35),
    ("beans-house", "beans-col", 0.20),
    ("hp-basic", "hp-cable", 0.30),
    ("hp-nc", "hp-case", 0.45),
    ("hp-pro", "hp-case", 0.50),
    ("hp-pro", "hp-stand", 0.30),
    ("run-road", "socks-run", 0.50),
    ("run-trail", "socks-merino", 0.45),
    ("run-race", "socks-comp", 0.40),
    ("run-road", "bottle-500", 0.25),
    ("run-trail", "belt-run", 0.30),
    ("run-race", "gel-pack", 0.35),
    ("run-road", "cap-run", 0.15),
    ("watch-gps", "belt-run", 0.20),
];

/// The embedded sample store behind `cartlift demo`: 66 products with families, ~5,000 orders with planted
/// complements, a few merchandising rules and bundles. Deterministic.
pub fn demo_store() -> Store {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let products: Vec<ProductRecord> = DEMO
        .iter()
        .map(|Spec(id, title, price, cat, family, kind, tags, attrs)| ProductRecord {
            id: id.to_string(),
            title: title.to_string(),
            price: money(*price),
            currency: Some("USD".into()),
            compare_at_price: None,
            category: Some(cat.to_string()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            vendor: Some(if tags.contains(&"coffee") { "Crema & Co" } else { "Northwind" }.to_string()),
            available: Some(*id != "tripod-studio"),
            inventory: if *id == "bag-backpack" { Some(0) } else { None },
            family: family.map(str::to_string),
            attributes: attrs
                .iter()
                .map(|(k, v)| {
                    let a = if matches!(
                        *k,
                        "video_4k" | "weather_sealed" | "milk_frother" | "grinder_built_in" | "noise_cancelling"
                    ) {
                        AttributeInput::Bool(*v > 0.0)
                    } else {
                        AttributeInput::Number(*v)
                    };
                    (k.to_string(), a)
                })
                .collect(),
            cost: Some(money(price * 55 / 100)),
            kind: kind.map(str::to_string),
        })
        .collect();
    // Anchors are the products that start an order; accessories mostly ride along.
    let anchor_weight = |s: &Spec| match s.5 {
        Some("gift_card") => 0.3,
        Some(_) => 0.6,
        None if s.2 >= 50_000 => 1.2,
        None => 2.0,
    };
    let cum = cumulative(DEMO.iter().map(anchor_weight));
    let n_orders = 5_000;
    let mut times: Vec<i64> = (0..n_orders).map(|_| GEN_START + rng.gen_range(0..YEAR)).collect();
    times.sort_unstable();
    let orders = times
        .into_iter()
        .enumerate()
        .map(|(k, at)| {
            let anchor = DEMO[pick(&cum, &mut rng)].0;
            let mut items = vec![anchor];
            for (a, c, p) in DEMO_COMPLEMENTS {
                if *a == anchor && rng.gen_bool(*p) {
                    items.push(c);
                }
            }
            if rng.gen_bool(0.2) {
                items.push(DEMO[pick(&cum, &mut rng)].0);
            }
            items.sort_unstable();
            items.dedup();
            OrderRecord {
                id: format!("D{:05}", k + 1),
                customer_id: Some(format!("cust-{:04}", rng.gen_range(0..1_200))),
                created_at: format_time(at),
                currency: None,
                lines: items
                    .into_iter()
                    .map(|id| OrderLineRecord {
                        product_id: id.to_string(),
                        quantity: if id.starts_with("beans") || id.starts_with("socks") {
                            rng.gen_range(1..=3)
                        } else {
                            1
                        },
                        price: None,
                    })
                    .collect(),
            }
        })
        .collect();
    let rules = vec![
        serde_json::json!({"kind":"complement","from":{"category":"cameras"},"to":{"category":"memory-cards"},"heading":"Complete your setup"}),
        serde_json::json!({"kind":"exclude","target":{"category":"gift-cards"}}),
        serde_json::json!({"kind":"boost","target":{"tag":"organic"},"factor":1.2}),
    ];
    let bundles = vec![
        serde_json::json!({"id":"camera-kit","kind":"fixed","items":[{"product_id":"cam-a2","quantity":1},{"product_id":"lens-50","quantity":1}],"amount_off":"25.00"}),
        serde_json::json!({"id":"socks-3","kind":"mix_and_match","collection":{"category":"socks"},"quantity":3,"percent_off":20}),
        serde_json::json!({"id":"beans-volume","kind":"volume","collection":{"category":"coffee-beans"},"tiers":[{"min_quantity":2,"percent_off":10},{"min_quantity":4,"percent_off":15}]}),
        serde_json::json!({"id":"shoes-socks","kind":"buy_x_get_y","buy":{"collection":{"tag":"shoes"},"quantity":1},"get":{"collection":{"tag":"socks"},"quantity":1},"percent_off":50}),
        serde_json::json!({"id":"protect-laptop","kind":"addon","trigger":{"category":"laptops"},"target":{"product_ids":["warranty-lp"]},"percent_off":20}),
        serde_json::json!({"id":"spend-200","kind":"threshold","min_subtotal":"200.00","amount_off":"10.00"}),
    ];
    Store { products, orders, rules, bundles }
}

impl Store {
    /// The train request for this store (records inline).
    pub fn train_request(&self) -> cartlift_core::TrainRequest {
        use cartlift_core::Source;
        let vals = |v: &Vec<serde_json::Value>| (!v.is_empty()).then(|| Source::Records(v.clone()));
        cartlift_core::TrainRequest {
            products: Source::Records(
                self.products.iter().map(|p| serde_json::to_value(p).expect("serializes")).collect(),
            ),
            orders: Some(Source::Records(
                self.orders.iter().map(|o| serde_json::to_value(o).expect("serializes")).collect(),
            )),
            rules: vals(&self.rules),
            bundles: vals(&self.bundles),
            config: None,
            experiments: None,
            events: None,
            skip_invalid: false,
        }
    }
}

/// Simulated shoppers of an A/B test (`cartlift gen --events`): experiment definitions and events.
#[derive(Debug, Clone, Default)]
pub struct Simulation {
    pub experiments: Vec<serde_json::Value>,
    pub events: Vec<serde_json::Value>,
}

/// The experiment id the simulation writes.
pub const SIM_EXPERIMENT: &str = "recs";

/// Simulate `n_visitors` shoppers split 50/50 by `assign` between "off" (control: no recommendations) and "on"
/// (a cart recommendation of the anchor product's most frequent complement in the store's orders).
///
/// A third of the visitors buy a basket drawn from the store's orders, so baskets follow its planted
/// complements. In "on", a buyer clicks and adds k units of the recommended complement with probability q,
/// where k·q·price = `lift_pct`% of the basket's value: the expected AOV (and revenue per visitor) of "on" is
/// exactly (1 + lift) times that of "off". Deterministic by seed; events sorted by time.
pub fn simulate_events(store: &Store, n_visitors: usize, lift_pct: f64, seed: u64) -> Simulation {
    use cartlift_core::Experiment;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5349_4d55_4c41_5445);
    let experiment = serde_json::json!({"id": SIM_EXPERIMENT, "variants": [
        {"id": "off", "weight": 50, "control": true}, {"id": "on", "weight": 50}]});
    let exp = Experiment::compile(&experiment).expect("the simulated experiment is valid");
    let price: std::collections::HashMap<&str, i64> =
        store.products.iter().map(|p| (p.id.as_str(), p.price.to_minor(Currency::USD, "price").unwrap_or(0))).collect();
    // The most frequent partner of each product in the store's orders (ties by id, so deterministic).
    let mut pairs: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for o in &store.orders {
        for a in &o.lines {
            for b in &o.lines {
                if a.product_id != b.product_id && price.get(b.product_id.as_str()).is_some_and(|p| *p > 0) {
                    *pairs.entry((a.product_id.as_str(), b.product_id.as_str())).or_default() += 1;
                }
            }
        }
    }
    let mut partner: BTreeMap<&str, (&str, u32)> = BTreeMap::new();
    for ((a, b), n) in pairs {
        let e = partner.entry(a).or_insert((b, n));
        if n > e.1 {
            *e = (b, n);
        }
    }
    let orders: Vec<&OrderRecord> = store.orders.iter().filter(|o| !o.lines.is_empty()).collect();
    let lift = lift_pct / 100.0;
    let span = 8 * 7 * 86_400;
    let mut events: Vec<(i64, usize, serde_json::Value)> = Vec::new();
    let mut push = |at: i64, v: serde_json::Value| {
        let n = events.len();
        events.push((at, n, v));
    };
    for i in 0..n_visitors {
        let visitor = format!("V{i:07}");
        let on = exp.assign(&visitor).id == "on";
        let t = GEN_START + rng.gen_range(0..span);
        let Some(order) = orders.get(rng.gen_range(0..orders.len().max(1))) else { break };
        let anchor = order.lines[0].product_id.as_str();
        let at = |dt: i64| format_time(t + dt);
        push(t, serde_json::json!({"type": "view", "at": at(0), "visitor_id": visitor, "product_id": anchor}));
        let buys = rng.gen_bool(1.0 / 3.0);
        let list_id = format!("L{i:07}");
        let rec = partner.get(anchor).map(|p| p.0);
        if on {
            if let Some(rec) = rec {
                push(
                    t + 30,
                    serde_json::json!({"type": "impression", "at": at(30), "visitor_id": visitor, "list_id": list_id,
                    "placement": "cart", "experiment": SIM_EXPERIMENT, "variant": "on", "product_ids": [rec]}),
                );
            }
        }
        if !buys {
            continue;
        }
        let mut lines: Vec<(String, i64, i64)> = order
            .lines
            .iter()
            .map(|l| (l.product_id.clone(), l.quantity.max(1), price.get(l.product_id.as_str()).copied().unwrap_or(0)))
            .collect();
        let base: i64 = lines.iter().map(|(_, q, p)| q * p).sum();
        if let (true, Some(rec)) = (on && lift > 0.0, rec) {
            let unit = price[rec];
            let target = lift * base as f64;
            let k = (target / unit as f64).ceil().max(1.0);
            let q = (target / (k * unit as f64)).min(1.0);
            if rng.gen_bool(q) {
                push(
                    t + 60,
                    serde_json::json!({"type": "click", "at": at(60), "visitor_id": visitor, "product_id": rec, "list_id": list_id}),
                );
                push(
                    t + 70,
                    serde_json::json!({"type": "add_to_cart", "at": at(70), "visitor_id": visitor, "product_id": rec, "list_id": list_id}),
                );
                lines.retain(|l| l.0 != rec);
                lines.push((
                    rec.to_string(),
                    k as i64 + order.lines.iter().filter(|l| l.product_id == rec).map(|l| l.quantity).sum::<i64>(),
                    unit,
                ));
            }
        }
        let total: i64 = lines.iter().map(|(_, q, p)| q * p).sum();
        push(
            t + 600,
            serde_json::json!({"type": "order", "at": at(600), "visitor_id": visitor, "order_id": format!("S{i:07}"),
            "lines": lines.iter().map(|(id, q, p)| serde_json::json!({"product_id": id, "quantity": q, "price": format_minor(*p, Currency::USD)})).collect::<Vec<_>>(),
            "total": format_minor(total, Currency::USD)}),
        );
    }
    events.sort_by_key(|e| (e.0, e.1));
    Simulation { experiments: vec![experiment], events: events.into_iter().map(|e| e.2).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_by_seed() {
        let a = synthetic(100, 500, 7);
        let b = synthetic(100, 500, 7);
        assert_eq!(a.orders, b.orders);
        assert_ne!(a.orders, synthetic(100, 500, 8).orders);
        assert_eq!(demo_store().orders, demo_store().orders);
        assert_eq!(demo_store().orders.len(), 5_000);
    }
}
