#!/usr/bin/python3
"""Plot smesim result files as per-city small multiples: one file, or several overlaid.

Usage: plot.py FILE.h5 -o DIR
       plot.py A.h5 B.h5 [C.h5 ...] [--baseline A.h5] -o DIR

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

The measures come from scripts/smesim_analysis (shared with scripts/report.py).
Exits with code 2 if a FILE is missing or is not a complete smesim result file, if
--baseline leaves nothing to compare, or if DIR cannot be created.
"""

import argparse
import sys
from pathlib import Path

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
import smesim_analysis as sa
from smesim_analysis import figures, overlays


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="smesim result file(s) (.h5)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."),
                        help="directory for the PNG files (created if needed; default: .)")
    parser.add_argument("--baseline", type=Path, metavar="A.h5",
                        help="with several files: also plot every file minus this one over time")
    args = parser.parse_args(argv)
    paths = files_in_order(args.files, args.baseline)
    datasets = open_all(paths)
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{args.output_dir}: cannot create output directory: {e.strerror}")
    if len(datasets) == 1:
        makers = {name: (lambda f: lambda: f(datasets[0]))(make) for name, make in plots(paths[0], datasets[0]).items()}
    else:
        makers = overlays.overlay_plots(datasets, base=datasets[0] if args.baseline else None)
    for name, make in makers.items():
        path = args.output_dir / name
        figures.save(make(), path)
        print(path)


if __name__ == "__main__":
    main()
