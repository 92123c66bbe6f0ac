"""One rounding rule and n/a for missing intervals, in `smesim inspect` and `compare` and
in the Python tables (scripts/smesim_analysis/tables.py): the shared cases of
tests/analysis/rounding_cases.txt, and a file whose survival is 49.25%, printed by both."""

import numpy as np
import pytest
import xarray as xr

import smesim_analysis as sa
from h5compare import SOURCE, run_smesim
from smesim_analysis.tables import rounded

CASES = [line.split() for line in (SOURCE / "tests" / "analysis" / "rounding_cases.txt").read_text().splitlines()
         if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("value, decimals, grouped, expected", CASES)
def test_python_rounds_as_smesim(value, decimals, grouped, expected):
    assert rounded(float(value), int(decimals), grouped == "1") == expected


def one_city_file(path, replications, alive_at_end):
    """A result file of one city, 400 SMEs at month 0 and `alive_at_end` of them in the
    last of 12 months, with what `smesim inspect` and `compare` read."""
    R, T = replications, 12
    dims = ("replication", "time", "city")
    alive = np.linspace(400.0, alive_at_end, T)[None, :, None].repeat(R, axis=0)
    exits = np.zeros((R, T, 1))
    exits[:, 1:, 0] = -np.diff(alive[0, :, 0])
    emp = 2000.0 + np.arange(R)[:, None, None] + np.zeros((R, T, 1))
    flow = np.full((R, T, 1), np.nan)
    flow[:, 11, :] = 100.0
    ds = xr.Dataset(
        {"firms_active": (dims, alive), "initial_cohort_alive": (dims, alive), "firms_exited_illiquid": (dims, exits),
         "employment": (dims, emp), "job_creation_annual": (dims, flow), "job_destruction_annual": (dims, flow),
         "firms_baseline": (("replication", "city"), np.full((R, 1), 400.0)),
         "employment_baseline": (("replication", "city"), np.full((R, 1), 2000.0))},
        coords={"replication": np.arange(R, dtype="int32"),
                "time": np.arange("2020-01", "2021-01", dtype="datetime64[M]").astype("datetime64[ns]"),
                "city": np.array(["Alpha"], dtype=object)})
    ds.attrs.update({"smesim_version": "test", "status": "complete", "start": "2020-01", "seed": 1,
                     "replications": R, "population_scale": 1.0, "burn_in_months": 0, "title": "one city",
                     "scenario": 'title = "one city"\n', "spending_variables": "", "money_rows": ""})
    ds.to_netcdf(path, engine="h5netcdf", encoding={"time": {"units": "days since 2020-01-01"}})
    return path


def test_inspect_and_python_round_49_25_alike_and_print_n_a_with_one_replication(tmp_path):
    path = one_city_file(tmp_path / "one.h5", 1, 197.0)   # survival 197 / 400 = 49.25%
    out = run_smesim("inspect", path)
    ds = sa.open_result(path)
    mine = sa.format_headline(sa.headline(ds), 1)
    assert mine in out
    row = [line for line in mine.splitlines() if line.startswith("Alpha")][0]
    assert "49.3 ±n/a" in row and "±0" not in out
    compare = run_smesim("compare", path, path, "--metric", "failures")
    assert "[0.00, 0.00]" not in compare and "n/a" in compare


def test_two_replications_have_intervals(tmp_path):
    path = one_city_file(tmp_path / "two.h5", 2, 197.0)
    out = run_smesim("inspect", path)
    ds = sa.open_result(path)
    assert sa.format_headline(sa.headline(ds), 2) in out
    assert "±n/a" not in out
