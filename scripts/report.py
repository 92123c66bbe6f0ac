#!/usr/bin/python3
"""Compare smesim scenarios in one self-contained HTML report.

Usage: report.py BASELINE.h5 VARIANT.h5 [VARIANT.h5 ...] -o report.html
                 [--over YYYY-MM:YYYY-MM | --at YYYY-MM]

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
import base64
import datetime
import difflib
import html
import io
import json
import math
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import h5py  # noqa: E402
import matplotlib  # noqa: E402
import numpy  # noqa: E402
import xarray  # noqa: E402

import smesim_analysis as sa  # noqa: E402
from smesim_analysis import figures  # noqa: E402
from smesim_analysis import measures as m  # noqa: E402

REPORT_DPI = 100

CSS = """
:root { --ink: #1d2327; --muted: #5a6470; --line: #d8dde3; --accent: #1f5f99; --bg-alt: #f4f6f8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; line-height: 1.5; }
h1 { font-size: 1.7rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
p, li { max-width: 48rem; }
.muted, figcaption, .note { color: var(--muted); font-size: .9rem; }
nav ol { padding-left: 1.2rem; columns: 2 16rem; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .55rem; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; }
tr.total td { border-top: 2px solid var(--ink); font-weight: 600; }
.ci { display: block; font-size: .78rem; color: var(--muted); white-space: nowrap; }
.sig { font-weight: 700; }
figure { margin: 1rem 0 1.5rem; }
img { max-width: 100%; height: auto; display: block; border: 1px solid var(--line); }
pre { background: var(--bg-alt); padding: .6rem; overflow-x: auto; font-size: .8rem; }
code { font-size: .88em; }
.add { color: #116329; } .del { color: #a40e26; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem;
          text-align: left; word-break: break-all; }
@media (max-width: 40rem) {
  body { padding: .5rem .6rem 2rem; }
  h1 { font-size: 1.35rem; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .35rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  .table-wrap { overflow: visible; }
  h2 { page-break-before: auto; page-break-after: avoid; }
  h3 { page-break-after: avoid; }
  figure, tr, pre { page-break-inside: avoid; }
  img { border: none; max-height: 24cm; width: auto; max-width: 100%; }
  a { color: inherit; text-decoration: none; }
}
"""


class ReportError(Exception):
    pass


# --- formatting -----------------------------------------------------------------------

def number(x):
    """As `smesim compare` prints numbers: no decimals from 100 up, else two; commas."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    text = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"
    return "0.00" if text == "-0.00" else text


def interval(e):
    return f"[{number(e.lo)}, {number(e.hi)}]"


def excludes_zero(e):
    return not (math.isnan(e.lo) or math.isnan(e.hi)) and (e.lo > 0 or e.hi < 0)


def estimate_cell(e, significance=True):
    """A table cell: the mean, and its 95% interval below it."""
    if e is None:
        return '<td>n/a<span class="ci">no spending difference</span></td>'
    cls = ' class="sig"' if significance and excludes_zero(e) else ""
    return f'<td><span{cls}>{number(e.mean)}</span><span class="ci">{interval(e)}</span></td>'


def table(header, rows, total_last=False, classes=None):
    """An HTML table in a horizontally scrolling wrapper; rows hold ready HTML cells."""
    head = "".join(f'<th class="{(classes or {}).get(i, "")}">{h}</th>' for i, h in enumerate(header))
    body = []
    for i, row in enumerate(rows):
        cls = ' class="total"' if total_last and i == len(rows) - 1 else ""
        body.append(f"<tr{cls}>{''.join(row)}</tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def td(text, cls=""):
    return f'<td class="{cls}">{html.escape(str(text))}</td>' if cls else f"<td>{html.escape(str(text))}</td>"


def figure_html(fig, alt, caption):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=REPORT_DPI)
    matplotlib.pyplot.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def title_of(ds):
    return ds.attrs.get("title") or Path(ds.attrs["path"]).name


def short_name(ds):
    return Path(ds.attrs["path"]).name


# --- sections -------------------------------------------------------------------------

def headline_rows(c):
    """Per city: failures averted, jobs saved, job-years, spending, ratios (Estimates)."""
    rows = []
    for city in dict.fromkeys(r.city for r in c.rows):
        get = c.get
        ratio = get("jobs_per_usd_million", city)
        cost = get("cost_per_job_year", city)
        rows.append({
            "city": city,
            "failures_averted": get("failures", city).paired.negated(),
            "jobs_saved": get("employment", city).paired,
            "job_years": get("job_years", city).paired,
            "spending": get("spending", city).paired,
            "jobs_per_usd_million": ratio.paired if ratio else None,
            "cost_per_job_year": cost.paired if cost else None,
        })
    return rows


HEADLINE_COLUMNS = [
    ("failures_averted", "Failures averted<br><small>firms</small>"),
    ("jobs_saved", "Jobs saved at the end<br><small>workers</small>"),
    ("job_years", "Job-years gained<br><small>job-years</small>"),
    ("spending", "Public spending<br><small>USD, B &minus; A</small>"),
    ("jobs_per_usd_million", "Jobs per USD 1M<br><small>job-years</small>"),
    ("cost_per_job_year", "Cost per job-year<br><small>USD</small>"),
]


def headline_section(c):
    rows = []
    for h in headline_rows(c):
        rows.append([td(h["city"])] + [estimate_cell(h[key], key != "cost_per_job_year")
                                       for key, _ in HEADLINE_COLUMNS])
    return table(["City"] + [label for _, label in HEADLINE_COLUMNS], rows, total_last=True)


def summary_sentence(c, baseline, variant):
    row = next(h for h in headline_rows(c) if h["city"] == sa.ALL_CITIES)

    def est(e, what):
        return (f"<strong>{number(e.mean)}</strong> {what} "
                f"<span class=\"muted\">(95% interval {number(e.lo)} to {number(e.hi)})</span>")
    parts = [est(row["failures_averted"], "failures averted"),
             est(row["jobs_saved"], "jobs saved at the end"),
             est(row["job_years"], "job-years gained")]
    text = "; ".join(parts)
    if row["cost_per_job_year"] is not None:
        cost = row["cost_per_job_year"]
        text += (f", for USD {number(row['spending'].mean)} more public spending: "
                 f"<strong>USD {number(cost.mean)}</strong> per job-year")
        if not math.isnan(cost.lo):
            text += f' <span class="muted">(95% interval {number(cost.lo)} to {number(cost.hi)})</span>'
        else:
            text += ' <span class="muted">(no interval: the job-years interval includes 0)</span>'
    else:
        text += "; no more public spending than the baseline, so no cost per job-year"
    return (f"<li><strong>{html.escape(title_of(variant))}</strong> against "
            f"{html.escape(title_of(baseline))}, all cities, {c.first} to {c.last}: {text}.</li>")


def glance_section(datasets):
    """All-cities headline of every file, as `smesim inspect` computes it."""
    rows = []
    for ds in datasets:
        h = next(r for r in sa.headline(ds) if r["city"] == sa.ALL_CITIES)
        cells = [td(short_name(ds)), td(title_of(ds), "text")]
        for key in ("firms_start", "firms_end", "failures"):
            cells.append(estimate_cell(h[key], False))
        for key in ("survival", "employment_change", "job_creation_rate", "job_destruction_rate"):
            e = h[key]
            cells.append(estimate_cell(sa.Estimate(100 * e.mean, 100 * e.lo, 100 * e.hi, e.n), False))
        rows.append(cells)
    header = ["File", "Scenario", "SMEs month 0", "SMEs end", "Failures", "Survival %",
              "Employment change %", "Job creation %/yr", "Job destruction %/yr"]
    return table(header, rows, classes={1: "text"})


def time_figures(a, b, c):
    """The paired differences over time, per city and all cities."""
    out = []
    ta, tb = title_of(a), title_of(b)
    fail_a, fail_b = (m.with_all_cities(d.firms_exited_illiquid).cumsum("time") for d in (a, b))
    specs = [
        (m.paired_series(fail_b, fail_a), "Failures averted so far: cumulative failures, A minus B",
         "Failures averted since month 0 (firms)", figures.RED),
        (m.paired_series(m.with_all_cities(a.firms_active), m.with_all_cities(b.firms_active)),
         "SMEs active, B minus A", "SMEs active, difference (firms)", figures.BLUE),
        (m.paired_series(m.with_all_cities(a.employment), m.with_all_cities(b.employment)),
         "Jobs saved: SME employment, B minus A", "Employment, difference (workers)", figures.BLUE),
        (m.paired_series(m.with_all_cities(a.employment).cumsum("time") / 12,
                         m.with_all_cities(b.employment).cumsum("time") / 12),
         "Job-years gained so far: cumulative job-years, B minus A", "Job-years since month 0", figures.GREEN),
    ]
    for diff, title, ylabel, colour in specs:
        fig = figures.paired_figure(diff, a, title, ylabel, ta, tb, colour=colour, ncols=3)
        out.append(figure_html(fig, title, f"{html.escape(title)}: the line is the mean over "
                               f"{c.replications} replications of the difference replication by "
                               "replication, the band its 95% t-interval. Whole-city numbers."))
    return "".join(out)


def breakdown_section(a, b, w, sec_a, sec_b, with_figures):
    if sec_a is None or sec_b is None:
        missing = [short_name(d) for d, s in ((a, sec_a), (b, sec_b)) if s is None]
        return ('<p class="note no-sectors">No breakdown by sector or size class: '
                f"{html.escape(' and '.join(missing))} {'has' if len(missing) == 1 else 'have'} "
                "no <code>sectors/</code> group (written without <code>--output sectors</code>). "
                "Run both scenarios with <code>--output sectors</code> to get one.</p>")
    out = []
    tables = {}
    for by, label in (("sector", "Sector"), ("size_class", "Size class")):
        df = m.breakdown(sec_a, sec_b, by, w)
        tables[by] = df
        rows = []
        for name, r in df.iterrows():
            rows.append([td(name.replace("_", " ")),
                         td(number(r[("failures", "a")].mean)), td(number(r[("failures", "b")].mean)),
                         estimate_cell(r[("failures", "paired")].negated()),
                         td(number(r[("employment", "a")].mean)), td(number(r[("employment", "b")].mean)),
                         estimate_cell(r[("employment", "paired")])])
        header = [label, "Failures A", "Failures B", "Failures averted", "Employment A (end)",
                  "Employment B (end)", "Jobs saved"]
        out.append(f"<h4>By {label.lower()}, all cities</h4>" + table(header, rows))
    if with_figures:
        fig = figures.breakdown_figure(tables["sector"], tables["size_class"],
                                       f"B: {title_of(b)}\nA: {title_of(a)}")
        out.append(figure_html(fig, "Failures averted and jobs saved by sector and size class",
                               "Failures averted over the window and jobs saved at its end, by "
                               "sector and by size class (by the firm's normal size); bars are "
                               "means, whiskers 95% paired intervals."))
    out.append('<p class="note">Size classes are by the firm\'s normal size (micro up to '
               "<code>size_classes.micro_max</code> workers, small up to "
               "<code>small_max</code>, medium above). Summed over sectors the numbers give "
               "the all-cities row of the headline table.</p>")
    return "".join(out)


def flatten(value, prefix=""):
    """A resolved scenario as {dotted key: value}; arrays of tables are indexed
    (cities.bangkok.waves[1].peak), other arrays are values."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def toml_value(value):
    """A value as TOML writes it (strings quoted, booleans lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def settings_diff(a, b):
    """The settings of the resolved scenarios (root attribute `scenario`) that differ:
    [(key, value in A or None, value in B or None)] in the order of the files, and the
    unified diff of the TOML text, line by line."""
    fa, fb = flatten(sa.scenario(a)), flatten(sa.scenario(b))
    keys = list(fa) + [k for k in fb if k not in fa]
    rows = [(k, fa.get(k), fb.get(k)) for k in keys if k not in fa or k not in fb or fa[k] != fb[k]]
    text = "\n".join(difflib.unified_diff(a.attrs["scenario"].splitlines(), b.attrs["scenario"].splitlines(),
                                          fromfile=short_name(a), tofile=short_name(b), n=1, lineterm=""))
    return rows, text


def settings_section(a, b):
    rows, text = settings_diff(a, b)
    if not rows:
        return "<p>The two files were run from the same resolved scenario.</p>"

    def cell(v):
        return td("(not set)" if v is None else toml_value(v), "mono")
    body = [[td(k, "mono"), cell(va), cell(vb)] for k, va, vb in rows]
    lines = []
    for line in text.splitlines():
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        lines.append(f'<span class="{cls}">{html.escape(line)}</span>' if cls else html.escape(line))
    return (f"<p>{len(rows)} setting{'s' if len(rows) != 1 else ''} of the resolved scenarios (root "
            "attribute <code>scenario</code>: every key, with defaults, bases and <code>--set</code> "
            "applied) differ; <em>(not set)</em> marks a key the file does not have (e.g. a city "
            "without a programme).</p>"
            + table(["Setting", f"A: {html.escape(short_name(a))}", f"B: {html.escape(short_name(b))}"], body,
                    classes={1: "text", 2: "text"})
            + "<details><summary>The resolved TOML texts, line by line (unified diff)</summary><pre>"
            + "\n".join(lines) + "</pre></details>")


def all_measures_section(c):
    rows = []
    for d in c.rows:
        ratio = d.measure in m.RATIO_MEASURES
        rows.append([td(f"{d.measure} ({d.unit})"), td(d.city),
                     td("" if ratio else number(d.a.mean)), td("" if ratio else number(d.b.mean)),
                     td(number(d.paired.mean)), td(interval(d.paired)), td(interval(d.unpaired))])
    return table(["Measure", "City", "A", "B", "B &minus; A", "95% paired", "95% unpaired"], rows)


PROVENANCE_ATTRS = ["title", "scenario_file", "smesim_version", "git_commit", "seed", "replications",
                    "population_scale", "burn_in_months", "start", "output_level", "status",
                    "created", "command_line"]


def provenance_section(datasets):
    header = ["Attribute"] + [f"{'A' if i == 0 else 'B' + (str(i) if len(datasets) > 2 else '')}: "
                              f"{html.escape(short_name(d))}" for i, d in enumerate(datasets)]
    rows = [[td("path")] + [td(d.attrs["path"], "mono") for d in datasets]]
    rows.append([td("months")] + [td(f"{d.sizes['time']} ({sa.month_labels(d)[0]} to "
                                     f"{sa.month_labels(d)[-1]})", "text") for d in datasets])
    for attr in PROVENANCE_ATTRS:
        rows.append([td(attr)] + [td(d.attrs.get(attr, ""), "mono") for d in datasets])
    versions = (f"python {platform.python_version()}, numpy {numpy.__version__}, "
                f"xarray {xarray.__version__}, h5py {h5py.__version__}, "
                f"matplotlib {matplotlib.__version__}")
    notes = []
    for attr in ("smesim_version", "git_commit"):
        values = {str(d.attrs.get(attr)) for d in datasets}
        if len(values) > 1:
            notes.append(f"<p class=\"note\"><strong>Note:</strong> the files come from different "
                         f"{attr.replace('_', ' ')}s ({html.escape(', '.join(sorted(values)))}).</p>")
    return (table(header, rows, classes={i: "text" for i in range(1, len(datasets) + 1)})
            + "".join(notes)
            + f'<p class="muted">Report written by <code>scripts/report.py</code> at '
              f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')} "
              f"with {html.escape(versions)}; command: <code>{html.escape(' '.join(sys.argv))}</code>.</p>")


# --- the report -----------------------------------------------------------------------

def build(paths, over=None, at=None, with_figures=True):
    """The report as HTML text, and the data embedded in it (a dict)."""
    datasets = []
    for path in paths:
        datasets.append(sa.open_result(path))
    base = datasets[0]
    comparisons = []
    for variant in datasets[1:]:
        comparisons.append(sa.compare(base, variant, over=over, at=at))
    w = m.window(base, over, at)
    sectors = {}

    def sectors_of(ds):
        if ds.attrs["path"] not in sectors:
            sectors[ds.attrs["path"]] = sa.open_sectors(ds.attrs["path"], ds)
        return sectors[ds.attrs["path"]]

    nav = ['<li><a href="#summary">Summary</a></li>', '<li><a href="#glance">The scenarios at a glance</a></li>']
    parts = []
    for i, (variant, c) in enumerate(zip(datasets[1:], comparisons), start=1):
        vid = f"variant-{i}"
        nav.append(f'<li><a href="#{vid}">{html.escape(title_of(variant))}</a></li>')
        parts.append(
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
    nav.append('<li><a href="#provenance">Provenance</a></li>')
    data = {
        "baseline": base.attrs["path"],
        "window": {"first": w.first_month, "last": w.last_month},
        "comparisons": [{"variant": v.attrs["path"], "compare": c.as_dict()}
                        for v, c in zip(datasets[1:], comparisons)],
        "headline": {d.attrs["path"]: [{k: (v.as_dict() if isinstance(v, sa.Estimate) else v)
                                        for k, v in row.items()} for row in sa.headline(d)]
                     for d in datasets},
    }
    embedded = json.dumps(data).replace("</", "<\\/")
    summary = "".join(summary_sentence(c, base, v) for v, c in zip(datasets[1:], comparisons))
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
{glance_section(datasets)}
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
    return doc, data


def fail(message):
    print(f"report.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", type=Path, help="baseline result file (A), e.g. the counterfactual")
    parser.add_argument("variants", type=Path, nargs="+", help="scenario result files (B) to compare with it")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"),
                        help="HTML file to write (default: report.html)")
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--over", help="window YYYY-MM:YYYY-MM for flows; stocks at its end")
    window.add_argument("--at", help="month YYYY-MM for stocks (flows from the first month)")
    args = parser.parse_args(argv)
    try:
        doc, _ = build([args.baseline, *args.variants], over=args.over, at=args.at)
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
