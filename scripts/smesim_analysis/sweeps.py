"""Sweep files (`smesim sweep`): a measure per design point, alone or against a
counterfactual run, and its figures: the measure against each swept parameter with 95%
intervals, and for grids heat maps of two parameters (scripts/plot.py, scripts/report.py).

Against a counterfactual CF (a plain run, typically the base scenario without the
programme), each point's value is compared with CF replication by replication (paired,
every point keeps the base seed) when CF has the sweep's seed, replications, start,
scale, cities and months, otherwise as a difference of means with a Welch interval.
Failures are shown as failures averted (CF minus the point), every other measure as the
point minus CF."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import figures
from . import measures as m
from .files import ALL_CITIES
from .overlays import pairable, unpaired_series
from .stats import estimate_along

AVERTED = {"failures": "Failures averted"}


def parameters(ds):
    """The swept parameters, in the file's order (design_NAME variables)."""
    return [v[len("design_"):] for v in ds.data_vars
            if v.startswith("design_") and not v.startswith("design_unit_")]


def is_grid(ds):
    return str(ds.attrs.get("sweep_design", "")) == "grid"


def label(measure, counterfactual):
    """The y label of a measure per point, against a counterfactual or not."""
    if counterfactual is None:
        return f"{m.MEASURES[measure].label} ({m.MEASURES[measure].unit})"
    if measure in AVERTED:
        return f"{AVERTED[measure]}: counterfactual minus point ({m.MEASURES[measure].unit})"
    return f"{m.MEASURES[measure].label}: point minus counterfactual ({m.MEASURES[measure].unit})"


def point_table(ds, measure, city=ALL_CITIES, counterfactual=None, over=None, at=None):
    """A DataFrame, one row per point: the design values, then mean, lo, hi of the measure
    (against counterfactual when given) over replications; attrs["paired"] says how."""
    values = m.per_replication(ds, measure, m.window(ds, over, at)).sel(city=city)
    paired = None
    if counterfactual is None:
        mean, lo, hi = estimate_along(values.transpose("point", "replication").values, axis=1)
    else:
        base = m.per_replication(counterfactual, measure, m.window(counterfactual, over, at)).sel(city=city)
        paired = pairable(counterfactual, ds) is None
        diff = m.paired_series(base, values) if paired else unpaired_series(base, values)
        mean, lo, hi = (diff[k].transpose("point").values for k in ("mean", "lo", "hi"))
        if measure in AVERTED:
            mean, lo, hi = -mean, -hi, -lo
    table = pd.DataFrame({p: ds[f"design_{p}"].values for p in parameters(ds)})
    table["mean"], table["lo"], table["hi"] = mean, lo, hi
    table.index.name = "point"
    table.attrs.update(measure=measure, city=str(city), paired=paired, grid=is_grid(ds),
                       label=label(measure, counterfactual))
    return table


def excludes_zero(row):
    return bool(row["lo"] > 0 or row["hi"] < 0)


def parameter_figure(table, title):
    """One panel per parameter: every point's mean and 95% interval against the
    parameter's value; on a grid also the mean over the other parameters (line)."""
    params = [c for c in table.columns if c not in ("mean", "lo", "hi")]
    ncols = min(3, len(params))
    nrows = math.ceil(len(params) / ncols)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, sharey=True, figsize=(4.4 * ncols, 3.4 * nrows + 1.2),
                             layout="constrained")
    for ax in axes.ravel()[len(params):]:
        ax.set_visible(False)
    for ax, p in zip(axes.ravel(), params):
        x = table[p].to_numpy(dtype=float)
        distinct = np.unique(x)
        spread = 0.012 * (x.max() - x.min() or 1.0)
        jitter = (np.arange(len(x)) % 9 - 4) * spread if len(distinct) < len(x) else 0
        ax.errorbar(x + jitter, table["mean"], yerr=[table["mean"] - table["lo"], table["hi"] - table["mean"]],
                    fmt="o", markersize=3.5, color=figures.BLUE, ecolor="0.6", elinewidth=0.9, capsize=0)
        if table.attrs["grid"] and len(distinct) < len(x):
            marginal = table.groupby(p)["mean"].mean()
            ax.plot(marginal.index, marginal.values, color="black", linewidth=1.4)
        ax.axhline(0, color="black", linewidth=0.8, linestyle=":")
        ax.set_xlabel(p.replace("_", " "), fontsize=10)
        ax.grid(alpha=0.3)
        figures.thousands(ax)
    axes[0, 0].set_ylabel(table.attrs["label"], fontsize=10)
    how = {None: "", True: "; paired with the counterfactual by replication",
           False: "; unpaired (Welch) against the counterfactual"}[table.attrs["paired"]]
    line = "; line: mean over the other parameters" if table.attrs["grid"] and len(params) > 1 else ""
    fig.suptitle(f"{title}\n{table.attrs['city']}: dots, the mean over replications at each design point, with "
                 f"its 95% interval{how}{line}", fontsize=11)
    return fig


