"""The sections of scripts/report.py's comparison report, as HTML: headline by city, summary,
the files at a glance, differences over time, breakdowns, settings that differ, every
measure of `smesim compare` and provenance."""

import datetime
import difflib
import html
import importlib.metadata
import json
import math
import platform
import re
import shutil
import subprocess
import sys

import h5netcdf
import h5py
import matplotlib
import numpy
import pandas
import xarray

from . import figures
from . import measures as m
from . import tables
from .files import ALL_CITIES, month_labels, scenario
from .report_html import (DECIMALS, estimate_cell, excludes_zero, figure_html, interval, number, short_name,
                          table, td, title_of)
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


# (key, header, decimals)
HEADLINE_COLUMNS = [
    ("failures_averted", "Failures averted<br><small>firms</small>", 0),
    ("jobs_saved", "Jobs saved at the end<br><small>workers</small>", 0),
    ("job_years", "Job-years gained<br><small>job-years</small>", 0),
    ("spending", "Public spending<br><small>USD, B &minus; A</small>", 0),
    ("jobs_per_usd_million", "Jobs per USD 1M<br><small>job-years</small>", 1),
    ("cost_per_job_year", "Cost per job-year<br><small>USD</small>", 0),
]


def headline_section(c):
    """The headline table, then one plain sentence per city."""
    rows = []
    for h in headline_rows(c):
        rows.append([td(h["city"])] + [estimate_cell(h[key], key != "cost_per_job_year", decimals)
                                       for key, _, decimals in HEADLINE_COLUMNS])
    return (table(["City"] + [label for _, label, _ in HEADLINE_COLUMNS], rows, total_last=True)
            + city_sentences(headline_rows(c)))


def change(e, more, fewer, noun):
    """'1,234 fewer failures (95% interval 1,000 to 1,500)', or the same with 'which
    includes 0' when the sign is not established."""
    if e.mean == 0 and e.lo == 0 and e.hi == 0:
        return f"the same number of {noun}"
    words = more if e.mean >= 0 else fewer
    text = f"{number(abs(e.mean), 0)} {words}"
    if math.isnan(e.lo):
        return text
    span = f"95% interval {number(e.lo, 0)} to {number(e.hi, 0)}"
    return f"{text} ({span})" if excludes_zero(e) else f"{text} ({span}, which includes 0)"


def city_sentences(rows):
    """Per city, the headline in words: which way each difference goes, and whether its
    interval settles the sign, so that negative values read plainly."""
    items = []
    for h in rows:
        items.append(f"<li><strong>{html.escape(h['city'])}</strong>: B has "
                     f"{change(h['failures_averted'], 'fewer failures', 'more failures', 'failures')}, "
                     f"{change(h['jobs_saved'], 'more jobs at the end', 'fewer jobs at the end', 'jobs at the end')}"
                     f" and {change(h['job_years'], 'more job-years', 'fewer job-years', 'job-years')} "
                     "than A.</li>")
    return ('<ul class="cities">' + "".join(items) + "</ul>"
            '<p class="note">A negative failures averted, jobs saved or job-years gained means that B did worse '
            "than A in that city. Where the interval includes 0 the sign is not established: with common random "
            "numbers a difference that small can come from the few replications alone. In a city without a "
            "programme or policy, differences come only through what changes elsewhere (none when nothing "
            "does).</p>")


def summary_sentence(c, baseline, variant):
    row = next(h for h in headline_rows(c) if h["city"] == ALL_CITIES)

    def est(e, what):
        mean = f"<strong>{number(e.mean, 0)}</strong>" if excludes_zero(e) else number(e.mean, 0)
        return (f"{mean} {what} "
                f"<span class=\"muted\">(95% interval {number(e.lo, 0)} to {number(e.hi, 0)})</span>")
    parts = [est(row["failures_averted"], "failures averted"),
             est(row["jobs_saved"], "jobs saved at the end"),
             est(row["job_years"], "job-years gained")]
    text = "; ".join(parts)
    if row["cost_per_job_year"] is not None:
        cost = row["cost_per_job_year"]
        text += f", for USD {number(row['spending'].mean, 0)} more public spending: "
        if not math.isnan(cost.lo):
            text += (f"<strong>USD {number(cost.mean, 0)}</strong> per job-year"
                     f' <span class="muted">(95% interval {number(cost.lo, 0)} to {number(cost.hi, 0)})</span>')
        else:
            text += f"USD {number(cost.mean, 0)} per job-year"
            text += ' <span class="muted">(no interval: the job-years interval includes 0)</span>'
    else:
        text += "; no more public spending than the baseline, so no cost per job-year"
    return (f"<li><strong>{html.escape(title_of(variant))}</strong> against "
            f"{html.escape(title_of(baseline))}, all cities, {c.first} to {c.last}: {text}.</li>")


GLANCE_ROWS = [("firms_start", "SMEs at month 0", 1, 0), ("firms_end", "SMEs at the end", 1, 0),
               ("failures", "Failures", 1, 0), ("survival", "Survival of the month-0 SMEs, %", 100, 1),
               ("employment_change", "Employment change, %", 100, 1),
               ("job_creation_rate", "Job creation, % a year", 100, 1),
               ("job_destruction_rate", "Job destruction, % a year", 100, 1)]


