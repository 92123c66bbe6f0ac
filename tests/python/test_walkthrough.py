"""Every code block of docs/ANALYSIS.md, run in order in a scratch copy of the repository
layout, and the report it writes (sections, self-contained, its numbers those of `smesim
compare` and `smesim inspect`, settings and provenance).

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import base64
import json
import os
import re
import shutil
import subprocess

import pytest

import smesim_analysis as sa
import docblocks
from h5compare import SOURCE, assert_same_comparison, run_smesim

SCRIPTS = SOURCE / "scripts"


# --- docs/ANALYSIS.md, block by block ----------------------------------------------------------

def doc_blocks():
    return docblocks.blocks("docs/ANALYSIS.md")


def r_available():
    if shutil.which("Rscript") is None:
        return False
    proc = subprocess.run(["Rscript", "-e", "library(hdf5r)"], capture_output=True, text=True, timeout=120)
    return proc.returncode == 0


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    """Every block of docs/ANALYSIS.md run in order from a scratch directory laid out like
    the repository (build/smesim, scripts/, scenarios/; tests/python/docblocks.py, here with
    the scenarios at their own sizes), with PYTHONPATH=scripts as its section 2 says and
    Python warnings as errors."""
    root = docblocks.scratch(tmp_path_factory.mktemp("walkthrough"), small=False)
    env = dict(os.environ, PYTHONWARNINGS="error", PYTHONPATH=str(root / "scripts"))
    with_r = r_available()
    blocks = doc_blocks()
    docblocks.write_files(blocks, root)
    results = []
    for i, block in enumerate(blocks):
        proc = docblocks.run(block, root, i, env=env, with_r=with_r)
        results.append((block.lang, block.code, proc))
    return root, results


def test_walkthrough_has_python_shell_and_r_blocks():
    langs = {b.lang for b in doc_blocks()}
    assert {"python", "sh", "r"} <= langs


def test_walkthrough_python_and_shell_blocks_run(walkthrough):
    _, results = walkthrough
    for lang, code, proc in results:
        if lang in ("python", "sh") and proc is not None:
            assert proc.returncode == 0, f"{lang} block failed:\n{code}\n--- stderr:\n{proc.stderr}"
            if lang == "python":
                assert proc.stderr == "", f"python block wrote to stderr:\n{code}\n{proc.stderr}"


def test_walkthrough_r_blocks_run(walkthrough):
    _, results = walkthrough
    r_blocks = [(code, proc) for lang, code, proc in results if lang == "r"]
    assert r_blocks
    if any(proc is None for _, proc in r_blocks):
        pytest.skip("Rscript or the hdf5r package is not installed")
    for code, proc in r_blocks:
        assert proc.returncode == 0, f"R block failed:\n{code}\n--- stderr:\n{proc.stderr}"
    failures = [p for c, p in r_blocks if "failures averted" in p.stdout]
    assert failures


@pytest.fixture(scope="module")
def report_page(walkthrough):
    root, _ = walkthrough
    page = root / "results" / "report.html"
    assert page.is_file(), "docs/ANALYSIS.md no longer writes results/report.html"
    return root, page.read_text(encoding="utf-8")


def embedded_data(page):
    return json.loads(re.search(r'id="smesim-report-data">(.*?)</script>', page, re.S).group(1))


def test_report_has_every_section(report_page):
    _, page = report_page
    for section in ("summary", "glance", "variant-1", "variant-1-headline", "variant-1-time",
                    "variant-1-breakdown", "variant-1-settings", "variant-1-all", "provenance"):
        assert f'id="{section}"' in page, section
    assert "By sector, all cities" in page and "By size class, all cities" in page
    assert "no-sectors" not in page


def test_report_is_self_contained_and_responsive(report_page):
    _, page = report_page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and "<link" not in page
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 5                      # four differences over time, one breakdown
    for data in images:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'name="viewport"' in page and "@media print" in page and "@media (max-width" in page


def shown_number(x, decimals):
    """The report's number format: thousands separators, fixed decimals per column."""
    if x is None:
        return "n/a"
    text = f"{x:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def test_report_numbers_equal_smesim_compare(report_page):
    root, page = report_page
    a, b = root / "results" / "covid-no-support.h5", root / "results" / "ccrs-2021.h5"
    theirs = json.loads(run_smesim("compare", a, b, "--json"))
    data = embedded_data(page)
    assert_same_comparison(data["comparisons"][0]["compare"], theirs)

    # the headline table shows the same numbers (failures averted = -(B - A))
    table = page.split('id="variant-1-headline"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows[cells[0]] = cells[1:]
    by = {(r["measure"], r["city"]): r["paired"] for r in theirs["rows"]}
    cities = list(dict.fromkeys(r["city"] for r in theirs["rows"]))
    assert list(rows) == cities
    for city in cities:
        cells = rows[city]
        shown = [re.sub(r"<[^>]+>", " ", c).split() for c in cells]

        def expect(measure, decimals, negate=False):
            e = by.get((measure, city))
            if e is None:
                return None
            mean, lo, hi = e["mean"], e["lo"], e["hi"]
            if negate:
                mean, lo, hi = -mean, -hi, -lo
            if lo is None:
                return [shown_number(mean, decimals), "no", "interval"]
            return [shown_number(mean, decimals), f"[{shown_number(lo, decimals)},", f"{shown_number(hi, decimals)}]"]
        for i, (measure, decimals, negate) in enumerate(
                (("failures", 0, True), ("employment", 0, False), ("job_years", 0, False), ("spending", 0, False),
                 ("jobs_per_usd_million", 1, False), ("cost_per_job_year", 0, False))):
            want = expect(measure, decimals, negate)
            if want is None:
                assert shown[i][0] == "n/a", (city, measure, shown[i])
            else:
                assert shown[i] == want, (city, measure, shown[i], want)


def test_report_glance_equals_smesim_inspect(report_page):
    root, page = report_page
    data = embedded_data(page)
    for path, rows in data["headline"].items():
        out = run_smesim("inspect", root / path)
        all_cities = [line for line in out.splitlines() if line.startswith("All cities")][0]
        row = rows[-1]
        assert row["city"] == "All cities"
        failures = row["failures"]
        assert sa.tables.with_commas(failures["mean"]) + " ±" + sa.tables.with_commas(
            0.5 * (failures["hi"] - failures["lo"])) in all_cities
        assert "%.1f ±%.1f" % (100 * row["survival"]["mean"],
                               50 * (row["survival"]["hi"] - row["survival"]["lo"])) in all_cities


def test_report_settings_and_provenance(report_page):
    root, page = report_page
    settings = page.split('id="variant-1-settings"')[1].split('id="variant-1-all"')[0]
    # the programme a city has in B only: one row, its settings listed under it
    row = re.search(r"<tr>(<td[^>]*>cities\.bangkok\.programme</td>.*?)</tr>", settings, re.S)
    assert row and "(not set)" in row.group(1) and "grant_usd = 2000000.0" in row.group(1)
    assert "cities.bangkok.programme.grant_usd" not in settings.split("<details><summary>The resolved")[0]
    assert settings.count("<tr>") <= 15
    assert "title" in settings
    provenance = page.split('id="provenance"')[1]
    attrs = sa.attributes(root / "results" / "ccrs-2021.h5")
    for name in ("git_commit", "smesim_version", "command_line", "created"):
        assert str(attrs[name]) in provenance or re.sub("&", "&amp;", str(attrs[name])) in provenance, name
    assert f">{attrs['seed']}<" in provenance
