"""Shared by the tests that run the documentation (test_docs_run*.py, test_walkthrough.py):
the fenced code blocks of a Markdown file, and a scratch directory laid out like the
repository in which to run them exactly as written.

A block is a fence with a language (```sh, ```python, ```r); fences without one (formulas,
output) are text. An HTML comment on the line before a fence says what to do with it:

    <!-- not run: REASON -->   not run (an install, the whole test suite, a cluster); counted
    <!-- file: NAME -->        written to NAME in the scratch directory before any block runs,
                               for a block to run ("the script below, saved as NAME")

The scratch directory has scripts/ and scenarios/ of the source tree and build/smesim, the
binary under test (SMESIM_BINARY) behind a small wrapper that appends
`--set simulation.population_scale=SCALE --set simulation.replications=2` to `run` and
`sweep`, so that the blocks, which name the shipped scenarios at their sizes, run in
seconds. Nothing else changes: the commands are the documentation's, character for
character.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from h5compare import BINARY, SOURCE

LANGUAGES = ("sh", "python", "r")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
DIRECTIVE = re.compile(r"<!--\s*(not run|file):\s*(.*?)\s*-->\s*\Z", re.S)
SMALL = ("--set", "simulation.population_scale=0.002", "--set", "simulation.replications=2")


@dataclass
class Block:
    doc: str
    line: int            # line of the opening fence, 1-based
    lang: str
    code: str
    not_run: str = ""    # the reason, for a block marked <!-- not run: ... -->
    file: str = ""       # the name, for a block marked <!-- file: ... -->

    def where(self):
        return f"{self.doc}:{self.line} ({self.lang})"


def blocks(doc):
    """The code blocks of SOURCE/doc (e.g. "docs/OUTPUT.md") that have a language, in order."""
    text = (SOURCE / doc).read_text(encoding="utf-8")
    out = []
    for match in FENCE.finditer(text):
        lang, code = match.group(1), match.group(2)
        if not lang:
            continue
        assert lang in LANGUAGES, f"{doc}: a code block in an unknown language '{lang}'"
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        block = Block(doc, text.count("\n", 0, match.start()) + 1, lang, code)
        directive = DIRECTIVE.search(before)
        if directive:
            kind, value = directive.groups()
            assert value, f"{block.where()}: <!-- {kind}: --> needs a reason or a name"
            if kind == "not run":
                block.not_run = value
            else:
                block.file = value
        out.append(block)
    return out


def scratch(root, small=True):
    """Lay out root like the repository: scripts/, scenarios/, build/smesim."""
    root = Path(root)
    (root / "build").mkdir(exist_ok=True)
    (root / "scripts").symlink_to(SOURCE / "scripts")
    (root / "scenarios").symlink_to(SOURCE / "scenarios")
    binary = root / "build" / "smesim"
    if small:
        binary.write_text(
            "#!/bin/sh\n# docs test: the shipped scenarios at a small scale (tests/python/docblocks.py)\n"
            f'case "$1" in run|sweep) exec {shlex.quote(str(BINARY.resolve()))} "$@" {" ".join(SMALL)} ;; esac\n'
            f'exec {shlex.quote(str(BINARY.resolve()))} "$@"\n')
        binary.chmod(0o755)
    else:
        binary.symlink_to(BINARY.resolve())
    return root


def command(block, root, index):
    """The command that runs block as written, or None for a block that is not run."""
    if block.not_run or block.file:
        return None
    if block.lang == "sh":
        return ["bash", "-e", "-o", "pipefail", "-c", block.code]
    if block.lang == "python":
        script = root / f"block{index}.py"
        script.write_text(block.code, encoding="utf-8")
        return [sys.executable, "-W", "error", str(script)]
    script = root / f"block{index}.R"
    script.write_text(block.code, encoding="utf-8")
    return ["Rscript", str(script)]


def write_files(blocks, root):
    """Write the blocks marked <!-- file: NAME --> into root."""
    for block in blocks:
        if block.file:
            (Path(root) / block.file).write_text(block.code, encoding="utf-8")


def run(block, root, index, env=None, with_r=False):
    """Run block in root; the CompletedProcess, or None when it is not run."""
    if block.lang == "r" and not with_r:
        return None
    cmd = command(block, root, index)
    if cmd is None:
        return None
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=900)


def failure(block, proc):
    """A message for a block that failed: where, the code, and what it printed."""
    return (f"{block.where()} failed with exit code {proc.returncode}:\n{block.code}\n"
            f"--- stdout (end):\n{proc.stdout[-3000:]}\n--- stderr:\n{proc.stderr[-3000:]}")


def r_available():
    if shutil.which("Rscript") is None:
        return False
    proc = subprocess.run(["Rscript", "-e", "library(hdf5r)"], capture_output=True, text=True, timeout=120)
    return proc.returncode == 0


def run_doc(doc, tmp_path):
    """Run every block of doc in order in a small-scale scratch directory, asserting that
    each succeeds (and that Python blocks print nothing to stderr); the number run."""
    root = scratch(tmp_path)
    with_r = r_available()
    ran = 0
    found = blocks(doc)
    write_files(found, root)
    for i, block in enumerate(found):
        proc = run(block, root, i, with_r=with_r)
        if proc is None:
            continue
        assert proc.returncode == 0, failure(block, proc)
        if block.lang == "python":
            assert proc.stderr == "", f"{block.where()} wrote to stderr:\n{block.code}\n{proc.stderr}"
        ran += 1
    assert ran > 0
    return ran
