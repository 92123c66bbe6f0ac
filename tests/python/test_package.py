"""The analysis package as analysts and the scripts import it: installed editable with
Debian's tools as docs/ANALYSIS.md (section 2) says, and the scripts run from any folder
without PYTHONPATH. Environment: SMESIM_SOURCE_DIR.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(os.environ.get("SMESIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
VENV = "~/.venvs/smesim"


def install_commands():
    """The shell lines of ANALYSIS.md that make the virtual environment and install into it."""
    text = (SOURCE / "docs" / "ANALYSIS.md").read_text()
    lines = [line.strip() for line in text.splitlines() if line.startswith(f"    {VENV}/bin/python -m pip install")
             or line.startswith("    python3 -m venv")]
    assert len(lines) == 2, f"docs/ANALYSIS.md: expected the venv and pip install lines, found {lines}"
    return lines


def without_pythonpath():
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_editable_install_as_analysis_md_says(tmp_path):
    tree = tmp_path / "smesim"
    (tree / "docs").mkdir(parents=True)
    shutil.copy(SOURCE / "pyproject.toml", tree)
    shutil.copy(SOURCE / "docs" / "ANALYSIS.md", tree / "docs")
    shutil.copytree(SOURCE / "scripts" / "smesim_analysis", tree / "scripts" / "smesim_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    for line in install_commands():
        cmd = line.replace(VENV, str(venv)).replace("python3 ", f"{sys.executable} ", 1)
        done = subprocess.run(cmd, shell=True, cwd=tree, env=without_pythonpath(), capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{cmd}\n{done.stdout}{done.stderr}"
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import smesim_analysis as sa; print(sa.__file__)"],
                          cwd=tmp_path, env=without_pythonpath(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tree / "scripts" / "smesim_analysis" / "__init__.py"
    assert sorted(p.name for p in (tree / "scripts").iterdir()) == ["smesim_analysis"], "the install wrote there"


def test_scripts_run_from_any_folder_without_pythonpath(tmp_path):
    for script in ("plot.py", "report.py", "validate.py", "calibrate.py", "morris.py", "sobol.py"):
        done = subprocess.run([sys.executable, str(SOURCE / "scripts" / script), "--help"], cwd=tmp_path,
                              env=without_pythonpath(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{script} --help from {tmp_path}:\n{done.stderr}"
        assert "usage:" in done.stdout, script


def test_no_sys_path_edits_in_scripts_and_tests():
    files = sorted((SOURCE / "scripts").rglob("*.py")) + sorted((SOURCE / "tests" / "python").glob("*.py"))
    edits = [f"{f.relative_to(SOURCE)}:{i}" for f in files
             for i, line in enumerate(f.read_text().splitlines(), start=1)
             if re.search(r"sys\.path\.(insert|append|extend)|sys\.path\s*=", line)]
    assert edits == [], "put the package on the path with PYTHONPATH or pyproject.toml, not in code"
