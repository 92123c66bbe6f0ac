"""scripts/plot.py with several files: overlays on shared axes labelled by scenario title,
and differences from a baseline, paired by replication when the files can be paired and
unpaired (Welch) otherwise; the numbers drawn are those of smesim_analysis.

Environment:
  SMESIM_BINARY      the smesim executable (default /work/main/build/smesim)
  SMESIM_SOURCE_DIR  the source tree (default: two levels up from this file)
"""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import smesim_analysis as sa
from h5compare import SOURCE, run_smesim
from smesim_analysis import overlays, stats

SCRIPTS = SOURCE / "scripts"
SMALL = ["--set", "simulation.population_scale=0.002", "--set", "simulation.months=18",
         "--set", "simulation.burn_in_months=12", "-q", "--force", "-r", "3"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overlay")
    out = {}
    for name, scenario, extra in (("none", "covid-no-support", []), ("ccrs", "ccrs-2021", []),
                                  ("stim_seed5", "covid-stimulus", ["--seed", "5"])):
        out[name] = tmp / f"{name}.h5"
        run_smesim("run", SOURCE / "scenarios" / f"{scenario}.toml", *SMALL, *extra, "-o", out[name])
    return out


def plot(*args):
    return subprocess.run([sys.executable, "-W", "error", str(SCRIPTS / "plot.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_overlays_and_differences_are_drawn(runs, tmp_path):
    proc = plot(runs["ccrs"], runs["stim_seed5"], "--baseline", runs["none"], "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    names = sorted(p.stem for p in tmp_path.glob("*.png"))
    for stem in ("firms_active", "cohort_survival", "employment_index", "employment", "failures", "spending"):
        assert f"overlay_{stem}" in names and f"difference_{stem}" in names
    assert all(n.startswith(("overlay_", "difference_")) for n in names)


def test_overlay_lines_are_each_files_median_labelled_by_title(runs):
    datasets = [sa.open_result(runs[n]) for n in ("none", "ccrs", "stim_seed5")]
    spec = next(s for s in overlays.SERIES if s[0] == "employment")
    fig = overlays.overlay_figure(datasets, spec)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [ds.attrs["title"] for ds in datasets]
    jakarta = next(ax for ax in fig.axes if ax.get_title() == "Jakarta")
    medians = [line.get_ydata() for line in jakarta.get_lines() if line.get_label().endswith(", median")]
    assert len(medians) == 3
    for ds, drawn in zip(datasets, medians):
        want = (ds.employment.sel(city="Jakarta") / 1e3).median("replication").values
        np.testing.assert_allclose(drawn, want)
    plt.close(fig)


def test_difference_is_paired_when_pairable_and_welch_otherwise(runs):
    base, ccrs, stim = (sa.open_result(runs[n]) for n in ("none", "ccrs", "stim_seed5"))
    spec = next(s for s in overlays.SERIES if s[0] == "firms_active")
    fig = overlays.difference_figure(base, [ccrs, stim], spec)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [f"{ccrs.attrs['title']} (paired)", f"{stim.attrs['title']} (unpaired, Welch)"]
    melaka = next(ax for ax in fig.axes if ax.get_title() == "Melaka")
    lines = [line.get_ydata() for line in melaka.get_lines() if line.get_linestyle() == "-"]
    a = base.firms_active.sel(city="Melaka").values / 1e3
    paired = (ccrs.firms_active.sel(city="Melaka").values / 1e3 - a).mean(axis=0)
    unpaired = stim.firms_active.sel(city="Melaka").values.mean(axis=0) / 1e3 - a.mean(axis=0)
    np.testing.assert_allclose(lines[0], paired)
    np.testing.assert_allclose(lines[1], unpaired)
    plt.close(fig)
    # the bands: a month's paired t interval, and its Welch interval
    month = 10
    d = overlays.difference(base, ccrs, overlays.firms_thousands)[0].sel(city="Melaka").isel(time=month)
    e = stats.paired_difference(a[:, month], ccrs.firms_active.sel(city="Melaka").values[:, month] / 1e3)
    assert (float(d["lo"]), float(d["hi"])) == pytest.approx((e.lo, e.hi))
    u, paired_flag = overlays.difference(base, stim, overlays.firms_thousands)
    assert not paired_flag
    w = stats.welch_difference(a[:, month], stim.firms_active.sel(city="Melaka").values[:, month] / 1e3)
    u = u.sel(city="Melaka").isel(time=month)
    assert (float(u["lo"]), float(u["hi"])) == pytest.approx((w.lo, w.hi))


def test_baseline_added_first_when_not_listed_and_refused_alone(runs, tmp_path):
    proc = plot(runs["ccrs"], "--baseline", runs["none"], "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "difference_employment.png").is_file()
    proc = plot(runs["none"], "--baseline", runs["none"], "-o", tmp_path)
    assert proc.returncode == 2
    assert "no other file to compare" in proc.stderr


def test_a_bad_file_among_several_is_refused(runs, tmp_path):
    proc = plot(runs["none"], tmp_path / "missing.h5", "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert "missing.h5: no such file" in proc.stderr
    assert not (tmp_path / "out").exists()
