//! Every real Shopify-format file in tests/data/shopify loads through the public loaders, with facts from
//! its SOURCES.md checked (counts, ids, prices, lines). The files are third-party exports, not written for us.

use cartlift_core::lab::shopify;
use cartlift_core::lab::Internals;
use cartlift_core::Currency;
use cartlift_core::{load_orders, load_products, LoadOptions, Source};
use cartlift_core::{parse_time, Order};
use cartlift_core::{AttributeInput, ProductData};
use cartlift_core::{Engine, ErrorCode};
use std::collections::BTreeSet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/shopify/");

fn path(name: &str) -> String {
    format!("{DIR}{name}")
}

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn products(name: &str, currency: &str) -> Vec<(ProductData, u64)> {
    let opts = LoadOptions { skip_invalid: false, currency: cur(currency) };
    let loaded = load_products(&Source::Path(path(name)), &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(loaded.report.format, "shopify_products_csv", "{name}");
    assert_eq!(loaded.report.skipped, 0);
    loaded
        .records
        .into_iter()
        .map(|((p, c), line)| {
            assert_eq!(c, None, "Shopify's product CSV names no currency");
            (p, line)
        })
        .collect()
}

fn orders(name: &str, currency: &str) -> Vec<(Order, u64)> {
    let opts = LoadOptions { skip_invalid: false, currency: cur(currency) };
    load_orders(&Source::Path(path(name)), cur(currency), &opts).unwrap_or_else(|e| panic!("{name}: {e}")).records
}

fn find<'a>(ps: &'a [(ProductData, u64)], id: &str) -> &'a (ProductData, u64) {
    ps.iter().find(|(p, _)| p.id == id).unwrap_or_else(|| panic!("no product {id:?}"))
}

fn text(s: &str) -> AttributeInput {
    AttributeInput::Text(s.to_string())
}

fn distinct_ids(ps: &[(ProductData, u64)]) -> usize {
    ps.iter().map(|(p, _)| p.id.as_str()).collect::<BTreeSet<_>>().len()
}

fn families(ps: &[(ProductData, u64)], family: &str) -> usize {
    ps.iter().filter(|(p, _)| p.family.as_deref() == Some(family)).count()
}

fn check_sample_template(ps: &[(ProductData, u64)]) {
    assert_eq!(ps.len(), 16);
    assert_eq!(distinct_ids(ps), 16);
    assert_eq!(families(ps, "example-shirt"), 12);
    let (shirt, line) = find(ps, "SRT_COT_111");
    assert_eq!(*line, 2);
    assert_eq!(shirt.title, "Example T-Shirt - Green / S");
    assert_eq!(shirt.price, 2500);
    assert_eq!(shirt.category.as_deref(), Some("Shirts"));
    assert_eq!(shirt.vendor.as_deref(), Some("Acme"));
    assert_eq!(shirt.tags, vec!["Made to Order", "Shirt Tag"]);
    assert_eq!(shirt.attribute("color"), Some(&text("Green")));
    assert_eq!(shirt.attribute("size"), Some(&text("S")));
    assert!(shirt.available);
    assert_eq!(shirt.inventory, None, "the shirt's inventory is not tracked");
    // A continuation row inherits title, vendor, tags and option names from the product's first row.
    let (purple, line) = find(ps, "SRT_COT_433");
    assert_eq!(*line, 13);
    assert_eq!(purple.title, "Example T-Shirt - Purple / L");
    assert_eq!((purple.vendor.as_deref(), purple.tags.len()), (Some("Acme"), 2));
    assert_eq!(purple.attribute("color"), Some(&text("Purple")));

    let (pants, line) = find(ps, "PNT_DEN_305");
    assert_eq!(*line, 15);
    assert_eq!(pants.price, 9500);
    assert_eq!(pants.compare_at_price, Some(6495), "a compare-at below the price is kept: it is data");
    assert_eq!(pants.cost, Some(5000));
    assert_eq!(pants.inventory, Some(15));
    assert_eq!(pants.family.as_deref(), Some("example-pants"));
    assert!(!pants.available, "draft");
    assert_eq!(pants.category.as_deref(), Some("Pants"));
    assert_eq!(families(ps, "example-pants"), 3);

    let (hat, line) = find(ps, "HAT_GRY_275");
    assert_eq!(*line, 18, "line 17 is the image-only row of the pants");
    assert_eq!((hat.price, hat.compare_at_price, hat.cost), (1799, Some(2299), Some(850)));
    assert_eq!((hat.title.as_str(), hat.family.as_deref()), ("Example Beanie", None));
    assert!(hat.attributes.is_empty(), "Title / Default Title is no attribute");
    assert!(!hat.available, "archived");
    assert_eq!(hat.inventory, Some(50));
    assert!(ps.iter().all(|(p, _)| p.kind.is_none()));
}

