#!/usr/bin/env python3
"""Serving one model to many worker processes: each worker `load`s the model (decoded into its own heap) or
`open`s it (a read-only map of the file, shared by every worker), answers the same carts, and then holds still
while this script reads its memory from /proc/PID/smaps_rollup. The cost of a worker is its Private_Dirty above a
process that only imports cartlift (clean pages of a mapped file are shared, or counted as Private_Clean when one
process alone maps them). Also times `open` against `load` (median of fresh processes, file in the page cache)
and the query latency of the same carts through both. Issue 20, item 4.

    build/venv-python/bin/python bench/serving_memory.py --cartlift target/release/cartlift \\
        --work /tmp/cartlift-serving [--products 200000 --orders 1000000] [--workers 1,4,8] [--out bench/results/serving]

Linux only (smaps_rollup). `--smoke` runs a tiny store with 1 and 2 workers (the CI smoke run uses it).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

WORKER = r"""
import json, sys, time
import cartlift
how, model, carts = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
if how != "baseline":
    t = time.perf_counter()
    engine = cartlift.Engine.open(model) if how == "open" else cartlift.Engine.load(model)
    took = time.perf_counter() - t
    for cart in carts:
        engine.cross_sell(cart, limit=8)
    print(json.dumps({"ready": True, "seconds": took}), flush=True)
else:
    print(json.dumps({"ready": True}), flush=True)
sys.stdin.read()
"""

LATENCY = r"""
import json, statistics, sys, time
import cartlift
model, carts, rounds = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
out = {}
for how in ("load", "open"):
    engine = cartlift.Engine.open(model) if how == "open" else cartlift.Engine.load(model)
    for cart in carts:  # warm: the mapped pages and the caches either way
        engine.cross_sell(cart, limit=8)
    times = []
    for _ in range(rounds):
        for cart in carts:
            t = time.perf_counter_ns()
            engine.cross_sell(cart, limit=8)
            times.append(time.perf_counter_ns() - t)
    times.sort()
    out[how] = {"p50_us": times[len(times) // 2] / 1000, "p99_us": times[int(len(times) * 0.99)] / 1000,
                "mean_us": statistics.fmean(times) / 1000}
print(json.dumps(out))
"""

FIELDS = ("Rss", "Pss", "Private_Dirty", "Private_Clean", "Shared_Clean", "Anonymous")


def smaps(pid):
    """The kB fields of a process's smaps_rollup."""
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].rstrip(":") in FIELDS:
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def store(args):
    """Generate and train the store once (kept in --work between runs); the model's path."""
    data = os.path.join(args.work, f"store-{args.products}-{args.orders}")
    model = os.path.join(data, "model.bin")
    if not os.path.exists(model):
        os.makedirs(data, exist_ok=True)
        run([args.cartlift, "gen", "--products", str(args.products), "--orders", str(args.orders), "--out", data])
        run([args.cartlift, "train", "--products", os.path.join(data, "products.jsonl"),
             "--orders", os.path.join(data, "orders.jsonl"), "--out", model])
    return model


def carts(model_dir, n, seed=7):
    """`n` carts of 1 to 3 product ids of the store."""
    with open(os.path.join(model_dir, "products.jsonl")) as f:
        ids = [json.loads(line)["id"] for line in f if line.strip()]
    rng = random.Random(seed)
    return [rng.sample(ids, rng.randint(1, 3)) for _ in range(n)]


def start(how, model, carts_file):
    p = subprocess.Popen([sys.executable, "-c", WORKER, how, model, carts_file], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    return p, json.loads(p.stdout.readline())


def workers(how, n, model, carts_file):
    """Start `n` workers at once; each one's smaps_rollup once all are ready, and each one's open/load time."""
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, how, model, carts_file], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(n)]
    ready = [json.loads(p.stdout.readline()) for p in procs]
    mem = [smaps(p.pid) for p in procs]
    for p in procs:
        p.stdin.close()
        p.wait()
    return mem, [r.get("seconds", 0.0) for r in ready]


def timing(how, model, carts_file, repeat):
    """Median open/load seconds over `repeat` fresh processes (the file stays in the page cache)."""
    return statistics.median(start_and_stop(how, model, carts_file) for _ in range(repeat))