def cell_text(mean, lo, hi, with_interval):
    text = f"{mean:,.0f}" if abs(mean) >= 100 else f"{mean:,.2f}"
    if not with_interval:
        return text
    fmt = (lambda v: f"{v:,.0f}") if max(abs(lo), abs(hi)) >= 100 else (lambda v: f"{v:,.2f}")
    return f"{text}\n[{fmt(lo)}, {fmt(hi)}]"


def text_colour(value, limit, centred, image):
    """Black on light cells, white on dark ones."""
    if centred:
        return "white" if abs(value) > 0.6 * limit else "black"
    r, g, b, _ = image.cmap(image.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def heatmap_figure(table, title, centred):
    """Heat maps of the measure over each pair of grid parameters (the mean over any
    others); with exactly two parameters each cell also shows its 95% interval, in bold
    when it excludes 0. centred: a diverging scale around 0 (differences)."""
    params = [c for c in table.columns if c not in ("mean", "lo", "hi")]
    pairs = [(a, b) for i, a in enumerate(params) for b in params[i + 1:]]
    exact = len(params) == 2
    fig, axes = plt.subplots(1, len(pairs), squeeze=False, figsize=(5.2 * len(pairs), 4.6), layout="constrained")
    limit = float(np.nanmax(np.abs(table["mean"]))) or 1.0
    for ax, (a, b) in zip(axes[0], pairs):
        grid = table.groupby([b, a])[["mean", "lo", "hi"]].mean()
        mean = grid["mean"].unstack(a)
        kw = dict(cmap="RdBu", vmin=-limit, vmax=limit) if centred else dict(cmap="viridis")
        image = ax.imshow(mean.values, origin="lower", aspect="auto", **kw)
        ax.set_xticks(range(mean.shape[1]), [f"{v:g}" for v in mean.columns])
        ax.set_yticks(range(mean.shape[0]), [f"{v:g}" for v in mean.index])
        ax.set_xlabel(a.replace("_", " "), fontsize=10)
        ax.set_ylabel(b.replace("_", " "), fontsize=10)
        for (yi, y), (xi, x) in ((yy, xx) for yy in enumerate(mean.index) for xx in enumerate(mean.columns)):
            row = grid.loc[(y, x)]
            bold = exact and excludes_zero(row) and centred
            ax.text(xi, yi, cell_text(row["mean"], row["lo"], row["hi"], exact), ha="center", va="center",
                    fontsize=9, fontweight="bold" if bold else "normal",
                    color=text_colour(row["mean"], limit, centred, image))
        fig.colorbar(image, ax=ax, shrink=0.85)
    note = ("each cell: mean and 95% interval, bold when it excludes 0" if exact
            else "each cell: mean over the other parameters")
    fig.suptitle(f"{title}\n{table.attrs['label']}, {table.attrs['city']}\n{note}", fontsize=11)
    return fig


def sweep_plots(ds, measures, city=ALL_CITIES, counterfactual=None):
    """{file name: function making the figure}: sweep_MEASURE.png for every measure, and
    sweep_MEASURE_heatmap.png for grids of two or more parameters."""
    out = {}
    title = str(ds.attrs.get("title", ""))
    for measure in measures:
        def table(measure=measure):
            return point_table(ds, measure, city, counterfactual)
        out[f"sweep_{measure}.png"] = (lambda t: lambda: parameter_figure(t(), title))(table)
        if is_grid(ds) and len(parameters(ds)) >= 2:
            out[f"sweep_{measure}_heatmap.png"] = (
                lambda t: lambda: heatmap_figure(t(), title, centred=counterfactual is not None))(table)
    return out
