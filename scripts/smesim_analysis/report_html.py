"""The HTML pieces of scripts/report.py: its style sheet, numbers as `smesim compare` prints
them, table cells with 95% intervals, tables and embedded PNG figures."""

import base64
import html
import io
import math
from pathlib import Path

import matplotlib

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