def glance_section(datasets):
    """All-cities headline of every file, as `smesim inspect` computes it: one column per
    file, so that the table stays narrow however many measures it has."""
    heads = [next(r for r in tables.headline(ds) if r["city"] == ALL_CITIES) for ds in datasets]
    header = ["All cities"] + [f"{html.escape(title_of(ds))}<br><small>{html.escape(short_name(ds))}</small>"
                               for ds in datasets]
    rows = []
    for key, name, scale, decimals in GLANCE_ROWS:
        cells = [td(name, "text")]
        for h in heads:
            e = h[key]
            cells.append(estimate_cell(Estimate(scale * e.mean, scale * e.lo, scale * e.hi, e.n), False, decimals))
        rows.append(cells)
    return table(header, rows)


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


def parts(key):
    """cities.x.programme.projects[0].name -> its prefixes, shortest first."""
    pieces = re.split(r"(?=[.\[])", key)
    return ["".join(pieces[:i]) for i in range(1, len(pieces) + 1)]


def absent_prefix(key, present):
    """The shortest prefix of key under which the other file has no setting at all."""
    for prefix in parts(key):
        if not any(k == prefix or k.startswith((prefix + ".", prefix + "[")) for k in present):
            return prefix
    return key


def collapsed(rows, a_keys, b_keys):
    """The rows of settings_diff with the keys one file lacks grouped by the table the
    file lacks altogether: [(key, A value, B value)], where a value is None (not set),
    a value, or a list of (sub-key, value) for a whole table set in one file only."""
    out, groups = [], {}
    for key, va, vb in rows:
        if va is not None and vb is not None:
            out.append((key, va, vb))
            continue
        side = "a" if vb is None else "b"
        prefix = absent_prefix(key, b_keys if side == "a" else a_keys)
        if prefix == key:
            out.append((key, va, vb))
            continue
        if (prefix, side) not in groups:
            group = groups[(prefix, side)] = []
            out.append((prefix, group, None) if side == "a" else (prefix, None, group))
        groups[(prefix, side)].append((key[len(prefix):].lstrip("."), va if side == "a" else vb))
    return out


def setting_cell(v):
    if v is None:
        return td("(not set)", "mono")
    if isinstance(v, list) and v and isinstance(v[0], tuple):
        lines = "".join(f"<li>{html.escape(k)} = {html.escape(toml_value(x))}</li>" for k, x in v)
        return (f'<td class="mono"><details><summary>{len(v)} settings</summary>'
                f'<ul class="settings">{lines}</ul></details></td>')
    return td(toml_value(v), "mono")


def settings_section(a, b):
    rows, text = settings_diff(a, b)
    if not rows:
        return "<p>The two files were run from the same resolved scenario.</p>"
    fa, fb = flatten(scenario(a)), flatten(scenario(b))
    grouped = collapsed(rows, fa, fb)
    body = [[td(k, "mono"), setting_cell(va), setting_cell(vb)] for k, va, vb in grouped]
    lines = []
    for line in text.splitlines():
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        lines.append(f'<span class="{cls}">{html.escape(line)}</span>' if cls else html.escape(line))
    return (f"<p>{len(rows)} setting{'s' if len(rows) != 1 else ''} of the resolved scenarios (root "
            "attribute <code>scenario</code>: every key, with defaults, bases and <code>--set</code> "
            "applied) differ. <em>(not set)</em> marks a table the file does not have at all (e.g. the "
            "programme of a city without one); the other file's settings in it are listed under "
            "<em>N settings</em>.</p>"
            + table(["Setting", f"A: {html.escape(short_name(a))}", f"B: {html.escape(short_name(b))}"], body,
                    classes={1: "text", 2: "text"})
            + "<details><summary>The resolved TOML texts, line by line (unified diff)</summary><pre>"
            + "\n".join(lines) + "</pre></details>")


def all_measures_section(c):
    rows = []
    for d in c.rows:
        ratio = d.measure in m.RATIO_MEASURES
        k = DECIMALS.get(d.unit)
        rows.append([td(f"{d.measure} ({d.unit})"), td(d.city),
                     td("" if ratio else number(d.a.mean, k)), td("" if ratio else number(d.b.mean, k)),
                     td(number(d.paired.mean, k)), td(interval(d.paired, k)), td(interval(d.unpaired, k))])
    return table(["Measure", "City", "A", "B", "B &minus; A", "95% paired", "95% unpaired"], rows)


PLACEHOLDER_VERSIONS = {"999", "0", "0.0", "0.0.0", "unknown", "0+unknown"}


def library_version(distribution, module):
    """The installed version of a library: its package metadata, or the module's own
    __version__; when that is a placeholder (Debian's python3-xarray says 999), the
    version of the Debian package that installed it."""
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        version = str(getattr(module, "__version__", "unknown"))
    if version in PLACEHOLDER_VERSIONS and shutil.which("dpkg-query"):
        proc = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", f"python3-{distribution}"],
                              capture_output=True, text=True)
        if proc.returncode == 0 and proc.stdout:
            version = re.sub(r"^\d+:", "", proc.stdout).split("-")[0].split("+")[0]
    return version


def library_versions():
    libraries = [("numpy", numpy), ("pandas", pandas), ("xarray", xarray), ("h5py", h5py),
                 ("h5netcdf", h5netcdf), ("matplotlib", matplotlib)]
    return ", ".join([f"python {platform.python_version()}"] +
                     [f"{name} {library_version(name, module)}" for name, module in libraries])


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
    versions = library_versions()
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
