#!/usr/bin/python3
"""Compare smesim scenarios in one self-contained HTML report.

Usage: report.py BASELINE.h5 VARIANT.h5 [VARIANT.h5 ...] -o report.html
                 [--over YYYY-MM:YYYY-MM | --at YYYY-MM]
       report.py SWEEP.h5 [VARIANT.h5 ...] --counterfactual BASELINE.h5 -o report.html
       report.py OPTIMISATION.h5 -o report.html   (a result of `smesim optimise`: its
                 conclusion, validation, allocation, convergence path)

A VARIANT may be a sweep file (`smesim sweep`): its section compares every design point
with BASELINE, the counterfactual (paired by replication when the files can be paired,
as every point keeps the base seed; otherwise a difference of means with a Welch
interval): a table of failures averted, job-years gained, jobs saved and public spending
per point with 95% intervals, each measure against each swept parameter, and for grids
heat maps of two parameters (smesim_analysis/sweeps.py).

Every VARIANT is compared with BASELINE replication by replication (the files must
come from the same seed, replications, cities and months, as for `smesim compare`).
The report holds, per variant: a headline table by city (failures averted, jobs saved,
job-years gained, public spending, jobs per USD 1 million, cost per job-year, with
95% paired intervals), the paired differences over time, breakdowns by sector and
size class (when both files have the sectors/ group), the scenario settings that
differ and every measure of `smesim compare`; then the provenance of every file.
Plots are embedded as PNG; the file needs no network. The numbers are those of
`smesim compare BASELINE VARIANT` (same measures, same window), computed by
scripts/smesim_analysis. The data behind the tables is embedded as JSON in the
element with id "smesim-report-data".

Exits with code 2 if a file is missing, not a complete smesim result file, or the
files cannot be paired.
"""


import argparse
import html
import json
import sys
from pathlib import Path

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
import smesim_analysis as sa
from smesim_analysis import measures as m
from smesim_analysis import optimise, report_sweeps
from smesim_analysis.report_html import CSS, title_of
from smesim_analysis.report_sections import (all_measures_section, breakdown_section, glance_section,
                                             headline_section, provenance_section, settings_section,
                                             summary_sentence, time_figures)


def open_files(paths):
    """The baseline (a plain run) and the variants (plain runs or sweeps), opened."""
    base = sa.open_result(paths[0])
    variants = [sa.open_sweep(p) if sa.is_sweep_file(p) else sa.open_result(p) for p in paths[1:]]
    return base, variants


def is_sweep(ds):
    return "point" in ds.dims


def build(paths, over=None, at=None, with_figures=True):
    """The report as HTML text, and the data embedded in it (a dict)."""
    base, variants = open_files(paths)
    runs = [base] + [v for v in variants if not is_sweep(v)]
    comparisons = {id(v): sa.compare(base, v, over=over, at=at) for v in variants if not is_sweep(v)}
    w = m.window(base, over, at)
    sectors = {}

    def sectors_of(ds):
        if ds.attrs["path"] not in sectors:
            sectors[ds.attrs["path"]] = sa.open_sectors(ds.attrs["path"], ds)
        return sectors[ds.attrs["path"]]

    nav = ['<li><a href="#summary">Summary</a></li>', '<li><a href="#glance">The scenarios at a glance</a></li>']
    parts, summary = [], []
    for i, variant in enumerate(variants, start=1):
        nav.append(f'<li><a href="#variant-{i}">{html.escape(title_of(variant))}</a></li>')
        if is_sweep(variant):
            parts.append(report_sweeps.sweep_section(i, base, variant, over, at, with_figures))
            summary.append(report_sweeps.summary_sentence(base, variant, over, at))
        else:
            c = comparisons[id(variant)]
            parts.append(variant_section(i, base, variant, c, w, sectors_of, with_figures))
            summary.append(summary_sentence(c, base, variant))
    nav.append('<li><a href="#provenance">Provenance</a></li>')
    data = report_data(base, variants, comparisons, runs, w, over, at)
    return page([base, *variants], runs, w, nav, "".join(summary), parts, data), data


def variant_section(i, base, variant, c, w, sectors_of, with_figures):
    """Section i: the comparison c of variant (B) with base (A), over window w."""
    vid = f"variant-{i}"
    return (
        f'<section id="{vid}"><h2>{i}. {html.escape(title_of(variant))} against '
        f"{html.escape(title_of(base))}</h2>"
        f'<p class="muted">A = <code>{html.escape(base.attrs["path"])}</code>, '
        f'B = <code>{html.escape(variant.attrs["path"])}</code>; {c.replications} replications, '
        f"flows over {c.first} to {c.last}, stocks at {c.last}.</p>"
        f'<h3 id="{vid}-headline">Headline by city</h3>'
        + headline_section(c)
        + '<p class="note">Each cell: the mean over replications of B &minus; A replication by '
          "replication (common random numbers) and, below it, its 95% paired interval; bold "
          "when the interval excludes 0. Failures averted = failures in A &minus; failures in B "
          "over the window; jobs saved = SME employment in B &minus; A at its end; job-years = "
          "employment summed over the window's months / 12; public spending = programme "
          "payments, in-kind assistance, wage subsidies and grants. Jobs per USD 1M and cost "
          "per job-year divide the job-years difference (and its interval) by the mean spending "
          "difference; cost per job-year has an interval only when the job-years interval "
          "excludes 0 (as <code>smesim compare</code>). Whole-city numbers (divided by the "
          "population scale).</p>"
        + (f'<h3 id="{vid}-time">Differences over time</h3>' + time_figures(base, variant, c)
           if with_figures else "")
        + f'<h3 id="{vid}-breakdown">By sector and size class</h3>'
        + breakdown_section(base, variant, w, sectors_of(base), sectors_of(variant), with_figures)
        + f'<h3 id="{vid}-settings">Scenario settings that differ</h3>' + settings_section(base, variant)
        + f'<h3 id="{vid}-all">All measures, as <code>smesim compare</code></h3>'
        + all_measures_section(c)
        + "</section>")


