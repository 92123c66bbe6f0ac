"""The section of scripts/report.py for a sweep file given as a variant: every design point
against the baseline (the counterfactual), as a table and as figures (sweeps.py)."""

import html
import math

from . import sweeps
from .files import ALL_CITIES
from .report_html import estimate_cell, figure_html, number, table, td, title_of
from .stats import Estimate

# (measure, column header); failures are shown as failures averted (baseline minus point)
COLUMNS = [("failures", "Failures averted<br><small>firms</small>"),
           ("job_years", "Job-years gained<br><small>job-years</small>"),
           ("employment", "Jobs saved at the end<br><small>workers</small>"),
           ("spending", "Public spending<br><small>USD, point &minus; A</small>")]


def point_tables(base, sweep, over=None, at=None):
    """{measure: DataFrame per point} against the baseline, all cities."""
    return {measure: sweeps.point_table(sweep, measure, ALL_CITIES, base, over, at) for measure, _ in COLUMNS}


def estimate(row):
    return Estimate(float(row["mean"]), float(row["lo"]), float(row["hi"]), 0)


def design_cell(value):
    return td(f"{value:g}" if isinstance(value, float) and math.isfinite(value) else value)


def points_table(tables):
    first = next(iter(tables.values()))
    params = [c for c in first.columns if c not in ("mean", "lo", "hi")]
    rows = []
    for point in first.index:
        cells = [td(point)] + [design_cell(float(first.loc[point, p])) for p in params]
        cells += [estimate_cell(estimate(tables[measure].loc[point]), True, 0) for measure, _ in COLUMNS]
        rows.append(cells)
    header = ["Point"] + [html.escape(p.replace("_", " ")) for p in params] + [label for _, label in COLUMNS]
    return table(header, rows)


def sweep_section(i, base, sweep, over=None, at=None, with_figures=True):
    """Section i of the report: the sweep against the baseline, point by point."""
    tables = point_tables(base, sweep, over, at)
    first = tables["failures"]
    paired = first.attrs["paired"]
    how = ("paired: every point keeps the base seed, so replication r of a point is compared with "
           "replication r of A" if paired else
           "unpaired (difference of the means, Welch interval): A cannot be paired with the sweep "
           "(another seed, number of replications, start, scale, cities or months)")
    vid = f"variant-{i}"
    figures_html = ""
    if with_figures:
        for measure in ("failures", "job_years"):
            table_ = tables[measure]
            fig = sweeps.parameter_figure(table_, title_of(sweep))
            figures_html += figure_html(fig, f"{measure} by swept parameter",
                                        f"{html.escape(table_.attrs['label'])} against each swept parameter.")
            if sweeps.is_grid(sweep) and len(sweeps.parameters(sweep)) >= 2:
                fig = sweeps.heatmap_figure(table_, title_of(sweep), centred=True)
                figures_html += figure_html(fig, f"{measure} heat map", f"{html.escape(table_.attrs['label'])}, "
                                            "over pairs of grid parameters.")
    return (f'<section id="{vid}"><h2>{i}. {html.escape(title_of(sweep))} (a sweep of {len(first)} points) '
            f"against {html.escape(title_of(base))}</h2>"
            f'<p class="muted">A = <code>{html.escape(base.attrs["path"])}</code>, sweep = '
            f'<code>{html.escape(sweep.attrs["path"])}</code> ({html.escape(str(sweep.attrs.get("sweep_design")))} '
            f'design over {", ".join(html.escape(p) for p in sweeps.parameters(sweep))}); '
            f"{sweep.sizes['replication']} replications per point; {how}.</p>"
            f'<h3 id="{vid}-points">Every design point against A, all cities</h3>'
            + points_table(tables)
            + '<p class="note">Each cell: the mean over replications of the point against A and, below '
              "it, its 95% interval; bold when the interval excludes 0. Failures averted = failures in A "
              "&minus; failures at the point; the other columns are the point &minus; A.</p>"
            + (f'<h3 id="{vid}-figures">By swept parameter</h3>' + figures_html if with_figures else "")
            + "</section>")


def sweep_data(base, sweep, over=None, at=None):
    """The numbers of the section, for the JSON embedded in the page."""
    out = {"variant": sweep.attrs["path"], "sweep": {}}
    for measure, t in point_tables(base, sweep, over, at).items():
        rows = [{k: plain(v) for k, v in row.items()} for row in t.reset_index().to_dict(orient="records")]
        out["sweep"][measure] = {"label": t.attrs["label"], "paired": t.attrs["paired"], "rows": rows}
    return out


def plain(value):
    """A JSON-ready number: Python int or float, None for NaN."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and not math.isfinite(value) else value


def summary_sentence(base, sweep, over=None, at=None):
    """One line of the summary: the range of failures averted over the points."""
    t = point_tables(base, sweep, over, at)["failures"]
    significant = int(((t["lo"] > 0) | (t["hi"] < 0)).sum())
    best = t["mean"].idxmax()
    design = ", ".join(f"{p} = {t.loc[best, p]:g}" for p in sweeps.parameters(sweep))
    return (f"<li><strong>{html.escape(title_of(sweep))}</strong> ({len(t)} design points) against "
            f"{html.escape(title_of(base))}, all cities: failures averted from {number(t['mean'].min(), 0)} to "
            f"{number(t['mean'].max(), 0)} (most at point {best}: {html.escape(design)}); the 95% interval "
            f"excludes 0 at {significant} of {len(t)} points.</li>")
