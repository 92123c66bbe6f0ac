"""docs/OUTPUT.md runs as written: every shell and Python block, in order, in a scratch
directory laid out like the repository (tests/python/docblocks.py; the rules and the
count of blocks not run are in test_docs_run.py).

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import docblocks


def test_output_md_runs_as_written(tmp_path):
    ran = docblocks.run_doc("docs/OUTPUT.md", tmp_path)
    print(f"docs/OUTPUT.md: {ran} blocks ran")
