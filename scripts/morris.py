#!/usr/bin/python3
"""Morris elementary effects from a `smesim sweep` result file with a Morris design.

    scripts/morris.py FILE.h5 --metric failures [-o morris.png] [--json]

For each trajectory, consecutive points differ in one parameter by the design's step
delta (in units of the parameter's range). The elementary effect of that step is the
change in the metric (mean over replications) divided by delta. Per parameter:
mu (mean effect), mu* (mean absolute effect: the importance ranking) and sigma (the sd
of the effects: non-linearity or interactions). Reference: Morris (1991), Campolongo
et al. (2007).
"""

import argparse
import json
import sys

import numpy as np

METRICS = {
    "failures": "liquidity failures over the period, all cities",
    "employment_end": "SME employment in the last month, all cities",
    "job_years": "SME job-years over the period, all cities",
    "survival": "survival of the month-0 SMEs to the last month, all cities (%)",
}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def metric_per_point(f, name):
    """The metric for every point: mean over replications of a city total."""
    def total(var):
        return f[var][()].sum(axis=-1)  # sum over cities: (point, replication, time)
    if name == "failures":
        y = total("firms_exited_illiquid").sum(axis=2)
    elif name == "employment_end":
        y = total("employment")[:, :, -1]
    elif name == "job_years":
        y = total("employment").sum(axis=2) / 12.0
    elif name == "survival":
        y = 100 * total("initial_cohort_alive")[:, :, -1] / f["firms_baseline"][()].sum(axis=-1)
    return y.mean(axis=1)


def elementary_effects(f, y):
    """{parameter: [effects]} from the trajectories of the design."""
    delta = float(f.attrs["morris_delta"])
    names = [k[len("design_unit_"):] for k in f.keys() if k.startswith("design_unit_")]
    unit = np.column_stack([f["design_unit_" + n][()] for n in names])
    trajectories = int(f.attrs["morris_trajectories"])
    steps = unit.shape[0] // trajectories
    effects = {n: [] for n in names}
    for t in range(trajectories):
        for j in range(t * steps, (t + 1) * steps - 1):
            changed = np.flatnonzero(~np.isclose(unit[j + 1], unit[j]))
            if len(changed) != 1:
                raise SystemExit(f"morris.py: points {j} and {j + 1} differ in {len(changed)} parameters; "
                                 "not a Morris design")
            effects[names[changed[0]]].append((y[j + 1] - y[j]) / delta)
    return effects


def summarise(effects):
    rows = []
    for name, e in effects.items():
        e = np.asarray(e)
        rows.append({"parameter": name, "mu": float(e.mean()), "mu_star": float(np.abs(e).mean()),
                     "sigma": float(e.std(ddof=1)) if len(e) > 1 else 0.0, "effects": len(e)})
    return sorted(rows, key=lambda r: -r["mu_star"])


def plot(rows, metric, title, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 5), dpi=120)
    for r in rows:
        ax.scatter(r["mu_star"], r["sigma"], color="tab:blue")
        ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), textcoords="offset points", xytext=(5, 3), fontsize=8)
    ax.set_xlabel(f"mu* (mean |elementary effect| on {metric})")
    ax.set_ylabel("sigma (sd of elementary effects)")
    ax.set_title(f"Morris screening: {METRICS[metric]}\n{title}", fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="result file of `smesim sweep` with design = \"morris\"")
    ap.add_argument("--metric", choices=sorted(METRICS), default="failures")
    ap.add_argument("-o", "--output", help="PNG of mu* against sigma")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    args = ap.parse_args(argv)
    try:
        import h5py
        f = h5py.File(args.file, "r")
    except (OSError, ImportError) as e:
        print(f"morris.py: {args.file}: cannot open ({e})", file=sys.stderr)
        return 2
    with f:
        if text(f.attrs.get("status", "")) != "complete":
            print(f"morris.py: {args.file}: the file is incomplete", file=sys.stderr)
            return 2
        if text(f.attrs.get("sweep_design", "")) != "morris":
            print(f"morris.py: {args.file}: not a Morris sweep (sweep_design = "
                  f"'{text(f.attrs.get('sweep_design', 'none'))}')", file=sys.stderr)
            return 2
        rows = summarise(elementary_effects(f, metric_per_point(f, args.metric)))
        title = text(f.attrs.get("title", ""))
    if args.json:
        print(json.dumps({"metric": args.metric, "parameters": rows}, indent=2))
    else:
        print(f"Morris elementary effects on {METRICS[args.metric]}")
        print(f"{'parameter':40s} {'mu*':>14s} {'mu':>14s} {'sigma':>14s}")
        for r in rows:
            print(f"{r['parameter']:40s} {r['mu_star']:14.4g} {r['mu']:14.4g} {r['sigma']:14.4g}")
    if args.output:
        plot(rows, args.metric, title, args.output)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
