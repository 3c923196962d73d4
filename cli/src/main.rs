//! `cartlift`: the command line over the engine. Every subcommand is a thin shell over `cartlift_core`.

mod bench;
mod demo;
mod measure;
mod output;
mod progress;

use cartlift_core::Source;
use cartlift_core::{
    CartLineInput, CartLineObject, Config, CrossSellRequest, Engine, Error, ErrorCode, Operation, PriceCartRequest,
    TrainRequest, UpsellRequest,
};
use clap::{Parser, Subcommand, ValueEnum};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Allocations made by cartlift itself go through mimalloc: pricing a cart makes a few hundred small ones, and
/// the system allocator was a fifth of its time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cartlift",
    version,
    about = "Cross-sell, upsell and bundle pricing for online shops, with exact money"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Train on the embedded sample store and show cross-sell, upsell and bundle pricing.
    Demo {
        /// Instead, write the sample store's files (products, orders, rules, bundles) to DIR, to train on them.
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
    },
    /// Train a model from products and orders (any supported format) and save it.
    Train(TrainArgs),
    /// Cross-sell for a cart, or for every JSON request line of --batch.
    Recommend(RecommendArgs),
    /// Good / better / best options for a product.
    Upsell {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        product: String,
        #[arg(long)]
        max_price_ratio: Option<f64>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        viewed: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Price a cart with the best combination of bundle discounts.
    Price {
        #[arg(long)]
        model: PathBuf,
        /// Extra bundle definitions (JSON Lines) on top of those stored in the model.
        #[arg(long)]
        bundles: Option<PathBuf>,
        /// Cart as ID[:QTY],...
        #[arg(long)]
        cart: String,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Any operation with a JSON request (cross_sell, upsell, upgrade_path, suggest_decoy_price, price_cart,
    /// suggest_bundles, assign, report).
    Query {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        op: String,
        /// The JSON request (or @FILE).
        #[arg(long)]
        request: String,
    },
    /// What a model holds: its size, the settings it was finished with and, under `measure: "auto"`, what won.
    Info {
        #[arg(long)]
        model: PathBuf,
    },
    /// Write a synthetic store (products.jsonl, orders.jsonl), deterministic by seed.
    Gen(GenArgs),
    /// The variant a visitor sees in an experiment: one variant id per visitor, one per line, in order.
    Assign {
        /// Experiment definitions (JSON Lines).
        #[arg(long)]
        experiments: PathBuf,
        #[arg(long)]
        experiment: String,
        #[arg(long, required_unless_present = "visitors")]
        visitor: Option<String>,
        /// A file of visitor ids, one per line.
        #[arg(long, conflicts_with = "visitor")]
        visitors: Option<PathBuf>,
    },
    /// Experiment report from definitions and events: AOV, attachment, conversion, lift with intervals.
    Report {
        #[arg(long)]
        experiments: PathBuf,
        /// Events (JSON Lines).
        #[arg(long)]
        events: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: measure::ReportFormat,
        #[arg(long, default_value = "USD")]
        currency: String,
        /// Attribution window in hours.
        #[arg(long, default_value_t = 24)]
        window_hours: u32,
        /// Relative lift in revenue per visitor to size the test for (0.05 = 5%).
        #[arg(long, default_value_t = 0.05)]
        mde: f64,
        /// Write to a file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Offline evaluation: hit rate, NDCG, MRR, coverage and popularity bias against baselines.
    Eval(EvalArgs),
    /// The JSON Schema of every operation's request and answer (include/cartlift.schema.json is its output).
    Schema {
        /// Write to a file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Measure cross-sell latency on a model (p50/p99, 1..N threads).
    Bench {
        #[arg(long)]
        model: PathBuf,
        #[arg(long, default_value_t = 20000)]
        queries: usize,
        #[arg(long, default_value_t = 5)]
        cart_lines: usize,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Compare the same carts without and with a shopper (50 history items, 20 session views), on one thread.
        #[arg(long, conflicts_with_all = ["threads", "carts"])]
        personal: bool,
        /// Replay these cross-sell requests (one JSON request per line) instead of synthetic carts.
        #[arg(long)]
        carts: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct TrainArgs {
    #[arg(long)]
    products: PathBuf,
    #[arg(long)]
    orders: Option<PathBuf>,
    #[arg(long)]
    rules: Option<PathBuf>,
    #[arg(long)]
    bundles: Option<PathBuf>,
    /// JSON file with engine configuration.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A/B experiment definitions (JSON Lines), stored in the model.
    #[arg(long)]
    experiments: Option<PathBuf>,
    /// Shopper events (JSON Lines, docs/measurement.md): views teach substitutes, declines are remembered.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Skip bad rows (reported) instead of failing.
    #[arg(long)]
    skip_invalid: bool,
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
struct RecommendArgs {
    #[arg(long)]
    model: PathBuf,
    /// Cart as ID[:QTY],...
    #[arg(long, required_unless_present = "batch")]
    cart: Option<String>,
    /// One JSON cross-sell request per line; one JSON answer per line, in order.
    #[arg(long, conflicts_with = "cart")]
    batch: Option<PathBuf>,
    #[arg(long, default_value = "cart")]
    placement: String,
    #[arg(long)]
    customer: Option<String>,
    /// Comma-separated product ids the shopper declined.
    #[arg(long)]
    declined: Option<String>,
    /// Comma-separated product ids viewed this session.
    #[arg(long)]
    viewed: Option<String>,
    #[arg(long)]
    device: Option<String>,
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct GenArgs {
    #[arg(long, default_value_t = 1000)]
    products: usize,
    #[arg(long, default_value_t = 20000)]
    orders: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
    /// Also simulate this many shoppers of an A/B test (recommendations off/on): writes events.jsonl.
    #[arg(long, value_name = "N_VISITORS")]
    events: Option<usize>,
    /// The AOV lift (percent) planted in the "on" variant of the simulation.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    lift: f64,
    /// Where to write the simulated experiment definitions (default OUT/experiments.jsonl).
    #[arg(long, value_name = "FILE")]
    experiments_out: Option<PathBuf>,
    /// Plant personal preferences: organic buyers (tag affinity), bargain buyers (price band) and 30-day
    /// restockers (repurchase cycles); see `gen::plant_personal`.
    #[arg(long)]
    personal: bool,
}

#[derive(clap::Args)]
struct EvalArgs {
    #[arg(long)]
    products: PathBuf,
    #[arg(long)]
    orders: PathBuf,
    #[arg(long, value_enum, default_value = "time")]
    split: SplitArg,
    #[arg(long, value_enum, default_value = "complete-basket")]
    mode: ModeArg,
    #[arg(long, default_value_t = 0.2)]
    test_fraction: f64,
    #[arg(long, default_value_t = 10)]
    k: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also evaluate with each customer's earlier purchases in the query.
    #[arg(long)]
    personalized: bool,
    #[arg(long)]
    config: Option<PathBuf>,
    /// Write the train split and the queries to this directory (for bench/compare.py).
    #[arg(long)]
    dump: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum SplitArg {
    Time,
    CustomerLast,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    CompleteBasket,
    NextBasket,
}

/// Die quietly on a closed pipe (`cartlift recommend ... | head`), as Unix tools do, instead of panicking in print.
#[cfg(unix)]
fn default_sigpipe() {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts; no handler code runs.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    default_sigpipe();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {e}", e.code);
            ExitCode::from(if e.code == ErrorCode::InvalidInput { 2 } else { 1 })
        }
    }
}

fn path_str(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

fn read_json_file(path: &std::path::Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::from(e).in_file(path_str(path)))
}

/// Parse `ID[:QTY],...` into cart lines.
pub fn parse_cart(spec: &str) -> Result<Vec<CartLineInput>, Error> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| match item.rsplit_once(':') {
            Some((id, q)) => {
                let quantity: i64 = q
                    .parse()
                    .map_err(|_| Error::invalid("cart", format!("{q:?} is not a quantity (expected ID:QTY)")))?;
                Ok(cart_line(id, quantity))
            }
            None => Ok(cart_line(item, 1)),
        })
        .collect()
}

fn cart_line(id: &str, quantity: i64) -> CartLineInput {
    CartLineInput::Line(CartLineObject { product_id: id.to_string(), quantity, price: None })
}

/// A named value of a request enum (placement, device), read as the engine reads it from a JSON request, so a
/// bad one fails with the same message naming `field`.
fn enum_arg<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, Error> {
    serde_json::from_value(Value::String(text.to_string())).map_err(|e| Error::invalid(field, e.to_string()))
}

fn id_list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .map(|s| s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect())
        .unwrap_or_default()
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Demo { export: None } => demo::run(),
        Command::Demo { export: Some(dir) } => demo::export(&dir),
        Command::Train(args) => train(args),
        Command::Recommend(args) => match &args.batch {
            Some(batch) => recommend_batch(&Engine::load(&args.model)?, batch),
            None => recommend(args),
        },
        Command::Upsell { model, product, max_price_ratio, customer, viewed, format } => {
            let engine = Engine::load(&model)?;
            let req = upsell_request(product, max_price_ratio, customer, &viewed);
            output::print(format, &engine.upsell(&req)?, output::upsell_table)
        }
        Command::Price { model, bundles, cart, format } => price(&model, bundles.as_deref(), &cart, format),
        Command::Query { model, op, request } => {
            let engine = Engine::load(&model)?;
            let text = match request.strip_prefix('@') {
                Some(p) => std::fs::read_to_string(p).map_err(|e| Error::io(std::path::Path::new(p), e))?,
                None => request,
            };
            println!("{}", engine.query_json(Operation::from_name(&op)?, &text)?);
            Ok(())
        }
        Command::Info { model } => info(&Engine::load(&model)?),
        Command::Gen(args) => gen(args),
        Command::Assign { experiments, experiment, visitor, visitors } => {
            measure::assign(&experiments, &experiment, visitor, visitors)
        }
        Command::Report { experiments, events, format, currency, window_hours, mde, out } => {
            measure::report_cmd(&experiments, &events, format, &currency, window_hours, mde, out)
        }
        Command::Eval(args) => eval(args),
        Command::Schema { out: None } => {
            print!("{}", cartlift_core::schema_text());
            Ok(())
        }
        Command::Schema { out: Some(path) } => {
            std::fs::write(&path, cartlift_core::schema_text()).map_err(|e| Error::io(&path, e))
        }
        Command::Bench { model, queries, cart_lines, threads, personal: false, carts } => {
            bench::run(&model, queries, cart_lines, threads, carts.as_deref())
        }
        Command::Bench { model, queries, cart_lines, personal: true, .. } => {
            bench::run_personal(&model, queries, cart_lines)
        }
    }
}

/// The request `cartlift upsell` sends: what a JSON request with only these fields reads as.
fn upsell_request(
    product: String,
    max_price_ratio: Option<f64>,
    customer: Option<String>,
    viewed: &Option<String>,
) -> UpsellRequest {
    UpsellRequest {
        customer_id: customer,
        viewed: id_list(viewed),
        // JSON carried a non-finite ratio as null (the config's ratio); kept so.
        max_price_ratio: max_price_ratio.filter(|r| r.is_finite()),
        ..UpsellRequest::for_product(product)
    }
}

fn price(model: &std::path::Path, bundles: Option<&std::path::Path>, cart: &str, format: Format) -> Result<(), Error> {
    let engine = Engine::load(model)?;
    let mut req = PriceCartRequest { cart: parse_cart(cart)?, ..PriceCartRequest::default() };
    if let Some(b) = bundles {
        req.bundles = cartlift_core::read_json_values(&Source::Path(path_str(b)))?;
    }
    output::print(format, &engine.price_cart(&req)?, output::price_table)
}

/// A config file (JSON), errors naming the file.
fn read_config(path: &std::path::Path) -> Result<Config, Error> {
    serde_json::from_value(read_json_file(path)?).map_err(|e| Error::from(e).in_file(path_str(path)))
}

fn train(a: TrainArgs) -> Result<(), Error> {
    let path = |p: Option<PathBuf>| p.as_deref().map(|p| Source::Path(path_str(p)));
    let req = TrainRequest {
        products: Source::Path(path_str(&a.products)),
        orders: path(a.orders),
        rules: path(a.rules),
        bundles: path(a.bundles),
        config: a.config.as_deref().map(read_config).transpose()?,
        experiments: path(a.experiments),
        events: path(a.events),
        skip_invalid: a.skip_invalid,
    };
    let start = std::time::Instant::now();
    let engine = Engine::train(&req, &progress::Bar::new())?;
    engine.save(&a.out)?;
    output::train_summary(&engine, start.elapsed(), &a.out);
    Ok(())
}

/// Answer every JSON request line of `batch`, one JSON answer per line, in order.
fn recommend_batch(engine: &Engine, batch: &std::path::Path) -> Result<(), Error> {
    let file = std::fs::File::open(batch).map_err(|e| Error::io(batch, e))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(batch, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = engine
            .query_json(Operation::CrossSell, &line)
            .map_err(|e| e.at_line(i as u64 + 1).in_file(path_str(batch)))?;
        writeln!(out, "{answer}").map_err(|e| Error::io(batch, e))?;
    }
    Ok(())
}

fn recommend(a: RecommendArgs) -> Result<(), Error> {
    let engine = Engine::load(&a.model)?;
    // Fields read in the order the engine read the JSON request (keys sorted): a bad device is still reported
    // before a bad placement.
    let req = CrossSellRequest {
        cart: parse_cart(a.cart.as_deref().unwrap_or(""))?,
        customer_id: a.customer,
        declined: id_list(&a.declined),
        device: a.device.as_deref().map(|d| enum_arg("device", d)).transpose()?,
        limit: a.limit,
        placement: enum_arg("placement", &a.placement)?,
        viewed: id_list(&a.viewed),
        ..CrossSellRequest::default()
    };
    output::print(a.format, &engine.cross_sell(&req)?, output::cross_sell_table)
}

fn info(engine: &Engine) -> Result<(), Error> {
    let info = json!({
        "products": engine.summary().products,
        "orders": engine.summary().orders,
        "config": engine.config(),
        "tuning": engine.stats().tuning,
        "stats": engine.stats(),
    });
    println!("{}", serde_json::to_string_pretty(&info).expect("info serializes"));
    Ok(())
}

fn gen(a: GenArgs) -> Result<(), Error> {
    let mut store = cartlift_lab::gen::synthetic(a.products, a.orders, a.seed);
    if a.personal {
        let p = cartlift_lab::gen::plant_personal(&mut store, a.seed);
        eprintln!(
            "planted {} organic buyers, {} bargain buyers, {} restockers of {} staples every {} days",
            p.organic_customers.len(),
            p.bargain_customers.len(),
            p.repurchase_customers.len(),
            p.staples.len(),
            p.repurchase_days
        );
    }
    let out = &a.out;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    output::write_jsonl(&out.join("products.jsonl"), &store.products)?;
    output::write_jsonl(&out.join("orders.jsonl"), &store.orders)?;
    eprintln!("wrote {} products and {} orders to {}", store.products.len(), store.orders.len(), out.display());
    if let Some(n) = a.events {
        let sim = cartlift_lab::gen::simulate_events(&store, n, a.lift, a.seed);
        let exp_path = a.experiments_out.unwrap_or_else(|| out.join("experiments.jsonl"));
        output::write_jsonl(&exp_path, &sim.experiments)?;
        output::write_jsonl(&out.join("events.jsonl"), &sim.events)?;
        let lift = a.lift;
        eprintln!(
            "wrote {} events of {n} visitors ({lift}% AOV lift planted) and {}",
            sim.events.len(),
            exp_path.display()
        );
    }
    Ok(())
}

fn eval(a: EvalArgs) -> Result<(), Error> {
    use cartlift_lab::eval;
    let opts = eval::EvalOptions {
        split: if a.split == SplitArg::Time { eval::Split::Time } else { eval::Split::CustomerLast },
        mode: if a.mode == ModeArg::CompleteBasket { eval::Mode::CompleteBasket } else { eval::Mode::NextBasket },
        test_fraction: a.test_fraction,
        k: a.k,
        seed: a.seed,
        personalized: a.personalized,
        config: a.config.as_deref().map(read_config).transpose()?.unwrap_or_default(),
        dump_dir: a.dump,
    };
    let report = eval::run(&Source::Path(path_str(&a.products)), &Source::Path(path_str(&a.orders)), &opts)?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string(&report).expect("report serializes")),
        Format::Table => print!("{}", report.table()),
    }
    Ok(())
}