#[test]
fn sample_template_and_its_excel_resave() {
    let a = products("products_shopify_sample_template_2024.csv", "USD");
    check_sample_template(&a);
    // The Excel round trip (scientific-notation barcodes, no final newline) reads the same products.
    let b = products("products_shopify_sample_template_2024_excel_resaved.csv", "USD");
    check_sample_template(&b);
    assert_eq!(a, b);
}

#[test]
fn jewelery_demo() {
    let ps = products("products_shopifypartners_jewelery_demo.csv", "USD");
    assert_eq!(ps.len(), 23);
    assert_eq!(distinct_ids(&ps), 23);
    let (gold, line) = find(&ps, "leather-anchor/Gold");
    assert_eq!((*line, gold.price, gold.compare_at_price), (4, 6999, Some(8500)));
    assert_eq!(gold.title, "Anchor Bracelet Mens - Gold");
    let (silver, line) = find(&ps, "leather-anchor/Silver");
    assert_eq!((*line, silver.price, silver.compare_at_price), (5, 5500, Some(8500)));
    assert_eq!(silver.family.as_deref(), Some("leather-anchor"));
    assert_eq!(silver.category.as_deref(), Some("Bracelet"));
    assert_eq!(silver.attribute("color"), Some(&text("Silver")));
    assert_eq!(families(&ps, "chain-bracelet"), 2);
    let (purple, line) = find(&ps, "gemstone/Purple");
    assert_eq!((*line, purple.price), (36, 2799));
    assert_eq!(purple.attribute("colour"), Some(&text("Purple")));
    // Lines stay physical after quoted newlines in Body (HTML), CRLF and no final newline.
    let (last, line) = find(&ps, "stylish-summer-neclace");
    assert_eq!((*line, last.price, last.compare_at_price), (55, 4499, None));
    assert_eq!(ps.iter().filter(|(p, _)| p.compare_at_price.is_some()).count(), 17);
    assert_eq!(ps.iter().filter(|(p, _)| p.family.is_some()).count(), 6);
}

#[test]
fn home_and_garden_demo() {
    let ps = products("products_shopifypartners_home_and_garden_demo.csv", "USD");
    assert_eq!(ps.len(), 21);
    assert_eq!(find(&ps, "clay-plant-pot/Regular").0.price, 999);
    assert_eq!(find(&ps, "clay-plant-pot/Large").0.price, 1599);
    assert_eq!(find(&ps, "cream-sofa").0.price, 50000);
    assert_eq!(find(&ps, "cream-sofa").0.compare_at_price, Some(75000));
    assert_eq!(ps.iter().filter(|(p, _)| p.compare_at_price.is_some()).count(), 16);
    // SOURCES.md names two vendors; the file also has "Home Sweet Home" on 3 products.
    let vendor = |v: &str| ps.iter().filter(|(p, _)| p.vendor.as_deref() == Some(v)).count();
    assert_eq!((vendor("Company 123"), vendor("Rustic LTD"), vendor("Home Sweet Home")), (9, 9, 3));
    assert_eq!(find(&ps, "clay-plant-pot/Large").0.vendor.as_deref(), Some("Company 123"), "inherited");
}

