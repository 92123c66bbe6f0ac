"""The documentation runs as written: every shell and Python block of README.md and
docs/OUTPUT.md (and of docs/ANALYSIS.md, by test_walkthrough.py with the same rules), in
order, in a scratch directory laid out like the repository (tests/python/docblocks.py:
build/smesim runs the shipped scenarios at a small scale). Blocks marked
`<!-- not run: REASON -->` are counted, and their number per file is fixed here, so a
block that stops running cannot quietly be marked away. R blocks run when Rscript and
hdf5r are installed.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import shutil
import subprocess

import pytest

import docblocks

# The blocks each document does not run, with the reasons given in the document.
NOT_RUN = {
    "README.md": 4,          # quick start and test suite (install, build), benchmarks, calibration, cluster
    "docs/OUTPUT.md": 1,     # mpirun on a cluster
    "docs/ANALYSIS.md": 0,
}
DOCS = ("README.md", "docs/OUTPUT.md")


def r_available():
    if shutil.which("Rscript") is None:
        return False
    proc = subprocess.run(["Rscript", "-e", "library(hdf5r)"], capture_output=True, text=True, timeout=120)
    return proc.returncode == 0


@pytest.mark.parametrize("doc", sorted(NOT_RUN))
def test_blocks_not_run_are_marked_and_counted(doc):
    blocks = docblocks.blocks(doc)
    assert {"sh", "python"} & {b.lang for b in blocks}
    skipped = [b for b in blocks if b.not_run]
    assert len(skipped) == NOT_RUN[doc], [(b.where(), b.not_run) for b in skipped]
    for b in skipped:
        assert len(b.not_run) > 10, f"{b.where()}: say why the block is not run"


@pytest.mark.parametrize("doc", DOCS)
def test_doc_runs_as_written(doc, tmp_path):
    root = docblocks.scratch(tmp_path)
    with_r = r_available()
    ran = 0
    blocks = docblocks.blocks(doc)
    docblocks.write_files(blocks, root)
    for i, block in enumerate(blocks):
        proc = docblocks.run(block, root, i, with_r=with_r)
        if proc is None:
            continue
        assert proc.returncode == 0, docblocks.failure(block, proc)
        if block.lang == "python":
            assert proc.stderr == "", f"{block.where()} wrote to stderr:\n{block.code}\n{proc.stderr}"
        ran += 1
    assert ran > 0
    print(f"{doc}: {ran} blocks ran")
