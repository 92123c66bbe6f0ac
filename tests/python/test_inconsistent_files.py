"""Structurally valid but inconsistent result files (tests/fuzz/inconsistent_results.py:
HDF5 that opens, with shapes, types and values a result file must not have): inspect
and compare exit 0 or 2 with one line naming the file, never crash or hang.
Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import subprocess
import sys

import pytest

from h5compare import BINARY, SOURCE

CASES = ["done-too-long", "done-nan", "variable-wrong-rank", "variable-wrong-shape", "variable-nan", "variable-inf",
         "time-shorter", "time-decreasing", "city-labels-missing", "status-number", "version-missing",
         "units-garbage", "string-variable", "empty-replication"]
# HDF5 itself would hang or overrun, or the reader allocate 8 TB: smesim must refuse
REFUSED = ["heap-loop", "heap-overrun", "chunk-short", "variable-huge"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inconsistent")
    small = folder / "small.h5"
    subprocess.run([str(BINARY), "run", str(SOURCE / "scenarios" / "ccrs-2021.toml"), "-r", "1", "-q", "-o", str(small),
                    "--set", "simulation.months=2", "--set", "simulation.burn_in_months=0",
                    "--set", 'simulation.cities=["melaka"]'], check=True, timeout=120)
    subprocess.run([sys.executable, str(SOURCE / "tests" / "fuzz" / "inconsistent_results.py"), str(small),
                    str(folder / "bad")], check=True, timeout=120)
    return folder


@pytest.mark.parametrize("case", CASES + REFUSED)
def test_inconsistent_file_is_refused_or_read_never_crashes(files, case):
    path = files / "bad" / f"{case}.h5"
    assert path.exists()
    for args in (["inspect", str(path), "--partial"], ["compare", str(files / "small.h5"), str(path)]):
        done = subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode in ((2,) if case in REFUSED else (0, 2)), (args, done.returncode, done.stderr)
        if done.returncode == 2:
            assert str(path) in done.stderr and done.stderr.count("\n") == 1, done.stderr