#[test]
fn jpy_export_without_decimals_and_non_ascii_handle() {
    let ps = products("products_export_jpy_gatsby_demo_2020.csv", "JPY");
    assert_eq!(ps.len(), 29);
    assert_eq!(distinct_ids(&ps), 29);
    let (tux, line) = find(&ps, "blue-silk-tuxedo");
    assert_eq!((*line, tux.price, tux.inventory), (2, 8000, Some(11)));
    assert_eq!(tux.title, "シルクタキシード");
    let handle = "puzzlly-ロゴtシャツ";
    assert_eq!(families(&ps, handle), 9);
    let (tee, line) = find(&ps, "puzzlly-ロゴtシャツ/S/Green");
    assert_eq!(*line, 21, "the first row's multi-line HTML body spans lines 15-20");
    assert_eq!((tee.price, tee.compare_at_price), (2500, Some(3000)));
    assert_eq!(tee.title, "puzzlly\u{3000}ロゴTシャツ - S / Green");
    assert_eq!(tee.attribute("色"), Some(&text("Green")));
    assert_eq!(tee.attribute("size"), Some(&text("S")));
    assert_eq!(tee.category.as_deref(), Some("Tシャツ"), "Custom ProductData Type");
    assert_eq!(families(&ps, "classic-varsity-top"), 3);
    assert_eq!(find(&ps, "classic-varsity-top/Medium").0.price, 6000);
    // A JPY price with decimals would be refused.
    let opts = LoadOptions { skip_invalid: false, currency: cur("USD") };
    let usd = load_products(&Source::Path(path("products_export_jpy_gatsby_demo_2020.csv")), &opts).unwrap();
    assert_eq!(usd.records[0].0 .0.price, 800000, "the currency is the caller's: 8000 USD is 800000 cents");
}

#[test]
fn packt_export() {
    let ps = products("products_export_packt_liquid_book_2021.csv", "USD");
    assert_eq!(ps.len(), 21);
    let (lamp, line) = find(&ps, "floor-lamp");
    assert_eq!(
        (*line, lamp.price, lamp.compare_at_price, lamp.category.as_deref()),
        (2, 6999, Some(8500), Some("Indoor"))
    );
    assert_eq!(lamp.inventory, None, "tracker empty: not tracked");
    assert_eq!(find(&ps, "round-table").1, 9, "after black-armchairs' multi-line body");
    assert_eq!(find(&ps, "grey-wheelbarrow").0.inventory, Some(8));
    let (green, _) = find(&ps, "gardening-gloves/Green");
    let (yellow, line) = find(&ps, "gardening-gloves/Yellow");
    assert_eq!((green.price, yellow.price, *line), (999, 1599, 27));
    assert_eq!(yellow.category.as_deref(), Some("Outdoor"), "inherited from the product row");
    assert_eq!(ps.iter().filter(|(p, _)| p.compare_at_price.is_some()).count(), 16);
}

#[test]
fn stache_wax_2025_export() {
    let ps = products("products_export_stache_wax_2025.csv", "USD");
    assert_eq!(ps.len(), 14);
    assert_eq!(families(&ps, "mustache-wax"), 7);
    // Shopify does not enforce unique SKUs: later products reusing a SKU get their handle as id.
    assert_eq!(distinct_ids(&ps), 14);
    let (first, line) = find(&ps, "og1oz-light-black-usa");
    assert_eq!(*line, 2);
    assert_eq!(first.price, 1599);
    assert_eq!(first.attribute("size"), Some(&text("1 Ounce (Pack of 1)")));
    assert_eq!(first.attribute("style"), Some(&text("Medium Hold - Citrus Scent - Light Black")));
    assert!(first.available && first.in_stock(), "policy continue: sellable at inventory 0");
    let (backroom, line) = find(&ps, "stmw-med-neutral-backroom-1oz-usa");
    assert_eq!((*line, backroom.price, backroom.family.as_deref()), (3, 1799, Some("mustache-wax")));
    let (dup, _) = ps.iter().find(|(_, l)| *l == 56).unwrap();
    assert!(dup.id.starts_with("state-trooper-stache-wax-mustache-wax-medium-hold-backroom"), "{}", dup.id);
    assert_eq!((dup.price, dup.cost), (1699, Some(213)));
    assert_eq!(dup.category.as_deref(), Some("Hair Styling Products"), "leaf of ProductData Category");
    assert!(!dup.available, "active but not published");
    let (comb, line) = find(&ps, "kent-81t-tortoiseshell-usa");
    assert_eq!((*line, comb.available, comb.inventory), (28, false, Some(0)));
    assert_eq!(find(&ps, "wax-original-2oz").1, 108);
    assert!(ps.iter().all(|(p, _)| p.compare_at_price.is_none()));
    assert_eq!(ps.iter().filter(|(p, _)| p.available).count(), 7, "only mustache-wax is active and published");
}

