#!/usr/bin/python3
"""Plots of a `smesim optimise` result file: the convergence path, the chosen allocation
against the base design, and the validation on fresh replications.

    scripts/plot_optimise.py RESULT.h5 -o DIR      # DIR/convergence.png, allocation.png, validation.png

The file's layout is in docs/OUTPUT.md, "Optimisation files".
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import xarray as xr

import smesim_analysis as sa
from smesim_analysis.stats import estimate_mean


def open_result(path):
    """The result file and its validation group, or None after printing why not."""
    try:
        ds = xr.open_dataset(path, engine="h5netcdf").load()
        val = xr.open_dataset(path, engine="h5netcdf", group="validation").load()
    except (OSError, ValueError) as e:
        print(f"plot_optimise.py: {path}: cannot open ({e})", file=sys.stderr)
        return None
    if "best_so_far" not in ds or sa.text(ds.attrs.get("status", "")) != "complete":
        print(f"plot_optimise.py: {path}: not a complete result of smesim optimise", file=sys.stderr)
        return None
    return ds, val


def convergence(ds, ax):
    """Every evaluation's objective minus the base design's (evaluation 0), paired by
    replication (all evaluations share the base seed), and the best so far."""
    x = ds.evaluation.values
    unit = sa.text(ds.objective.attrs.get("units", ""))
    reps = ds.objective_replicates.values
    diffs = [estimate_mean(reps[i] - reps[0]) for i in range(len(x))]
    mean = np.array([e.mean for e in diffs])
    err = np.array([[e.mean - e.lo for e in diffs], [e.hi - e.mean for e in diffs]])
    ax.errorbar(x, mean, yerr=err, fmt="o", ms=3, color="0.5", ecolor="0.8",
                label="evaluation (paired 95% interval over replications)")
    ax.step(x, ds.best_so_far - ds.objective[0], where="post", color="tab:red", label="best so far")
    best = int(ds.attrs["best_evaluation"])
    ax.plot([best], [mean[best]], "*", ms=12, color="tab:red")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xlabel("evaluation")
    ax.set_ylabel(f"{sa.text(ds.attrs['measure'])} minus the base design's ({unit})")
    ax.set_title(f"{sa.text(ds.attrs['goal'])} {sa.text(ds.attrs['measure'])}, {sa.text(ds.attrs['window'])} "
                 "(search replications)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


def allocation(ds, ax):
    """The best design's budget shares against the base design's (evaluation 0)."""
    best = int(ds.attrs["best_evaluation"])
    cities = [str(c) for c in ds.budget_city.values]
    y = np.arange(len(cities))
    ax.barh(y - 0.2, ds.budget_share.isel(evaluation=0), height=0.4, color="0.7", label="base design")
    ax.barh(y + 0.2, ds.budget_share.isel(evaluation=best), height=0.4, color="tab:blue", label="best design")
    choices = [v for v in ds.data_vars if v.startswith("design_") and "choices" in ds[v].attrs]
    for i, city in enumerate(cities):
        labels = [sa.text(ds[v].attrs["choices"]).split()[int(ds[v][best])] for v in choices if v.endswith(city)]
        if labels:
            ax.annotate(", ".join(labels), (float(ds.budget_share[best, i]), i + 0.2), xytext=(4, -3),
                        textcoords="offset points", fontsize=8)
    ax.set_yticks(y, cities)
    ax.invert_yaxis()
    ax.set_xlabel("share of the total budget")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="x")


def validation(ds, val, ax):
    """Paired differences on fresh replications, with their 95% intervals."""
    rows = [("best - base", "validation_best_minus_base")]
    if "counterfactual" in val:
        rows += [("best - counterfactual", "validation_best_minus_counterfactual"),
                 ("base - counterfactual", "validation_base_minus_counterfactual")]
    for i, (label, key) in enumerate(rows):
        mean, lo, hi = (float(ds.attrs[key + s]) for s in ("", "_lo", "_hi"))
        ax.errorbar([mean], [i], xerr=[[mean - lo], [hi - mean]], fmt="o", capsize=4, color="tab:blue")
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(f"{sa.text(ds.attrs['measure'])}, paired 95% interval over {val.sizes['validation_replication']} "
                  "fresh replications")
    ax.set_title(f"distinguishable from the base design: {sa.text(ds.attrs['distinguishable_from_base'])}",
                 fontsize=10)
    ax.grid(alpha=0.3, axis="x")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="result file of `smesim optimise`")
    ap.add_argument("-o", "--output", default=".", help="folder for the PNG files")
    args = ap.parse_args(argv)
    opened = open_result(args.file)
    if opened is None:
        return 2
    ds, val = opened
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    panels = [("convergence.png", lambda ax: convergence(ds, ax)),
              ("validation.png", lambda ax: validation(ds, val, ax))]
    if "budget_share" in ds:
        panels.append(("allocation.png", lambda ax: allocation(ds, ax)))
    for name, draw in panels:
        fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
        draw(ax)
        fig.tight_layout()
        fig.savefig(out / name)
        plt.close(fig)
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
