"""Seed corpora for the fuzz targets, from the repository's own fixtures: conformance-vector requests and stores,
and the Shopify exports in tests/data. Usage: seeds.py OUT_DIR (writes OUT_DIR/<target>/...)."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The order of common::OPERATIONS: the first byte of an api_json input picks one.
OPERATIONS = ["cross_sell", "upsell", "upgrade_path", "suggest_decoy_price", "price_cart", "suggest_bundles",
              "assign", "report"]
# The first byte of a readers input: what the file is (see fuzz_targets/readers.rs).
PRODUCTS, ORDERS, RULES, BUNDLES, EXPERIMENTS, EVENTS = range(6)


def write(path: pathlib.Path, pick: int, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes([pick]) + body)


def json_lines(records: list) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def main(out: pathlib.Path) -> None:
    for case in sorted((ROOT / "tests/vectors").glob("*/cases/*.json")):
        spec = json.loads(case.read_text())
        if spec.get("op") in OPERATIONS:
            body = json.dumps(spec.get("request", {})).encode()
            write(out / "api_json" / f"{case.parent.parent.name}-{case.stem}", OPERATIONS.index(spec["op"]), body)
    kinds = {"products": PRODUCTS, "orders": ORDERS, "rules": RULES, "bundles": BUNDLES,
             "experiments": EXPERIMENTS, "events": EVENTS}
    for store in sorted((ROOT / "tests/vectors").glob("*/train.json")):
        spec = json.loads(store.read_text())
        for key, pick in kinds.items():
            if isinstance(spec.get(key), list) and spec[key]:
                write(out / "readers" / f"{store.parent.name}-{key}", pick, json_lines(spec[key][:20]))
    # A small store for run.sh to train the model_bytes seed from.
    basic = json.loads((ROOT / "tests/vectors/basic/train.json").read_text())
    (out / "store").mkdir(parents=True, exist_ok=True)
    for key in ("products", "orders"):
        (out / "store" / f"{key}.jsonl").write_bytes(json_lines(basic[key]))
    for export in sorted((ROOT / "tests/data/shopify").iterdir()):
        if export.suffix in (".csv", ".json"):
            pick = ORDERS if "order" in export.name else PRODUCTS
            write(out / "readers" / f"shopify-{export.stem}", pick, export.read_bytes()[:8192])


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
