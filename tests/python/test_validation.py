"""The validation patterns (scripts/validate.py --quick --check): the steady state and
the 2020-2021 shock on reduced populations, each enforced pattern within its stated
tolerance (docs/VALIDATION.md lists them). CTest entry "python: validation".
Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR.
"""

import os
import subprocess
import sys
from pathlib import Path

BINARY = Path(os.environ.get("SMESIM_BINARY", "/work/main/build/smesim"))
SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def test_quick_validation_meets_every_enforced_pattern(tmp_path):
    done = subprocess.run([sys.executable, str(SOURCE / "scripts" / "validate.py"), "--quick", "--check",
                           "-o", str(tmp_path), "--binary", str(BINARY)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert not [line for line in lines if line.startswith("MISS")]
    assert sum(line.startswith("ok") for line in lines) >= 10
    doc = (tmp_path / "VALIDATION.md").read_text()
    for section in ("## Calibration", "### Stage 2: the shock side", "## Steady state", "## Shock period (2020-2021)",
                    "### Firm responses", "### What drives the no-support path"):
        assert section in doc
    for figure in ("size-distribution.png", "entrant-survival.png", "growth-volatility.png",
                   "shock-paths.png", "sector-failures.png", "responses.png"):
        assert (tmp_path / "validation" / figure).stat().st_size > 10000, figure
        assert f"validation/{figure}" in doc
