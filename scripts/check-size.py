#!/usr/bin/python3
"""Check the size limits of the source: no file under src/, include/ or scripts/ over 500
lines and no Python function under scripts/ spanning over 60 lines.

    /usr/bin/python3 scripts/check-size.py [ROOT]   # from anywhere; exit 1 listing offenders

ROOT is the source tree (default: the one this script is in).

Files that say they are generated ("generated" and "do not edit" on one of their first ten
lines, or "@generated") and data (scenarios, corpora, tables, images) are not source and are
not counted. A function's span runs from its `def` line to its last line, nested functions
included (and each nested function is checked on its own too). C++ functions are checked by
clang-tidy's readability-function-size, not here.
Exit codes: 0 within the limits, 1 an offender (listed on stdout).
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("src", "include", "scripts")
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60
DATA_SUFFIXES = {".toml", ".csv", ".json", ".txt", ".h5", ".nc", ".png", ".svg", ".pyc"}
GENERATED = re.compile(r"(?i)@generated|\bgenerated\b.*\bdo not edit\b")


def source_files(root):
    """Every source file under the checked folders, in path order, without caches and data."""
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            parts = path.relative_to(root).parts
            if not path.is_file() or path.suffix in DATA_SUFFIXES:
                continue
            if any(p.startswith(".") or p in ("__pycache__", "corpus") for p in parts):
                continue
            yield path


def is_generated(lines):
    return any(GENERATED.search(line) for line in lines[:10])


def long_functions(tree):
    """(name, first line, span) of every function in a parsed module longer than the limit."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            span = node.end_lineno - node.lineno + 1
            if span > MAX_FUNCTION_LINES:
                yield node.name, node.lineno, span


def offenders(root):
    """Lines of text, one per file or function over its limit."""
    out = []
    for path in source_files(root):
        rel = path.relative_to(root)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: not source
        lines = text.splitlines()
        if is_generated(lines):
            continue
        if len(lines) > MAX_FILE_LINES:
            out.append(f"{rel}: {len(lines)} lines (limit {MAX_FILE_LINES})")
        if path.suffix == ".py" and rel.parts[0] == "scripts":
            for name, line, span in long_functions(ast.parse(text, filename=str(rel))):
                out.append(f"{rel}:{line}: function {name} spans {span} lines (limit {MAX_FUNCTION_LINES})")
    return out


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else ROOT
    found = offenders(root)
    for line in found:
        print(line)
    if found:
        print(f"check-size: {len(found)} over the limits", file=sys.stderr)
        return 1
    print("check-size: every file and Python function within the limits", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
