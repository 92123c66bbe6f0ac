"""Shared by the Python tests: where the binary and sources are, running it, comparing two
result files dataset by dataset (attributes such as creation time aside) and two
comparisons (`smesim compare --json` against smesim_analysis) number by number."""

import math
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REL = 1e-9


def run_smesim(*args):
    assert BINARY.is_file(), f"smesim binary not found: {BINARY} (set SMESIM_BINARY)"
    proc = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"smesim {' '.join(map(str, args))} failed:\n{proc.stderr}"
    return proc.stdout


def close(x, y, scale=1.0):
    """x == y to REL relative (absolute REL x scale near 0); None/NaN match each other."""
    if x is None or y is None:
        return x is None and y is None
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return abs(x - y) <= REL * max(abs(y), abs(scale), 1e-300)


def datasets(path):
    """Every dataset of a file as a numpy array, by path."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def assert_same_data(a, b):
    """The two files hold the same datasets with the same values (NaN equals NaN)."""
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db)
    for name in da:
        np.testing.assert_array_equal(da[name], db[name], err_msg=name)


def assert_same_comparison(mine, theirs):
    assert [(r["measure"], r["city"]) for r in mine["rows"]] == [(r["measure"], r["city"]) for r in theirs["rows"]]
    assert (mine["first"], mine["last"], mine["replications"]) == (theirs["first"], theirs["last"],
                                                                   theirs["replications"])
    for m, t in zip(mine["rows"], theirs["rows"]):
        # differences near 0 are compared on the scale of the levels they come from
        scale = max(abs(t["a"]["mean"] or 0), abs(t["b"]["mean"] or 0))
        for part in ("a", "b", "paired", "unpaired"):
            for q in ("mean", "lo", "hi"):
                assert close(m[part][q], t[part][q], scale * 1e-3), (m["measure"], m["city"], part, q,
                                                                     m[part][q], t[part][q])
