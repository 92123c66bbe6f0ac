"""smesim optimise as analysts read it: the result file from xarray (every evaluation a
row, consistent with its replicates, the counterfactual and the validation group), and
the figures of scripts/plot.py and the page of scripts/report.py.

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from smesim_analysis.report_html import number

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
PLOT = SOURCE / "scripts" / "plot.py"

PROBLEM = f"""
title = "two cities, job-years"
base = "{SOURCE / 'scenarios' / 'ccrs-2021.toml'}"
counterfactual = "{SOURCE / 'scenarios' / 'covid-no-support.toml'}"
set = ["simulation.population_scale=0.002", "simulation.months=36"]
replications = 2
evaluations = 8
validation_replications = 3

[objective]
measure = "job_years"
goal = "maximise"
first = "2021-01"

[budget]
total_usd = 4_000_000
key = "programme.grant_usd"
cities = ["bangkok", "jakarta"]

[[variables]]
name = "match_jakarta"
key = "cities.jakarta.programme.match_mode"
kind = "choice"
values = ["cash", "in_kind"]
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("optimise")
    (tmp / "opt.toml").write_text(PROBLEM)
    run = subprocess.run([str(BINARY), "optimise", "opt.toml", "-o", "opt.h5", "-q"], cwd=tmp,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return tmp, run.stdout


def test_result_file_is_consistent(result):
    tmp, out = result
    ds = xr.open_dataset(tmp / "opt.h5", engine="h5netcdf")
    val = xr.open_dataset(tmp / "opt.h5", engine="h5netcdf", group="validation")
    n = ds.sizes["evaluation"]
    assert 2 <= n <= 8
    assert ds.budget_share.dims == ("evaluation", "budget_city")
    assert list(ds.budget_city.values) == ["bangkok", "jakarta"]
    np.testing.assert_allclose(ds.budget_share.sum("budget_city"), 1.0)
    np.testing.assert_allclose(ds.budget_share.isel(evaluation=0), [0.5, 0.5])
    np.testing.assert_allclose(ds.budget_usd, ds.budget_share * 4e6)
    np.testing.assert_allclose(ds.objective, ds.objective_replicates.mean("replication"))
    np.testing.assert_allclose(ds.effect, (ds.objective_replicates - ds.counterfactual_objective).mean("replication"))
    assert (np.diff(ds.best_so_far.values) >= 0).all()  # maximise: the path never falls
    best = int(ds.attrs["best_evaluation"])
    assert ds.objective[best] == ds.objective.max()
    assert ds.design_match_jakarta.attrs["choices"] == "cash in_kind"
    assert float(ds.attrs["validation_best_minus_base"]) == pytest.approx(float((val.best - val.base).mean()))
    assert float(ds.attrs["validation_best_minus_counterfactual"]) == pytest.approx(
        float((val.best - val.counterfactual).mean()))
    assert ds.attrs["distinguishable_from_base"] in ("yes", "no")
    assert ds.attrs["conclusion"] in out
    assert "[budget]" in ds.attrs["optimisation"]


def test_plot_draws_three_figures_of_an_optimisation(result):
    tmp, _ = result
    done = subprocess.run([sys.executable, str(PLOT), str(tmp / "opt.h5"), "-o", str(tmp / "plots")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in ("convergence.png", "allocation.png", "validation.png"):
        assert (tmp / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_plot_refuses_a_missing_file(tmp_path):
    done = subprocess.run([sys.executable, str(PLOT), str(tmp_path / "none.h5")], capture_output=True, text=True)
    assert done.returncode == 2


def test_report_of_an_optimisation(result):
    """report.py writes a page with the conclusion, the validation's paired intervals (as
    the file holds them), the allocation and the three figures."""
    tmp, _ = result
    scripts = SOURCE / "scripts"
    done = subprocess.run([sys.executable, str(scripts / "report.py"), str(tmp / "opt.h5"), "-o", str(tmp / "o.html")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = (tmp / "o.html").read_text(encoding="utf-8")
    ds = xr.open_dataset(tmp / "opt.h5", engine="h5netcdf")
    assert html.escape(ds.attrs["conclusion"]) in page
    assert "Validation on 3 fresh replications" in page
    mean, lo, hi = (float(ds.attrs["validation_best_minus_base" + s]) for s in ("", "_lo", "_hi"))
    decimals = 0 if abs(mean) >= 100 else 2
    assert f"[{number(lo, decimals)}, {number(hi, decimals)}]" in page
    assert ">bangkok<" in page and ">jakarta<" in page
    assert page.count("data:image/png;base64,") == 3


def test_jobs_per_usd_million_is_compares_ratio(tmp_path):
    """The ratio objective: each evaluation's mean is `smesim compare`'s jobs_per_usd_million
    of that run against the counterfactual run with the same seed; cost_per_job_year and a
    ratio without a counterfactual are refused."""
    problem = PROBLEM.replace('measure = "job_years"', 'measure = "jobs_per_usd_million"').replace(
        "evaluations = 8", "evaluations = 3")
    (tmp_path / "opt.toml").write_text(problem)
    run = subprocess.run([str(BINARY), "optimise", "opt.toml", "-o", "opt.h5", "-q", "--keep-runs"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    ds = xr.open_dataset(tmp_path / "opt.h5", engine="h5netcdf")
    assert ds.objective.attrs["units"] == "job-years per USD 1M"
    runs = tmp_path / "opt.h5.runs"
    done = subprocess.run([str(BINARY), "compare", str(runs / "counterfactual.h5"), str(runs / "evaluation-0000.h5"),
                           "--metric", "jobs_per_usd_million", "--over", "2021-01:2022-12", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [r for r in json.loads(done.stdout)["rows"] if r["city"] == "All cities"]
    assert float(ds.objective[0]) == pytest.approx(rows[0]["paired"]["mean"], rel=1e-9)
    assert float(ds.objective_lo[0]) == pytest.approx(rows[0]["paired"]["lo"], rel=1e-9)
    for measure, message in (("cost_per_job_year", "maximise its inverse"), ("jobs_per_usd_million", "counterfactual")):
        text = problem.replace('measure = "jobs_per_usd_million"', f'measure = "{measure}"')
        if measure == "jobs_per_usd_million":
            text = "\n".join(line for line in text.splitlines() if not line.startswith("counterfactual"))
        (tmp_path / "bad.toml").write_text(text)
        bad = subprocess.run([str(BINARY), "optimise", "bad.toml", "-o", "bad.h5"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and message in bad.stderr and "objective.measure" in bad.stderr, bad.stderr
        assert not (tmp_path / "bad.h5").exists()
