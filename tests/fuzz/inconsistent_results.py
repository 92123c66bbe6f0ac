#!/usr/bin/python3
"""Writes structurally valid but inconsistent copies of a small result file, as seeds for
the result-reader fuzz target (scripts/fuzz.sh): HDF5 that opens, with shapes, types and
values a result file must not have; and copies whose labels' global heap or a compressed
chunk is damaged so that HDF5 1.10 itself would loop for ever or overrun a buffer reading
them.

    tests/fuzz/inconsistent_results.py SMALL.h5 OUT_DIR
"""

import shutil
import sys
import zlib
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


def set_attr(attrs, name, value):
    """attrs[name] = value, deleting the old attribute first: h5py replaces an attribute
    of another type through a temporary attribute with a random name, which would make
    the seed's bytes differ from run to run."""
    del attrs[name]
    attrs[name] = value


def huge(f, name):
    """`name` as a chunked dataset of 2^40 values never written: HDF5 opens it (unwritten
    chunks read as fill values), but reading it whole would need 8 TB."""
    del f[name]
    f.create_dataset(name, shape=(2**40, 1, 1), chunks=(1, 1, 1), dtype="f8")


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
    "status-number": lambda f: set_attr(f.attrs, "status", 3),
    "version-missing": lambda f: f.attrs.__delitem__("smesim_version"),
    "units-garbage": lambda f: set_attr(f["time"].attrs, "units", "fortnights since never"),
    "string-variable": lambda f: replace(f, "employment", np.array([b"x"] * 3)),
    "empty-replication": lambda f: replace(f, "replication", np.zeros(0)),
    "variable-huge": lambda f: huge(f, "employment"),
}


def poke_heap(data, at, value, width):
    """`value` as `width` little-endian bytes at `at` bytes after the first global heap."""
    gcol = data.find(b"GCOL")
    assert gcol >= 0, "no global heap in the file"
    data[gcol + at:gcol + at + width] = value.to_bytes(width, "little")


def heap_object_size(data):
    gcol = data.find(b"GCOL")
    return int.from_bytes(data[gcol + 24:gcol + 32], "little")


def off_by_one(size):
    """A size one byte off that takes the same aligned space: the heap walk stays in step."""
    return size + 1 if size % 8 else size - 1


def short_chunk(data, small):
    """The first chunk of `employment` (shuffled and deflated) replaced by a zlib stream that
    inflates to one byte less than the chunk, padded to its stored size: HDF5 1.10 would copy
    past the end of the buffer it inflated into (a crash the reader fuzzer found)."""
    with h5py.File(small, "r") as f:
        ds = f["employment"]
        info = ds.id.get_chunk_info(0)
        need = int(np.prod(ds.chunks)) * ds.dtype.itemsize
    stream = zlib.compress(bytes(need - 1))
    assert len(stream) <= info.size, "the chunk is too small to hold the short stream"
    data[info.byte_offset:info.byte_offset + info.size] = stream + bytes(info.size - len(stream))


# Byte edits: the first object of the labels' global heap (index at +16, size at +24), on
# which HDF5 1.10 would loop for ever or copy past a buffer; and a short chunk.
BYTE_CASES = {
    "heap-loop": lambda b, small: (poke_heap(b, 16, 0, 2), poke_heap(b, 24, 0, 8)),
    "heap-overrun": lambda b, small: poke_heap(b, 24, off_by_one(heap_object_size(b)), 8),
    "chunk-short": short_chunk,
}


def main(argv):
    small, out = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for name, change in CASES.items():
        path = out / f"{name}.h5"
        shutil.copy(small, path)
        with h5py.File(path, "r+") as f:
            change(f)
    for name, change in BYTE_CASES.items():
        data = bytearray(small.read_bytes())
        change(data, small)
        (out / f"{name}.h5").write_bytes(data)
    print(f"inconsistent_results: {len(CASES) + len(BYTE_CASES)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
