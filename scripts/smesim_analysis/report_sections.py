"""The sections of scripts/report.py's comparison report, as HTML: headline by city, summary,
the files at a glance, differences over time, breakdowns, settings that differ, every
measure of `smesim compare` and provenance."""

import datetime
import difflib
import html
import json
import math
import platform
import sys

import h5py
import matplotlib
import numpy
import xarray

from . import figures
from . import measures as m
from . import tables
from .files import ALL_CITIES, month_labels, scenario
from .report_html import estimate_cell, figure_html, interval, number, short_name, table, td, title_of
from .stats import Estimate


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
    row = next(h for h in headline_rows(c) if h["city"] == ALL_CITIES)

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
        h = next(r for r in tables.headline(ds) if r["city"] == ALL_CITIES)
        cells = [td(short_name(ds)), td(title_of(ds), "text")]
        for key in ("firms_start", "firms_end", "failures"):
            cells.append(estimate_cell(h[key], False))
        for key in ("survival", "employment_change", "job_creation_rate", "job_destruction_rate"):
            e = h[key]
            cells.append(estimate_cell(Estimate(100 * e.mean, 100 * e.lo, 100 * e.hi, e.n), False))
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
    fa, fb = flatten(scenario(a)), flatten(scenario(b))
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
    rows.append([td("months")] + [td(f"{d.sizes['time']} ({month_labels(d)[0]} to "
                                     f"{month_labels(d)[-1]})", "text") for d in datasets])
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