#[test]
fn malformed_price_names_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(path("products_shopify_sample_template_2024.csv")).unwrap();
    // Line 15 is PNT_DEN_305 with price 95.
    let mut lines: Vec<&str> = original.split("\r\n").collect();
    assert!(lines[14].contains(",PNT_DEN_305,"));
    let fixed = lines[14].replacen(",95,64.95,", ",9x5,64.95,", 1);
    assert_ne!(fixed, lines[14]);
    lines[14] = &fixed;
    let file = dir.path().join("products.csv");
    std::fs::write(&file, lines.join("\r\n")).unwrap();
    let src = Source::Path(file.display().to_string());
    let e = load_products(&src, &LoadOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!((e.line, e.field.as_deref()), (Some(15), Some("Variant Price")), "{e}");
    assert!(e.to_string().contains("line 15: Variant Price:"), "{e}");
    // With skip_invalid the other 15 variants load and the reason is kept.
    let loaded = load_products(&src, &LoadOptions { skip_invalid: true, ..Default::default() }).unwrap();
    assert_eq!((loaded.records.len(), loaded.report.skipped), (15, 1));
    assert_eq!(loaded.report.skipped_reasons[0].line, 15);
    // Too many decimals for the currency is caught at validation, still on its line.
    let e = load_products(
        &Source::Path(path("products_shopify_sample_template_2024.csv")),
        &LoadOptions { skip_invalid: false, currency: cur("JPY") },
    )
    .unwrap_err();
    assert_eq!(e.line, Some(14), "{e}");
}

#[test]
fn enavant_orders_usd() {
    let os = orders("orders_export_enavant_usd_2021_redacted.csv", "USD");
    assert_eq!(os.len(), 409 - 20, "cancelled orders are left out");
    assert_eq!(os.iter().map(|(o, _)| o.lines.len()).sum::<usize>(), 787);
    let (first, line) = &os[0];
    assert_eq!((first.id.as_str(), *line), ("#1411", 2));
    assert_eq!(first.created_at, parse_time("2022-01-11T09:32:30Z", "t").unwrap());
    assert_eq!(first.customer_id.as_deref(), Some("customer-0001@example.com"));
    assert_eq!(
        (first.lines[0].product_id.as_str(), first.lines[0].quantity, first.lines[0].price),
        ("ENPT007BRL", 1, Some(15900))
    );
    let (big, line) = os.iter().find(|(o, _)| o.id == "#1024").unwrap();
    assert_eq!((big.lines.len(), *line), (12, 834));
    // No SKU: the line item name names the product.
    let (last, line) = os.last().unwrap();
    assert_eq!((last.id.as_str(), *line), ("#1001", 881));
    assert_eq!(last.lines[0].product_id, "Serenity Leggings - Slate Grey / S");
    assert_eq!(os.iter().filter(|(o, _)| o.customer_id.is_none()).count(), 18);
    let customers: BTreeSet<_> = os.iter().filter_map(|(o, _)| o.customer_id.as_deref()).collect();
    assert_eq!(customers.len(), 290);
}

