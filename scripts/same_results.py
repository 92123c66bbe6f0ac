#!/usr/bin/env python3
"""Compare two smesim result files dataset by dataset, bit for bit.

Usage: same_results.py A.h5 B.h5

Every dataset of every group must exist in both files with the same shape, type and
bytes (NaN payloads included). Attributes are provenance (command line, time, commit)
and are not compared. Exits 0 when the files hold the same results, 1 otherwise,
printing each difference.
"""
import sys

import h5py
import numpy as np


def datasets(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return out


def same_bits(x, y):
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.kind in "OSU":
        return np.array_equal(x, y)
    return x.tobytes() == y.tobytes()


def compare(path_a, path_b):
    problems = []
    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        da, db = datasets(fa), datasets(fb)
        for name in sorted(set(da) - set(db)):
            problems.append(f"only in {path_a}: {name}")
        for name in sorted(set(db) - set(da)):
            problems.append(f"only in {path_b}: {name}")
        common = sorted(set(da) & set(db))
        for name in common:
            x, y = da[name][()], db[name][()]
            x, y = np.asarray(x), np.asarray(y)
            if not same_bits(x, y):
                problems.append(f"differs: {name} ({x.dtype}{list(x.shape)} vs {y.dtype}{list(y.shape)})")
    return problems, len(common)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems, n = compare(argv[1], argv[2])
    for p in problems:
        print(p)
    print(f"{n} datasets compared, {len(problems)} differences: {argv[1]} vs {argv[2]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
