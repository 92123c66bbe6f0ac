#!/usr/bin/python3
"""Kill a run at random moments with SIGKILL, resume it, and check every result is bitwise
the uninterrupted one.

    scripts/kill-loop.py [--trials 50] [--binary build/smesim] [--seed 1] [--kills 3]

One reference run first (the default scenario, 16 replications, 24 months, firm
snapshots: every record table). Then each trial starts the same run into a fresh folder,
sends SIGKILL after a random delay within the reference's run time, and resumes it with
`--resume` (itself killed again, up to --kills times in all, at random), until a resume
finishes. Each trial must end with the final file and no partial, journal or lock left behind (a
partial file torn by a kill is kept as run.h5.partial.damaged and rebuilt from the item
journal; those are counted), and its file must equal the reference dataset by dataset, bit for bit
(scripts/same_results.py). A kill may land before the partial file exists (the next
attempt then runs without --resume, which refuses when there is nothing to resume), while
it is written, or after the run finished.
Prints one line per trial and a summary; exit 0 if every trial passed, 1 otherwise.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from same_results import compare

ROOT = Path(__file__).resolve().parent.parent
RUN = ["run", str(ROOT / "scenarios" / "ccrs-2021.toml"), "-r", "16", "--set", "simulation.months=24",
       "--set", "simulation.population_scale=0.005", "--output", "firms", "-q", "--threads", "2"]


def killed_after(binary, out, delay, resume):
    """Runs (or resumes) into `out`, SIGKILLed after `delay` seconds unless it ends first;
    returns the exit code (-9 when killed)."""
    proc = subprocess.Popen([str(binary), *RUN, "-o", str(out), *(["--resume"] if resume else [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    if proc.returncode not in (0, -9):
        raise RuntimeError(f"exit {proc.returncode}: {err.strip()}")
    return proc.returncode


def trial(binary, reference, seconds, rng, kills, folder):
    """One trial; returns (kills sent, partial files rebuilt from the journal, problems)."""
    out = folder / "run.h5"
    sent, resume = 0, False
    while True:
        last = sent == kills
        code = killed_after(binary, out, 3600 if last else rng.uniform(0.05, seconds), resume)
        if code == 0:
            break
        sent += 1
        # A kill before the partial file existed leaves nothing to resume: run afresh.
        resume = (folder / "run.h5.partial").exists()
    rebuilt = (folder / "run.h5.partial.damaged").exists()
    expected = ("run.h5", "run.h5.partial.damaged")
    problems = [f"left behind: {p.name}" for p in folder.iterdir() if p.name not in expected]
    if not out.exists():
        return sent, rebuilt, problems + ["no result file"]
    differences, _ = compare(str(reference), str(out))
    return sent, rebuilt, problems + differences


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--kills", type=int, default=3, help="most SIGKILLs per trial (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the kill times")
    ap.add_argument("--binary", default=os.environ.get("SMESIM_BINARY", str(ROOT / "build" / "smesim")))
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    failed, total_kills, total_rebuilt = 0, 0, 0
    with tempfile.TemporaryDirectory(prefix="smesim-kill-") as work:
        reference = Path(work) / "reference.h5"
        started = time.time()
        subprocess.run([args.binary, *RUN, "-o", str(reference)], check=True)
        seconds = time.time() - started
        print(f"kill-loop: reference run {seconds:.1f} s; {args.trials} trials, up to {args.kills} kills each")
        for t in range(1, args.trials + 1):
            folder = Path(work) / f"trial-{t}"
            folder.mkdir()
            kills, rebuilt, problems = trial(args.binary, reference, seconds, rng, rng.randint(1, args.kills), folder)
            total_kills, total_rebuilt, failed = total_kills + kills, total_rebuilt + rebuilt, failed + bool(problems)
            outcome = "; ".join(problems) if problems else "resumed to the reference's bits"
            note = ", partial file rebuilt from the journal" if rebuilt else ""
            print(f"kill-loop: trial {t}: {kills} SIGKILL(s){note}, {outcome}", flush=True)
    print(f"kill-loop: {args.trials - failed} of {args.trials} trials bitwise identical after {total_kills} "
          f"SIGKILLs in all; {total_rebuilt} torn partial files rebuilt from the item journal")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
