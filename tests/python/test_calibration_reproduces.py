"""The committed calibrations are reproduced: scripts/calibrate.py --verify reruns the fits of
scenarios/calibration/steady-state.toml and shock.toml and checks that they give
scenarios/calibrated.toml and calibrated-shock.toml within the calibrations'
tolerance. Slow (minutes): a CTest entry of its own, "python: calibration reproduces".
Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import subprocess
import sys

import pytest

from h5compare import BINARY, SOURCE


@pytest.mark.parametrize("calibration, fragment", [("steady-state.toml", "calibrated.toml"),
                                                   ("shock.toml", "calibrated-shock.toml")])
def test_calibration_reproduces_the_committed_fit(calibration, fragment):
    before = (SOURCE / "scenarios" / fragment).read_text()
    done = subprocess.run([sys.executable, str(SOURCE / "scripts" / "calibrate.py"),
                           str(SOURCE / "scenarios" / "calibration" / calibration), "--verify",
                           "--binary", str(BINARY)], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is reproduced" in done.stderr
    assert (SOURCE / "scenarios" / fragment).read_text() == before  # --verify writes nothing
