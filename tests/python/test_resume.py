"""Interrupted runs: a signal leaves only a partial file (never one that looks complete),
--resume finishes it, and the result equals an uninterrupted run dataset by dataset.

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from h5compare import BINARY, SOURCE, assert_same_data
SCENARIO = SOURCE / "scenarios" / "ccrs-2021.toml"
# Enough replications that a signal after a second lands mid-run; firm snapshots on,
# so every kind of record table is resumed too.
RUN = ["run", str(SCENARIO), "-r", "24", "--set", "simulation.months=36", "--set", "simulation.population_scale=0.01",
       "--output", "firms", "-q"]


def interrupt(out, sig, after):
    """Start a run into out, send sig after `after` seconds; return the exit code."""
    proc = subprocess.Popen([str(BINARY), *RUN, "-o", str(out)], stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.h5"
    subprocess.run([str(BINARY), *RUN, "-o", str(out)], check=True, timeout=600)
    return out


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_then_resume_equals_uninterrupted(tmp_path, reference, sig):
    out = tmp_path / "run.h5"
    partial = Path(str(out) + ".partial")
    code, err = interrupt(out, sig, 1.5)
    if code == 0:
        pytest.skip("the run finished before the signal arrived (machine too fast)")
    assert code == 130, err
    assert "interrupted" in err
    assert not out.exists(), "an interrupted run must not leave a file under the final name"
    assert partial.exists()
    with h5py.File(partial, "r") as f:
        status = f.attrs["status"]
        assert (status.decode() if isinstance(status, bytes) else status) == "incomplete"
        done = f["replication_done"][()]
        assert np.nansum(done) < 24, "the run was stopped before the end"
    # inspect and compare refuse the partial file with a clear message.
    p = subprocess.run([str(BINARY), "inspect", str(partial)], capture_output=True, text=True)
    assert p.returncode == 2 and "incomplete" in p.stderr
    p = subprocess.run([str(BINARY), "inspect", str(partial), "--partial"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert f"{int(np.nansum(done))} replications" in p.stdout
    r = subprocess.run([str(BINARY), *RUN, "-o", str(out), "--resume"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert out.exists() and not partial.exists()
    assert_same_data(reference, out)


def test_sigkill_never_leaves_a_complete_looking_file(tmp_path):
    out = tmp_path / "run.h5"
    code, _ = interrupt(out, signal.SIGKILL, 1.0)
    if code == 0:
        pytest.skip("the run finished before the signal arrived")
    assert code == -signal.SIGKILL
    assert not out.exists()
    # Resuming either finishes the run or refuses the damaged partial file clearly.
    r = subprocess.run([str(BINARY), *RUN, "-o", str(out), "--resume"], capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 2), r.stderr
    if r.returncode == 2:
        assert "cannot resume" in r.stderr
    else:
        assert out.exists()


def test_resume_refuses_another_scenario_and_missing_partial(tmp_path):
    out = tmp_path / "run.h5"
    r = subprocess.run([str(BINARY), *RUN, "-o", str(out), "--resume"], capture_output=True, text=True)
    assert r.returncode == 2 and "nothing to resume" in r.stderr
    code, _ = interrupt(out, signal.SIGTERM, 1.0)
    if code == 0:
        pytest.skip("the run finished before the signal arrived")
    r = subprocess.run([str(BINARY), *RUN, "-o", str(out), "--resume", "--set", "firms.payout_rate=0.3"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "different scenario" in r.stderr
