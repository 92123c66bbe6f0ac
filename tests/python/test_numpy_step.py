"""scripts/numpy_step.py, issue 14's numpy reference of the monthly firm step: it runs
through entry, compaction and a year end, counts the living firm-months, and gives the
same count for the same seed with and without its malloc settings.
Environment: SMESIM_SOURCE_DIR.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SCRIPT = SOURCE / "scripts" / "numpy_step.py"


def run(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), "--firms", "3000", "--months", "25", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r": (\d+) firm-months, ([0-9.]+) processor s, ([0-9.e+]+) firm-months per", done.stdout)
    assert found, done.stdout
    return int(found[1]), float(found[3])


def test_counts_living_firm_months_the_same_way_for_a_seed():
    firm_months, rate = run("--seed", "7")
    # 3,000 firms at the start and entrants at about the exit rate: near 75,000 firm-months.
    assert 0.8 * 75000 < firm_months < 1.2 * 75000
    assert rate > 0
    assert run("--seed", "7", "--default-malloc")[0] == firm_months
    assert run("--seed", "8")[0] != firm_months
