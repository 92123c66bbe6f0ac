"""The Python analysis layer: scripts/smesim_analysis (measures against hand-computed
values on a tiny file, and against `smesim inspect` and `smesim compare` on real runs) and
scripts/plot.py and scripts/report.py (without warnings). docs/ANALYSIS.md's code blocks
are run by test_walkthrough.py.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import json
import math
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest
import xarray as xr

import plot as plot_script  # scripts/plot.py, on the path by pyproject.toml's pytest settings
import report as report_script  # scripts/report.py
import smesim_analysis as sa
from h5compare import SOURCE, assert_same_comparison, run_smesim

SCRIPTS = SOURCE / "scripts"

T975_DF2 = 4.302652729749464  # qt(0.975, 2) in R
SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=24",
         "--set", "simulation.burn_in_months=12", "-q", "--force"]


# --- Student t ---------------------------------------------------------------------------

@pytest.mark.parametrize("df, expected", [(1, 12.706204736174694), (2, T975_DF2), (3, 3.1824463052837078),
                                          (19, 2.0930240544083092), (2.7, 3.3921483831737502),
                                          (9.5, 2.2441374614922949), (1000, 1.9623390808264076)])
def test_t_quantile_matches_r(df, expected):
    assert sa.t_quantile(0.975, df) == pytest.approx(expected, rel=1e-12)
    assert sa.t_quantile(0.025, df) == pytest.approx(-expected, rel=1e-12)


# --- a tiny file with hand-computed measures ------------------------------------------------

R, T, CITIES = 3, 13, ["Alpha", "Beta"]


def tiny_dataset(variant):
    """3 replications x 13 months (2020-01 to 2021-01) x 2 cities. Every SME fails at one a
    month; in B the first city has no failure in month 5 in replications 0 and 1, employs
    6 (r + 5) more workers from month 6 and is paid USD 70,000 in month 6."""
    r = np.arange(R)[:, None, None]
    base_firms = np.array([100.0, 50.0])
    base_emp = np.array([1000.0, 500.0])
    exits = np.ones((R, T, 2))
    emp = np.broadcast_to(base_emp + 10.0 * r, (R, T, 2)).copy()
    paid = np.zeros((R, T, 2))
    if variant == "B":
        exits[[0, 1], 5, 0] = 0
        emp[:, 6:, 0] += 6.0 * (np.arange(R)[:, None] + 5)
        paid[:, 6, 0] = 70000.0
    active = base_firms - np.cumsum(exits, axis=1)
    jc = np.full((R, T, 2), np.nan)
    jd = np.full((R, T, 2), np.nan)
    jc[:, 11, :] = [120.0, 60.0]
    jd[:, 11, :] = [60.0, 30.0]
    dims = ("replication", "time", "city")
    months = np.arange("2020-01", "2021-02", dtype="datetime64[M]").astype("datetime64[ns]")
    ds = xr.Dataset(
        {"firms_active": (dims, active), "initial_cohort_alive": (dims, active),
         "firms_exited_illiquid": (dims, exits), "employment": (dims, emp),
         "job_creation_annual": (dims, jc), "job_destruction_annual": (dims, jd),
         "programme_value_paid_usd": (dims, paid),
         "firms_baseline": (("replication", "city"), np.tile(base_firms, (R, 1))),
         "employment_baseline": (("replication", "city"), np.tile(base_emp, (R, 1)))},
        coords={"replication": np.arange(R, dtype="int32"), "time": months,
                "city": np.array(CITIES, dtype=object)})
    ds.attrs.update({"smesim_version": "test", "status": "complete", "start": "2020-01", "seed": 1,
                     "replications": R, "population_scale": 1.0, "title": f"tiny {variant}",
                     "scenario": f'title = "tiny {variant}"\n',
                     "spending_variables": "programme_value_paid_usd", "money_rows": ""})
    ds["programme_value_paid_usd"].attrs["spending_label"] = "Programme contracts paid"
    return ds


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    out = {}
    for variant in ("A", "B"):
        path = tmp / f"{variant}.h5"
        tiny_dataset(variant).to_netcdf(path, engine="h5netcdf",
                                        encoding={"time": {"units": "days since 2020-01-01",
                                                           "calendar": "standard"}})
        out[variant] = sa.open_result(path)
    return out


def values(ds, name, city, w=None):
    return list(sa.per_replication(ds, name, w).sel(city=city).values)


def test_tiny_file_opens_with_dates_and_names(tiny):
    a = tiny["A"]
    assert list(a.city.values) == CITIES
    assert str(a.time.values[0])[:10] == "2020-01-01" and str(a.time.values[-1])[:10] == "2021-01-01"
    assert sa.month_labels(a)[5] == "2020-06"


def test_tiny_measures_by_hand(tiny):
    a, b = tiny["A"], tiny["B"]
    assert values(a, "failures", "Alpha") == [13, 13, 13]
    assert values(b, "failures", "Alpha") == [12, 12, 13]
    assert values(b, "failures", "All cities") == [25, 25, 26]
    assert values(a, "survival", "Alpha") == pytest.approx([87, 87, 87])
    assert values(b, "survival", "Alpha") == pytest.approx([88, 88, 87])
    assert values(a, "survival", "All cities") == pytest.approx([100 * (87 + 37) / 150] * 3)
    assert values(a, "firms_active", "Beta") == [37, 37, 37]
    assert values(a, "net_jobs", "Alpha") == [0, 10, 20]          # employment 1000 + 10 r vs 1000
    assert values(b, "net_jobs", "Alpha") == [30, 46, 62]          # plus 6 (r + 5)
    assert values(a, "job_months", "Alpha") == [13 * 1000, 13 * 1010, 13 * 1020]
    assert values(b, "job_years", "Alpha") == pytest.approx([(13 * (1000 + 10 * r) + 7 * 6 * (r + 5)) / 12
                                                             for r in range(R)])
    # failures per 100 SME-years: 13 failures over 100 + 99 + ... + 88 SME-months at risk
    assert values(a, "annual_failure_rate", "Alpha") == pytest.approx([100 * 12 * 13 / 1222] * 3)
    # all exits: the file has no exogenous exits (firms_exited_other counts as 0)
    assert values(a, "annual_exit_rate", "Alpha") == pytest.approx([100 * 12 * 13 / 1222] * 3)
    assert values(b, "spending", "Alpha") == [70000] * 3
    assert values(b, "spending", "Beta") == [0] * 3


def test_tiny_window(tiny):
    b = tiny["B"]
    w = sa.window(b, over="2020-05:2020-08")
    assert (w.first, w.last, w.first_month, w.last_month) == (4, 7, "2020-05", "2020-08")
    assert values(b, "failures", "Alpha", w) == [3, 3, 4]
    assert values(b, "net_jobs", "Alpha", w) == [30, 36, 42]       # the month before the window: no extra staff
    at = sa.window(b, at="2020-03")
    assert (at.first, at.last) == (0, 2)
    assert values(b, "firms_active", "Alpha", at) == [97, 97, 97]
    with pytest.raises(sa.ComparisonError, match="outside"):
        sa.window(b, at="2022-01")
    with pytest.raises(sa.ComparisonError, match="before the start"):
        sa.window(b, over="2020-08:2020-05")


def test_tiny_comparison_by_hand(tiny):
    c = sa.compare(tiny["A"], tiny["B"])
    fail = c.get("failures", "Alpha")
    # B - A = (-1, -1, 0): mean -2/3, sd sqrt(1/3), se 1/3
    assert fail.paired.mean == pytest.approx(-2 / 3, rel=1e-12)
    assert fail.paired.lo == pytest.approx(-2 / 3 - T975_DF2 / 3, rel=1e-12)
    assert fail.paired.hi == pytest.approx(-2 / 3 + T975_DF2 / 3, rel=1e-12)
    # Welch: A has no variance, so df = 2 and the same half-width
    assert fail.unpaired.hi - fail.unpaired.mean == pytest.approx(T975_DF2 / 3, rel=1e-12)
    # job-years B - A = 3.5 (r + 5) = 17.5, 21, 24.5: mean 21, sd 3.5
    half = T975_DF2 * 3.5 / math.sqrt(3)
    jobs = c.get("job_years", "Alpha").paired
    assert (jobs.mean, jobs.lo, jobs.hi) == pytest.approx((21, 21 - half, 21 + half), rel=1e-12)
    per_million = c.get("jobs_per_usd_million", "Alpha").paired
    assert (per_million.mean, per_million.lo, per_million.hi) == pytest.approx(
        (300, (21 - half) / 0.07, (21 + half) / 0.07), rel=1e-12)
    cost = c.get("cost_per_job_year", "Alpha").paired
    assert (cost.mean, cost.lo, cost.hi) == pytest.approx(
        (70000 / 21, 70000 / (21 + half), 70000 / (21 - half)), rel=1e-12)
    # no spending difference in Beta: no ratios there; All cities equals Alpha
    assert c.get("jobs_per_usd_million", "Beta") is None
    assert c.get("cost_per_job_year", "All cities").paired.mean == pytest.approx(70000 / 21)
    # net jobs and annual failure rate as paired estimates
    net = sa.paired_difference(values(tiny["A"], "net_jobs", "Alpha"), values(tiny["B"], "net_jobs", "Alpha"))
    assert net.mean == pytest.approx(36)


def test_tiny_cost_per_job_year_without_interval_when_jobs_interval_includes_zero():
    jobs = sa.Estimate(5.0, -1.0, 11.0, 3)
    cost = sa.measures.cost_per(70000.0, jobs)
    assert cost.mean == 14000 and math.isnan(cost.lo) and math.isnan(cost.hi)
    assert cost.as_dict() == {"mean": 14000.0, "lo": None, "hi": None}


def test_tiny_headline_by_hand(tiny):
    rows = {r["city"]: r for r in sa.headline(tiny["A"])}
    alpha = rows["Alpha"]
    assert alpha["failures"].mean == 13 and alpha["survival"].mean == pytest.approx(0.87)
    # year end at month 11: 120 / mean(employment then, at baseline)
    expected = [120 / (0.5 * (1000 + 10 * r + 1000)) for r in range(R)]
    assert alpha["job_creation_rate"].mean == pytest.approx(np.mean(expected), rel=1e-12)
    assert rows["All cities"]["firms_start"].mean == 150


def test_tiny_paired_series(tiny):
    a, b = tiny["A"], tiny["B"]
    diff = sa.paired_series(a.employment, b.employment).sel(city="Alpha")
    assert list(diff["mean"].values[:6]) == [0] * 6
    assert diff["mean"].values[6] == pytest.approx(36)
    assert diff["hi"].values[6] - 36 == pytest.approx(T975_DF2 * 6 / math.sqrt(3), rel=1e-12)


# --- real runs: agreement with smesim inspect and compare -----------------------------------

@pytest.fixture(scope="module")
def small_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small")
    out = {}
    for name, scenario, extra in (("ccrs", "ccrs-2021", ["--output", "sectors"]),
                                  ("none", "covid-no-support", ["--output", "sectors"]),
                                  ("ccrs_summary", "ccrs-2021", []),
                                  ("none_summary", "covid-no-support", []),
                                  ("none_two", "covid-no-support", ["-r", "2"])):
        path = tmp / f"{name}.h5"
        replications = [] if "-r" in extra else ["-r", "3"]
        run_smesim("run", SOURCE / "scenarios" / f"{scenario}.toml", *SMALL, *replications, *extra, "-o", path)
        out[name] = path
    return out


@pytest.mark.parametrize("window", [[], ["--over", "2021-03:2021-11"], ["--at", "2021-08"],
                                    ["--over", "2021-06:2021-06"]])
def test_compare_agrees_with_smesim_compare(small_runs, window):
    a, b = small_runs["none"], small_runs["ccrs"]
    theirs = json.loads(run_smesim("compare", a, b, "--json", *window))
    kwargs = {window[0].lstrip("-"): window[1]} if window else {}
    mine = sa.compare(sa.open_result(a), sa.open_result(b), **kwargs).as_dict()
    assert any(r["measure"] == "cost_per_job_year" for r in theirs["rows"]) or window
    assert_same_comparison(mine, theirs)


def test_compare_measure_selection_agrees(small_runs):
    a, b = small_runs["none"], small_runs["ccrs"]
    metrics = ["survival", "jobs_per_usd_million"]
    theirs = json.loads(run_smesim("compare", a, b, "--json", *[x for m in metrics for x in ("--metric", m)]))
    mine = sa.compare(sa.open_result(a), sa.open_result(b), measures=metrics).as_dict()
    assert_same_comparison(mine, theirs)


@pytest.mark.parametrize("name", ["ccrs", "none"])
def test_headline_and_money_agree_with_smesim_inspect(small_runs, name):
    path = small_runs[name]
    out = run_smesim("inspect", path)
    ds = sa.open_result(path)
    assert sa.format_headline(sa.headline(ds), ds.sizes["replication"]) in out
    money = sa.format_money(ds)
    if name == "ccrs":
        assert money and money in out
    else:
        assert money == "" and "Programme and policy money" not in out


def test_every_spending_variable_in_a_file_is_in_spending(small_runs, tmp_path):
    """cost_per_job_year divides by `spending`: it sums every variable the file marks as
    public money spent on SMEs (a spending_label attribute), in Python and in smesim."""
    path = tmp_path / "stimulus.h5"
    run_smesim("run", SOURCE / "scenarios" / "covid-stimulus.toml", *SMALL, "-r", "3", "-o", path)
    ds, none = sa.open_result(path), sa.open_result(small_runs["none_summary"])
    marked = sorted(v for v in ds.data_vars if "spending_label" in ds[v].attrs)
    assert {"wage_subsidy_paid_usd", "grants_paid_usd", "programme_value_paid_usd"} <= set(marked)
    assert sorted(sa.spending_variables(ds)) == marked
    total = sum(sa.with_all_cities(ds[v]).sum("time") for v in marked)
    np.testing.assert_allclose(sa.spending(ds, sa.window(ds)).values, total.values, rtol=1e-12)
    theirs = json.loads(run_smesim("compare", small_runs["none_summary"], path, "--json", "--metric", "spending"))
    row = [r for r in theirs["rows"] if r["city"] == sa.ALL_CITIES][0]
    expected = float(total.sel(city=sa.ALL_CITIES).mean()) - float(sa.spending(none, sa.window(none))
                                                                   .sel(city=sa.ALL_CITIES).mean())
    assert row["paired"]["mean"] == pytest.approx(expected, rel=1e-9) and expected > 0


def test_unpairable_files_are_refused(small_runs):
    with pytest.raises(sa.ComparisonError, match="replications"):
        sa.compare(sa.open_result(small_runs["none_two"]), sa.open_result(small_runs["ccrs"]))
    proc = subprocess.run([sys.executable, str(SCRIPTS / "report.py"), small_runs["none_two"],
                           small_runs["ccrs"], "-o", small_runs["ccrs"].parent / "bad.html"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "replications" in proc.stderr
    assert not (small_runs["ccrs"].parent / "bad.html").exists()


def test_incomplete_file_is_refused(small_runs, tmp_path):
    import h5py
    partial = tmp_path / "partial.h5"
    shutil.copy(small_runs["none"], partial)
    with h5py.File(partial, "a") as f:
        f.attrs["status"] = "incomplete"
    with pytest.raises(sa.ResultFileError, match="complete"):
        sa.open_result(partial)


def test_funnel_adds_up(small_runs):
    path = small_runs["ccrs"]
    ds = sa.open_result(path)
    con = sa.open_contracts(path, ds)
    funnel = sa.funnel(ds, con)
    scale = ds.attrs["population_scale"]
    # awards and value awarded: the contracts table, city by city
    awarded = con.groupby("city_name").value_usd.sum()
    total = funnel.value_awarded_usd.isel(time=-1).sum("replication")
    for city, value in awarded.items():
        assert float(total.sel(city=city)) == pytest.approx(value)
    assert float(funnel.awards.isel(time=-1).sum()) == pytest.approx(len(con) / scale)
    # contractors alive in the award month: every SME contracted then
    month = sa.month_labels(ds).index(str(con.award_time.min())[:7])
    contracted = sa.measures.plain(ds.programme_smes_contracted).isel(time=month)
    assert np.allclose(funnel.contractors_alive.isel(time=month), contracted)


# --- plot.py ----------------------------------------------------------------------------------

def test_plot_script_draws_every_figure_without_warnings(small_runs, tmp_path):
    out = tmp_path / "plots"
    proc = subprocess.run([sys.executable, "-W", "error", str(SCRIPTS / "plot.py"), small_runs["ccrs"], "-o", out],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    expected = ["firms_active", "cohort_survival", "employment_index", "job_flows", "demand", "resilience",
                "programme_funnel", "policy_spending"]
    assert sorted(p.stem for p in out.glob("*.png")) == sorted(expected)
    for name in expected:
        png = out / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert str(png) in proc.stdout


def test_plot_script_skips_programme_and_spending_when_absent(small_runs):
    ds = sa.open_result(small_runs["none"])
    names = plot_script.plots(small_runs["none"], ds)
    assert "programme_funnel.png" not in names and "policy_spending.png" not in names
    assert "resilience.png" in names


# --- report.py without the sectors group -----------------------------------------------------

def test_report_without_sectors_says_so(small_runs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc, data = report_script.build([small_runs["none_summary"], small_runs["ccrs_summary"]],
                                        with_figures=False)
    assert 'class="note no-sectors"' in doc and "--output sectors" in doc
    theirs = json.loads(run_smesim("compare", small_runs["none_summary"], small_runs["ccrs_summary"], "--json"))
    assert_same_comparison(data["comparisons"][0]["compare"], theirs)
