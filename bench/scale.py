#!/usr/bin/env python3
"""Scale curves: build time and peak memory against order count (cartlift and implicit's item-item fit on the same
generated stores), and cross-sell latency against catalog size at a fixed order count.

For each store it runs `cartlift gen` (skipped when the files are already in --work), `cartlift train` (wall time,
phases, peak RSS of the process) and `cartlift bench --threads 1` (p50/p99, median of --repeat runs). implicit's side:
the orders are turned into the basket x product matrix in one process (as bench/compare.py builds it) and fitted in
another, so that process's peak RSS is the matrix plus the fit. Peak RSS is the child's ru_maxrss from wait4, the
number `/usr/bin/time -v` prints as "Maximum resident set size". Writes scale.json, scale.md and three PNG plots.

    build/venv-bench/bin/python bench/scale.py --cartlift target/release/cartlift --work /tmp/scale --out-dir bench/results
    build/venv-bench/bin/python bench/scale.py --smoke --out-dir build/scale-smoke   # seconds; what CI runs
"""
import argparse
import array
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.abspath(__file__)


def load_average():
    return [round(x, 2) for x in os.getloadavg()]


def machine():
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version()}


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run(cmd, log):
    """Run cmd; return (stdout + stderr, wall seconds, peak RSS in MB of that command). Raises on a non-zero exit.

    The peak is `/usr/bin/time`'s "Maximum resident set size" when it is installed. Without it, it is wait4's ru_maxrss,
    which on Linux starts from this Python process's own RSS (the fork's memory counts until exec), so small numbers are
    floors, not measurements."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        full = [TIME, "-f", "%M", "-o", rss.name] + cmd if TIME else cmd
        t = time.perf_counter()
        p = subprocess.Popen(full, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        peak_kb = usage.ru_maxrss
        if TIME and p.returncode == 0:
            peak_kb = int(rss.read().strip().splitlines()[-1])
    print(f"  $ {' '.join(cmd)}  ({wall:.2f} s, {peak_kb / 1024:.0f} MB)", file=log)
    if p.returncode != 0:
        raise SystemExit(f"scale.py: command failed ({p.returncode}): {' '.join(cmd)}\n{stdout}{stderr}")
    return stdout + stderr, wall, peak_kb / 1024


def gen(args, products, orders):
    d = os.path.join(args.work, f"p{products}-o{orders}")
    if not (os.path.exists(os.path.join(d, "orders.jsonl")) and os.path.exists(os.path.join(d, "products.jsonl"))):
        run([args.cartlift, "gen", "--products", str(products), "--orders", str(orders), "--seed", str(args.seed),
             "--out", d], sys.stderr)
    return d


def train(args, d):
    model = d + ".model"
    out, wall, rss = run([args.cartlift, "train", "--products", os.path.join(d, "products.jsonl"),
                          "--orders", os.path.join(d, "orders.jsonl"), "--out", model], sys.stderr)
    phases = {k: int(v) for k, v in re.findall(r"(\w+) (\d+) ms", out.split("phases:", 1)[1])}
    build_ms = sum(v for k, v in phases.items() if k not in ("products", "orders"))
    return model, {"train_wall_s": wall, "train_peak_mb": rss, "phases_ms": phases, "build_s": build_ms / 1000,
                   "parse_orders_s": phases.get("orders", 0) / 1000}


def bench(args, model):
    p50s, p99s = [], []
    for _ in range(args.repeat):
        out, _, _ = run([args.cartlift, "bench", "--model", model, "--queries", str(args.queries), "--threads", "1"],
                        sys.stderr)
        m = re.search(r"p50 ([\d.]+) µs, p99 ([\d.]+) µs", out)
        if not m:
            raise SystemExit(f"scale.py: unexpected `cartlift bench` output:\n{out}")
        p50s.append(float(m.group(1)))
        p99s.append(float(m.group(2)))
    mid = lambda xs: sorted(xs)[len(xs) // 2]
    return {"p50_us": mid(p50s), "p99_us": mid(p99s), "p50_runs": p50s, "p99_runs": p99s}


def implicit_side(args, d):
    """Matrix in one process, fit in another; returns None (with a line saying why) when implicit is missing."""
    import importlib.util
    if importlib.util.find_spec("implicit") is None:  # not imported here: the fit runs in a child
        print("scale.py: implicit not installed; skipping implicit's fit", file=sys.stderr)
        return None
    npz = d + ".npz"
    _, matrix_s, matrix_mb = run([sys.executable, HERE, "_matrix", d, npz], sys.stderr)
    out, wall, rss = run([sys.executable, HERE, "_fit", npz], sys.stderr)
    r = json.loads(next(l for l in out.splitlines() if l.startswith('{"fit_s"')))
    r.update({"matrix_s": matrix_s, "matrix_peak_mb": matrix_mb, "fit_process_wall_s": wall, "fit_peak_mb": rss})
    os.remove(npz)
    return r


def build_matrix(d, npz):
    """The basket x product matrix of compare.py (one row per order, 1 per distinct product), saved for _fit."""
    import numpy as np
    import scipy.sparse as sp
    index = {}
    with open(os.path.join(d, "products.jsonl")) as f:
        for line in f:
            if line.strip():
                index[json.loads(line)["id"]] = len(index)
    pid = re.compile(r'"product_id":\s*"([^"]*)"')
    rows, cols = array.array("i"), array.array("i")
    n = 0
    with open(os.path.join(d, "orders.jsonl")) as f:
        for line in f:
            if not line.strip():
                continue
            items = {index[p] for p in pid.findall(line) if p in index}
            rows.extend([n] * len(items))
            cols.extend(items)
            n += 1
    X = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (np.frombuffer(rows, dtype=np.int32),
                       np.frombuffer(cols, dtype=np.int32))), shape=(n, len(index)))
    sp.save_npz(npz, X, compressed=False)


def fit(npz):
    import scipy.sparse as sp
    from implicit.nearest_neighbours import CosineRecommender
    X = sp.load_npz(npz).tocsr()
    model = CosineRecommender(K=50)
    t = time.perf_counter()
    model.fit(X, show_progress=False)
    print(json.dumps({"fit_s": time.perf_counter() - t, "baskets": X.shape[0], "products": X.shape[1], "nnz": X.nnz}))


def plots(res, out_dir):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"scale.py: matplotlib not available ({e}); no plots", file=sys.stderr)
        return []
    files = []
    rows = res["orders_curve"]
    x = [r["orders"] for r in rows]
    imp = [r for r in rows if r.get("implicit")]
    when = f"{res['date']}, {res['machine']['cores']} cores, load average {res['load_start'][0]}–{res['load_end'][0]}"

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, [r["train_wall_s"] for r in rows], "o-", label="cartlift train (files to model)")
    ax.plot(x, [r["build_s"] for r in rows], "s-", label="cartlift build phases (no parsing)")
    if imp:
        ax.plot([r["orders"] for r in imp], [r["implicit"]["fit_s"] for r in imp], "^-", label="implicit Cosine fit")
        ax.plot([r["orders"] for r in imp], [r["implicit"]["matrix_s"] for r in imp], "v:",
                label="implicit: JSON to matrix (Python)")
    ax.set(xscale="log", yscale="log", xlabel="orders (50k products)", ylabel="seconds",
           title=f"Build time vs orders\n{when}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    files.append(save(fig, out_dir, "scale-build-time.png"))

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, [r["train_peak_mb"] for r in rows], "o-", label="cartlift train (files to model)")
    if imp:
        ax.plot([r["orders"] for r in imp], [r["implicit"]["fit_peak_mb"] for r in imp], "^-",
                label="implicit fit process (matrix + fit)")
    ax.set(xscale="log", yscale="log", xlabel="orders (50k products)", ylabel="peak RSS (MB)",
           title=f"Peak memory vs orders\n{when}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    files.append(save(fig, out_dir, "scale-peak-memory.png"))

    rows = res["catalog_curve"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([r["products"] for r in rows], [r["p50_us"] for r in rows], "o-", label="p50")
    ax.plot([r["products"] for r in rows], [r["p99_us"] for r in rows], "s-", label="p99")
    ax.set(xscale="log", xlabel=f"products ({res['catalog_orders']:,} orders)", ylabel="µs per query",
           title=f"cross_sell latency vs catalog size, 1 thread\n{when}")
    ax.set_ylim(bottom=0)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    files.append(save(fig, out_dir, "scale-latency-catalog.png"))
    return files


def save(fig, out_dir, name):
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}", file=sys.stderr)
    return path


def markdown(res):
    m = res["machine"]
    lines = [f"Measured {res['date']} on {m['cores']} cores, {m['memory_gb']} GB ({m['cpu']}); load average "
             f"{res['load_start']} at start, {res['load_end']} at end (1/5/15 min). Command: `{res['command']}`", "",
             f"**Build vs orders** ({res['build_products']:,} products, seed {res['seed']}):", "",
             "| orders | cartlift train (wall) | of which parsing orders | cartlift build phases | cartlift peak | "
             "implicit Cosine fit | implicit fit process peak | implicit JSON to matrix | load avg |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in res["orders_curve"]:
        i = r.get("implicit")
        imp = (f"{i['fit_s']:.2f} s | {i['fit_peak_mb']:,.0f} MB | {i['matrix_s']:.1f} s" if i else "— | — | —")
        lines.append(f"| {r['orders']:,} | {r['train_wall_s']:.2f} s | {r['parse_orders_s']:.2f} s | {r['build_s']:.2f} s "
                     f"| {r['train_peak_mb']:,.0f} MB | {imp} | {r['load']} |")
    lines += ["", f"**Query latency vs catalog size** ({res['catalog_orders']:,} orders, `cartlift bench --queries "
              f"{res['queries']} --threads 1`, 5-line carts, median of {res['repeat']} runs):", "",
              "| products | p50 | p99 | train (wall) | train peak | model file | load avg |", "|---|---|---|---|---|---|---|"]
    for r in res["catalog_curve"]:
        lines.append(f"| {r['products']:,} | {r['p50_us']:.1f} µs | {r['p99_us']:.1f} µs | {r['train_wall_s']:.2f} s "
                     f"| {r['train_peak_mb']:,.0f} MB | {r['model_mb']:.1f} MB | {r['load']} |")
    return "\n".join(lines) + "\n"


def ints(s):
    return [int(float(x)) for x in s.split(",") if x]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "_matrix":
        return build_matrix(sys.argv[2], sys.argv[3])
    if len(sys.argv) > 1 and sys.argv[1] == "_fit":
        return fit(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cartlift", default="target/release/cartlift")
    ap.add_argument("--work", help="where generated stores and models go (kept, reused); default a temp dir")
    ap.add_argument("--out-dir", default="bench/results")
    ap.add_argument("--orders", default="100000,1000000,5000000", help="order counts of the build curve")
    ap.add_argument("--build-products", type=int, default=50000)
    ap.add_argument("--products", default="1000,10000,50000,200000,1000000", help="catalog sizes of the latency curve")
    ap.add_argument("--catalog-orders", type=int, default=200000)
    ap.add_argument("--queries", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-implicit", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="tiny stores, few queries: checks the script, measures nothing")
    args = ap.parse_args()
    if args.smoke:
        args.orders, args.build_products, args.products = "300,600", 200, "100,400"
        args.catalog_orders, args.queries, args.repeat = 500, 200, 1
    args.work = args.work or tempfile.mkdtemp(prefix="cartlift-scale-")
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out_dir, exist_ok=True)

    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
           "load_start": load_average(), "command": " ".join(["bench/scale.py"] + sys.argv[1:]),
           "seed": args.seed, "build_products": args.build_products, "catalog_orders": args.catalog_orders,
           "queries": args.queries, "repeat": args.repeat, "peak_rss_from": TIME or "wait4 (floor: parent RSS)",
           "orders_curve": [], "catalog_curve": []}
    version = run([args.cartlift, "--version"], sys.stderr)[0].strip()
    res["cartlift"] = version

    for n in ints(args.orders):
        print(f"build curve: {args.build_products} products, {n} orders", file=sys.stderr)
        d = gen(args, args.build_products, n)
        row = {"orders": n, "load": load_average()}
        _, t = train(args, d)
        row.update(t)
        row["implicit"] = None if args.no_implicit else implicit_side(args, d)
        res["orders_curve"].append(row)
        print(f"  -> {json.dumps(row)}", file=sys.stderr)

    for n in ints(args.products):
        print(f"latency curve: {n} products, {args.catalog_orders} orders", file=sys.stderr)
        d = gen(args, n, args.catalog_orders)
        row = {"products": n, "load": load_average()}
        model, t = train(args, d)
        row.update(t)
        row["model_mb"] = os.path.getsize(model) / 1e6
        row.update(bench(args, model))
        res["catalog_curve"].append(row)
        print(f"  -> {json.dumps(row)}", file=sys.stderr)

    res["load_end"] = load_average()
    res["plots"] = [os.path.basename(p) for p in plots(res, args.out_dir)]
    with open(os.path.join(args.out_dir, "scale.json"), "w") as f:
        json.dump(res, f, indent=1)
    text = markdown(res)
    with open(os.path.join(args.out_dir, "scale.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
