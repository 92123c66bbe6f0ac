"""Calibration (scripts/calibrate.py): its optimiser, its input checks and the pattern
measures it fits. The slow rerun of the committed fit is in test_calibration_reproduces.py.
Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import calibrate  # scripts/calibrate.py, on the path by pyproject.toml's pytest settings
from smesim_analysis import patterns, shock

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CALIBRATE = SOURCE / "scripts" / "calibrate.py"


def run(*args):
    return subprocess.run([sys.executable, str(CALIBRATE), *map(str, args), "--binary", str(BINARY)],
                          capture_output=True, text=True, timeout=1200)


def test_tail_exponent_recovers_a_known_power_law():
    rng = np.random.default_rng(1)
    n = np.arange(10, 50)
    for alpha in (0.8, 1.06, 1.5):
        p = n ** -(1.0 + alpha)
        sizes = rng.choice(n, size=20000, p=p / p.sum())
        assert abs(patterns.tail_exponent(sizes) - alpha) < 0.05


def test_nelder_mead_finds_the_minimum_of_a_quadratic_in_the_box():
    calls = []

    def f(x):
        calls.append(x)
        return float(((x - np.array([0.3, 0.8])) ** 2).sum())

    x, value = calibrate.nelder_mead(f, [0.5, 0.5], 0.15, 1e-4, 400, lambda: len(calls))
    assert np.allclose(x, [0.3, 0.8], atol=1e-3) and value < 1e-5
    # A minimum outside the box is found on its boundary.
    calls.clear()
    x, _ = calibrate.nelder_mead(lambda x: (calls.append(x), float(((x - 1.5) ** 2).sum()))[1],
                                 [0.5, 0.5], 0.15, 1e-4, 400, lambda: len(calls))
    assert np.allclose(x, [1.0, 1.0], atol=1e-3)


GOOD = """title = "t"
scenario = "{scenario}"
fragment = "out.toml"
report = "report"
[optimiser]
max_evaluations = 5
tolerance = 0.01
[[parameters]]
key = "firms.demand_volatility"
min = 0.1
max = 0.3
start = 0.15
[[targets]]
moment = "exit_rate"
value = 0.09
scale = 0.01
source = "s"
"""


@pytest.mark.parametrize("change, message", [
    (("title = \"t\"", "title = \"t\"\nstage = 3"), ":2: stage: unknown key 'stage'"),
    (("title = \"t\"", "title = \"t\"\nmoments = 3"), ":2: moments: expected one of steady_state, shock, found 3"),
    (("title = \"t\"", "title = \"t\"\nmoments = \"shock\""), ":15: targets[0].moment: unknown shock moment"),
    (("title = \"t\"", "title = \"t\"\nbase = 1"), ":2: base: expected a file name"),
    (("max_evaluations = 5", "max_evaluations = \"5\""), ":6: [optimiser].max_evaluations: expected int"),
    (("moment = \"exit_rate\"", "moment = \"exit_rates\""), ":14: targets[0].moment: unknown steady_state moment"),
    (("start = 0.15", "start = 0.5"), ":12: parameters[0].start: (firms.demand_volatility) expected min"),
    (("scale = 0.01", "scale = 0"), ":16: targets[0].scale: expected a positive number"),
    (("value = 0.09", "value = nan"), ":15: targets[0].value: expected a finite number"),
    (("source = \"s\"\n", ""), ":13: targets[0].source: missing key"),
    (("scenario = \"{scenario}\"", "scenario = \"missing.toml\""), ":2: scenario: no such file"),
    (("tolerance = 0.01", "tolerance = 0.01\n[x"), "(at line 8"),  # TOML syntax error
])
def test_bad_calibration_files_exit_2_naming_file_and_key(tmp_path, change, message):
    text = GOOD.replace(*change).replace("{scenario}", str(SOURCE / "scenarios" / "no-shock.toml"))
    path = tmp_path / "bad.toml"
    path.write_text(text)
    done = run(path)
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and message in done.stderr, done.stderr
    assert not (tmp_path / "out.toml").exists()


def shock_run(tmp_path, *sets):
    out = tmp_path / "shock.h5"
    cmd = [str(BINARY), "run", str(SOURCE / "scenarios" / "covid-no-support.toml"), "-o", str(out), "--quiet",
           "--force", "--set", "simulation.population_scale=0.002", "--set", "simulation.replications=2",
           "--set", "simulation.months=12"]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True, capture_output=True)
    return shock.shock_responses(out)


def test_shock_moments_are_shares_and_follow_the_switches(tmp_path):
    m = shock_run(tmp_path)
    assert set(m) == set(shock.SHOCK_MOMENTS)
    for name, values in m.items():
        assert values.shape == (2,) and np.all((values > 0) & (values < 1)), (name, values)
    # Without hibernation nobody closes; without the hours margin nobody cuts hours.
    off = shock_run(tmp_path, "responses.hibernation=false", "responses.hours=false")
    assert np.all(off["closed_share_idn_tha"] == 0) and np.all(off["adjusted_share"] == 0)
    # A milder mapping gives a smaller first-wave sales drop.
    mild = shock_run(tmp_path, "stringency_mapping.scale=0.3")
    assert np.all(mild["sales_drop"] < m["sales_drop"])
