"""Shared by the Python tests: where the binary and sources are, and comparing two result
files dataset by dataset (attributes such as creation time aside)."""

import os
from pathlib import Path

import h5py
import numpy as np

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))


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
