"""Train a cartlift model on Spark: ``python -m cartlift.spark --products P --orders O --out MODEL``.

Orders (JSON Lines, CSV or Parquet; ``--format``, else the file extension) are read with Spark as JSON Lines
records and partitioned by customer (customer-window pairs need every order of a customer in one partition); each
partition is counted by the wheel into one ``Counts`` blob, blobs merge in a
tree on the executors (``treeReduce``), and the driver finishes the engine with the catalog, config, rules,
bundles, experiments and events (read on the driver: events are few beside orders) and writes the model.
Counts, repurchase gaps, seasonal sales and customer histories merge exactly, so the model answers as
``cartlift train`` on the same files and config. Under ``measure: "auto"`` (the default) the tuner runs first,
on the driver, on every order or the newest ``TUNE_ORDERS`` (README, "Training on Spark"); the shards count with
its choice. Needs ``pyspark``, which the wheel does not depend on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any, Optional

import cartlift

# The tuner's first pass (``measure: "auto"``) runs on the driver on at most this many orders, the newest: the
# tuner scores 2,000 of the newest tenth, so a million orders is a year of a large shop, and a few hundred MB.
TUNE_ORDERS = 1_000_000

# Orders without a customer have no customer-window pairs: spread them by their position instead of
# piling them all into the partition of the null key.
_NO_CUSTOMER = "\x00order:"


def _read_json(path: Optional[str]) -> Any:
    if path is None:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _records(path: Optional[str]) -> Optional[list[Any]]:
    """Records of a JSON array or JSON Lines file (as `cartlift train` reads experiments)."""
    if path is None:
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _weighs_customer_pairs(experiments: Optional[list[Any]]) -> bool:
    """Whether a variant overrides ``customer_weight``: then every partition counts customer-window pairs."""
    variants = (v for e in experiments or [] for v in e.get("variants", []))
    return any("customer_weight" in (v.get("config") or {}) for v in variants)


def _orders_of(lines: Iterable[str], skip_invalid: bool) -> list[Any]:
    """Order dicts of JSON Lines; a line that is not JSON fails (or is skipped with ``skip_invalid``)."""
    orders = []
    for line in lines:
        try:
            orders.append(json.loads(line))
        except ValueError as e:
            if not skip_invalid:
                raise cartlift.InvalidInput(f"orders: a line is not JSON ({e}): {line[:80]!r}") from e
    return orders


def _newest(products: str, config: Any, skip_invalid: bool) -> Any:
    def run(lines: Iterator[str]) -> Iterator[str]:
        orders = _orders_of(lines, skip_invalid)
        newest = cartlift.Counts.newest_order_at(_local(products), orders, config=config, skip_invalid=skip_invalid)
        return iter([newest] if newest else [])

    return run


def _count(products: str, config: Any, skip_invalid: bool, customer_pairs: bool, newest: Optional[str]) -> Any:
    def run(lines: Iterator[str]) -> Iterator[bytes]:
        # An empty partition yields empty counts too: then the tree always has a leaf to reduce.
        orders = _orders_of(lines, skip_invalid)
        counts = cartlift.Counts.from_orders(
            _local(products), orders, config=config, skip_invalid=skip_invalid, customer_pairs=customer_pairs,
            newest=newest,
        )
        return iter([counts.to_bytes()])

    return run


def _merge(a: bytes, b: bytes) -> bytes:
    return cartlift.Counts.merge_bytes(a, b)


def _local(name: str) -> str:
    """The copy of a file shipped with ``SparkContext.addFile`` on this executor (or the driver)."""
    from pyspark import SparkFiles

    return SparkFiles.get(name)


FORMATS = ("jsonl", "csv", "parquet")


def format_of(orders: str) -> str:
    """The orders format a path's extension names (a directory or glob: its last part): ``.csv`` CSV,
    ``.parquet`` Parquet, anything else JSON Lines."""
    name = orders.rstrip("/").rsplit("/", 1)[-1].lower()
    for ext, fmt in ((".csv", "csv"), (".parquet", "parquet"), (".parq", "parquet")):
        if name.endswith(ext) or name.endswith(ext + "*"):
            return fmt
    return "jsonl"


def _csv_lines(skip_invalid: bool) -> Any:
    def run(file: tuple[str, bytes]) -> list[str]:
        return cartlift.Counts.order_lines(file[1], file=file[0], skip_invalid=skip_invalid)

    return run


def _json_ready(df: Any) -> Any:
    """Parquet columns as the JSON fields: decimals (money) become decimal strings, as JSON Lines carry money;
    timestamps are written as RFC 3339 in UTC by ``to_json``. Nothing else is interpreted here."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, DecimalType, StructType

    def text(col: Any, dtype: Any) -> Any:
        return col.cast("string") if isinstance(dtype, DecimalType) else col

    def element(fields: list[Any]) -> Any:  # one argument: Spark's transform passes the index to two
        return lambda e: F.struct(*(text(e[f.name], f.dataType).alias(f.name) for f in fields))

    cols = []
    for field in df.schema.fields:
        col, dtype = F.col(field.name), field.dataType
        if isinstance(dtype, ArrayType) and isinstance(dtype.elementType, StructType):
            if any(isinstance(f.dataType, DecimalType) for f in dtype.elementType.fields):
                col = F.transform(col, element(dtype.elementType.fields))
        cols.append(text(col, dtype).alias(field.name))
    options = {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "timeZone": "UTC"}
    return df.select(F.to_json(F.struct(*cols), options).alias("value"))