def start_and_stop(how, model, carts_file):
    p, ready = start(how, model, carts_file)
    p.stdin.close()
    p.wait()
    return ready["seconds"]


def measure(args):
    model = store(args)
    size_kb = os.path.getsize(model) / 1024
    cart_list = carts(os.path.dirname(model), args.carts)
    carts_file = os.path.join(args.work, "carts.json")
    with open(carts_file, "w") as f:
        json.dump(cart_list, f)
    none_file = os.path.join(args.work, "no-carts.json")
    with open(none_file, "w") as f:
        json.dump([], f)
    base, _ = workers("baseline", 1, model, none_file)
    report = {"date": time.strftime("%Y-%m-%d"), "model_mb": size_kb / 1024, "products": args.products,
              "orders": args.orders, "carts_per_worker": len(cart_list), "baseline_kb": base[0], "runs": []}
    for how in ("load", "open"):
        report[f"{how}_seconds"] = timing(how, model, none_file, args.repeat)
        for n in args.workers:
            mem, secs = workers(how, n, model, carts_file)
            extra = {k: statistics.fmean(m[k] - base[0][k] for m in mem) for k in FIELDS}
            report["runs"].append({"how": how, "workers": n, "per_worker_kb": extra,
                                   "private_dirty_pct_of_file": 100 * extra["Private_Dirty"] / size_kb,
                                   "seconds_median": statistics.median(secs)})
    latency = json.loads(run([sys.executable, "-c", LATENCY, model, carts_file, str(args.rounds)]))
    report["latency"] = latency
    return report


def markdown(r):
    lines = [f"Store: {r['products']:,} products, {r['orders']:,} orders; model file {r['model_mb']:.1f} MB; "
             f"{r['carts_per_worker']} carts answered by each worker before measuring.", "",
             f"Open: {r['open_seconds'] * 1000:.1f} ms; load: {r['load_seconds'] * 1000:.0f} ms "
             "(median of fresh processes, file in the page cache).", "",
             "| how | workers | Private_Dirty / worker | % of file | Pss / worker | Rss / worker |",
             "|---|---:|---:|---:|---:|---:|"]
    for run_ in r["runs"]:
        w = run_["per_worker_kb"]
        lines.append(f"| {run_['how']} | {run_['workers']} | {w['Private_Dirty'] / 1024:.1f} MB | "
                     f"{run_['private_dirty_pct_of_file']:.1f} % | {w['Pss'] / 1024:.1f} MB | "
                     f"{w['Rss'] / 1024:.1f} MB |")
    lat = r["latency"]
    lines += ["", "| cross_sell latency | p50 | p99 | mean |", "|---|---:|---:|---:|"]
    for how in ("load", "open"):
        lines.append(f"| {how} | {lat[how]['p50_us']:.1f} µs | {lat[how]['p99_us']:.1f} µs | "
                     f"{lat[how]['mean_us']:.1f} µs |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cartlift", default="target/release/cartlift")
    ap.add_argument("--work", default="/tmp/cartlift-serving", help="the generated store and model (kept)")
    ap.add_argument("--products", type=int, default=200000)
    ap.add_argument("--orders", type=int, default=1000000)
    ap.add_argument("--workers", default="1,4,8")
    ap.add_argument("--carts", type=int, default=500, help="carts each worker answers before it is measured")
    ap.add_argument("--rounds", type=int, default=5, help="latency: passes over the carts")
    ap.add_argument("--repeat", type=int, default=5, help="open/load timing: fresh processes (median)")
    ap.add_argument("--out", default="bench/results/serving", help="writes OUT.json and OUT.md")
    ap.add_argument("--smoke", action="store_true", help="a tiny store, 1 and 2 workers (CI)")
    args = ap.parse_args()
    if args.smoke:
        args.products, args.orders, args.workers, args.carts, args.rounds, args.repeat = 500, 3000, "1,2", 20, 1, 1
    args.workers = [int(n) for n in args.workers.split(",")]
    os.makedirs(args.work, exist_ok=True)
    report = measure(args)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".json", "w") as f:
        json.dump(report, f, indent=1)
    with open(args.out + ".md", "w") as f:
        f.write(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
