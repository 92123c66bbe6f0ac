"""One catalogue of measures: `smesim compare --metric` and the Python module
(scripts/smesim_analysis/measures.py) have the same measures, with the same units, in
the same order, and compute the same values (test_analysis.py compares every row of
`smesim compare --json` with sa.compare, which now covers every measure)."""

import json
import re

import pytest

import smesim_analysis as sa
from h5compare import SOURCE, run_smesim


def cpp_catalogue():
    """(name, unit) of every measure `smesim reference measures` lists, in order."""
    rows = re.findall(r"^\| `([a-z_0-9]+)` \| .* \| ([^|]+) \|$", run_smesim("reference", "measures"), re.M)
    assert rows, "smesim reference measures printed no table"
    return [(name, unit.strip()) for name, unit in rows]


def test_the_two_catalogues_agree():
    python = [(m.name, m.unit) for m in sa.MEASURES.values()] + list(sa.measures.RATIO_MEASURES.items())
    assert cpp_catalogue() == python
    assert sa.measures.COMPARE_MEASURES == list(sa.MEASURES)


def test_compare_accepts_every_python_measure(tmp_path):
    path = tmp_path / "small.h5"
    run_smesim("run", SOURCE / "scenarios" / "covid-no-support.toml", "--set", "simulation.population_scale=0.002",
               "--set", "simulation.months=14", "--set", "simulation.burn_in_months=6", "-r", "2", "-q", "-o", path)
    names = [m for m in sa.MEASURES if m not in ("spending",)]
    args = [x for m in names for x in ("--metric", m)]
    theirs = json.loads(run_smesim("compare", path, path, "--json", *args))
    assert sorted({r["measure"] for r in theirs["rows"]}) == sorted(names)
    ds = sa.open_result(path)
    for row in theirs["rows"]:
        mine = sa.estimates(ds, row["measure"])[row["city"]]
        assert row["a"]["mean"] == pytest.approx(mine.mean, rel=1e-12), (row["measure"], row["city"])
