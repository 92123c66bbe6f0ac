"""scripts/report.py's pieces: significance in bold only where a 95% interval excludes 0
(never for a cost per job-year without interval), one number format per column, a plain
sentence per city, the settings diff collapsed to the tables one file lacks, and the real
versions of the libraries in the provenance (not Debian's placeholder 999).

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import html
import importlib.metadata
import re

import pytest
import xarray as xr

import report as report_script  # scripts/report.py
from h5compare import SOURCE, run_smesim
from smesim_analysis import report_html, report_sections
from smesim_analysis.stats import Estimate

SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=18",
         "--set", "simulation.burn_in_months=12", "-q", "--force", "-r", "3"]
NAN = float("nan")


def test_bold_only_where_the_interval_excludes_zero():
    assert 'class="sig"' in report_html.estimate_cell(Estimate(5.0, 1.0, 9.0, 3))
    assert 'class="sig"' in report_html.estimate_cell(Estimate(-5.0, -9.0, -1.0, 3))
    assert 'class="sig"' not in report_html.estimate_cell(Estimate(5.0, -1.0, 9.0, 3))
    no_interval = report_html.estimate_cell(Estimate(640.0, NAN, NAN, 3))
    assert 'class="sig"' not in no_interval and "no interval" in no_interval and "n/a" not in no_interval


def test_numbers_have_fixed_decimals_and_no_negative_zero():
    assert report_html.number(85, 0) == "85" and report_html.number(245, 0) == "245"
    assert report_html.number(-56.67, 0) == "-57" and report_html.number(1234.5, 1) == "1,234.5"
    assert report_html.number(-0.004, 2) == "0.00" and report_html.number(-0.4, 0) == "0"
    assert report_html.number(NAN) == "n/a" and report_html.number(None, 0) == "n/a"
    cell = report_html.estimate_cell(Estimate(85.0, -3.25, 200.0, 3), decimals=0)
    assert ">85<" in cell and "[-3, 200]" in cell


def test_a_sentence_per_city_says_which_way_and_whether_it_is_settled():
    rows = [{"city": "Melaka", "failures_averted": Estimate(-12.0, -30.0, 5.0, 3),
             "jobs_saved": Estimate(-250.0, -400.0, -100.0, 3), "job_years": Estimate(0.0, 0.0, 0.0, 3)},
            {"city": "All cities", "failures_averted": Estimate(40.0, 10.0, 70.0, 3),
             "jobs_saved": Estimate(1500.0, -20.0, 3000.0, 3), "job_years": Estimate(900.0, 100.0, 1700.0, 3)}]
    text = re.sub(r"<[^>]+>", "", report_sections.city_sentences(rows))
    assert ("Melaka: B has 12 more failures (95% interval -30 to 5, which includes 0), 250 fewer jobs at the end "
            "(95% interval -400 to -100) and the same number of job-years than A.") in text
    assert ("All cities: B has 40 fewer failures (95% interval 10 to 70), 1,500 more jobs at the end (95% interval "
            "-20 to 3,000, which includes 0) and 900 more job-years (95% interval 100 to 1,700) than A.") in text
    assert "B did worse than A" in text


def fake(path, toml):
    return xr.Dataset(attrs={"path": path, "scenario": toml})


def test_settings_diff_collapses_a_table_one_file_lacks():
    a = fake("a.h5", 'title = "a"\n[cities.x]\nname = "X"\n')
    b = fake("b.h5", 'title = "b"\n[cities.x]\nname = "X"\n[cities.x.programme]\nenabled = true\ngrant_usd = 2.0\n'
                     '[[cities.x.programme.projects]]\nname = "p"\n[[cities.x.programme.projects]]\nname = "q"\n')
    section = report_sections.settings_section(a, b)
    rows = [html.unescape(r) for r in re.findall(r"<tr>(.*?)</tr>", section.split("</table>")[0], re.S)[1:]]
    assert len(rows) == 2
    assert '"a"' in rows[0] and '"b"' in rows[0]
    assert ">cities.x.programme<" in rows[1] and "(not set)" in rows[1] and "4 settings" in rows[1]
    for line in ("enabled = true", "grant_usd = 2.0", 'projects[0].name = "p"', 'projects[1].name = "q"'):
        assert line in rows[1]
    # a key the other file has under another value stays a row of its own
    c = fake("c.h5", 'title = "a"\n[cities.x]\nname = "Y"\n')
    assert "(not set)</td>" not in report_sections.settings_section(a, c)


def test_library_versions_are_the_installed_ones():
    text = report_sections.library_versions()
    assert " 999" not in text
    version = re.search(r"xarray (\S+),", text).group(1)
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", version), text
    metadata = importlib.metadata.version("xarray")
    if metadata != "999":
        assert version == metadata
    assert re.search(r"h5py \d+\.\d+", text) and re.search(r"numpy \d+\.\d+", text)


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    paths = []
    for scenario in ("covid-no-support", "ccrs-2021"):
        paths.append(tmp / f"{scenario}.h5")
        run_smesim("run", SOURCE / "scenarios" / f"{scenario}.toml", *SMALL, "-o", paths[-1])
    doc, _ = report_script.build(paths, with_figures=False)
    return doc


def test_summary_bolds_only_settled_numbers(report_page):
    summary = report_page.split('id="summary"')[1].split("</ul>")[0]
    found = re.findall(r"(<strong>)?([-\d,.]+)(?:</strong>)? [a-z-]+[^<]*<span class=\"muted\">\(95% interval "
                       r"([-\d,.]+) to ([-\d,.]+)\)", summary)
    assert len(found) >= 3
    for bold, _, lo, hi in found:
        lo, hi = (float(x.replace(",", "")) for x in (lo, hi))
        assert bool(bold) == (lo > 0 or hi < 0), (bold, lo, hi)


def test_headline_columns_use_one_format_each(report_page):
    table = report_page.split('id="variant-1-headline"')[1].split("</table>")[0]
    cells = re.findall(r'<td data-label="([^"]+)"[^>]*><span[^>]*>([^<]+)</span>', table)
    assert cells
    for label, value in cells:
        if value == "n/a":
            continue
        decimals = len(value.split(".")[1]) if "." in value else 0
        assert decimals == (1 if label.startswith("Jobs per USD") else 0), (label, value)
