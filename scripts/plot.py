#!/usr/bin/python3
"""Plot smesim result files as per-city small multiples: one file, or several overlaid.

Usage: plot.py FILE.h5 -o DIR
       plot.py A.h5 B.h5 [C.h5 ...] [--baseline A.h5] -o DIR
       plot.py SWEEP.h5 [--counterfactual CF.h5] [--metric NAME ...] [--city NAME] -o DIR
       plot.py OPTIMISATION.h5 -o DIR   (a result of `smesim optimise`: convergence.png,
                                         validation.png, allocation.png)

Writes one PNG per measure to DIR, each with one panel per city. In every panel the
line is the median over the Monte Carlo replications and the shaded band the 5-95%
range (a 90% band):

  firms_active.png      SMEs active
  cohort_survival.png   survival of the SMEs active at month 0, in %
  employment_index.png  SME employment, month 0 = 100
  job_flows.png         monthly gross job creation and destruction
  demand.png            demand index (sectors weighted equally) with lockdown
                        stringency shaded on a second axis
  resilience.png        city resilience index
  programme_funnel.png  when contracts were awarded: per programme city, cumulative
                        bids, awards, value awarded and paid, contractors alive and
                        contract staff (from the contracts table; see docs/ANALYSIS.md)
  policy_spending.png   when anything was spent: cumulative public spending by
                        instrument (programme payments and in-kind assistance, wage
                        subsidies, grants)

With several files, each figure overlays them on shared axes, one colour per file,
labelled by its scenario title (median and 5-95% band over its replications):

  overlay_firms_active.png, overlay_cohort_survival.png, overlay_employment_index.png,
  overlay_employment.png, overlay_failures.png (cumulative failures), and, when any file
  has them, overlay_spending.png (cumulative public spending) and overlay_resilience.png

With --baseline A.h5 (one of the files, or added as the first), difference_NAME.png
shows for the same measures every other file minus A over time, per city: the mean
difference with its 95% interval, replication by replication (paired) when the two
files can be paired (same seed, replications, start, scale, cities and months, as for
`smesim compare`), else the difference of the means with a Welch interval (unpaired);
the legend says which.

A sweep file (`smesim sweep`) gives, per --metric (a measure of smesim_analysis; by
default failures and job_years), for all cities or --city:

  sweep_METRIC.png          the measure against each swept parameter: every design point's
                            mean and 95% interval over replications (on a grid, with the
                            mean over the other parameters as a line)
  sweep_METRIC_heatmap.png  grids of two or more parameters: a heat map per pair of
                            parameters (two parameters: each cell with its interval)

With --counterfactual CF.h5 (a plain run, e.g. the base scenario without the programme,
with the sweep's seed and replications) each point is compared with CF: paired by
replication when pairable, else unpaired (Welch); failures become failures averted (CF
minus the point), every other measure the point minus CF.

The measures come from scripts/smesim_analysis (shared with scripts/report.py).
Exits with code 2 if a FILE is missing or is not a complete smesim result file, if
--baseline leaves nothing to compare, if a sweep is given with other files or
--counterfactual without a sweep, or if DIR cannot be created.
"""

import argparse
import sys
from pathlib import Path

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
import smesim_analysis as sa
from smesim_analysis import figures, optimise, overlays, sweeps


def fail(message):
    """Print an error to stderr and exit with code 2."""
    print(f"plot.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def plots(path, ds):
    """{file name: function making the figure} for the figures that apply to ds."""
    out = {
        "firms_active.png": figures.firms_active,
        "cohort_survival.png": figures.cohort_survival,
        "employment_index.png": figures.employment_index,
        "job_flows.png": figures.job_flows,
        "demand.png": figures.demand,
        "resilience.png": figures.resilience,
    }
    if figures.has_programme(ds):
        contracts = sa.open_contracts(path, ds)
        out["programme_funnel.png"] = lambda d: figures.programme_funnel(d, contracts)
    if figures.has_spending(ds):
        out["policy_spending.png"] = figures.policy_spending
    return out


def files_in_order(files, baseline):
    """The files to plot, the baseline first when there is one (added if not listed)."""
    files = list(dict.fromkeys(files))
    if baseline is None:
        return files
    rest = [f for f in files if f.resolve() != baseline.resolve()]
    if not rest:
        fail(f"--baseline {baseline}: no other file to compare with it")
    return [baseline, *rest]


def open_all(paths):
    try:
        return [sa.open_result(p) for p in paths]
    except sa.ResultFileError as e:
        fail(str(e))


def sweep_makers(args):
    """The figures of a sweep file (args.files holds exactly one)."""
    if len(args.files) > 1 or args.baseline:
        fail("a sweep file is plotted alone (with --counterfactual CF.h5 for a counterfactual)")
    try:
        ds = sa.open_sweep(args.files[0])
        cf = sa.open_result(args.counterfactual) if args.counterfactual else None
    except sa.ResultFileError as e:
        fail(str(e))
    cities = [str(c) for c in sa.with_all_cities(ds.firms_active).city.values]
    if args.city not in cities:
        fail(f"--city {args.city}: not a city of {args.files[0]} (one of: {', '.join(cities)})")
    if cf is not None and [str(c) for c in cf.city.values] != cities[:-1]:
        fail(f"{args.counterfactual} and {args.files[0]} have different cities")
    return sweeps.sweep_plots(ds, args.metric or ["failures", "job_years"], args.city, cf)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="smesim result file(s) (.h5)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."),
                        help="directory for the PNG files (created if needed; default: .)")
    parser.add_argument("--baseline", type=Path, metavar="A.h5",
                        help="with several files: also plot every file minus this one over time")
    parser.add_argument("--counterfactual", type=Path, metavar="CF.h5",
                        help="with a sweep: compare every design point with this run")
    parser.add_argument("--metric", action="append", choices=sorted(sa.MEASURES),
                        help="with a sweep: measure to plot (repeatable; default failures and job_years)")
    parser.add_argument("--city", default=sa.ALL_CITIES, help="with a sweep: the city (default: all cities)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    if len(args.files) == 1 and optimise.is_optimisation_file(args.files[0]):
        try:
            makers = optimise.figures(*optimise.open_optimisation(args.files[0]))
        except sa.ResultFileError as e:
            fail(str(e))
    elif any(sa.is_sweep_file(f) for f in args.files):
        makers = sweep_makers(args)
    elif args.counterfactual or args.metric or args.city != sa.ALL_CITIES:
        fail("--counterfactual, --metric and --city apply to a sweep file")
    else:
        paths = files_in_order(args.files, args.baseline)
        datasets = open_all(paths)
        if len(datasets) == 1:
            makers = {name: (lambda f: lambda: f(datasets[0]))(make)
                      for name, make in plots(paths[0], datasets[0]).items()}
        else:
            makers = overlays.overlay_plots(datasets, base=datasets[0] if args.baseline else None)
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{args.output_dir}: cannot create output directory: {e.strerror}")
    for name, make in makers.items():
        path = args.output_dir / name
        figures.save(make(), path)
        print(path)


if __name__ == "__main__":
    main()
