"""scripts/precision.py on two tiny configurations: it runs the counterfactual, the
programme and the stimulus, compares them, and writes a table and results.json whose
intervals and precision per second are filled in; --from-json prints the same table
again without running anything."""

import json
import subprocess

from h5compare import BINARY, SOURCE

SCRIPT = SOURCE / "scripts" / "precision.py"


def test_precision_table_from_tiny_runs(tmp_path):
    run = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(BINARY), str(tmp_path), "--configs",
                          "0.002x3,0.004x3", "--threads", "1"], cwd=SOURCE, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    records = json.loads((tmp_path / "results.json").read_text())["configs"]
    assert [(r["scale"], r["replications"]) for r in records] == [(0.002, 3), (0.004, 3)]
    for record in records:
        assert set(record["wall"]) == {"cf", "programme", "stimulus"}
        for variant in ("programme", "stimulus"):
            jobs = record["results"][variant]["job_years"]
            assert jobs["half_width"] > 0 and jobs["lo"] < jobs["mean"] < jobs["hi"]
    table = (tmp_path / "table.md").read_text()
    assert "| 0.002 x 3 |" in table and "| 0.004 x 3 |" in table
    assert "1.00" in table  # precision relative to the first configuration
    assert not list(tmp_path.glob("*/*.h5"))  # removed without --keep
    again = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(BINARY), str(tmp_path / "again"), "--from-json",
                            str(tmp_path / "results.json")], cwd=SOURCE, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(table)
