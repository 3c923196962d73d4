#!/usr/bin/env python3
"""Side-by-side accuracy and speed: cartlift against the libraries a data team would otherwise use.

The task is cartlift's "complete the basket" evaluation: `cartlift eval --dump DIR` writes the train split and the
queries (cart -> held-out item), and every peer is scored on exactly those queries here:
popularity; SAR-style co-occurrence (jaccard and lift, scipy); implicit's item-item Cosine, BM25 and TF-IDF;
mlxtend association rules (on the most popular items only, where they finish).

    python -m venv build/venv-bench && build/venv-bench/bin/pip install -r bench/requirements.txt
    build/venv-bench/bin/python bench/compare.py --products P --orders O [--k 10] [--cartlift target/release/cartlift]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def metrics(recs_per_query, queries, k, n_items):
    hits = ndcg = mrr = 0.0
    shown = set()
    for recs, q in zip(recs_per_query, queries):
        targets = set(q["targets"])
        recs = recs[:k]
        shown.update(recs)
        ranks = [i + 1 for i, r in enumerate(recs) if r in targets]
        if ranks:
            hits += 1
            mrr += 1 / ranks[0]
        ideal = sum(1 / math.log2(r + 1) for r in range(1, min(len(targets), k) + 1))
        ndcg += sum(1 / math.log2(r + 1) for r in ranks) / ideal
    n = max(len(queries), 1)
    return {"hit_rate": hits / n, "ndcg": ndcg / n, "mrr": mrr / n, "coverage": len(shown) / n_items}


def topk_excluding(scores, exclude, k):
    scores = np.asarray(scores).ravel().copy()
    scores[list(exclude)] = -np.inf
    idx = np.argpartition(-scores, min(k, len(scores) - 1))[: k]
    idx = idx[np.argsort(-scores[idx], kind="stable")]
    return [int(i) for i in idx if np.isfinite(scores[i]) and scores[i] > 0][:k]


def timed_queries(fn, queries):
    out, lat = [], []
    for q in queries:
        t = time.perf_counter()
        out.append(fn(q))
        lat.append(time.perf_counter() - t)
    lat.sort()
    return out, lat[len(lat) // 2] * 1e6, lat[min(len(lat) - 1, len(lat) * 99 // 100)] * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", required=True)
    ap.add_argument("--orders", required=True)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--cartlift", default="target/release/cartlift")
    ap.add_argument("--mlxtend-items", type=int, default=300)
    ap.add_argument("--out", help="write the markdown table here too")
    ap.add_argument("--json", help="write the results as JSON here too (the CI smoke run checks them)")
    ap.add_argument("--require", default="", help="comma-separated peers that must run (cartlift, implicit, mlxtend): "
                    "fail instead of skipping when one is not installed (the CI smoke uses it)")
    args = ap.parse_args()
    required = {x for x in args.require.split(",") if x}
    unknown = required - {"cartlift", "implicit", "mlxtend"}
    if unknown:
        ap.error(f"--require: unknown peer(s) {sorted(unknown)}")

    def unavailable(peer, e):
        """A peer that is not installed is skipped with one clear line, unless --require names it."""
        how = ("pip install build/wheels/cartlift-*.whl (tests/python/run.sh builds it)" if peer == "cartlift"
               else "pip install -r bench/requirements.txt")
        print(f"SKIPPED {peer}: not installed ({e}); {how} to include it", file=sys.stderr)
        if peer in required:
            sys.exit(f"compare.py: {peer} is required (--require) but not installed")

    work = tempfile.mkdtemp(prefix="cartlift-compare-")
    t = time.perf_counter()
    report = json.loads(subprocess.run(
        [args.cartlift, "eval", "--products", args.products, "--orders", args.orders, "--k", str(args.k),
         "--dump", work, "--format", "json"], check=True, capture_output=True, text=True).stdout)
    eval_s = time.perf_counter() - t
    queries = load_jsonl(os.path.join(work, "queries.jsonl"))
    train_ids = set(open(os.path.join(work, "train_order_ids.txt")).read().split())
    products = load_jsonl(args.products)
    item_ids = [p["id"] for p in products]
    index = {pid: i for i, pid in enumerate(item_ids)}
    n_items = len(item_ids)
    rows, cols = [], []
    n_baskets = 0
    for o in load_jsonl(args.orders):
        if o["id"] not in train_ids:
            continue
        items = {index[l["product_id"]] for l in o["lines"] if l["product_id"] in index}
        for i in items:
            rows.append(n_baskets)
            cols.append(i)
        n_baskets += 1
    X = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_baskets, n_items))
    qs = [{"cart": [index[c] for c in q["cart"] if c in index], "targets": [index[t] for t in q["targets"] if t in index]}
          for q in queries]
    results = []

    def add(name, fit_s, fn):
        recs, p50, p99 = timed_queries(fn, qs)
        m = metrics(recs, qs, args.k, n_items)
        m.update({"strategy": name, "fit_s": fit_s, "query_p50_us": p50, "query_p99_us": p99})
        results.append(m)
        print(f"  {name}: hit@{args.k} {m['hit_rate']:.4f}", file=sys.stderr)

    for r in report["results"]:
        if r["personalized"]:
            continue
        results.append({"strategy": r["strategy"], "hit_rate": r["hit_rate"], "ndcg": r["ndcg"], "mrr": r["mrr"],
                        "coverage": r["coverage"], "fit_s": None, "query_p50_us": None, "query_p99_us": None})

    # cartlift through its Python binding, trained on the same train split, one cart per call like the peers.
    try:
        import cartlift
    except ImportError as e:
        unavailable("cartlift", e)
    else:
        train_path = os.path.join(work, "train_orders.jsonl")
        with open(args.orders) as src, open(train_path, "w") as dst:
            for line in src:
                if line.strip() and json.loads(line)["id"] in train_ids:
                    dst.write(line)
        t = time.perf_counter()
        engine = cartlift.Engine.train(products=args.products, orders=train_path)
        fit_s = time.perf_counter() - t
        phases = dict(engine.stats()["phases_ms"])
        build_s = sum(v for k, v in phases.items() if k not in ("products", "orders")) / 1000
        print(f"  cartlift train: {fit_s:.2f} s wall, build phases {build_s:.2f} s ({phases})", file=sys.stderr)

        def cartlift_fn(q):
            if not q["cart"]:
                return []
            r = engine.cross_sell([item_ids[i] for i in q["cart"]], limit=args.k)
            return [index[x["product_id"]] for x in r["recommendations"]]
        add("cartlift default (Python binding)", build_s, cartlift_fn)

    t = time.perf_counter()
    pop = np.asarray(X.sum(axis=0)).ravel()
    add("popularity (numpy)", time.perf_counter() - t, lambda q: topk_excluding(pop, q["cart"], args.k))

    t = time.perf_counter()
    C = (X.T @ X).tocsr()
    diag = C.diagonal()
    sar_fit = time.perf_counter() - t

    def sar(kind):
        def fn(q):
            if not q["cart"]:
                return []
            rows_ = C[q["cart"]].toarray()
            if kind == "jaccard":
                denom = diag[q["cart"]][:, None] + diag[None, :] - rows_
            else:  # lift
                denom = diag[q["cart"]][:, None] * diag[None, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.nan_to_num(rows_ / denom).sum(axis=0)
            return topk_excluding(s, q["cart"], args.k)
        return fn

    add("SAR jaccard (scipy)", sar_fit, sar("jaccard"))
    add("SAR lift (scipy)", sar_fit, sar("lift"))

    try:
        import implicit.nearest_neighbours as nn
    except ImportError as e:
        unavailable("implicit", e)
    else:
        for name, cls in [("implicit Cosine", nn.CosineRecommender), ("implicit BM25", nn.BM25Recommender),
                          ("implicit TF-IDF", nn.TFIDFRecommender)]:
            model = cls(K=50)
            t = time.perf_counter()
            model.fit(X, show_progress=False)
            fit_s = time.perf_counter() - t

            def fn(q, model=model):
                if not q["cart"]:
                    return []
                user = sp.csr_matrix((np.ones(len(q["cart"]), dtype=np.float32), ([0] * len(q["cart"]), q["cart"])),
                                     shape=(1, n_items)).tocsr()
                ids, _ = model.recommend(0, user, N=args.k, filter_already_liked_items=True, recalculate_user=True)
                return [int(i) for i in ids]
            add(name, fit_s, fn)

    try:
        import pandas as pd
        from mlxtend.frequent_patterns import apriori, association_rules
    except ImportError as e:
        unavailable("mlxtend", e)
    else:
        top = np.argsort(-pop)[: args.mlxtend_items]
        t = time.perf_counter()
        df = pd.DataFrame(X[:, top].toarray() > 0, columns=[int(i) for i in top])
        freq = apriori(df, min_support=0.002, use_colnames=True, max_len=2)
        rules = association_rules(freq, metric="confidence", min_threshold=0.01)
        by_ante = {}
        for a, c, conf in zip(rules["antecedents"], rules["consequents"], rules["confidence"]):
            for x in a:
                for y in c:
                    by_ante.setdefault(x, []).append((conf, y))
        fit_s = time.perf_counter() - t

        def fn(q):
            s = {}
            for x in q["cart"]:
                for conf, y in by_ante.get(x, []):
                    if y not in q["cart"]:
                        s[y] = s.get(y, 0) + conf
            return [y for y, _ in sorted(s.items(), key=lambda kv: (-kv[1], kv[0]))[: args.k]]
        add(f"mlxtend rules (top {args.mlxtend_items} items)", fit_s, fn)

    lines = [f"Complete-the-basket, K = {args.k}, {len(qs)} queries, {n_baskets} train baskets, {n_items} products "
             f"(cartlift eval incl. training all measures: {eval_s:.1f} s)", "",
             "| strategy | hit@K | NDCG@K | MRR | coverage | fit (s) | query p50 (µs) | query p99 (µs) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        fit = "" if r["fit_s"] is None else f"{r['fit_s']:.2f}"
        q = "" if r["query_p50_us"] is None else f"{r['query_p50_us']:.0f}"
        q99 = "" if r["query_p99_us"] is None else f"{r['query_p99_us']:.0f}"
        lines.append(f"| {r['strategy']} | {r['hit_rate']:.4f} | {r['ndcg']:.4f} | {r['mrr']:.4f} | {r['coverage']:.4f} | {fit} | {q} | {q99} |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"k": args.k, "queries": len(qs), "train_baskets": n_baskets, "products": n_items,
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
