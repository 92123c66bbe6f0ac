"""Results of `smesim optimise` (docs/OUTPUT.md, "Optimisation files"): the convergence
path, the chosen allocation against the base design and the validation on fresh
replications, as figures (scripts/plot.py) and as a report
section (scripts/report.py).
"""

import html
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from .files import ResultFileError, text
from .stats import Estimate, estimate_mean


def is_optimisation_file(path):
    """True if path is an HDF5 file written by `smesim optimise` (an evaluation dimension)."""
    path = Path(path)
    if not path.is_file() or not h5py.is_hdf5(path):
        return False
    with h5py.File(path, "r") as f:
        return "evaluation" in f and "best_so_far" in f


def open_optimisation(path):
    """The result file and its validation group, loaded; ResultFileError if it is not a
    complete result of `smesim optimise`."""
    try:
        with xr.open_dataset(path, engine="h5netcdf") as f, \
                xr.open_dataset(path, engine="h5netcdf", group="validation") as v:
            ds, val = f.load(), v.load()
    except (OSError, ValueError) as e:
        raise ResultFileError(f"{path}: cannot open as a result of smesim optimise ({e})") from None
    if "best_so_far" not in ds or text(ds.attrs.get("status", "")) != "complete":
        raise ResultFileError(f"{path}: not a complete result of smesim optimise")
    return ds, val


def convergence(ds, ax):
    """Every evaluation's objective minus the base design's (evaluation 0), paired by
    replication (all evaluations share the base seed), and the best so far."""
    x = ds.evaluation.values
    unit = text(ds.objective.attrs.get("units", ""))
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
    ax.set_ylabel(f"{text(ds.attrs['measure'])} minus the base design's ({unit})")
    ax.set_title(f"{text(ds.attrs['goal'])} {text(ds.attrs['measure'])}, {text(ds.attrs['window'])} "
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
    for i, city in enumerate(cities):
        labels = best_choices(ds, city)
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
    ax.set_xlabel(f"{text(ds.attrs['measure'])}, paired 95% interval over {val.sizes['validation_replication']} "
                  "fresh replications")
    ax.set_title(f"distinguishable from the base design: {text(ds.attrs['distinguishable_from_base'])}",
                 fontsize=10)
    ax.grid(alpha=0.3, axis="x")


def figures(ds, val):
    """{file name: function making the figure} of an optimisation result."""
    import matplotlib.pyplot as plt

    def panel(draw):
        def make():
            fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
            draw(ax)
            fig.tight_layout()
            return fig
        return make

    out = {"convergence.png": panel(lambda ax: convergence(ds, ax)),
           "validation.png": panel(lambda ax: validation(ds, val, ax))}
    if "budget_share" in ds:
        out["allocation.png"] = panel(lambda ax: allocation(ds, ax))
    return out


def validation_rows(ds, val):
    """(label, mean, lo, hi) of the paired differences on fresh replications."""
    rows = [("best design minus base design", "validation_best_minus_base")]
    if "counterfactual" in val:
        rows += [("best design minus counterfactual", "validation_best_minus_counterfactual"),
                 ("base design minus counterfactual", "validation_base_minus_counterfactual")]
    return [(label, *(float(ds.attrs[key + s]) for s in ("", "_lo", "_hi"))) for label, key in rows]


def best_choices(ds, city):
    """The best design's values of the choice variables named after `city`."""
    best = int(ds.attrs["best_evaluation"])
    return [text(ds[v].attrs["choices"]).split()[int(ds[v][best])] for v in ds.data_vars
            if v.startswith("design_") and "choices" in ds[v].attrs and v.endswith(city)]


def allocation_rows(ds):
    """(city, base share, best share, best USD, best choices) of the budget, or [] without
    a budget."""
    if "budget_share" not in ds:
        return []
    best = int(ds.attrs["best_evaluation"])
    return [(str(c), float(ds.budget_share[0, i]), float(ds.budget_share[best, i]), float(ds.budget_usd[best, i]),
             ", ".join(best_choices(ds, str(c)))) for i, c in enumerate(ds.budget_city.values)]


def report_page(ds, val, path, css, with_figures=True):
    """A self-contained HTML page of an optimisation result: the conclusion, the validation
    on fresh replications with paired 95% intervals, the allocation, and the figures."""
    from .report_html import estimate_cell, figure_html, table, td
    measure, unit = text(ds.attrs["measure"]), text(ds.objective.attrs.get("units", ""))
    title = text(ds.attrs.get("title", "")) or Path(path).name
    n_val = val.sizes["validation_replication"]
    rows = [[td(label), estimate_cell(Estimate(mean, lo, hi, n_val), decimals=0 if abs(mean) >= 100 else 2)]
            for label, mean, lo, hi in validation_rows(ds, val)]
    parts = [f"<h2>Validation on {n_val} fresh replications</h2>",
             table(["comparison", f"{html.escape(measure)}<br><small>{html.escape(unit)}</small>"], rows),
             '<p class="note">Paired differences, replication by replication, on seeds the search never '
             "saw (the best design found in a search over the same replications looks better than it is: "
             "the optimiser's curse); bold when the 95% interval excludes 0.</p>"]
    alloc = allocation_rows(ds)
    if alloc:
        parts += ["<h2>Allocation of the budget</h2>",
                  table(["city", "base design, share", "best design, share", "best design, USD",
                         "best design, choices"],
                        [[td(c), td(f"{a:.3f}"), td(f"{b:.3f}"), td(f"{usd:,.0f}"), td(ch or "none")]
                         for c, a, b, usd, ch in alloc])]
    if with_figures:
        captions = {"convergence.png": "Every evaluation of the search against the base design, and the best so far.",
                    "validation.png": "The validation, as intervals.",
                    "allocation.png": "Budget shares of the best design against the base design."}
        parts += ["<h2>Figures</h2>"] + [figure_html(make(), name, captions[name])
                                         for name, make in figures(ds, val).items()]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>smesim optimisation: {html.escape(title)}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>Optimisation: {html.escape(title)}</h1>
<p class="muted"><code>{html.escape(str(path))}</code>: {text(ds.attrs["goal"])} {html.escape(measure)},
{html.escape(text(ds.attrs["window"]))}; {ds.sizes["evaluation"]} evaluations of the search.</p>
</header>
<section id="conclusion"><h2>Conclusion</h2><p>{html.escape(text(ds.attrs.get("conclusion", "")))}</p></section>
<section id="optimisation">{''.join(parts)}</section>
</body>
</html>
"""
