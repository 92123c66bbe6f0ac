"""The smesim result file as users read it: xarray, h5py, the netCDF and HDF5 tools,
scripts/plot.py, and the command-line errors for a bad scenario.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SCENARIO = SOURCE / "scenarios" / "ccrs-2021.toml"
PLOT = SOURCE / "scripts" / "plot.py"

# A small, fast version of the default scenario.
FAST = ["--set", "simulation.population_scale=0.002", "-r", "3",
        "--set", "simulation.months=24", "--set", "simulation.burn_in_months=12",
        "--output", "sectors", "-q", "--force"]
REPLICATIONS, MONTHS, CITIES = 3, 24, 8

# Provenance attributes expected to differ between two runs of the same scenario.
VOLATILE_ATTRS = {"created", "command_line"}


def run_smesim(*args, check=True):
    """Run the smesim binary; fail with its stderr if check and it does not exit 0."""
    assert BINARY.is_file(), f"smesim binary not found: {BINARY} (set SMESIM_BINARY)"
    proc = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True,
                          timeout=300)
    if check:
        assert proc.returncode == 0, f"smesim {' '.join(map(str, args))} failed:\n{proc.stderr}"
    return proc


def run_fast(path, *extra):
    """Run the fast scenario into path and return path."""
    run_smesim("run", SCENARIO, *FAST, *extra, "-o", path)
    return path


def text(value):
    """An HDF5 string attribute as str, whether h5py gives bytes or str."""
    return value.decode() if isinstance(value, bytes) else value


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """The result file of the fast scenario (default thread count)."""
    return run_fast(tmp_path_factory.mktemp("run") / "run.h5")


@pytest.fixture(scope="module")
def ds(result):
    with xr.open_dataset(result, engine="h5netcdf") as opened:
        yield opened.load()


@pytest.fixture(scope="module")
def sectors(result):
    with xr.open_dataset(result, engine="h5netcdf", group="sectors") as opened:
        yield opened.load()


@pytest.fixture(scope="module")
def threaded_runs(tmp_path_factory):
    """The fast scenario run with 1 and with 2 worker threads."""
    tmp = tmp_path_factory.mktemp("threads")
    return [run_fast(tmp / f"threads{n}.h5", "--threads", n) for n in (1, 2)]


# --- reading with xarray -----------------------------------------------------------

def test_dimensions_and_sizes(ds):
    assert ds.firms_active.dims == ("replication", "time", "city")
    assert ds.firms_active.shape == (REPLICATIONS, MONTHS, CITIES)


def test_time_decodes_to_monthly_dates(ds):
    time = ds["time"].values
    assert np.issubdtype(time.dtype, np.datetime64)
    assert time[0] == np.datetime64("2020-01-01")
    months = time.astype("datetime64[M]")
    assert np.all(np.diff(months) == np.timedelta64(1, "M"))
    assert np.all(months.astype("datetime64[D]") == time.astype("datetime64[D]"))  # day 1


def test_city_labels(ds):
    cities = [str(c) for c in ds["city"].values]
    assert "Bangkok" in cities and "Pune" in cities
    assert len(set(cities)) == CITIES


@pytest.mark.parametrize("group", ["root", "sectors"])
def test_every_variable_has_units_and_long_name(ds, sectors, group):
    data = ds if group == "root" else sectors
    for name, var in data.data_vars.items():
        assert var.attrs.get("units"), f"{group}/{name} has no units"
        assert var.attrs.get("long_name"), f"{group}/{name} has no long_name"


def test_sectors_group_dimensions(sectors):
    assert sectors.employment.dims == ("replication", "time", "city", "sector", "size_class")
    assert sectors.employment.shape[:3] == (REPLICATIONS, MONTHS, CITIES)


@pytest.mark.parametrize("name", ["employment", "firms_active", "jobs_created",
                                  "jobs_destroyed", "wage_bill_usd"])
def test_sectors_sum_to_city_totals(ds, sectors, name):
    total = sectors[name].sum(("sector", "size_class")).values
    np.testing.assert_allclose(total, ds[name].values, rtol=1e-12)


# --- provenance with h5py ----------------------------------------------------------

def test_provenance_attributes(result):
    with h5py.File(result, "r") as f:
        attrs = {k: text(v) for k, v in f.attrs.items()}
    for key in ("smesim_version", "git_commit", "command_line"):
        assert isinstance(attrs.get(key), str) and attrs[key], f"{key} missing or empty"
    assert "run" in attrs["command_line"]
    assert attrs["seed"] == 20210302
    assert "[simulation]" in attrs["scenario"]
    assert attrs["status"] == "complete"


# --- netCDF tools ------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("ncdump") is None, reason="ncdump (netcdf-bin) not installed")
def test_ncdump_reads_header(result):
    proc = subprocess.run(["ncdump", "-h", str(result)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "firms_active(replication, time, city)" in proc.stdout


# --- accounting identities ---------------------------------------------------------

def previous(stock, baseline):
    """stock[t-1] along time, with the month-0 baseline in place of stock[-1]."""
    return np.concatenate([baseline.values[:, None, :], stock.values[:, :-1, :]], axis=1)


def test_employment_identity(ds):
    expected = previous(ds.employment, ds.employment_baseline) \
        + ds.jobs_created.values - ds.jobs_destroyed.values
    np.testing.assert_allclose(ds.employment.values, expected, rtol=1e-9)


def test_firm_count_identity(ds):
    exits = ds.firms_exited_illiquid.values + ds.firms_exited_other.values
    expected = previous(ds.firms_active, ds.firms_baseline) + ds.firms_entered.values - exits
    np.testing.assert_allclose(ds.firms_active.values, expected, rtol=1e-9)


# --- determinism across thread counts ----------------------------------------------

def all_arrays(path):
    """{group/name: array} for every data variable of the root and sectors groups."""
    arrays = {}
    for group in (None, "sectors"):
        with xr.open_dataset(path, engine="h5netcdf", group=group) as data:
            for name, var in data.data_vars.items():
                arrays[f"{group or ''}/{name}"] = var.values
    return arrays


def provenance(path):
    with h5py.File(path, "r") as f:
        return {k: text(v) for k, v in f.attrs.items() if k not in VOLATILE_ATTRS}


def test_same_results_with_1_and_2_threads(result, threaded_runs):
    reference = all_arrays(result)
    for path in threaded_runs:
        arrays = all_arrays(path)
        assert arrays.keys() == reference.keys()
        for name, values in reference.items():
            np.testing.assert_array_equal(arrays[name], values, err_msg=f"{path.name}: {name}")


def test_same_provenance_with_1_and_2_threads(result, threaded_runs):
    reference = provenance(result)
    for path in threaded_runs:
        assert provenance(path) == reference


@pytest.mark.skipif(shutil.which("h5diff") is None, reason="h5diff (hdf5-tools) not installed")
@pytest.mark.parametrize("var", ["/firms_active", "/employment", "/sectors/employment"])
def test_h5diff_finds_no_difference(threaded_runs, var):
    one, two = threaded_runs
    proc = subprocess.run(["h5diff", "-q", str(one), str(two), var, var],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def run_in(directory, *args, env=None):
    """smesim with relative paths from `directory` (the recorded command line is then
    the same wherever the directory is)."""
    directory.mkdir()
    (directory / "smesim").symlink_to(BINARY)
    (directory / "scenarios").symlink_to(SOURCE / "scenarios")
    return subprocess.run(["./smesim", *args], cwd=directory, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_same_inputs_write_the_same_bytes(tmp_path):
    """With SOURCE_DATE_EPOCH, two runs of the same command on one thread write identical
    files: no object records the time it was written (the runs are more than a second
    apart). With more threads replications are written as they finish, so the values are
    the same but their place in the file can differ."""
    args = ["run", "scenarios/ccrs-2021.toml", *FAST, "--threads", "1", "-o", "run.h5"]
    first = run_in(tmp_path / "a", *args, env={"SOURCE_DATE_EPOCH": "86400"})
    time.sleep(1.1)
    second = run_in(tmp_path / "a-directory-with-a-longer-name", *args, env={"SOURCE_DATE_EPOCH": "86400"})
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one = (tmp_path / "a" / "run.h5").read_bytes()
    assert one == (tmp_path / "a-directory-with-a-longer-name" / "run.h5").read_bytes()
    with h5py.File(tmp_path / "a" / "run.h5", "r") as f:
        assert text(f.attrs["created"]) == "1970-01-02T00:00:00Z"


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "12x", " 86400", "", "99999999999999999999"])
def test_bad_source_date_epoch_is_refused_before_any_output(tmp_path, epoch):
    proc = run_in(tmp_path / "run", "run", "scenarios/ccrs-2021.toml", *FAST, "-o", "run.h5",
                  env={"SOURCE_DATE_EPOCH": epoch})
    assert proc.returncode == 2, proc.stderr
    assert f"SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01, found '{epoch}'" in proc.stderr
    assert not list((tmp_path / "run").glob("run.h5*"))


# --- scripts/plot.py ---------------------------------------------------------------

def run_plot(*args):
    return subprocess.run([sys.executable, "-W", "error", str(PLOT), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_plot_script_writes_pngs(result, tmp_path):
    out = tmp_path / "plots"
    proc = run_plot(result, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 5
    for png in pngs:
        assert png.stat().st_size > 0, f"{png.name} is empty"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png.name} is not a PNG"
        assert str(png) in proc.stdout


def test_plot_script_rejects_non_hdf5_file(tmp_path):
    bogus = tmp_path / "not-a-result.h5"
    bogus.write_text("hello\n")
    proc = run_plot(bogus, "-o", tmp_path / "plots")
    assert proc.returncode == 2
    assert "not-a-result.h5" in proc.stderr and "not an" in proc.stderr
    assert not (tmp_path / "plots").exists()


def test_plot_script_rejects_incomplete_file(result, tmp_path):
    partial = tmp_path / "incomplete.h5"
    shutil.copy(result, partial)
    with h5py.File(partial, "a") as f:
        f.attrs["status"] = "incomplete"
    proc = run_plot(partial, "-o", tmp_path / "plots")
    assert proc.returncode == 2
    assert "complete" in proc.stderr


# --- a bad scenario ----------------------------------------------------------------

MINIMAL_SCENARIO = """\
title = "minimal"

[simulation]
start = "2020-01"
months = 3
burn_in_months = 0
replications = 1
population_scale = 0.001
cities = ["x"]

[cities.x]
name = "X"
country = "Nowhere"
smes = 10000
wage_usd = 200
size_shares = { micro = 0.9, small = 0.09, medium = 0.01 }
sector_shares = { trade = 1.0 }
"""


def test_minimal_scenario_is_valid(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(MINIMAL_SCENARIO)
    run_smesim("validate", good)


def test_unknown_key_is_reported_with_a_suggestion(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL_SCENARIO + "\n[firms]\npayout_rat = 0.5\n")
    typo_line = bad.read_text().splitlines().index("payout_rat = 0.5") + 1
    out = tmp_path / "bad.h5"
    proc = run_smesim("run", bad, "-o", out, "-q", check=False)
    assert proc.returncode == 2, proc.stderr
    match = re.search(r"bad\.toml:(\d+)", proc.stderr)
    assert match, f"no file:line in stderr: {proc.stderr!r}"
    assert int(match.group(1)) == typo_line
    assert "did you mean 'payout_rate'" in proc.stderr
    assert not out.exists()
    assert not Path(f"{out}.partial").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]
