"""Every `units` attribute of a result file is a unit UDUNITS-2 accepts (the CF
conventions' unit library), checked with Debian's `udunits2` program (package
udunits-bin, scripts/install-deps.sh) on files of every output level and a sweep; counts
and money follow docs/OUTPUT.md's convention (units 1, the entity in long_name and in
counted_in)."""

import shutil
import subprocess

import h5py
import pytest

from h5compare import SOURCE, run_smesim

SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=14",
         "--set", "simulation.burn_in_months=6", "-q"]


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def attributes(path):
    """{dataset path: {attribute: text}} for every dataset of a file."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, {k: text(v) for k, v in obj.attrs.items()
                                                              if k in ("units", "long_name", "counted_in")})
                     if isinstance(obj, h5py.Dataset) else None)
    return out


def udunits_accepts(unit):
    proc = subprocess.run(["udunits2", "-H", unit, "-W", ""], capture_output=True, text=True, timeout=60)
    return proc.returncode == 0 and "Don't recognize" not in proc.stderr + proc.stdout


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("units")
    firms, sweep = tmp / "firms.h5", tmp / "sweep.h5"
    run_smesim("run", SOURCE / "scenarios" / "ccrs-hazard.toml", *SMALL, "-r", "1", "--output", "firms", "-o", firms)
    (tmp / "sweep.toml").write_text(f'base = "{SOURCE / "scenarios" / "covid-stimulus.toml"}"\ndesign = "grid"\n'
                                    'replications = 1\n[[parameters]]\nname = "payout_rate"\n'
                                    'key = "firms.payout_rate"\nvalues = [0.2, 0.4]\n')
    run_smesim("sweep", tmp / "sweep.toml", *SMALL, "--output", "sectors", "-o", sweep)
    return {"firms": attributes(firms), "sweep": attributes(sweep)}


def test_udunits2_is_installed():
    assert shutil.which("udunits2"), "udunits2 not found: run scripts/install-deps.sh (Debian package udunits-bin)"
    assert udunits_accepts("days since 2020-01-01") and not udunits_accepts("firms")


@pytest.mark.parametrize("kind", ["firms", "sweep"])
def test_every_units_attribute_parses_with_udunits(files, kind):
    units = {a["units"] for a in files[kind].values() if "units" in a}
    assert {"1", "days since 2020-01-01"} <= units
    rejected = sorted(u for u in units if not udunits_accepts(u))
    assert not rejected, f"units UDUNITS-2 does not accept: {rejected}"


def test_counts_and_money_say_what_they_count(files):
    ds = files["firms"]
    for name, counted in [("firms_active", "firms"), ("employment", "workers"), ("programme_bids", "bids"),
                          ("programme_awards", "contracts"), ("revenue_usd", "USD"), ("contracts/value_usd", "USD"),
                          ("firms/employees", "workers"), ("sectors/employment", "workers")]:
        a = ds[name]
        assert (a["units"], a.get("counted_in")) == ("1", counted), name
        suffix = " (USD)" if counted == "USD" else f" (number of {counted})"
        assert a["long_name"].endswith(suffix), name
    for name in ("demand_index", "resilience_index", "stringency"):
        assert ds[name]["units"] == "1" and "counted_in" not in ds[name], name
    assert ds["time"]["units"] == "days since 2020-01-01"
