"""Reference numbers for cartlift's measurement statistics, computed with scipy and statsmodels.

Run tests/measure/make_fixtures.sh (it makes a venv and installs scipy + statsmodels), which writes
tests/measure/fixtures.json; core/tests/measure_stats.rs checks the Rust statistics agree to 1e-9.
"""
import json
import os

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

rng = np.random.default_rng(20261123)
out = {"welch": [], "ztest": [], "wilson": [], "norm": [], "t": [], "sample_size": []}

for n1, n2, mu1, mu2, sigma in [(2, 3, 3.0, 3.1, 0.5), (5, 8, 4.0, 4.2, 0.6), (30, 45, 4.2, 4.3, 0.7), (120, 90, 4.0, 4.05, 0.9),
                                (300, 280, 4.5, 4.5, 0.8), (250, 260, 3.0, 3.4, 1.2), (40, 400, 5.0, 4.9, 0.3)]:
    a = np.round(rng.lognormal(mu1, sigma, n1), 2)
    b = np.round(rng.lognormal(mu2, sigma, n2), 2)
    r = stats.ttest_ind(a, b, equal_var=False)
    ci = r.confidence_interval(0.95)
    out["welch"].append({"a": a.tolist(), "b": b.tolist(), "t": float(r.statistic), "df": float(r.df), "p_value": float(r.pvalue),
                         "ci_low": float(ci.low), "ci_high": float(ci.high)})

for x1, n1, x2, n2 in [(10, 100, 12, 100), (320, 1000, 280, 1000), (5, 37, 9, 41), (1500, 10000, 1410, 9800), (0, 50, 3, 60),
                       (49, 50, 45, 50), (12345, 100000, 12001, 99000)]:
    z, p = proportions_ztest([x1, x2], [n1, n2])
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="wald", compare="diff")
    out["ztest"].append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": float(z), "p_value": float(p), "ci_low": float(lo), "ci_high": float(hi)})

for x, n in [(0, 10), (1, 10), (5, 10), (10, 10), (37, 250), (4321, 98765), (1, 1)]:
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    out["wilson"].append({"x": x, "n": n, "low": float(lo), "high": float(hi)})

for x in [-8.0, -5.5, -3.0, -1.96, -0.5, 0.0, 0.3, 1.0, 2.5, 6.0]:
    out["norm"].append({"x": x, "cdf": float(stats.norm.cdf(x)), "sf": float(stats.norm.sf(x))})
for p in [1e-10, 1e-4, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999]:
    out["norm"].append({"p": p, "ppf": float(stats.norm.ppf(p))})

for t, df in [(0.5, 1.0), (2.0, 2.5), (1.3, 7.7), (2.1, 30.0), (3.5, 143.2), (1.96, 5000.0), (-1.2, 12.0), (6.0, 80.0)]:
    out["t"].append({"x": t, "df": df, "sf": float(stats.t.sf(t, df)), "cdf": float(stats.t.cdf(t, df))})
for p, df in [(0.975, 1.0), (0.975, 2.3), (0.975, 9.0), (0.975, 57.4), (0.975, 4321.0), (0.9, 15.0), (0.999, 30.0)]:
    out["t"].append({"p": p, "df": df, "ppf": float(stats.t.ppf(p, df))})

z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
for sd_a, sd_b, delta in [(10.0, 12.0, 1.0), (55.5, 50.0, 2.75), (0.3, 0.3, 0.01)]:
    out["sample_size"].append({"sd_a": sd_a, "sd_b": sd_b, "delta": delta, "n": float(z * z * (sd_a**2 + sd_b**2) / delta**2)})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path)
