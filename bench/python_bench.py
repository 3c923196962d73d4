"""Python binding benchmark: per-call cross_sell latency through Python vs the same query timed in Rust,
and query throughput from 1 vs 2 threads (the GIL is released inside queries, so 2 threads should be ~2x).

Usage: python bench/python_bench.py [--products N] [--orders N] [--calls N]
Needs a wheel built with the `test-hooks` feature (`Engine._time_query`), as tests/python/run.sh builds it:
`maturin build --release --features test-hooks -m bindings-python/Cargo.toml`.
Numbers go to BENCHMARKS.md; they depend on the machine and its load (state both when recording).
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from typing import Any

import cartlift


def synthetic_shop(n_products: int, n_orders: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    products = [
        {"id": f"p{i}", "title": f"Product {i}", "price": f"{rng.randint(100, 20000) / 100:.2f}", "category": f"cat{i % 25}"}
        for i in range(n_products)
    ]
    orders = []
    for o in range(n_orders):
        anchor = rng.randrange(n_products)
        size = rng.randint(1, 5)
        ids = {f"p{(anchor + rng.randint(0, 30)) % n_products}" for _ in range(size)}
        orders.append(
            {
                "id": str(o),
                "customer_id": f"c{rng.randrange(n_orders // 4 + 1)}",
                "created_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T12:00:00Z",
                "lines": [{"product_id": p, "quantity": 1} for p in sorted(ids)],
            }
        )
    return products, orders


def per_call_us(seconds: float, calls: int) -> float:
    return seconds / calls * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--orders", type=int, default=20000)
    ap.add_argument("--calls", type=int, default=20000)
    args = ap.parse_args()

    products, orders = synthetic_shop(args.products, args.orders)
    t0 = time.perf_counter()
    engine = cartlift.Engine.train(products, orders)
    train_s = time.perf_counter() - t0
    rng = random.Random(1)
    carts = [[f"p{rng.randrange(args.products)}" for _ in range(rng.randint(1, 3))] for _ in range(64)]
    print(f"cartlift {cartlift.__version__}, CPU cores visible: {os.cpu_count()}")
    print(f"train: {args.products} products, {args.orders} orders in {train_s:.2f} s")

    for cart in carts[:200]:  # warm-up
        engine.cross_sell(cart, limit=8)

    n = args.calls
    t0 = time.perf_counter()
    for i in range(n):
        engine.cross_sell(carts[i % len(carts)], limit=8)
    py_s = time.perf_counter() - t0
    rust_s = sum(engine._time_query("cross_sell", n // len(carts), {"cart": c, "limit": 8}) for c in carts)
    rust_calls = (n // len(carts)) * len(carts)
    py_us, rust_us = per_call_us(py_s, n), per_call_us(rust_s, rust_calls)
    print(f"cross_sell per call, through Python: {py_us:8.1f} us")
    print(f"cross_sell per call, timed in Rust:  {rust_us:8.1f} us")
    print(f"binding overhead (conversion, GIL):  {py_us - rust_us:8.1f} us per call")

    def run_threads(k: int, total: int, cart_size: int = 0, limit: int = 8) -> float:
        per = total // k

        def work(offset: int) -> None:
            for i in range(per):
                cart = carts[(i + offset) % len(carts)] if not cart_size else big_cart
                engine.cross_sell(cart, limit=limit)

        threads = [threading.Thread(target=work, args=(j * 7,)) for j in range(k)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return (per * k) / (time.perf_counter() - start)

    one = max(run_threads(1, n) for _ in range(2))
    two = max(run_threads(2, n) for _ in range(2))
    print(f"throughput, 1 thread:  {one:10.0f} queries/s")
    print(f"throughput, 2 threads: {two:10.0f} queries/s  (speed-up {two / one:.2f}x)")
    # Heavier queries (13-item cart, 50 results): more time inside Rust per GIL hand-off.
    big_cart = [f"p{i}" for i in range(1, 40, 3)]
    h1 = max(run_threads(1, n // 5, 13, 50) for _ in range(2))
    h2 = max(run_threads(2, n // 5, 13, 50) for _ in range(2))
    print(f"heavy query ({1e6 / h1:.0f} us), 1 vs 2 threads: {h1:8.0f} vs {h2:8.0f} queries/s  (speed-up {h2 / h1:.2f}x)")

    # Control: the same queries looped inside Rust (no Python, no GIL) from 1 vs 2 threads. If this does not
    # scale either, the machine has no second free core and the line above says nothing about the GIL.
    def rust_threads(k: int, total: int) -> float:
        per = total // k // len(carts) or 1
        threads = [
            threading.Thread(target=lambda: [engine._time_query("cross_sell", per, {"cart": c, "limit": 8}) for c in carts])
            for _ in range(k)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return (per * len(carts) * k) / (time.perf_counter() - start)

    r1 = max(rust_threads(1, n) for _ in range(2))
    r2 = max(rust_threads(2, n) for _ in range(2))
    print(f"control, Rust loop 1 vs 2 threads: {r1:10.0f} vs {r2:10.0f} queries/s  (speed-up {r2 / r1:.2f}x)")


if __name__ == "__main__":
    main()
