#!/usr/bin/python3
"""Plot an smesim result file as per-city small multiples.

Usage: plot.py FILE.h5 -o DIR

Writes one PNG per measure to DIR, each with one panel per city. In every panel the
line is the median over the Monte Carlo replications and the shaded band the 5-95%
range:

  firms_active.png      SMEs active
  cohort_survival.png   survival of the SMEs active at month 0, in %
  employment_index.png  SME employment, month 0 = 100
  job_flows.png         monthly gross job creation and destruction
  demand.png            demand index (sectors weighted equally) with lockdown
                        stringency shaded on a second axis

Exits with code 2 if FILE is missing, is not a complete smesim result file, or DIR
cannot be created.
"""

import argparse
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import h5py  # noqa: E402
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.ticker import FixedLocator  # noqa: E402

DPI = 120
NCOLS = 4  # panels per row
BAND = (0.05, 0.5, 0.95)
BLUE, RED, GREY = "tab:blue", "tab:red", "0.55"


def fail(message):
    """Print an error to stderr and exit with code 2."""
    print(f"plot.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def text_attr(attrs, name):
    """A string attribute read with h5py (bytes or str), or None if absent."""
    value = attrs.get(name)
    return value.decode() if isinstance(value, bytes) else value


def check_result_file(path):
    """Exit with code 2 unless path is a complete smesim result file."""
    if not path.exists():
        fail(f"{path}: no such file")
    if not path.is_file() or not h5py.is_hdf5(path):
        fail(f"{path}: not an HDF5 file, so not an smesim result file")
    with h5py.File(path, "r") as f:
        version = text_attr(f.attrs, "smesim_version")
        status = text_attr(f.attrs, "status")
    if version is None:
        fail(f"{path}: not an smesim result file (no 'smesim_version' attribute)")
    if status != "complete":
        fail(f"{path}: result file status is '{status}', not 'complete' "
             "(the run was interrupted or failed)")


def load(path):
    """The root group of a checked result file, read into memory."""
    check_result_file(path)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def city_grid(ds, sharey):
    """A figure with one panel per city (NCOLS per row) and the list of its axes."""
    n = ds.sizes["city"]
    ncols = min(NCOLS, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, sharex=True, sharey=sharey, squeeze=False,
                             figsize=(3.6 * ncols, 2.9 * nrows + 1.2), layout="constrained")
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax, city in zip(axes, ds["city"].values):
        ax.set_title(str(city))
        ax.grid(alpha=0.3)
    return fig, list(axes[:n])


def draw_band(ax, da, colour, label):
    """Median line and 5-95% band over replications of da (replication, time)."""
    q = da.quantile(BAND, dim="replication")
    time = da["time"].values
    ax.fill_between(time, q[0], q[2], color=colour, alpha=0.25, linewidth=0,
                    label=f"{label}, 5-95% range")
    ax.plot(time, q[1], color=colour, linewidth=1.6, label=f"{label}, median")


def set_year_ticks(ax, time):
    """Major ticks labelled with the year on 1 January, minor ticks every quarter.

    Fixed tick positions: matplotlib's date locators work but are slow to lay out."""
    years = np.arange(time.min().astype("datetime64[Y]"),
                      time.max().astype("datetime64[Y]") + np.timedelta64(2, "Y"))
    quarters = np.arange(years[0].astype("datetime64[M]"),
                         years[-1].astype("datetime64[M]"), np.timedelta64(3, "M"))
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(years.astype("datetime64[D]"))))
    ax.xaxis.set_minor_locator(FixedLocator(mdates.date2num(quarters.astype("datetime64[D]"))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    margin = np.timedelta64(20, "D")
    ax.set_xlim(time.min() - margin, time.max() + margin)


def plot_grid(ds, series, measure, ylabel, sharey=False, reference=None):
    """City grid of (DataArray, colour, label) series, titled and labelled.

    reference: y value of a dotted horizontal line (e.g. the baseline)."""
    fig, axes = city_grid(ds, sharey)
    for ax, city in zip(axes, ds["city"].values):
        for da, colour, label in series:
            draw_band(ax, da.sel(city=city), colour, label)
        if reference is not None:
            ax.axhline(reference, color="black", linewidth=0.8, linestyle=":")
    fig.suptitle(f"{measure}\n{ds.attrs.get('title', '')}\nmedian and 5-95% range "
                 f"over {ds.sizes['replication']} replications", fontsize=11)
    fig.supxlabel("Year")
    fig.supylabel(ylabel)
    set_year_ticks(axes[0], ds["time"].values)  # the x axis is shared
    return fig, axes


def add_legend(ax, *more_axes, loc="best"):
    """A legend in ax for the artists of ax and of more_axes (e.g. its twin)."""
    handles, labels = ax.get_legend_handles_labels()
    for other in more_axes:
        more_handles, more_labels = other.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    ax.legend(handles, labels, loc=loc, fontsize=7, framealpha=0.85)


def firms_active(ds):
    series = [(ds.firms_active / 1e3, BLUE, "SMEs active")]
    fig, axes = plot_grid(ds, series, "SMEs active", "SMEs active at month end (thousands)")
    add_legend(axes[0])
    return fig


def cohort_survival(ds):
    survival = 100 * ds.initial_cohort_alive / ds.firms_baseline
    series = [(survival, BLUE, "Month-0 SMEs still active")]
    fig, axes = plot_grid(ds, series, "Survival of the SMEs active at month 0",
                          "SMEs of month 0 still active (%)", sharey=True)
    add_legend(axes[0])
    return fig


def employment_index(ds):
    index = 100 * ds.employment / ds.employment_baseline
    series = [(index, BLUE, "Employment index")]
    fig, axes = plot_grid(ds, series, "SME employment index",
                          "SME employment (month 0 = 100)", sharey=True, reference=100)
    add_legend(axes[0])
    return fig


def job_flows(ds):
    series = [(ds.jobs_created / 1e3, BLUE, "Jobs created"),
              (ds.jobs_destroyed / 1e3, RED, "Jobs destroyed")]
    fig, axes = plot_grid(ds, series, "Monthly gross job creation and destruction in SMEs",
                          "Jobs per month (thousands)")
    add_legend(axes[0])
    return fig


def demand(ds):
    """Demand index (mean over sectors) with stringency shaded on a twin axis."""
    series = [(ds.demand_index.mean("sector"), BLUE, "Demand index")]
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


PLOTS = {
    "firms_active.png": firms_active,
    "cohort_survival.png": cohort_survival,
    "employment_index.png": employment_index,
    "job_flows.png": job_flows,
    "demand.png": demand,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="smesim result file (.h5)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."),
                        help="directory for the PNG files (created if needed; default: .)")
    args = parser.parse_args(argv)
    ds = load(args.file)
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{args.output_dir}: cannot create output directory: {e.strerror}")
    for name, make in PLOTS.items():
        fig = make(ds)
        path = args.output_dir / name
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
        print(path)


if __name__ == "__main__":
    main()
