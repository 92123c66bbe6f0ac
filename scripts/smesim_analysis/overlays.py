"""Several result files on shared axes (scripts/plot.py A.h5 B.h5 ...): per city, the
median and 5-95% band over replications of each file, labelled by its scenario title,
and the difference of each file from a baseline over time: paired replication by
replication (mean and 95% paired interval) when the two files can be paired (same seed,
replications, start, scale, cities, months), else the difference of the means with a 95%
Welch interval."""

import math

import numpy as np
import xarray as xr

from . import figures
from . import measures as m
from .stats import LEVEL, t_quantile
from .tables import check_comparable

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink",
           "tab:olive", "tab:cyan", "0.35")
LEGEND_SIZE = 10


def employment_thousands(ds):
    return m.plain(ds.employment) / 1e3


def firms_thousands(ds):
    return m.plain(ds.firms_active) / 1e3


def failures_cumulative(ds):
    return m.cumulative(ds.firms_exited_illiquid)


def spending_cumulative(ds):
    series = list(m.spending_series(ds).values())
    if not series:
        return 0 * m.plain(ds.employment)
    return sum(series[1:], series[0]) / 1e6


def resilience_index(ds):
    return m.plain(ds.resilience_index)


# (file stem, title, y label, series of a Dataset (replication, time, city), shared y, reference line)
SERIES = [
    ("firms_active", "SMEs active", "SMEs active at month end (thousands)", firms_thousands, False, None),
    ("cohort_survival", "Survival of the SMEs active at month 0", "SMEs of month 0 still active (%)",
     m.cohort_survival_series, True, None),
    ("employment_index", "SME employment index", "SME employment (month 0 = 100)", m.employment_index_series,
     True, 100),
    ("employment", "SME employment", "Workers employed by SMEs (thousands)", employment_thousands, False, None),
    ("failures", "SME failures since month 0 (cumulative)", "SMEs failed (cumulative)", failures_cumulative,
     False, None),
    ("spending", "Public spending on SMEs (cumulative)", "USD million (cumulative)", spending_cumulative,
     False, None),
    ("resilience", "City resilience index", "Resilience index R (0 = none, 1 = full)", resilience_index, True,
     None),
]


def labels(datasets):
    """One label per file: its scenario title, with the file name where titles repeat."""
    titles = [str(ds.attrs.get("title") or ds.attrs["path"]) for ds in datasets]
    return [f"{t} ({ds.attrs['path']})" if titles.count(t) > 1 else t for t, ds in zip(titles, datasets)]


def pairable(a, b):
    """None when a and b can be paired replication by replication, else the reason."""
    try:
        check_comparable(a, b)
    except m.ComparisonError as e:
        return str(e)
    return None


def unpaired_series(a, b):
    """mean(b) - mean(a) over replications with a 95% Welch interval, per remaining
    coordinate (time, city), on the months and cities both have."""
    a, b = xr.align(m.plain(a), m.plain(b), join="inner", exclude=["replication"])
    na, nb = a.sizes["replication"], b.sizes["replication"]
    mean = b.mean("replication") - a.mean("replication")
    if na < 2 or nb < 2:
        return xr.Dataset({"mean": mean, "lo": mean, "hi": mean})
    va = a.var("replication", ddof=1) / na
    vb = b.var("replication", ddof=1) / nb
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    t = xr.apply_ufunc(np.vectorize(lambda d: t_quantile(0.5 + LEVEL / 2, d) if math.isfinite(d) else 0.0), df)
    half = (t * se).fillna(0.0)
    return xr.Dataset({"mean": mean, "lo": mean - half, "hi": mean + half})


def difference(base, ds, series):
    """(Dataset mean, lo, hi over time and city, paired?) of series(ds) - series(base)."""
    if pairable(base, ds) is None:
        return m.paired_series(series(base), series(ds)), True
    return unpaired_series(series(base), series(ds)), False


