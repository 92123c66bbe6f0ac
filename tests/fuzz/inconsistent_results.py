#!/usr/bin/python3
"""Writes structurally valid but inconsistent copies of a small result file, as seeds for
the result-reader fuzz target (scripts/fuzz.sh): HDF5 that opens, with shapes, types and
values a result file must not have.

    tests/fuzz/inconsistent_results.py SMALL.h5 OUT_DIR
"""

import shutil
import sys
from pathlib import Path

import h5py
import numpy as np


def replace(f, name, data):
    attrs = dict(f[name].attrs)
    del f[name]
    f[name] = data
    for k, v in attrs.items():
        if k not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
            f[name].attrs[k] = v


CASES = {
    "done-too-long": lambda f: replace(f, "replication_done", np.ones(7)),
    "done-nan": lambda f: replace(f, "replication_done", np.array([np.nan])),
    "variable-wrong-rank": lambda f: replace(f, "employment", np.zeros(3)),
    "variable-wrong-shape": lambda f: replace(f, "firms_active", np.zeros((2, 5, 1))),
    "variable-nan": lambda f: f["employment"].__setitem__((0, 0, 0), np.nan),
    "variable-inf": lambda f: f["revenue_usd"].__setitem__((0, 1, 0), np.inf),
    "time-shorter": lambda f: replace(f, "time", np.array([0.0])),
    "time-decreasing": lambda f: f["time"].__setitem__(slice(None), f["time"][()][::-1]),
    "city-labels-missing": lambda f: replace(f, "city", np.array([b"a", b"b", b"c"])),
    "status-number": lambda f: f.attrs.__setitem__("status", 3),
    "version-missing": lambda f: f.attrs.__delitem__("smesim_version"),
    "units-garbage": lambda f: f["time"].attrs.__setitem__("units", "fortnights since never"),
    "string-variable": lambda f: replace(f, "employment", np.array([b"x"] * 3)),
    "empty-replication": lambda f: replace(f, "replication", np.zeros(0)),
}


def main(argv):
    small, out = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for name, change in CASES.items():
        path = out / f"{name}.h5"
        shutil.copy(small, path)
        with h5py.File(path, "r+") as f:
            change(f)
    print(f"inconsistent_results: {len(CASES)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