#[test]
fn kidsliving_orders_zar() {
    let os = orders("orders_export_kidsliving_zar_2021_redacted.csv", "ZAR");
    assert_eq!(os.len(), 50 - 2, "the two cancelled, voided orders are left out");
    assert!(os.iter().all(|(o, _)| o.id.starts_with('#')));
    let (first, _) = &os[0];
    assert_eq!(first.created_at, parse_time("2021-05-13T09:01:12Z", "t").unwrap());
    let (bundle, line) = os.iter().find(|(o, _)| o.id == "#13531").unwrap();
    assert_eq!(*line, 38, "after a Notes cell spanning several lines");
    assert_eq!(bundle.lines.len(), 6);
    let parent = bundle.lines.iter().find(|l| l.product_id == "BugabooFox2").unwrap();
    assert_eq!(parent.price, Some(0));
    assert_eq!(bundle.lines.iter().find(|l| l.product_id == "19129").unwrap().price, Some(1940000));
    assert_eq!(os.last().unwrap().1, 114);
    // Orders in ZAR cannot train a USD catalog.
    let e = load_orders(
        &Source::Path(path("orders_export_kidsliving_zar_2021_redacted.csv")),
        Currency::USD,
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.line), (ErrorCode::CurrencyMismatch, Some(2)));
}

#[test]
fn devstore_orders_inr() {
    let os = orders("orders_export_devstore_inr_2025_redacted.csv", "INR");
    assert_eq!(os.len(), 51);
    assert_eq!(os.iter().map(|(o, _)| o.lines.len()).sum::<usize>(), 121);
    assert_eq!(os.iter().flat_map(|(o, _)| &o.lines).map(|l| l.quantity as u64).sum::<u64>(), 258);
    let products: BTreeSet<_> = os.iter().flat_map(|(o, _)| &o.lines).map(|l| l.product_id.as_str()).collect();
    assert_eq!(products.len(), 5);
    let (big, line) = os.iter().find(|(o, _)| o.id == "#1044").unwrap();
    assert_eq!((big.lines.len(), *line), (5, 17));
    assert_eq!(os[0].0.lines[0].price, Some(129900));
}

#[test]
fn webhook_order_hkd() {
    let name = "webhook_orders_create_devstore_hkd_2025_redacted.json";
    let loaded =
        load_orders(&Source::Path(path(name)), cur("HKD"), &LoadOptions { skip_invalid: false, currency: cur("HKD") })
            .unwrap();
    assert_eq!(loaded.report.format, "json");
    let [(o, line)] = &loaded.records[..] else { panic!("one order expected") };
    assert_eq!((o.id.as_str(), *line), ("6198432301356", 1));
    assert_eq!(o.customer_id.as_deref(), Some("8658316394796"));
    assert_eq!(o.created_at, parse_time("2025-01-23T06:59:37Z", "t").unwrap());
    assert_eq!(o.lines.len(), 4);
    let ids: Vec<_> = o.lines.iter().map(|l| l.product_id.as_str()).collect();
    assert_eq!(
        ids,
        ["50398373085484", "50451770802476", "50460159082796", "50466449883436"],
        "empty sku: the variant id"
    );
    let prices: Vec<_> = o.lines.iter().map(|l| l.price).collect();
    assert_eq!(prices, [Some(9900), Some(10000), Some(10000), Some(10000)], "list prices; discounts are ignored");
    let e = load_orders(&Source::Path(path(name)), Currency::USD, &LoadOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::CurrencyMismatch);
}

#[test]
fn api_orders_keep_ids_and_quantities() {
    for name in ["api_rest_2025-01_get_order_450789469.json", "api_shopify_python_api_fixture_order.json"] {
        let loaded = load_orders(&Source::Path(path(name)), Currency::USD, &LoadOptions::default()).unwrap();
        let [(o, _)] = &loaded.records[..] else { panic!("{name}: one order expected") };
        assert_eq!(o.id, "450789469", "{name}");
        assert_eq!(o.customer_id.as_deref(), Some("207119551"));
        assert_eq!(o.created_at, parse_time("2008-01-10T16:00:00Z", "t").unwrap());
        let skus: Vec<_> = o.lines.iter().map(|l| (l.product_id.as_str(), l.quantity, l.price)).collect();
        assert_eq!(
            skus,
            [("IPOD2008GREEN", 1, Some(19900)), ("IPOD2008RED", 1, Some(19900)), ("IPOD2008BLACK", 1, Some(19900))],
            "{name}: refunds do not change what was bought together"
        );
    }
    assert_eq!(
        cartlift_core::load_orders(
            &Source::Path(path("api_rest_2025-01_get_order_450789469.json")),
            Currency::USD,
            &LoadOptions::default()
        )
        .unwrap()
        .report
        .format,
        "json_lines"
    );
}

