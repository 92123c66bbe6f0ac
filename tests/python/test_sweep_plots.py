"""Sweeps in scripts/plot.py and scripts/report.py: a measure per design point, alone or
against a counterfactual (paired by replication when pairable, Welch otherwise), the
figures against each swept parameter and the heat map of a two-parameter grid, the
report's sweep section, and the refusals.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import json
import re
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import report as report_script  # scripts/report.py
import smesim_analysis as sa
from h5compare import SOURCE, run_smesim
from smesim_analysis import stats, sweeps

SCRIPTS = SOURCE / "scripts"
SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=18",
         "--set", "simulation.burn_in_months=12", "-q", "--force"]
CITIES = ["bangkok", "melaka", "semarang", "jakarta", "can_tho", "da_nang"]


def sweep_toml(base):
    keys = ", ".join(f'"cities.{c}.programme.match_ratio"' for c in CITIES)
    delays = ", ".join(f'"cities.{c}.procurement.payment_delay_months"' for c in CITIES)
    return (f'base = "{base}"\ntitle = "test grid"\ndesign = "grid"\nreplications = 3\n\n'
            f'[[parameters]]\nname = "match_ratio"\nkeys = [{keys}]\nvalues = [0.5, 2.0]\n\n'
            f'[[parameters]]\nname = "payment_delay_months"\nkeys = [{delays}]\nvalues = [1, 3, 6]\n'
            "integer = true\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sweep")
    (tmp / "grid.toml").write_text(sweep_toml(SOURCE / "scenarios" / "ccrs-2021.toml"))
    out = {"grid": tmp / "grid.h5", "cf": tmp / "cf.h5", "cf_seed5": tmp / "cf5.h5"}
    run_smesim("sweep", tmp / "grid.toml", *SMALL, "-o", out["grid"])
    scenario = SOURCE / "scenarios" / "covid-no-support.toml"
    run_smesim("run", scenario, *SMALL, "-r", "3", "-o", out["cf"])
    run_smesim("run", scenario, *SMALL, "-r", "4", "--seed", "5", "-o", out["cf_seed5"])
    return out


def failures(ds):
    """All-cities failures per (point,) replication, by hand."""
    return ds.firms_exited_illiquid.sum(["time", "city"]).values


def test_point_table_alone_is_the_mean_over_replications(files):
    ds = sa.open_sweep(files["grid"])
    t = sweeps.point_table(ds, "failures")
    assert list(t.columns) == ["match_ratio", "payment_delay_months", "mean", "lo", "hi"]
    assert list(t["match_ratio"]) == [0.5] * 3 + [2.0] * 3 and list(t["payment_delay_months"]) == [1, 3, 6] * 2
    by_hand = failures(ds)
    for p in range(6):
        e = stats.estimate_mean(by_hand[p])
        assert (t.loc[p, "mean"], t.loc[p, "lo"], t.loc[p, "hi"]) == pytest.approx((e.mean, e.lo, e.hi))
    assert t.attrs["paired"] is None


def test_against_a_pairable_counterfactual_failures_averted_are_paired(files):
    ds, cf = sa.open_sweep(files["grid"]), sa.open_result(files["cf"])
    t = sweeps.point_table(ds, "failures", counterfactual=cf)
    assert t.attrs["paired"] is True and t.attrs["label"].startswith("Failures averted")
    base, points = failures(cf), failures(ds)
    for p in range(6):
        e = stats.paired_difference(points[p], base)          # base - point: averted
        assert (t.loc[p, "mean"], t.loc[p, "lo"], t.loc[p, "hi"]) == pytest.approx((e.mean, e.lo, e.hi))
    jobs = sweeps.point_table(ds, "job_years", counterfactual=cf)
    emp = ds.employment.sum(["time", "city"]).values / 12
    e = stats.paired_difference(cf.employment.sum(["time", "city"]).values / 12, emp[4])
    assert (jobs.loc[4, "mean"], jobs.loc[4, "lo"], jobs.loc[4, "hi"]) == pytest.approx((e.mean, e.lo, e.hi))


def test_against_another_seed_the_difference_is_welch(files):
    ds, cf = sa.open_sweep(files["grid"]), sa.open_result(files["cf_seed5"])
    t = sweeps.point_table(ds, "job_years", counterfactual=cf)
    assert t.attrs["paired"] is False
    a, b = cf.employment.sum(["time", "city"]).values / 12, ds.employment.sum(["time", "city"]).values[2] / 12
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = stats.t_quantile(0.975, df) * np.sqrt(va + vb)
    assert (t.loc[2, "mean"], t.loc[2, "hi"] - t.loc[2, "mean"]) == pytest.approx((b.mean() - a.mean(), half))


def test_heat_map_of_a_two_parameter_grid_shows_intervals_bold_when_excluding_zero(files):
    ds, cf = sa.open_sweep(files["grid"]), sa.open_result(files["cf"])
    t = sweeps.point_table(ds, "job_years", counterfactual=cf)
    fig = sweeps.heatmap_figure(t, "test grid", centred=True)
    texts = [x for x in fig.axes[0].texts]
    assert len(texts) == 6
    for x in texts:
        mean, lo, hi = (float(v.replace(",", "")) for v in re.findall(r"-?[\d,]+\.?\d*", x.get_text()))
        row = t[(np.isclose(t["mean"], mean, rtol=1e-2, atol=0.01))].iloc[0]
        assert (x.get_fontweight() == "bold") == bool(row["lo"] > 0 or row["hi"] < 0)
        assert lo <= mean <= hi
    plt.close(fig)


def plot(*args):
    return subprocess.run([sys.executable, "-W", "error", str(SCRIPTS / "plot.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_plot_script_draws_a_sweep_against_its_counterfactual(files, tmp_path):
    proc = plot(files["grid"], "--counterfactual", files["cf"], "--metric", "failures", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["sweep_failures.png", "sweep_failures_heatmap.png"]


@pytest.mark.parametrize("args, message", [
    (["{grid}", "{cf}"], "a sweep file is plotted alone"),
    (["{cf}", "--counterfactual", "{cf}"], "apply to a sweep file"),
    (["{grid}", "--city", "Atlantis"], "--city Atlantis: not a city"),
    (["{grid}", "--counterfactual", "{grid}"], "a sweep file (with a point dimension)"),
])
def test_plot_script_refuses(files, tmp_path, args, message):
    proc = plot(*[a.format(**{k: str(v) for k, v in files.items()}) for a in args], "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_report_has_a_section_per_sweep_with_every_point(files):
    doc, data = report_script.build([files["cf"], files["grid"]], with_figures=True)
    section = doc.split('id="variant-1"')[1].split("</section>")[0]
    assert "a sweep of 6 points" in section and "paired" in section
    table = section.split('id="variant-1-points"')[1].split("</table>")[0]
    assert len(re.findall(r"<tr>", table)) == 1 + 6
    assert section.count("<img") == 4                   # failures, job-years: by parameter and heat map
    sweep = data["comparisons"][0]["sweep"]
    t = sweeps.point_table(sa.open_sweep(files["grid"]), "failures", counterfactual=sa.open_result(files["cf"]))
    assert [r["mean"] for r in sweep["failures"]["rows"]] == pytest.approx(list(t["mean"]))
    json.dumps(data)
    summary = doc.split('id="summary"')[1].split("</ul>")[0]
    assert "test grid" in summary and "failures averted from" in summary


def test_report_script_takes_the_counterfactual_by_name(files, tmp_path):
    out = tmp_path / "r.html"
    proc = subprocess.run([sys.executable, "-W", "error", str(SCRIPTS / "report.py"), str(files["grid"]),
                           "--counterfactual", str(files["cf"]), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert "a sweep of 6 points) against" in page and f"A = <code>{files['cf']}</code>" in page
    proc = subprocess.run([sys.executable, str(SCRIPTS / "report.py"), str(files["cf"]),
                           "-o", str(tmp_path / "x.html")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "at least one file to compare" in proc.stderr
    assert not (tmp_path / "x.html").exists()


def test_point_table_agrees_with_smesim_compare_of_the_sweep(files):
    """The Python per-point numbers are those of `smesim compare CF SWEEP.h5` (C++)."""
    theirs = json.loads(run_smesim("compare", files["cf"], files["grid"], "--metric", "failures",
                                   "--metric", "job_years", "--format", "json"))
    ds, cf = sa.open_sweep(files["grid"]), sa.open_result(files["cf"])
    failures_table = sweeps.point_table(ds, "failures", counterfactual=cf)
    jobs_table = sweeps.point_table(ds, "job_years", counterfactual=cf)
    assert [c["point"] for c in theirs] == list(failures_table.index)
    for c in theirs:
        p = c["point"]
        assert c["design"] == {"match_ratio": failures_table.loc[p, "match_ratio"],
                               "payment_delay_months": failures_table.loc[p, "payment_delay_months"]}
        rows = {r["measure"]: r["paired"] for r in c["rows"] if r["city"] == sa.ALL_CITIES}
        f, j = rows["failures"], rows["job_years"]
        assert (failures_table.loc[p, "mean"], failures_table.loc[p, "lo"], failures_table.loc[p, "hi"]) == \
            pytest.approx((-f["mean"], -f["hi"], -f["lo"]), abs=1e-6)
        assert (jobs_table.loc[p, "mean"], jobs_table.loc[p, "lo"], jobs_table.loc[p, "hi"]) == \
            pytest.approx((j["mean"], j["lo"], j["hi"]), rel=1e-9, abs=1e-6)
