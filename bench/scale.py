#!/usr/bin/env python3
"""How cartlift scales: query latency against catalog size, and build time and memory against order count, with
implicit's item-item fit on the same orders beside it. Writes a JSON and a markdown table, and plots (PNG).

Stores come from `cartlift gen` (deterministic by seed). Build time is cartlift's build phases (counting, behaviour,
neighbours) as `cartlift train` reports them, apart from parsing; peak memory is the whole process
(`/usr/bin/time -v`). implicit is fitted in a child process (CosineRecommender, K = 50, on the basket x product
matrix, as bench/compare.py does), its fit timed apart from reading the orders; its peak memory includes reading.

    build/venv-bench/bin/python bench/scale.py --cartlift target/release/cartlift --work /tmp/cartlift-scale \\
        [--catalogs 1000,10000,50000,200000,1000000] [--orders 100000,1000000,5000000] [--plots docs]

`--smoke` runs two tiny stores only (the CI smoke run uses it so the script does not rot).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

IMPLICIT_CHILD = r"""
import json, resource, sys, time
import numpy as np, scipy.sparse as sp
products, orders = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
index = {}
with open(products) as f:
    for line in f:
        if line.strip():
            index[json.loads(line)["id"]] = len(index)
rows, cols, n = [], [], 0
with open(orders) as f:
    for line in f:
        if not line.strip():
            continue
        o = json.loads(line)
        for i in {index[l["product_id"]] for l in o["lines"] if l["product_id"] in index}:
            rows.append(n)
            cols.append(i)
        n += 1
X = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(index)))
del rows, cols
read_s, read_peak = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import implicit.nearest_neighbours as nn
model = nn.CosineRecommender(K=50)
t = time.perf_counter()
model.fit(X, show_progress=False)
fit = time.perf_counter() - t
print(json.dumps({"fit_s": fit, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "read_s": read_s, "read_peak_mb": read_peak}))
"""


def run(cmd, **kw):
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    except subprocess.CalledProcessError as e:
        sys.exit(f"scale.py: {' '.join(cmd)} failed ({e.returncode}):\n{e.stdout}{e.stderr}")


def load():
    """The 1-minute load average when a number was taken: the machine is shared, so every row carries it."""
    return round(os.getloadavg()[0], 2)


def gen(cartlift, products, orders, out):
    if not os.path.exists(os.path.join(out, "orders.jsonl")):
        run([cartlift, "gen", "--products", str(products), "--orders", str(orders), "--seed", "1", "--out", out])


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def timed(cmd):
    """Run cmd; return (stdout + stderr, wall seconds, peak RSS in KB). The peak is `/usr/bin/time -v`'s "Maximum
    resident set size"; on a machine without /usr/bin/time (Debian's `time` package) it is wait4's ru_maxrss, which
    on Linux starts from this Python process's RSS (the fork's pages count until exec): a floor at tiny sizes."""
    if TIME:
        r = run([TIME, "-v"] + cmd)
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
        wall_s = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
        peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
        return r.stdout + r.stderr, wall_s, peak_kb
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(p.pid, 0)
        wall_s = time.perf_counter() - t
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), cmd, text)
    return text, wall_s, usage.ru_maxrss


def train(cartlift, store, model):
    text, wall_s, peak_kb = timed([cartlift, "train", "--products", f"{store}/products.jsonl",
                                   "--orders", f"{store}/orders.jsonl", "--out", model])
    phases = dict((k, int(v)) for k, v in re.findall(r"(\w+) (\d+) ms", text.split("phases:", 1)[1]))
    build_ms = sum(v for k, v in phases.items() if k not in ("products", "orders"))
    return {"build_s": build_ms / 1000, "parse_s": (phases.get("products", 0) + phases.get("orders", 0)) / 1000,
            "total_s": wall_s, "peak_mb": peak_kb / 1024, "phases_ms": phases, "load": load()}


def bench(cartlift, model, queries, repeat):
    """p50 and p99 of `cartlift bench --threads 1`: the median of `repeat` runs (each run's numbers are kept)."""
    runs = []
    for _ in range(repeat):
        out = run([cartlift, "bench", "--model", model, "--queries", str(queries), "--threads", "1"]).stdout
        m = re.search(r"warm: p50 ([\d.]+) µs, p99 ([\d.]+) µs", out)
        if not m:
            sys.exit(f"scale.py: unexpected `cartlift bench` output:\n{out}")
        runs.append((float(m.group(1)), float(m.group(2))))
    mid = lambda xs: sorted(xs)[len(xs) // 2]
    return {"p50_us": mid([r[0] for r in runs]), "p99_us": mid([r[1] for r in runs]), "runs": runs, "load": load()}


def implicit_fit(store):
    """implicit's fit in a child; None (with a SKIPPED line) only when implicit is not installed. A failing fit
    stops the script."""
    import importlib.util
    if importlib.util.find_spec("implicit") is None:
        print("SKIPPED implicit: not installed; install bench/requirements.txt to include it", file=sys.stderr)
        return None
    r = run([sys.executable, "-c", IMPLICIT_CHILD, f"{store}/products.jsonl", f"{store}/orders.jsonl"])
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["load"] = load()
    return out


def plots(result, out_dir):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not available: no plots", file=sys.stderr)
        return []
    made = []
    rows = result["orders"]
    if rows:
        fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
        xs = [r["orders"] for r in rows]
        a.plot(xs, [r["cartlift"]["build_s"] for r in rows], "o-", label="cartlift build (counting + neighbours)")
        a.plot(xs, [r["cartlift"]["total_s"] for r in rows], "o--", label="cartlift train incl. parsing JSON Lines")
        if all(r.get("implicit") for r in rows):
            a.plot(xs, [r["implicit"]["fit_s"] for r in rows], "s-", label="implicit CosineRecommender fit")
        a.set(xscale="log", yscale="log", xlabel=f"orders ({rows[0]['products']:,} products)", ylabel="seconds", title="Build time")
        a.legend(fontsize=8)
        b.plot(xs, [r["cartlift"]["peak_mb"] for r in rows], "o-", label="cartlift train (whole process)")
        if all(r.get("implicit") for r in rows):
            b.plot(xs, [r["implicit"]["peak_mb"] for r in rows], "s-", label="implicit (reading + fit)")
            b.plot(xs, [r["implicit"]["read_peak_mb"] for r in rows], "s:", label="implicit, peak before fit (reading orders)")
        b.set(xscale="log", yscale="log", xlabel=f"orders ({rows[0]['products']:,} products)", ylabel="peak memory (MB)", title="Peak memory")
        b.legend(fontsize=8)
        fig.suptitle(f"{result['date']}, {result['machine']}", fontsize=8)
        fig.tight_layout()
        path = os.path.join(out_dir, "scale-orders.png")
        fig.savefig(path, dpi=110)
        made.append(path)
    rows = result["catalogs"]
    if rows:
        fig, a = plt.subplots(figsize=(5.5, 4))
        xs = [r["products"] for r in rows]
        a.plot(xs, [r["p50_us"] for r in rows], "o-", label="p50")
        a.plot(xs, [r["p99_us"] for r in rows], "s--", label="p99")
        a.set(xscale="log", xlabel=f"products ({rows[0]['orders']:,} orders)", ylabel="µs per cross_sell (1 thread)",
              title="Query latency against catalog size", ylim=(0, None))
        a.legend()
        fig.suptitle(f"{result['date']}, {result['machine']}", fontsize=7)
        fig.tight_layout()
        path = os.path.join(out_dir, "scale-catalog.png")
        fig.savefig(path, dpi=110)
        made.append(path)
    return made


def markdown(result):
    out = [f"Measured {result['date']} on {result['machine']}.", "",
           f"Query latency against catalog size ({result['catalog_orders']:,} orders, 5-line carts, 1 thread):", "",
           "| products | build (s) | peak memory (MB) | cross_sell p50 (µs) | p99 (µs) | load |", "|---|---|---|---|---|---|"]
    for r in result["catalogs"]:
        out.append(f"| {r['products']:,} | {r['build_s']:.2f} | {r['peak_mb']:.0f} | {r['p50_us']:.1f} | {r['p99_us']:.1f} "
                   f"| {r['load']} |")
    products = result["orders"][0]["products"] if result["orders"] else 0
    out += ["", f"Build time and memory against order count ({products:,} products):", "",
            "| orders | cartlift build (s) | cartlift parse (s) | cartlift peak (MB) | implicit fit (s) | implicit peak (MB) "
            "| implicit peak before fit (MB) | load |", "|---|---|---|---|---|---|---|---|"]
    for r in result["orders"]:
        c, i = r["cartlift"], r.get("implicit") or {}
        imp = f"{i['fit_s']:.2f} | {i['peak_mb']:.0f} | {i['read_peak_mb']:.0f}" if i else "n/a | n/a | n/a"
        out.append(f"| {r['orders']:,} | {c['build_s']:.2f} | {c['parse_s']:.2f} | {c['peak_mb']:.0f} | {imp} | {c['load']} |")
    out += ["", f"Load average (1 min) at the end: {result['load_end']}. Peak memory from {result['peak_from']}."]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cartlift", default="target/release/cartlift")
    ap.add_argument("--work", default="/tmp/cartlift-scale", help="generated stores and models (kept between runs)")
    ap.add_argument("--catalogs", default="1000,10000,50000,200000,1000000")
    ap.add_argument("--catalog-orders", type=int, default=200000)
    ap.add_argument("--orders", default="100000,1000000,5000000")
    ap.add_argument("--queries", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3, help="`cartlift bench` runs per catalog (the median is kept)")
    ap.add_argument("--out", default="bench/results/scale", help="writes OUT.json and OUT.md")
    ap.add_argument("--plots", default="docs", help="directory for the PNG plots")
    ap.add_argument("--no-implicit", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="two tiny stores, for CI")
    args = ap.parse_args()
    if args.smoke:
        args.catalogs, args.catalog_orders, args.orders, args.queries, args.repeat = "200,2000", 2000, "1000,3000", 500, 1
    os.makedirs(args.work, exist_ok=True)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": f"{os.cpu_count()} cores, {mem:.0f} GB, load average {os.getloadavg()[0]:.1f} at start",
              "catalog_orders": args.catalog_orders, "repeat": args.repeat,
              "peak_from": "/usr/bin/time -v" if TIME else "wait4 ru_maxrss (no /usr/bin/time here)",
              "catalogs": [], "orders": []}
    for n in [int(x) for x in args.catalogs.split(",") if x]:
        store = os.path.join(args.work, f"p{n}-o{args.catalog_orders}")
        gen(args.cartlift, n, args.catalog_orders, store)
        t = train(args.cartlift, store, store + ".model")
        b = bench(args.cartlift, store + ".model", args.queries, args.repeat)
        row = {"products": n, "orders": args.catalog_orders, "build_s": t["build_s"], "peak_mb": t["peak_mb"], **b}
        print(f"  catalog {n:>9,}: p50 {b['p50_us']} µs, p99 {b['p99_us']} µs", file=sys.stderr)
        result["catalogs"].append(row)
    for n in [int(x) for x in args.orders.split(",") if x]:
        store = os.path.join(args.work, f"p50000-o{n}") if not args.smoke else os.path.join(args.work, f"p500-o{n}")
        gen(args.cartlift, 50000 if not args.smoke else 500, n, store)
        c = train(args.cartlift, store, store + ".model")
        i = None if args.no_implicit else implicit_fit(store)
        print(f"  orders {n:>9,}: cartlift build {c['build_s']:.2f} s, peak {c['peak_mb']:.0f} MB; implicit {i}", file=sys.stderr)
        result["orders"].append({"orders": n, "products": 500 if args.smoke else 50000, "cartlift": c, "implicit": i})
    result["load_end"] = load()
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    with open(args.out + ".md", "w") as f:
        f.write(markdown(result))
    os.makedirs(args.plots, exist_ok=True)
    result["plots"] = plots(result, args.plots)
    for p in result["plots"]:
        print(f"  wrote {p}", file=sys.stderr)
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
    print(markdown(result))


if __name__ == "__main__":
    main()
