#!/usr/bin/python3
"""Morris elementary effects from a `smesim sweep` result file with a Morris design.

    scripts/morris.py FILE.h5 --metric failures [-o morris.png] [--json]

For each trajectory, consecutive points differ in one parameter by the design's step
delta (in units of the parameter's range). The elementary effect of that step is the
change in the metric (mean over replications) divided by delta. Per parameter:
mu (mean effect), mu* (mean absolute effect: the importance ranking) and sigma (the sd
of the effects: non-linearity or interactions). Reference: Morris (1991), Campolongo
et al. (2007). The metric is a measure of smesim_analysis (failures, survival, job_years,
net_jobs, annual_failure_rate, ...; employment_end is employment), all cities together,
over the whole period.
"""

import argparse
import json
import sys

import numpy as np
import xarray as xr

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
import smesim_analysis as sa

# Metrics: the measures of smesim_analysis (measures.py), all cities, over the whole
# period; employment_end is the name this script used for `employment`.
ALIASES = {"employment_end": "employment"}
METRICS = {name: f"{sa.MEASURES[ALIASES.get(name, name)].label}, all cities"
           for name in sorted(set(sa.MEASURES) | set(ALIASES))}


def describe(metric):
    return METRICS[metric]


def metric_per_point(ds, name):
    """The metric for every point: mean over replications of its all-cities value."""
    values = sa.per_replication(ds, ALIASES.get(name, name)).sel(city=sa.ALL_CITIES)
    return values.mean("replication").values


def elementary_effects(ds, y):
    """{parameter: [effects]} from the trajectories of the design."""
    delta = float(ds.attrs["morris_delta"])
    names = [k[len("design_unit_"):] for k in ds.data_vars if k.startswith("design_unit_")]
    unit = np.column_stack([ds["design_unit_" + n].values for n in names])
    trajectories = int(ds.attrs["morris_trajectories"])
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
    ax.set_title(f"Morris screening: {describe(metric)}\n{title}", fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def open_sweep(path, design="morris", tool="morris.py"):
    """The sweep file of `design` as an xarray Dataset, or None after printing (as `tool`)
    why it cannot be used. scripts/sobol.py uses it too."""
    try:
        ds = xr.open_dataset(path, engine="h5netcdf").load()
    except (OSError, ValueError) as e:
        print(f"{tool}: {path}: cannot open ({e})", file=sys.stderr)
        return None
    if sa.text(ds.attrs.get("status", "")) != "complete":
        print(f"{tool}: {path}: the file is incomplete", file=sys.stderr)
        return None
    found = sa.text(ds.attrs.get("sweep_design", "none"))
    if found != design:
        print(f"{tool}: {path}: not a {design.capitalize()} sweep (sweep_design = '{found}')", file=sys.stderr)
        return None
    return ds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="result file of `smesim sweep` with design = \"morris\"")
    ap.add_argument("--metric", choices=sorted(METRICS), default="failures")
    ap.add_argument("-o", "--output", help="PNG of mu* against sigma")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    args = ap.parse_args(argv)
    ds = open_sweep(args.file)
    if ds is None:
        return 2
    rows = summarise(elementary_effects(ds, metric_per_point(ds, args.metric)))
    title = sa.text(ds.attrs.get("title", ""))
    if args.json:
        print(json.dumps({"metric": args.metric, "parameters": rows}, indent=2))
    else:
        print(f"Morris elementary effects on {describe(args.metric)}")
        print(f"{'parameter':40s} {'mu*':>14s} {'mu':>14s} {'sigma':>14s}")
        for r in rows:
            print(f"{r['parameter']:40s} {r['mu_star']:14.4g} {r['mu']:14.4g} {r['sigma']:14.4g}")
    if args.output:
        plot(rows, args.metric, title, args.output)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
