"""The documentation runs as written: every shell and Python block of README.md (and of
docs/OUTPUT.md in test_docs_run_output.py, docs/ANALYSIS.md in test_walkthrough.py, with
the same rules), in order, in a scratch directory laid out like the repository (tests/python/docblocks.py:
build/smesim runs the shipped scenarios at a small scale). Blocks marked
`<!-- not run: REASON -->` are counted, and their number per file is fixed here, so a
block that stops running cannot quietly be marked away. R blocks run when Rscript and
hdf5r are installed.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import pytest

import docblocks

# The blocks each document does not run, with the reasons given in the document.
NOT_RUN = {
    "README.md": 4,          # quick start and test suite (install, build), benchmarks, calibration, cluster
    "docs/OUTPUT.md": 1,     # mpirun on a cluster
    "docs/ANALYSIS.md": 0,
}


@pytest.mark.parametrize("doc", sorted(NOT_RUN))
def test_blocks_not_run_are_marked_and_counted(doc):
    blocks = docblocks.blocks(doc)
    assert {"sh", "python"} & {b.lang for b in blocks}
    skipped = [b for b in blocks if b.not_run]
    assert len(skipped) == NOT_RUN[doc], [(b.where(), b.not_run) for b in skipped]
    for b in skipped:
        assert len(b.not_run) > 10, f"{b.where()}: say why the block is not run"


def test_readme_runs_as_written(tmp_path):
    ran = docblocks.run_doc("README.md", tmp_path)
    print(f"README.md: {ran} blocks ran")


def test_markers_and_languages_are_read(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("Text.\n\n<!-- not run: needs a cluster of 1000 nodes -->\n```sh\nmpirun x\n```\n\n"
                   "<!-- file: a.py -->\n```python\nprint(1)\n```\n\n```\nplain text\n```\n\n"
                   "```sh\nbuild/smesim version\n```\n")
    found = docblocks.blocks(doc)
    assert [(b.lang, b.not_run, b.file, b.line) for b in found] == [
        ("sh", "needs a cluster of 1000 nodes", "", 4), ("python", "", "a.py", 9), ("sh", "", "", 17)]
    doc.write_text("```bash\nls\n```\n")
    with pytest.raises(AssertionError, match="unknown language 'bash'"):
        docblocks.blocks(doc)


def test_a_block_that_fails_fails_the_test(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("```sh\nbuild/smesim version\n```\n\n```sh\nbuild/smesim run scenarios/no-such.toml -o x.h5\n```\n")
    (tmp_path / "root").mkdir()
    with pytest.raises(AssertionError, match=r"x.md:5 \(sh\) failed with exit code 2"):
        docblocks.run_doc(doc, tmp_path / "root")
