#!/usr/bin/python3
"""Sobol first- and total-order indices from a `smesim sweep` result file with a Sobol design.

    scripts/sobol.py FILE.h5 --metric failures [--bootstrap 500] [--seed 1] [-o sobol.png] [--json]

The design (Saltelli's scheme, src/scenario/sweep.cpp) has N base samples of K
parameters; for each sample j the points A_j, B_j and AB_j^i (A_j with parameter i
from B_j), N (K + 2) points in all. With f the metric (mean over replications, all
cities, the whole period), m and V the mean and variance of f over the A and B points:

    first order  S_i  = mean_j (f(B_j) - m) (f(AB_j^i) - f(A_j)) / V (Saltelli et al. 2010)
    total order  ST_i = mean_j (f(A_j) - f(AB_j^i))^2 / (2 V)        (Jansen 1999)

S_i is the share of the variance of f due to parameter i alone; ST_i includes its
interactions (ST_i - S_i large: parameter i acts through others). The 95% intervals
resample the N base samples with replacement (percentile bootstrap). The metrics are
the measures of smesim_analysis, as in scripts/morris.py.
"""

import argparse
import json
import sys

import numpy as np

import morris
import smesim_analysis as sa

METRICS = {name: f"{sa.MEASURES[name].label}, all cities" for name in sorted(sa.MEASURES)}


def saltelli_blocks(y, k):
    """f(A), f(B) and f(AB) (N x K) from the metric of N (K + 2) points in design order."""
    y = np.asarray(y, dtype=float)
    if k < 1 or y.size % (k + 2):
        raise ValueError(f"{y.size} points is not a multiple of K + 2 = {k + 2}")
    rows = y.reshape(-1, k + 2)
    return rows[:, 0], rows[:, 1], rows[:, 2:]


def indices(f_a, f_b, f_ab):
    """First- and total-order indices (arrays of K) from the blocks of a Saltelli design."""
    both = np.concatenate([f_a, f_b])
    variance = np.var(both, ddof=1)
    if variance == 0:
        nan = np.full(f_ab.shape[1], np.nan)
        return nan, nan
    # Centred: the estimator's expectation does not depend on a shift of f, but its
    # variance grows with the mean squared (failures are ~10^6 with differences of 10^3).
    centre = both.mean()
    first = np.mean((f_b - centre)[:, None] * (f_ab - f_a[:, None]), axis=0) / variance
    total = 0.5 * np.mean((f_a[:, None] - f_ab) ** 2, axis=0) / variance
    return first, total


def bootstrap(f_a, f_b, f_ab, samples=500, seed=1):
    """95% percentile intervals of the indices: (first_lo, first_hi, total_lo, total_hi)."""
    rng = np.random.default_rng(seed)
    n = len(f_a)
    firsts, totals = [], []
    for _ in range(samples):
        j = rng.integers(0, n, n)
        first, total = indices(f_a[j], f_b[j], f_ab[j])
        firsts.append(first)
        totals.append(total)
    lo, hi = 2.5, 97.5
    return (np.nanpercentile(firsts, lo, axis=0), np.nanpercentile(firsts, hi, axis=0),
            np.nanpercentile(totals, lo, axis=0), np.nanpercentile(totals, hi, axis=0))


def sobol_table(y, names, samples=500, seed=1):
    """One row per parameter: S1 and ST with 95% bootstrap intervals, sorted by ST."""
    f_a, f_b, f_ab = saltelli_blocks(y, len(names))
    first, total = indices(f_a, f_b, f_ab)
    first_lo, first_hi, total_lo, total_hi = bootstrap(f_a, f_b, f_ab, samples, seed)
    rows = [{"parameter": name, "first": float(first[i]), "first_lo": float(first_lo[i]),
             "first_hi": float(first_hi[i]), "total": float(total[i]), "total_lo": float(total_lo[i]),
             "total_hi": float(total_hi[i])} for i, name in enumerate(names)]
    return sorted(rows, key=lambda r: -r["total"] if np.isfinite(r["total"]) else 0.0)


def design_names(ds):
    """The parameters in design order, after checking the points are a Saltelli design."""
    names = [k[len("design_unit_"):] for k in ds.data_vars if k.startswith("design_unit_")]
    unit = np.column_stack([ds["design_unit_" + n].values for n in names])
    k = len(names)
    if unit.shape[0] % (k + 2):
        raise SystemExit(f"sobol.py: {unit.shape[0]} points is not a multiple of K + 2 = {k + 2}")
    for j in range(0, unit.shape[0], k + 2):
        a, b = unit[j], unit[j + 1]
        for i in range(k):
            expected = a.copy()
            expected[i] = b[i]
            if not np.allclose(unit[j + 2 + i], expected):
                raise SystemExit(f"sobol.py: point {j + 2 + i} is not A with parameter {names[i]} from B; "
                                 "not a Sobol design")
    return names


def open_sweep(path):
    """The Sobol sweep file as an xarray Dataset, or None after printing why not."""
    return morris.open_sweep(path, design="sobol", tool="sobol.py")


def plot(rows, metric, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(rows) + 2), dpi=120)
    y = np.arange(len(rows))
    for offset, key, label in ((-0.18, "first", "first order S1"), (0.18, "total", "total order ST")):
        mean = np.array([r[key] for r in rows])
        err = np.array([[r[key] - r[key + "_lo"] for r in rows], [r[key + "_hi"] - r[key] for r in rows]])
        ax.barh(y + offset, mean, height=0.34, xerr=np.clip(err, 0, None), label=label, capsize=3)
    ax.set_yticks(y, [r["parameter"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("share of the variance (95% bootstrap interval)")
    ax.set_title(f"Sobol indices: {METRICS[metric]}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="result file of `smesim sweep` with design = \"sobol\"")
    ap.add_argument("--metric", choices=sorted(METRICS), default="failures")
    ap.add_argument("--bootstrap", type=int, default=500, help="bootstrap resamples for the intervals")
    ap.add_argument("--seed", type=int, default=1, help="seed of the bootstrap")
    ap.add_argument("-o", "--output", help="PNG of the indices with their intervals")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    args = ap.parse_args(argv)
    ds = open_sweep(args.file)
    if ds is None:
        return 2
    names = design_names(ds)
    y = sa.per_replication(ds, args.metric).sel(city=sa.ALL_CITIES).mean("replication").values
    rows = sobol_table(y, names, args.bootstrap, args.seed)
    samples = len(y) // (len(names) + 2)
    if args.json:
        print(json.dumps({"metric": args.metric, "samples": samples, "parameters": rows}, indent=2))
    else:
        print(f"Sobol indices of {METRICS[args.metric]} ({samples} base samples, 95% bootstrap intervals)")
        print(f"{'parameter':40s} {'S1':>22s} {'ST':>22s}")
        for r in rows:
            s1 = f"{r['first']:.3f} [{r['first_lo']:.3f}, {r['first_hi']:.3f}]"
            st = f"{r['total']:.3f} [{r['total_lo']:.3f}, {r['total_hi']:.3f}]"
            print(f"{r['parameter']:40s} {s1:>22s} {st:>22s}")
    if args.output:
        plot(rows, args.metric, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
