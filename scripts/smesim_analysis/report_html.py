"""The HTML pieces of scripts/report.py: its style sheet, numbers as `smesim compare` prints
them, table cells with 95% intervals, tables and embedded PNG figures."""

import base64
import html
import io
import math
import re
from pathlib import Path

import matplotlib
import matplotlib.text

REPORT_DPI = 100

CSS = """
:root { --ink: #1d2327; --muted: #5a6470; --line: #d8dde3; --accent: #1f5f99; --bg-alt: #f4f6f8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; line-height: 1.5; }
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
.ci { display: block; font-size: .78rem; color: var(--muted); }
@media (min-width: 64rem) { .ci { white-space: nowrap; } }
.sig { font-weight: 700; }
figure { margin: 1rem 0 1.5rem; }
figure { overflow-x: auto; }
img { max-width: 100%; height: auto; display: block; border: 1px solid var(--line); cursor: zoom-in; }
img.zoom { max-width: none; cursor: zoom-out; }
pre { background: var(--bg-alt); padding: .6rem; overflow-x: auto; font-size: .8rem; }
code { font-size: .88em; overflow-wrap: anywhere; }  /* long file paths wrap, not widen the page */
.add { color: #116329; } .del { color: #a40e26; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem;
          text-align: left; word-break: break-all; }
ul.cities li { margin-bottom: .3rem; }
@media (max-width: 40rem) {
  body { padding: .5rem .6rem 2rem; }
  h1 { font-size: 1.35rem; }
  /* tables as cards: one block per row, each cell labelled by its column */
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap td { display: block; width: 100%; }
  .table-wrap thead { display: none; }
  .table-wrap table { font-size: .85rem; }
  .table-wrap tr { border-bottom: 2px solid var(--line); padding: .3rem 0; }
  .table-wrap tr.total td { border-top: none; }
  .table-wrap td { border: none; padding: .15rem .3rem; text-align: right; display: grid;
                   grid-template-columns: 45% 1fr; column-gap: .5rem; }
  .table-wrap td > * { grid-column: 2; }
  .table-wrap td.text, .table-wrap td.mono { text-align: left; }
  .table-wrap td::before { content: attr(data-label); grid-column: 1; grid-row: 1 / span 2; text-align: left;
                           font-weight: 600; color: var(--muted); font-family: system-ui, sans-serif;
                           font-size: .8rem; word-break: normal; }
  .table-wrap td:first-child { display: block; font-weight: 600; text-align: left; }
  .table-wrap td:first-child::before { content: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; width: 100%; }
  th, td { padding: .15rem .3rem; }
  .ci { white-space: normal; font-size: 7pt; }
  td.mono { font-size: 7pt; }
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

# Decimals by unit, the same for every number of a measure (a column never mixes 85.00
# and 245): counts, job-years and money whole, shares and rates with two decimals.
DECIMALS = {"firms": 0, "workers": 0, "job-years": 0, "job-months": 0, "USD": 0, "USD per job-year": 0,
            "job-years per USD 1M": 1, "%": 1, "% of month-0 SMEs": 2, "% per year": 2}


def number(x, decimals=None):
    """A number with thousands separators and `decimals` decimals (by default as `smesim
    compare` prints: none from 100 up, else two); "n/a" for None or NaN; no "-0"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 else 2
    text = f"{x:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def interval(e, decimals=None):
    return f"[{number(e.lo, decimals)}, {number(e.hi, decimals)}]"


def excludes_zero(e):
    return not (math.isnan(e.lo) or math.isnan(e.hi)) and (e.lo > 0 or e.hi < 0)


def estimate_cell(e, significance=True, decimals=None):
    """A table cell: the mean, and its 95% interval below it; the mean in bold when
    significance is asked for and the interval excludes 0 ("no interval" when it is NaN)."""
    if e is None:
        return '<td>n/a<span class="ci">no spending difference</span></td>'
    cls = ' class="sig"' if significance and excludes_zero(e) else ""
    if math.isnan(e.lo) or math.isnan(e.hi):
        return f'<td><span>{number(e.mean, decimals)}</span><span class="ci">no interval</span></td>'
    return f'<td><span{cls}>{number(e.mean, decimals)}</span><span class="ci">{interval(e, decimals)}</span></td>'


def label(header_html):
    """A column header as plain text, for a cell's data-label (the phone layout)."""
    text = re.sub(r"<br\s*/?>\s*<small>(.*?)</small>", r" (\1)", header_html)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.escape(" ".join(html.unescape(text).split()), quote=True)


def table(header, rows, total_last=False, classes=None):
    """An HTML table in a wrapper; rows hold ready HTML cells, each labelled with its
    column (data-label) so that narrow screens show rows as labelled cards."""
    head = "".join(f'<th class="{(classes or {}).get(i, "")}">{h}</th>' for i, h in enumerate(header))
    labels = [label(h) for h in header]
    body = []
    for i, row in enumerate(rows):
        cls = ' class="total"' if total_last and i == len(rows) - 1 else ""
        cells = [c.replace("<td", f'<td data-label="{labels[j]}"', 1) if j < len(labels) else c
                 for j, c in enumerate(row)]
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def td(text, cls=""):
    return f'<td class="{cls}">{html.escape(str(text))}</td>' if cls else f"<td>{html.escape(str(text))}</td>"


def smallest_text_px(fig):
    """The size of the smallest visible text of fig in image pixels at REPORT_DPI."""
    def shown(t):
        return t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if shown(t)]
    return min(sizes) * REPORT_DPI / 72 if sizes else 0


def figure_html(fig, alt, caption):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=REPORT_DPI)
    smallest = smallest_text_px(fig)
    matplotlib.pyplot.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            f'data-min-font-px="{smallest:.1f}" onclick="this.classList.toggle(\'zoom\')" '
            'title="click or tap: full size (scroll sideways), again: fit">'
            f"<figcaption>{caption} Click or tap the figure for full size.</figcaption></figure>")


def title_of(ds):
    return ds.attrs.get("title") or Path(ds.attrs["path"]).name


def short_name(ds):
    return Path(ds.attrs["path"]).name