def shared_cities(datasets):
    """The cities of the first file that every file has, in its order."""
    cities = [str(c) for c in datasets[0].city.values]
    for ds in datasets[1:]:
        have = {str(c) for c in ds.city.values}
        cities = [c for c in cities if c in have]
    return cities


def legend_at_bottom(fig, handles, names):
    """A figure legend under the panels, in legible type, with room kept for it."""
    ncol = 1 if max(len(n) for n in names) > 45 else min(2, len(names))
    rows = math.ceil(len(names) / ncol)
    height = (0.3 * rows + 0.25) / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, height, 1, 1 - height))
    fig.legend(handles, names, loc="lower center", ncol=ncol, fontsize=LEGEND_SIZE, frameon=False)


def overlay_figure(datasets, spec):
    """Median and 5-95% band of every file, one panel per city, colours by file."""
    stem, title, ylabel, series, sharey, reference = spec
    cities = shared_cities(datasets)
    fig, axes = figures.city_grid(datasets[0], sharey, cities=cities)
    names = labels(datasets)
    handles = []
    for i, ds in enumerate(datasets):
        colour = COLOURS[i % len(COLOURS)]
        values = series(ds)
        for ax, city in zip(axes, cities):
            figures.draw_band(ax, values.sel(city=city), colour, names[i])
        handles.append(axes[0].get_lines()[-1])
    for ax in axes:
        if reference is not None:
            ax.axhline(reference, color="black", linewidth=0.8, linestyle=":")
        figures.thousands(ax)
    fig.suptitle(f"{title}\nlines: median, bands: 5-95% range over replications", fontsize=12)
    legend_at_bottom(fig, handles, names)
    fig.supylabel(ylabel)
    times = np.concatenate([ds.time.values for ds in datasets])
    figures.set_year_ticks(axes[0], times)
    return fig


def difference_figure(base, others, spec):
    """Each file minus the baseline over time, per city: mean and 95% interval."""
    stem, title, ylabel, series, _, _ = spec
    cities = shared_cities([base, *others])
    fig, axes = figures.city_grid(base, False, cities=cities)
    names = labels([base, *others])
    handles, legend = [], []
    for i, ds in enumerate(others, start=1):
        diff, paired = difference(base, ds, series)
        colour = COLOURS[i % len(COLOURS)]
        how = "paired" if paired else "unpaired, Welch"
        for ax, city in zip(axes, cities):
            figures.draw_interval(ax, diff.sel(city=city), colour, names[i])
        handles.append(axes[0].get_lines()[-1])
        legend.append(f"{names[i]} ({how})")
    for ax in axes:
        ax.axhline(0, color="black", linewidth=0.8, linestyle=":")
        figures.thousands(ax)
    fig.suptitle(f"{title}: difference from the baseline\nbaseline: {names[0]}\n"
                 "lines: mean difference, bands: 95% interval", fontsize=12)
    legend_at_bottom(fig, handles, legend)
    fig.supylabel(f"{ylabel},\nminus the baseline")
    times = np.concatenate([ds.time.values for ds in (base, *others)])
    figures.set_year_ticks(axes[0], times)
    return fig


def applies(datasets, spec):
    """False for the spending and resilience figures when no file has any."""
    stem, _, _, series, _, _ = spec
    if stem == "spending":
        return any(m.spending_series(ds) for ds in datasets)
    if stem == "resilience":
        return any(float(abs(m.plain(ds.resilience_index)).max()) > 0 for ds in datasets)
    return True


def overlay_plots(datasets, base=None):
    """{file name: function making the figure}: overlay_STEM.png for every series, and
    with a baseline difference_STEM.png (the baseline is datasets[0] then)."""
    out = {}
    for spec in SERIES:
        if not applies(datasets, spec):
            continue
        out[f"overlay_{spec[0]}.png"] = (lambda s: lambda: overlay_figure(datasets, s))(spec)
        if base is not None:
            out[f"difference_{spec[0]}.png"] = (lambda s: lambda: difference_figure(datasets[0], datasets[1:], s))(spec)
    return out
