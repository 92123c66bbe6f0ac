"""Figures of smesim result files: per-city small multiples (scripts/plot.py) and the
comparison figures of scripts/report.py. Every function returns a matplotlib Figure;
the caller saves and closes it. Measures come from measures.py."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator  # noqa: E402

from . import measures as m  # noqa: E402

DPI = 120
LEGEND_SIZE = 9  # points: legible where the report shows a figure at a laptop's width
NCOLS = 4  # panels per row
BAND = (0.05, 0.5, 0.95)
BLUE, RED, GREY, GREEN, ORANGE, PURPLE = ("tab:blue", "tab:red", "0.55", "tab:green",
                                          "tab:orange", "tab:purple")
# Colours of the spending instruments, in the order the file lists them (its
# spending_variables attribute); the names and labels come from the file.
SPENDING_PALETTE = (BLUE, PURPLE, ORANGE, GREEN, "tab:brown", "tab:pink", "tab:olive", "tab:cyan")


def thousands(ax, axis="y"):
    """Tick labels with thousands separators."""
    fmt = FuncFormatter(lambda x, _: f"{x:,.0f}" if abs(x) >= 10 or x == 0 else f"{x:,.2g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def city_grid(ds, sharey, cities=None, ncols=NCOLS, panel=(3.6, 2.9)):
    """A figure with one panel per city (ncols per row) and the list of its axes."""
    cities = list(ds["city"].values) if cities is None else list(cities)
    n = len(cities)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, sharex=True, sharey=sharey, squeeze=False,
                             figsize=(panel[0] * ncols, panel[1] * nrows + 1.3), layout="constrained")
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax, city in zip(axes, cities):
        ax.set_title(str(city))
        ax.grid(alpha=0.3)
    return fig, list(axes[:n])


def draw_band(ax, da, colour, label):
    """Median line and 5-95% band over replications of da (replication, time)."""
    q = da.quantile(BAND, dim="replication", skipna=False)  # NaN where undefined
    time = da["time"].values
    ax.fill_between(time, q[0], q[2], color=colour, alpha=0.25, linewidth=0,
                    label=f"{label}, 5-95% range")
    ax.plot(time, q[1], color=colour, linewidth=1.6, label=f"{label}, median")


def draw_interval(ax, diff, colour, label):
    """Mean line and 95% interval band of a paired difference (Dataset mean, lo, hi over time)."""
    time = diff["time"].values
    ax.fill_between(time, diff["lo"], diff["hi"], color=colour, alpha=0.25, linewidth=0,
                    label="95% paired interval")
    ax.plot(time, diff["mean"], color=colour, linewidth=1.6, label=label)


def set_year_ticks(ax, time, start=None):
    """Ticks labelled with the year on 1 January, and a grid line there.

    Fixed tick positions: matplotlib's date locators work but are slow to lay out (and
    quarterly minor ticks would cost a quarter of the drawing time)."""
    start = time.min() if start is None else start
    years = np.arange(start.astype("datetime64[Y]"),
                      time.max().astype("datetime64[Y]") + np.timedelta64(2, "Y"))
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(years.astype("datetime64[D]"))))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    margin = np.timedelta64(20, "D")
    ax.set_xlim(start - margin, time.max() + margin)


def replications_note(ds):
    return f"median and 5-95% range over {ds.sizes['replication']} replications"


def finish(fig, axes, ds, title, ylabel, note=None, xstart=None):
    fig.suptitle(f"{title}\n{ds.attrs.get('title', '')}\n{note or replications_note(ds)}", fontsize=11)
    fig.supxlabel("Year")
    fig.supylabel(ylabel)
    set_year_ticks(axes[0], ds["time"].values, xstart)  # the x axis is shared


def plot_grid(ds, series, measure, ylabel, sharey=False, reference=None):
    """City grid of (DataArray, colour, label) series, titled and labelled.

    reference: y value of a dotted horizontal line (e.g. the baseline)."""
    fig, axes = city_grid(ds, sharey)
    for ax, city in zip(axes, ds["city"].values):
        for da, colour, label in series:
            draw_band(ax, da.sel(city=city), colour, label)
        if reference is not None:
            ax.axhline(reference, color="black", linewidth=0.8, linestyle=":")
        thousands(ax)
    finish(fig, axes, ds, measure, ylabel)
    return fig, axes


def add_legend(ax, *more_axes, loc="best"):
    """A legend in ax for the artists of ax and of more_axes (e.g. its twin)."""
    handles, labels = ax.get_legend_handles_labels()
    for other in more_axes:
        more_handles, more_labels = other.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    ax.legend(handles, labels, loc=loc, fontsize=LEGEND_SIZE, framealpha=0.85)


# --- plot.py: one result file -----------------------------------------------------------

def firms_active(ds):
    series = [(m.plain(ds.firms_active) / 1e3, BLUE, "SMEs active")]
    fig, axes = plot_grid(ds, series, "SMEs active", "SMEs active at month end (thousands)")
    add_legend(axes[0])
    return fig


def cohort_survival(ds):
    series = [(m.cohort_survival_series(ds), BLUE, "Month-0 SMEs still active")]
    fig, axes = plot_grid(ds, series, "Survival of the SMEs active at month 0",
                          "SMEs of month 0 still active (%)", sharey=True)
    add_legend(axes[0])
    return fig


def employment_index(ds):
    series = [(m.employment_index_series(ds), BLUE, "Employment index")]
    fig, axes = plot_grid(ds, series, "SME employment index",
                          "SME employment (month 0 = 100)", sharey=True, reference=100)
    add_legend(axes[0])
    return fig


def job_flows(ds):
    series = [(m.plain(ds.jobs_created) / 1e3, BLUE, "Jobs created"),
              (m.plain(ds.jobs_destroyed) / 1e3, RED, "Jobs destroyed")]
    fig, axes = plot_grid(ds, series, "Monthly gross job creation and destruction in SMEs",
                          "Jobs per month (thousands)")
    add_legend(axes[0])
    return fig


def demand(ds):
    """Demand index (mean over sectors) with stringency shaded on a twin axis."""
    series = [(m.plain(ds.demand_index).mean("sector"), BLUE, "Demand index")]
    fig, axes = plot_grid(ds, series, "Demand index and lockdown stringency",
                          "Demand index, mean of sectors weighted equally (1 = baseline)",
                          sharey=True, reference=1)
    twins = []
    for i, (ax, city) in enumerate(zip(axes, ds["city"].values)):
        twin = ax.twinx()
        twin.fill_between(ds["time"].values, 0, ds.stringency.sel(city=city), color=GREY,
                          alpha=0.35, linewidth=0, label="Lockdown stringency (right axis)")
        twin.set_ylim(0, 1.05)
        if (i + 1) % NCOLS == 0 or i + 1 == len(axes):  # last panel of a row
            twin.set_ylabel("Stringency (0 = none, 1 = full)")
        else:
            twin.tick_params(right=False, labelright=False)
        ax.set_zorder(twin.get_zorder() + 1)  # demand line above the grey area
        ax.patch.set_visible(False)
        twins.append(twin)
    add_legend(axes[0], twins[0], loc="lower right")
    return fig


def resilience(ds):
    series = [(m.plain(ds.resilience_index), GREEN, "Resilience index")]
    fig, axes = plot_grid(ds, series, "City resilience index",
                          "Resilience index R (0 = none, 1 = full)", sharey=True)
    programme = set(m.programme_cities(ds))
    for ax, city in zip(axes, ds["city"].values):
        if float(abs(ds.resilience_index.sel(city=city)).max()) == 0:
            note = "R = 0 throughout" + ("" if city in programme else "\n(no programme)")
            ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", color=GREY)
    add_legend(axes[0], loc="upper left")  # programme gains come after the first year
    return fig


def has_programme(ds):
    """True if any programme contract was awarded in the file."""
    return "programme_awards" in ds and float(ds.programme_awards.sum()) > 0


FUNNEL_ROWS = [
    # (variables, labels, colours, divisor, y label)
    (["bids"], ["Bids received"], [BLUE], 1, "Bids\n(cumulative)"),
    (["awards"], ["Contracts awarded"], [BLUE], 1, "Contracts awarded\n(cumulative)"),
    (["value_awarded_usd", "value_paid_usd"], ["Value awarded", "Value paid"], [GREY, BLUE], 1e6,
     "Contract value\n(cumulative, USD million)"),
    (["contractors_alive"], ["Contractors alive"], [GREEN], 1, "Contractors alive\n(SMEs, to the end\nof delivery)"),
    (["contract_staff"], ["Contract staff (estimate)"], [ORANGE], 1,
     "Jobs at contractors:\ncontract staff (workers)"),
]


def programme_funnel(ds, contracts):
    """The funnel per programme city (columns) by stage (rows), from the first call."""
    cities = [c for c in m.programme_cities(ds)]
    f = m.funnel(ds, contracts)
    ncols = len(cities)
    # Bids scale with the city's SMEs: own y axis per panel. The later stages share the
    # y axis along a row (every programme city has its own budget).
    fig, axes = plt.subplots(len(FUNNEL_ROWS), ncols, sharex=True, squeeze=False,
                             figsize=(max(2.7 * ncols, 7.5), 2.2 * len(FUNNEL_ROWS) + 1.5),
                             layout="constrained")
    for row, (names, labels, colours, divisor, ylabel) in enumerate(FUNNEL_ROWS):
        for col, city in enumerate(cities):
            ax = axes[row, col]
            ax.grid(alpha=0.3)
            for name, label, colour in zip(names, labels, colours):
                draw_band(ax, f[name].sel(city=city) / divisor, colour, label)
            thousands(ax)
            if row == 0:
                ax.set_title(city)
            if col == 0:
                ax.set_ylabel(ylabel, fontsize=9)
        if row > 0:
            top = max(ax.get_ylim()[1] for ax in axes[row])
            for ax in axes[row]:
                ax.set_ylim(axes[row, 0].get_ylim()[0], top)
            for ax in axes[row, 1:]:
                ax.tick_params(labelleft=False)
        if len(names) > 1:  # the y label names single series; a legend for the others
            lines = [line for line in axes[row, -1].get_lines() if "median" in line.get_label()]
            axes[row, -1].legend(lines, [line.get_label().replace(", median", "") for line in lines],
                                 loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=LEGEND_SIZE)
    awarded = m.plain(ds.programme_awards).sum(["replication", "city"])
    first = ds.time.values[np.flatnonzero(awarded.values > 0)[0]]
    start = (first.astype("datetime64[M]") - np.timedelta64(6, "M")).astype("datetime64[ns]")
    fig.suptitle("Programme funnel: bids, awards, value, contractors and their contract staff\n"
                 f"{ds.attrs.get('title', '')}\nlines: median, bands: 5-95% range over "
                 f"{ds.sizes['replication']} replications; whole-city numbers",
                 fontsize=11)
    fig.supxlabel("Year")
    set_year_ticks(axes[0, 0], ds.time.values, start)
    return fig


def has_spending(ds):
    return bool(m.spending_series(ds))


def policy_spending(ds):
    """Cumulative public spending by instrument per city (the `spending` of compare)."""
    colour = dict(zip(m.spending_variables(ds), SPENDING_PALETTE))
    series = [(da / 1e6, colour.get(name, GREY), m.spending_label(ds, name))
              for name, da in m.spending_series(ds).items()]
    fig, axes = plot_grid(ds, series, "Public spending on SMEs by instrument (cumulative)",
                          "Cumulative spending (USD million)")
    for ax, city in zip(axes, ds["city"].values):
        if all(float(abs(da.sel(city=city)).max()) == 0 for da, _, _ in series):
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, "no spending", transform=ax.transAxes, ha="center", va="center",
                    color=GREY)
        else:
            ax.set_ylim(bottom=0)
    lines = [line for line in axes[0].get_lines() if line.get_label().endswith(", median")]
    axes[0].legend(lines, [line.get_label()[:-len(", median")] for line in lines], loc="best",
                   fontsize=LEGEND_SIZE, framealpha=0.85)  # the title explains lines and bands
    return fig


# --- report.py: comparisons ---------------------------------------------------------------

def paired_figure(diff, ds, title, ylabel, baseline_title, variant_title, colour=BLUE, ncols=2):
    """Per-city panels of a paired difference over time (Dataset mean, lo, hi)."""
    fig, axes = city_grid(ds, sharey=False, cities=diff.city.values, ncols=ncols, panel=(4.2, 2.6))
    for ax, city in zip(axes, diff.city.values):
        d = diff.sel(city=city)
        draw_interval(ax, d, colour, "Mean difference")
        ax.axhline(0, color="black", linewidth=0.8, linestyle=":")
        thousands(ax)
        if all(float(abs(d[v]).max()) == 0 for v in ("mean", "lo", "hi")):
            ax.set_yticks([0])
            ax.text(0.5, 0.75, "no difference:\nthe same in A and B", transform=ax.transAxes,
                    ha="center", va="center", color=GREY)
    add_legend(axes[0], loc="upper left")
    fig.suptitle(f"{title}\nB: {variant_title}\nA: {baseline_title}\n"
                 f"mean and 95% paired interval over {ds.sizes['replication']} replications",
                 fontsize=10)
    fig.supxlabel("Year")
    fig.supylabel(ylabel)
    set_year_ticks(axes[0], diff["time"].values)
    return fig


def breakdown_figure(by_sector, by_size, title):
    """Failures averted and jobs saved by sector and by size class (all cities), with
    95% paired intervals as error bars."""
    fig, axes = plt.subplots(2, 2, figsize=(9, 7.5), layout="constrained",
                             gridspec_kw={"height_ratios": [max(len(by_sector), 1), max(len(by_size), 1) + 1]})
    for row, (table, what) in enumerate(((by_sector, "sector"), (by_size, "size class"))):
        labels = [str(i).replace("_", " ") for i in table.index]
        y = np.arange(len(labels))
        for col, (measure, name, colour, sign) in enumerate(
                (("failures", "Failures averted (firms)", RED, -1),
                 ("employment", "Jobs saved at the end (workers)", BLUE, 1))):
            est = [e.negated() if sign < 0 else e for e in table[(measure, "paired")]]
            mean = np.array([e.mean for e in est])
            err = np.array([[e.mean - e.lo for e in est], [e.hi - e.mean for e in est]])
            ax = axes[row, col]
            ax.barh(y, mean, xerr=err, color=colour, alpha=0.7, ecolor="black", capsize=3)
            ax.set_yticks(y, labels if col == 0 else [""] * len(labels))
            ax.invert_yaxis()
            ax.axvline(0, color="black", linewidth=0.8)
            ax.grid(axis="x", alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, symmetric=sign > 0))
            thousands(ax, "x")
            ax.set_title(f"{name}, by {what}", fontsize=10)
    fig.suptitle(title + "\nbars: mean, whiskers: 95% paired interval; all cities together", fontsize=10)
    return fig


def save(fig, path):
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
