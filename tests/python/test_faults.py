"""Faults outside smesim: an output directory that does not exist (exit code 2 before the
run starts) and a file size limit hit mid-run (as a full disk would be; exit code 1). Both:
a clear error, no file under the final name, no crash.

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import resource
import subprocess

from h5compare import BINARY, SOURCE

RUN = [str(BINARY), "run", str(SOURCE / "scenarios" / "ccrs-2021.toml"), "-q", "-r", "40", "--threads", "2",
       "--set", "simulation.population_scale=0.01"]


def test_missing_output_directory(tmp_path):
    out = tmp_path / "no" / "such" / "dir" / "out.h5"
    p = subprocess.run(RUN + ["-o", str(out)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 2
    assert "/no/such/dir does not exist" in p.stderr
    assert not out.exists()


def test_file_size_limit_mid_run(tmp_path):
    out = tmp_path / "out.h5"

    def limit():  # 1.5 MB: the first replications fit, the rest do not
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_500_000, 1_500_000))

    p = subprocess.run(RUN + ["-o", str(out)], capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert p.returncode == 1, p.stderr[-2000:]
    assert "writing to disk failed" in p.stderr or "writing" in p.stderr
    # HDF5's own error stack is off on every thread that writes, not only the main one.
    assert "HDF5-DIAG" not in p.stderr, p.stderr[:2000]
    assert not out.exists(), "a failed run must not leave a file under the final name"
