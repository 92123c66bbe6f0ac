#!/usr/bin/python3
"""Plot an smesim result file as per-city small multiples.

Usage: plot.py FILE.h5 -o DIR

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

The measures come from scripts/smesim_analysis (shared with scripts/report.py).
Exits with code 2 if FILE is missing, is not a complete smesim result file, or DIR
cannot be created.
"""

import argparse
import sys
from pathlib import Path

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
import smesim_analysis as sa
from smesim_analysis import figures


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="smesim result file (.h5)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."),
                        help="directory for the PNG files (created if needed; default: .)")
    args = parser.parse_args(argv)
    try:
        ds = sa.open_result(args.file)
    except sa.ResultFileError as e:
        fail(str(e))
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"{args.output_dir}: cannot create output directory: {e.strerror}")
    for name, make in plots(args.file, ds).items():
        path = args.output_dir / name
        figures.save(make(ds), path)
        print(path)


if __name__ == "__main__":
    main()