def report_data(base, variants, comparisons, runs, w, over, at):
    """The data behind the tables, as embedded in the page: window, comparisons (a sweep's
    per point), headlines of the plain runs."""
    return {
        "baseline": base.attrs["path"],
        "window": {"first": w.first_month, "last": w.last_month},
        "comparisons": [report_sweeps.sweep_data(base, v, over, at) if is_sweep(v) else
                        {"variant": v.attrs["path"], "compare": comparisons[id(v)].as_dict()} for v in variants],
        "headline": {d.attrs["path"]: [{k: (v.as_dict() if isinstance(v, sa.Estimate) else v)
                                        for k, v in row.items()} for row in sa.headline(d)]
                     for d in runs},
    }


def page(datasets, runs, w, nav, summary, parts, data):
    """The whole HTML document around the sections (runs: the files that are not sweeps)."""
    base = datasets[0]
    embedded = json.dumps(data).replace("</", "<\\/")
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>smesim report: {html.escape(', '.join(title_of(v) for v in datasets[1:]))}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Scenario comparison</h1>
<p class="muted">smesim results, {len(datasets) - 1} scenario{'s' if len(datasets) > 2 else ''} against
the baseline <strong>{html.escape(title_of(base))}</strong> (<code>{html.escape(base.attrs['path'])}</code>);
flows over {w.first_month} to {w.last_month}, stocks at {w.last_month}.</p>
</header>
<nav><ol>{''.join(nav)}</ol></nav>
<section id="summary"><h2>Summary</h2><ul>{summary}</ul>
<p class="note">B &minus; A replication by replication: both files ran from the same seed, so each
replication of B faces the same firms and random draws as the same replication of A (common random
numbers), and the paired interval is much narrower than comparing the two ensembles' means.</p>
</section>
<section id="glance"><h2>The scenarios at a glance</h2>
<p>All cities together over each file's whole period, as <code>smesim inspect</code> reports them: mean
over replications and its 95% interval.</p>
{glance_section(runs)}
<p class="note">Survival: SMEs active at month 0 still active at the end. Job creation and destruction:
annual gross rates (Davis-Haltiwanger), mean over the year ends.</p>
</section>
{''.join(parts)}
<section id="provenance"><h2>Provenance</h2>
{provenance_section(datasets)}
</section>
<script type="application/json" id="smesim-report-data">{embedded}</script>
</body>
</html>
"""
    return doc


def write_optimisation(path, output):
    """The page of a `smesim optimise` result (report.py RESULT.h5 -o page.html)."""
    try:
        ds, val = optimise.open_optimisation(path)
    except sa.ResultFileError as e:
        fail(str(e))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(optimise.report_page(ds, val, path, CSS), encoding="utf-8")
    except OSError as e:
        fail(f"{output}: cannot write the report: {e.strerror}")
    print(output)
    return 0


def fail(message):
    print(f"report.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE",
                        help="the baseline result file (A, e.g. the counterfactual), then the scenario result "
                             "files (B) or sweep files to compare with it")
    parser.add_argument("--counterfactual", type=Path, metavar="CF.h5",
                        help="the baseline, named: every FILE is then a variant (report.py SWEEP.h5 "
                             "--counterfactual CF.h5 is report.py CF.h5 SWEEP.h5)")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"),
                        help="HTML file to write (default: report.html)")
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--over", help="window YYYY-MM:YYYY-MM for flows; stocks at its end")
    window.add_argument("--at", help="month YYYY-MM for stocks (flows from the first month)")
    args = parser.parse_args(argv)
    if len(args.files) == 1 and not args.counterfactual and optimise.is_optimisation_file(args.files[0]):
        return write_optimisation(args.files[0], args.output)
    paths = [args.counterfactual, *args.files] if args.counterfactual else args.files
    if len(paths) < 2:
        fail("give the baseline and at least one file to compare with it (or --counterfactual CF.h5)")
    try:
        doc, _ = build(paths, over=args.over, at=args.at)
    except (sa.ResultFileError, sa.ComparisonError) as e:
        fail(str(e))
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(doc, encoding="utf-8")
    except OSError as e:
        fail(f"{args.output}: cannot write the report: {e.strerror}")
    print(args.output)


if __name__ == "__main__":
    main()