#[test]
fn ids_beyond_2_pow_53_stay_exact() {
    let body = r#"{"id": 976318377106520349, "created_at": "2025-01-01T00:00:00Z", "currency": "USD",
        "customer": {"id": 788032119674292922},
        "line_items": [{"sku": "", "variant_id": 9007199254740993, "product_id": 1, "quantity": 2, "price": "1.00"}]}"#;
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert!(shopify::is_api_order(&v));
    let o = shopify::order_from_api(&v).unwrap();
    assert_eq!(o.id, "976318377106520349");
    assert_eq!(o.customer_id.as_deref(), Some("788032119674292922"));
    assert_eq!(o.lines[0].product_id, "9007199254740993");
    assert_eq!(o.lines[0].quantity, 2);
}

#[test]
fn api_products() {
    let ps = products_json("api_shopify_python_api_fixture_product.json");
    assert_eq!(ps.len(), 4);
    let ids: Vec<_> = ps.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(ids, ["IPOD2008PINK", "IPOD2008RED", "IPOD2008GREEN", "IPOD2008BLACK"]);
    let (pink, _) = &ps[0];
    assert_eq!(pink.title, "IPod Nano - 8GB - Pink");
    assert_eq!((pink.price, pink.compare_at_price), (19900, None));
    assert_eq!(pink.family.as_deref(), Some("ipod-nano"));
    assert_eq!(pink.category.as_deref(), Some("Cult Products"));
    assert_eq!(pink.vendor.as_deref(), Some("Apple"));
    assert_eq!(pink.tags, vec!["Emotive", "Flash Memory", "MP3", "Music"]);
    assert!(pink.available && pink.inventory.is_none(), "policy continue: sellable whatever the count");

    let vs = products_json("api_rest_2025-01_get_product_variants_with_compare_at.json");
    assert_eq!(vs.len(), 4);
    let (green, _) = &vs[0];
    assert_eq!((green.id.as_str(), green.title.as_str()), ("IPOD2008GREEN", "Green"));
    assert_eq!((green.price, green.compare_at_price), (19900, Some(24900)));
    assert_eq!(green.family.as_deref(), Some("632910392"), "variants only: the product id is the family");
    assert_eq!(green.attribute("option1"), Some(&text("Green")));
}

fn products_json(name: &str) -> Vec<(ProductData, u64)> {
    load_products(&Source::Path(path(name)), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .records
        .into_iter()
        .map(|((p, _), l)| (p, l))
        .collect()
}

#[test]
fn every_file_in_the_directory_loads() {
    let mut seen = 0;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let currency =
            ["ZAR", "INR", "JPY", "HKD"].into_iter().find(|c| name.contains(&c.to_lowercase())).unwrap_or("USD");
        let opts = LoadOptions { skip_invalid: false, currency: cur(currency) };
        let src = Source::Path(path(&name));
        let n = if name.starts_with("products_") || name.contains("product") {
            load_products(&src, &opts).unwrap_or_else(|e| panic!("{e}")).records.len()
        } else if name.ends_with(".md") {
            continue;
        } else {
            load_orders(&src, cur(currency), &opts).unwrap_or_else(|e| panic!("{e}")).records.len()
        };
        assert!(n > 0, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 15);
}

#[test]
fn trains_from_shopify_api_files_and_links_orders_by_sku() {
    let engine = Engine::train_value(serde_json::json!({
        "products": path("api_shopify_python_api_fixture_product.json"),
        "orders": path("api_rest_2025-01_get_order_450789469.json"),
    }))
    .unwrap();
    assert_eq!(engine.catalog().len(), 4);
    assert_eq!(engine.stats().orders.loaded, 1);
    assert_eq!(engine.stats().unknown_product_lines, 0);
}
