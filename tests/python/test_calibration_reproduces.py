"""The committed calibration is reproduced: scripts/calibrate.py --verify reruns the fit of
scenarios/calibration/steady-state.toml and checks that it gives scenarios/calibrated.toml
within the calibration's tolerance. Slow (minutes): a CTest entry of its own, "python:
calibration reproduces". Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import subprocess
import sys

from h5compare import BINARY, SOURCE


def test_calibration_reproduces_the_committed_fit():
    before = (SOURCE / "scenarios" / "calibrated.toml").read_text()
    done = subprocess.run([sys.executable, str(SOURCE / "scripts" / "calibrate.py"),
                           str(SOURCE / "scenarios" / "calibration" / "steady-state.toml"), "--verify",
                           "--binary", str(BINARY)], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is reproduced" in done.stderr
    assert (SOURCE / "scenarios" / "calibrated.toml").read_text() == before  # --verify writes nothing
