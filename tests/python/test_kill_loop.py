"""SIGKILL at random moments, then --resume: every result is bitwise the uninterrupted
one, and a partial file torn by a kill is rebuilt from the item journal
(scripts/kill-loop.py; a few trials here, 50 for docs/RELIABILITY.md).
Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import signal
import subprocess
import sys
import time

import pytest
from same_results import compare

from h5compare import BINARY, SOURCE


def test_killed_runs_resume_to_the_same_bits():
    done = subprocess.run([sys.executable, str(SOURCE / "scripts" / "kill-loop.py"), "--trials", "4", "--seed", "3",
                           "--binary", str(BINARY)], capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 of 4 trials bitwise identical" in done.stdout


def test_a_torn_partial_and_journal_tail_resume_to_the_same_bits(tmp_path):
    """What a kill can leave: a partial file HDF5 cannot read and a journal whose last
    record is torn. --resume sets the partial aside, cuts the torn record, rebuilds the
    file from the whole records and runs the rest: the uninterrupted run's bits."""
    run = [str(BINARY), "run", str(SOURCE / "scenarios" / "no-shock.toml"), "-r", "12", "-q", "--threads", "1",
           "--set", "simulation.months=12", "--set", "simulation.population_scale=0.003"]
    reference = tmp_path / "reference.h5"
    subprocess.run(run + ["-o", str(reference)], check=True, timeout=300)
    out = tmp_path / "run.h5"
    journal = tmp_path / "run.h5.partial.journal"
    partial = tmp_path / "run.h5.partial"
    proc = subprocess.Popen(run + ["-o", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while (not journal.exists() or journal.stat().st_size == 0) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)
    if out.exists():
        pytest.skip("the run finished before the signal arrived (machine too fast)")
    whole = partial.read_bytes()
    partial.write_bytes(whole[: len(whole) // 3])  # torn: HDF5 cannot read it back
    with open(journal, "ab") as j:
        j.write(b"SMJ1" + bytes(40))  # a record cut short by the kill
    # Another run's resume (another seed) must not replay this journal: refused, nothing moved.
    other = subprocess.run(run + ["-o", str(out), "--resume", "--seed", "9"], capture_output=True, text=True,
                           timeout=300)
    assert other.returncode == 2 and "belongs to another run" in other.stderr, other.stderr
    assert partial.exists() and journal.exists()
    done = subprocess.run(run + ["-o", str(out), "--resume"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "rebuilding it from the item journal" in done.stderr
    assert not journal.exists() and not partial.exists()
    assert not compare(str(reference), str(out))[0]
