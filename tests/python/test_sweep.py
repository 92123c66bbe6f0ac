"""Sweeps end to end: the point dimension and design table in the file, and Morris
screening recovering the known ranking on a scenario where one parameter dominates.

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import xarray as xr

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
MORRIS = SOURCE / "scripts" / "morris.py"

# demand_volatility drives liquidity failures; the Beta shape of capability does not
# touch them without a programme, nor does the young-firm age threshold much.
SWEEP = f"""
base = "{SOURCE / 'scenarios' / 'no-shock.toml'}"
design = "morris"
trajectories = 6
levels = 4
replications = 2
[[parameters]]
key = "firms.capability_beta_b"
min = 3
max = 7
[[parameters]]
key = "firms.demand_volatility"
min = 0.10
max = 0.30
[[parameters]]
key = "firms.young_age_months"
min = 18
max = 30
integer = true
"""


def test_morris_sweep_file_and_ranking(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(SWEEP)
    out = tmp_path / "morris.h5"
    run = subprocess.run([str(BINARY), "sweep", str(sweep), "-o", str(out), "-q",
                          "--set", "simulation.population_scale=0.004", "--set", "simulation.months=24"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds.firms_active.dims == ("point", "replication", "time", "city")
    assert ds.sizes["point"] == 6 * 4
    assert "design_firms_demand_volatility" in ds
    np.testing.assert_array_equal(ds.replication_done.values, 1.0)
    # Within a trajectory, consecutive points differ in one design column.
    units = np.column_stack([ds[v].values for v in ds.data_vars if v.startswith("design_unit_")])
    assert all((np.abs(np.diff(units[t * 4:(t + 1) * 4], axis=0)) > 1e-12).sum(axis=1).tolist() == [1, 1, 1]
               for t in range(6))
    res = subprocess.run([sys.executable, str(MORRIS), str(out), "--metric", "failures", "--json",
                          "-o", str(tmp_path / "morris.png")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)["parameters"]
    assert rows[0]["parameter"] == "firms_demand_volatility", rows
    assert rows[0]["mu"] > 0  # more volatility, more failures
    assert (tmp_path / "morris.png").stat().st_size > 0


def test_morris_refuses_other_files(tmp_path):
    res = subprocess.run([sys.executable, str(MORRIS), str(tmp_path / "none.h5")], capture_output=True, text=True)
    assert res.returncode == 2