def _order_texts(spark: Any, orders: str, fmt: str, skip_invalid: bool) -> Any:
    """Orders as a DataFrame of one column, ``value``: each order's JSON Lines record, in file order.
    JSON Lines are split by line (one file may feed many tasks); a CSV file is parsed whole by the core on an
    executor (the layouts and grouping `cartlift train` reads, detected from the header); Parquet rows are
    written as JSON by Spark."""
    from pyspark.sql import functions as F

    if fmt == "jsonl":
        return spark.read.text(orders).where(F.trim("value") != "")
    if fmt == "csv":
        lines = spark.sparkContext.binaryFiles(orders).flatMap(_csv_lines(skip_invalid))
        return spark.createDataFrame(lines.map(lambda line: (line,)), "value string")
    if fmt == "parquet":
        return _json_ready(spark.read.parquet(orders))
    raise cartlift.InvalidInput(f"orders format {fmt!r}: expected one of {', '.join(FORMATS)}")


def _numbered_orders(spark: Any, orders: str, fmt: str, skip_invalid: bool) -> Any:
    """Order records (JSON text, ``value``) with their place in the input (``pos``) and the key of their
    partition (``key``: the customer)."""
    from pyspark.sql import functions as F

    lines = _order_texts(spark, orders, fmt, skip_invalid)
    pos = F.monotonically_increasing_id()
    customer = F.get_json_object("value", "$.customer_id")
    return lines.withColumn("pos", pos).withColumn(
        "key", F.coalesce(customer, F.concat(F.lit(_NO_CUSTOMER), F.col("pos").cast("string")))
    )


def _by_customer(numbered: Any, partitions: int) -> Any:
    """Order records (JSON text) as an RDD of str, every customer's orders in one partition, in file order
    within it."""
    # monotonically_increasing_id grows with the input's order; sorting by it keeps a customer's orders in the
    # order `cartlift train` reads them (it breaks ties between orders made at the same second).
    by_customer = numbered.repartition(partitions, "key").sortWithinPartitions("pos")
    return by_customer.select("value").rdd.map(lambda row: row[0])


def _tuning_sample(numbered: Any, limit: int, path: str) -> None:
    """Write the orders the tuner runs on to ``path`` (JSON Lines, in input order): every order, or the newest
    ``limit`` of them by ``created_at``."""
    from pyspark.sql import functions as F

    if numbered.count() > limit:
        at = F.to_timestamp(F.get_json_object("value", "$.created_at"))
        numbered = numbered.orderBy(at.desc_nulls_last(), F.col("pos").desc()).limit(limit)
    with open(path, "w", encoding="utf-8") as out:
        for row in numbered.orderBy("pos").select("value").toLocalIterator():
            out.write(row[0] + "\n")


def _tune(numbered: Any, products: str, config: Optional[cartlift.Config], skip_invalid: bool) -> Any:
    """The first pass under ``measure: "auto"``: the tuner's choice on the driver (see ``Counts.tune``)."""
    if (config or {}).get("measure", "auto") != "auto":
        return {"config": config, "tuning": None}
    with tempfile.TemporaryDirectory(prefix="cartlift-tune-") as tmp:
        sample = os.path.join(tmp, "orders.jsonl")
        _tuning_sample(numbered, TUNE_ORDERS, sample)
        return cartlift.Counts.tune(products, sample, config=config, skip_invalid=skip_invalid)


