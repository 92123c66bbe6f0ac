"""Sobol indices: the estimator of scripts/sobol.py on the Ishigami function (known
indices), and a Sobol sweep end to end (the design in the file, the script's table).

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import sobol

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SOBOL = SOURCE / "scripts" / "sobol.py"

# Ishigami (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x uniform on [-pi, pi]^3.
A, B = 7.0, 0.1
VAR = A ** 2 / 8 + B * np.pi ** 4 / 5 + B ** 2 * np.pi ** 8 / 18 + 0.5
V1 = 0.5 * (1 + B * np.pi ** 4 / 5) ** 2
V2 = A ** 2 / 8
V13 = B ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
FIRST = np.array([V1, V2, 0.0]) / VAR            # 0.3139, 0.4424, 0
TOTAL = np.array([V1 + V13, V2, V13]) / VAR      # 0.5576, 0.4424, 0.2437


def ishigami(x):
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def saltelli_points(n, k, rng):
    """N (K + 2) points in the order of smesim's Sobol design: A_j, B_j, AB_j^1..K."""
    a, b = rng.uniform(-np.pi, np.pi, (n, k)), rng.uniform(-np.pi, np.pi, (n, k))
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.stack(blocks, axis=1).reshape(-1, k)


def test_ishigami_indices_are_recovered():
    assert np.allclose(FIRST, [0.3139, 0.4424, 0.0], atol=1e-4)
    assert np.allclose(TOTAL, [0.5576, 0.4424, 0.2437], atol=1e-4)
    y = ishigami(saltelli_points(20000, 3, np.random.default_rng(3)))
    rows = {r["parameter"]: r for r in sobol.sobol_table(y, ["x1", "x2", "x3"], samples=200, seed=2)}
    for i, name in enumerate(["x1", "x2", "x3"]):
        r = rows[name]
        assert abs(r["first"] - FIRST[i]) < 0.03, (name, r)
        assert abs(r["total"] - TOTAL[i]) < 0.03, (name, r)
        assert r["first_lo"] - 0.01 <= FIRST[i] <= r["first_hi"] + 0.01, (name, r)
        assert r["total_lo"] - 0.01 <= TOTAL[i] <= r["total_hi"] + 0.01, (name, r)
    assert [r["parameter"] for r in sobol.sobol_table(y, ["x1", "x2", "x3"], samples=50)] == ["x1", "x2", "x3"]
    # A large level (failures are ~10^6, their differences ~10^3) changes nothing: the estimator is centred.
    shifted = {r["parameter"]: r for r in sobol.sobol_table(y + 1e6, ["x1", "x2", "x3"], samples=50)}
    for name, r in rows.items():
        assert abs(shifted[name]["first"] - r["first"]) < 1e-6
        assert abs(shifted[name]["total"] - r["total"]) < 1e-6


def test_bootstrap_intervals_shrink_with_more_samples():
    rng = np.random.default_rng(5)
    small = sobol.sobol_table(ishigami(saltelli_points(500, 3, rng)), ["x1", "x2", "x3"], samples=200)
    large = sobol.sobol_table(ishigami(saltelli_points(8000, 3, rng)), ["x1", "x2", "x3"], samples=200)
    width = {r["parameter"]: r["total_hi"] - r["total_lo"] for r in small}
    for r in large:
        assert r["total_hi"] - r["total_lo"] < width[r["parameter"]] / 2


SWEEP = f"""
base = "{SOURCE / 'scenarios' / 'no-shock.toml'}"
design = "sobol"
points = 4
replications = 1
[[parameters]]
key = "firms.demand_volatility"
min = 0.10
max = 0.30
[[parameters]]
key = "firms.capability_beta_b"
min = 3
max = 7
"""


def test_sobol_sweep_end_to_end(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(SWEEP)
    out = tmp_path / "sobol.h5"
    run = subprocess.run([str(BINARY), "sweep", str(sweep), "-o", str(out), "-q",
                          "--set", "simulation.population_scale=0.004", "--set", "simulation.months=12"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    res = subprocess.run([sys.executable, str(SOBOL), str(out), "--metric", "failures", "--json",
                          "--bootstrap", "50", "-o", str(tmp_path / "sobol.png")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    table = json.loads(res.stdout)
    assert table["samples"] == 4
    assert {r["parameter"] for r in table["parameters"]} == {"firms_demand_volatility", "firms_capability_beta_b"}
    assert (tmp_path / "sobol.png").stat().st_size > 0


def test_sobol_refuses_other_files(tmp_path):
    res = subprocess.run([sys.executable, str(SOBOL), str(tmp_path / "none.h5")], capture_output=True, text=True)
    assert res.returncode == 2
