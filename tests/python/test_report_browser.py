"""scripts/report.py's page in a real browser (Debian's chromium, headless): at 390, 1280
and 1920 px and in print, no table is wider than its column, the page does not scroll
sideways, and figure text is legible (>= 9 px at laptop width; on a phone a click shows
a figure at full size, scrolling inside the figure); print-to-PDF writes a PDF. Print
layout is checked by applying the page's `@media print` rules on screen at the width of
an A4 page's printable area. Skips, saying so, when chromium is missing
(scripts/install-deps.sh installs it).

The page is loaded into an iframe (srcdoc) of the width under test, because headless
chromium's window has a minimum width larger than a phone's; a script in the harness
measures the iframe's document and writes the result into the DOM that --dump-dom prints.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import html
import json
import re
import shutil
import subprocess

import pytest

import report as report_script  # scripts/report.py
from h5compare import SOURCE, run_smesim

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh)")

SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=18",
         "--set", "simulation.burn_in_months=12", "-q", "--force", "--output", "sectors"]
A4_PRINTABLE_PX = 718      # 210 mm less chromium's default 0.4 in margins, at 96 px per inch
LAPTOP_PX = 1280
MIN_FONT_PX = 9

MEASURE = """
const win = document.getElementById('page').contentWindow, doc = win.document;
const out = {width: win.innerWidth, page: doc.documentElement.scrollWidth, tables: [], images: []};
doc.querySelectorAll('.table-wrap').forEach((wrap) => {
  const t = wrap.querySelector('table'), owner = wrap.closest('[id]');
  out.tables.push({where: owner ? owner.id : '', scroll: wrap.scrollWidth, client: wrap.clientWidth,
                   header: t.rows[0].cells.length});
});
doc.querySelectorAll('img').forEach((img) => out.images.push({
  shown: img.getBoundingClientRect().width, natural: img.naturalWidth, font: Number(img.dataset.minFontPx || 0),
  alt: img.alt}));
const img = doc.querySelector('img');
if (img) {  // a click shows the figure at full size, scrolling inside its figure, not the page
  img.click();
  out.zoomed = {shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                font: Number(img.dataset.minFontPx || 0), page: doc.documentElement.scrollWidth,
                figureScrolls: img.parentElement.scrollWidth > img.parentElement.clientWidth};
  img.click();
}
const pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
"""


def harness(page, width):
    return (f'<!DOCTYPE html><html><body style="margin:0"><iframe id="page" style="border:0;width:{width}px;'
            f'height:1000px" srcdoc="{html.escape(page, quote=True)}"></iframe><script>'
            f"document.getElementById('page').addEventListener('load', () => {{{MEASURE}}});</script></body></html>")


def layout(page, width, tmp_path, print_rules=False):
    """What the browser measured, with the page at width px (its print rules applied on screen)."""
    if print_rules:
        page = page.replace("@media print", "@media all")
    path = tmp_path / f"harness-{width}{'-print' if print_rules else ''}.html"
    path.write_text(harness(page, width), encoding="utf-8")
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1920,1100",
                           "--virtual-time-budget=10000", "--dump-dom", path.as_uri()],
                          capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="layout">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"chromium printed no measurement (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A report of two variants and a two-parameter grid sweep against the counterfactual."""
    # a long directory name without break opportunities: the page prints file paths,
    # which must wrap on a phone
    tmp = tmp_path_factory.mktemp("browser") / ("results_of_a_long_batch_job_" * 3)
    tmp.mkdir()
    runs = {}
    for name, scenario in (("none", "covid-no-support"), ("ccrs", "ccrs-2021"), ("stim", "covid-stimulus")):
        runs[name] = tmp / f"{name}.h5"
        run_smesim("run", SOURCE / "scenarios" / f"{scenario}.toml", *SMALL, "-r", "3", "-o", runs[name])
    cities = ["bangkok", "melaka", "semarang", "jakarta", "can_tho", "da_nang"]
    keys = ", ".join(f'"cities.{c}.programme.match_ratio"' for c in cities)
    delays = ", ".join(f'"cities.{c}.procurement.payment_delay_months"' for c in cities)
    (tmp / "grid.toml").write_text(
        f'base = "{SOURCE / "scenarios" / "ccrs-2021.toml"}"\ntitle = "grid"\ndesign = "grid"\nreplications = 3\n'
        f'[[parameters]]\nname = "match_ratio"\nkeys = [{keys}]\nvalues = [0.5, 2.0]\n'
        f'[[parameters]]\nname = "payment_delay_months"\nkeys = [{delays}]\nvalues = [1, 6]\ninteger = true\n')
    runs["grid"] = tmp / "grid.h5"
    run_smesim("sweep", tmp / "grid.toml", *SMALL[:-2], "-o", runs["grid"])
    doc, _ = report_script.build([runs["none"], runs["ccrs"], runs["stim"], runs["grid"]])
    path = tmp / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path


def overflowing(measured):
    return [t for t in measured["tables"] if t["scroll"] > t["client"] + 1]


@pytest.mark.parametrize("width", [390, LAPTOP_PX, 1920])
def test_tables_and_page_fit_on_screen(page, tmp_path, width):
    measured = layout(page.read_text(encoding="utf-8"), width, tmp_path)
    assert measured["width"] == width
    assert len(measured["tables"]) >= 10
    assert overflowing(measured) == [], f"tables wider than their column at {width} px"
    assert measured["page"] <= width, f"the page scrolls sideways at {width} px"
    for img in measured["images"]:
        assert img["shown"] <= width


def test_a_figure_opens_at_full_size_on_a_phone_without_widening_the_page(page, tmp_path):
    measured = layout(page.read_text(encoding="utf-8"), 390, tmp_path)
    zoomed = measured["zoomed"]
    assert zoomed["shown"] == pytest.approx(zoomed["natural"], abs=3)      # and its border
    assert zoomed["font"] >= MIN_FONT_PX and zoomed["figureScrolls"]
    assert zoomed["page"] <= 390


def test_tables_fit_in_print(page, tmp_path):
    measured = layout(page.read_text(encoding="utf-8"), A4_PRINTABLE_PX, tmp_path, print_rules=True)
    assert overflowing(measured) == [], "tables wider than an A4 page in print"
    assert measured["page"] <= A4_PRINTABLE_PX


def test_figure_text_is_legible_at_laptop_width(page, tmp_path):
    measured = layout(page.read_text(encoding="utf-8"), LAPTOP_PX, tmp_path)
    assert measured["images"]
    for img in measured["images"]:
        assert img["font"] > 0, f"{img['alt']}: no data-min-font-px"
        shown = img["font"] * img["shown"] / img["natural"]
        assert shown >= MIN_FONT_PX, f"{img['alt']}: smallest text {shown:.1f} px at {LAPTOP_PX} px"


def test_print_to_pdf(page, tmp_path):
    pdf = tmp_path / "report.pdf"
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, text=True, timeout=180)
    assert pdf.is_file(), proc.stderr[-2000:]
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 3