def train(
    spark: Any,
    products: str,
    orders: str,
    *,
    config: Optional[cartlift.Config] = None,
    rules: Optional[str] = None,
    bundles: Optional[str] = None,
    experiments: Optional[list[Any]] = None,
    events: Optional[str] = None,
    partitions: Optional[int] = None,
    skip_invalid: bool = False,
    orders_format: Optional[str] = None,
) -> cartlift.Engine:
    """Count ``orders`` on the executors, merge in a tree, finish on the driver. Paths are read by Spark
    (orders) or shipped with ``addFile`` (products), so they may be any URL Spark reads; ``events`` is a path
    the driver reads. ``orders_format``: ``jsonl``, ``csv`` or ``parquet`` (default: by extension)."""
    sc = spark.sparkContext
    sc.addFile(products)
    name = os.path.basename(products)
    fmt = orders_format or format_of(orders)
    numbered = _numbered_orders(spark, orders, fmt, skip_invalid).cache()
    tuned = _tune(numbered, _local(name), config, skip_invalid)
    config = tuned["config"]
    lines = _by_customer(numbered, partitions or sc.defaultParallelism).cache()
    shard_config = dict(config or {})
    if shard_config.get("decay_reference") is None:
        # Every partition must count from one reference: the newest order of all, as training takes it.
        newest = lines.mapPartitions(_newest(name, config, skip_invalid)).collect()
        if newest:
            shard_config["decay_reference"] = max(newest)
    customer_pairs = _weighs_customer_pairs(experiments)

    def count(newest: Optional[str]) -> cartlift.Counts:
        blobs = lines.mapPartitions(_count(name, shard_config, skip_invalid, customer_pairs, newest))
        return cartlift.Counts.from_bytes(blobs.treeReduce(_merge, depth=2))

    merged = count(None)
    if not merged.seasons_exact:
        # Seasons were counted to a set decay_reference, not to the newest order: count again up to it.
        merged = count(merged.newest)
    lines.unpersist()
    numbered.unpersist()
    return cartlift.Engine.from_counts(
        merged, _local(name), rules=rules, bundles=bundles, config=config, experiments=experiments,
        events=events, tuning=tuned["tuning"], skip_invalid=skip_invalid,
    )


def _args(argv: Optional[list[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cartlift.spark", description=__doc__.split("\n")[0])
    p.add_argument("--products", required=True, help="products file (any format cartlift reads)")
    p.add_argument("--orders", required=True, help="orders: a file, directory or glob Spark reads")
    p.add_argument("--format", choices=FORMATS, help="orders format (default by extension: .csv, .parquet, else jsonl)")
    p.add_argument("--out", required=True, help="model file to write (on the driver)")
    p.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    p.add_argument("--partitions", type=int, help="order partitions (default: Spark's default parallelism)")
    p.add_argument("--config", help="config JSON file")
    p.add_argument("--rules", help="merchandising rules (JSON Lines or array)")
    p.add_argument("--bundles", help="bundles (JSON Lines or array)")
    p.add_argument("--experiments", help="experiment definitions (JSON Lines or array)")
    p.add_argument("--events", help="shopper events (JSON Lines or array; a path the driver reads)")
    p.add_argument("--skip-invalid", action="store_true", help="skip bad rows instead of failing")
    return p.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    args = _args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("cartlift-train")
    if args.master:
        builder = builder.master(args.master)
    if (args.master or "").startswith("local"):
        # Local workers run this interpreter, which has the wheel (Spark's default is `python3` on PATH).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        engine = train(
            spark, args.products, args.orders, config=_read_json(args.config), rules=args.rules,
            bundles=args.bundles, experiments=_records(args.experiments), events=args.events,
            partitions=args.partitions, skip_invalid=args.skip_invalid, orders_format=args.format,
        )
        engine.save(args.out)
    except cartlift.CartliftError as e:
        print(f"cartlift.spark: {e}", file=sys.stderr)
        return 2 if isinstance(e, cartlift.InvalidInput) else 1
    finally:
        spark.stop()
    stats = engine.stats()
    print(f"trained on Spark: {stats['orders']['loaded']} orders counted, {stats['pairs']} pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
