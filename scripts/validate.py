#!/usr/bin/python3
"""Validate the model against known patterns and regenerate docs/VALIDATION.md.

    scripts/validate.py                       # full report: docs/VALIDATION.md + docs/validation/
    scripts/validate.py --quick --check -o DIR  # reduced populations, no Morris; exit 1 on a miss

Runs the steady state (scenarios/no-shock.toml), the shock period (ccrs-2021.toml,
covid-no-support.toml and covid-stimulus.toml, paired by seed) and, in the full report,
the Morris screening of scenarios/sweeps/behaviour-morris.toml; compares each pattern
with its target and source (../shared/calibration/README.md) and writes the document
with its figures. Each check has a stated tolerance; with --check the script exits 1
when an enforced check fails (the patterns test in CI runs --quick --check). Checks
marked "reported" are known misses or facts without a tolerance: the document states
them, the check does not fail on them.
Exit codes: 0 done, 1 a check failed (with --check) or a run failed, 2 bad arguments.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

# morris.py and smesim_analysis sit beside this script; Python puts a script's folder on sys.path.
import morris
import smesim_analysis as sa
from smesim_analysis import patterns
from smesim_analysis.stats import estimate_mean

ROOT = Path(__file__).resolve().parent.parent

# Run sizes: (population_scale, replications, months). The full report is sized to take
# a few minutes on 2 cores; --quick to take under a minute.
SIZES = {
    "full": {"steady": (0.02, 10, 120), "shock": (0.01, 20, 60)},
    "quick": {"steady": (0.005, 3, 96), "shock": (0.005, 6, 36)},
}
SHOCK_SCENARIOS = {"default": "ccrs-2021.toml", "no_support": "covid-no-support.toml",
                   "stimulus": "covid-stimulus.toml"}
SHOCK_WINDOW = "2020-01:2021-12"


@dataclass
class Check:
    """One pattern: model estimate against target, within a stated tolerance."""
    name: str
    model: sa.Estimate
    target: str
    source: str
    tolerance: str
    passed: object  # True, False, or None: reported without a tolerance
    enforced: bool = True
    unit: str = ""
    digits: int = 3

    @property
    def verdict(self):
        if self.passed is None:
            return "reported"
        if self.passed:
            return "meets"
        return "**misses**" if self.enforced else "**misses** (known; not enforced)"

    @property
    def failed(self):
        return self.enforced and self.passed is False

    def model_text(self):
        m = self.model
        d = self.digits
        if not math.isfinite(m.lo) or m.n < 2:
            return f"{m.mean:,.{d}f}{self.unit}"
        return f"{m.mean:,.{d}f}{self.unit} [{m.lo:,.{d}f}, {m.hi:,.{d}f}]"


def within(estimate, target, tolerance):
    return abs(estimate.mean - target) <= tolerance


# --- runs --------------------------------------------------------------------------------

def run(binary, scenario, out, size, output="summary", extra=()):
    scale, replications, months = size
    cmd = [str(binary), "run", str(ROOT / "scenarios" / scenario), "-o", str(out), "--force", "--quiet",
           "--output", output, "--set", f"simulation.population_scale={scale}",
           "--set", f"simulation.replications={replications}", "--set", f"simulation.months={months}"]
    for s in extra:
        cmd += ["--set", s]
    started = time.time()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}\nexit {done.returncode}: {done.stderr.strip()}")
    print(f"validate: {scenario}: {time.time() - started:.1f} s", file=sys.stderr, flush=True)
    return out


def last_year_ends(months):
    """The months ("YYYY-MM") of the last two year ends of a run from 2020-01."""
    last = 2020 + (months - 1) // 12
    return [f"{last - 1}-12", f"{last}-12"] if months % 12 == 0 else None


# --- steady state --------------------------------------------------------------------------

def steady_state(binary, work, size, figures):
    months = size[2]
    snapshots = last_year_ends(months)
    path = run(binary, "no-shock.toml", work / "steady.h5", size, "firms",
               [f'simulation.firm_snapshot_months=["{snapshots[0]}", "{snapshots[1]}"]'])
    p = patterns.steady_state(path)
    est = {k: estimate_mean(v) for k, v in p.items()}
    checks = [
        Check("Annual exit rate (all exits per SME-year)", est["exit_rate"], "0.09",
              "Gourinchas et al. (NBER WP 27877); IMF SDN/2021/002", "+-0.015",
              within(est["exit_rate"], 0.09, 0.015)),
        Check("Gross job creation (Davis-Haltiwanger, per year)", est["job_creation_rate"], "0.09",
              "Davis and Haltiwanger (1992)", "+-0.025", within(est["job_creation_rate"], 0.09, 0.025)),
        Check("Gross job destruction (Davis-Haltiwanger, per year)", est["job_destruction_rate"],
              "0.10-0.11", "Davis and Haltiwanger (1992)", "+-0.025 of 0.105",
              within(est["job_destruction_rate"], 0.105, 0.025)),
        Check("Survival of entrants at 2 years", est["survival_2y"], "0.66", "BLS, Knaup (2005)",
              "+-0.05", within(est["survival_2y"], 0.66, 0.05)),
        Check("Survival of entrants at 4 years", est["survival_4y"], "0.44", "BLS, Knaup (2005)",
              "+-0.05", within(est["survival_4y"], 0.44, 0.05)),
        Check("Size tail exponent alpha (10-49 employees)", est["size_tail"], "1.06",
              "Axtell (2001)", "+-0.15", within(est["size_tail"], 1.06, 0.15), digits=2),
        Check("Slope of growth volatility on size, log sd(g) ~ beta log S",
              est["growth_size_slope"], "-0.15 to -0.20", "Stanley et al. (1996)", "beta < 0",
              est["growth_size_slope"].mean < 0, enforced=False, digits=2),
    ]
    with h5py.File(path, "r") as f:
        drift = stationarity(f)
        sector_rates = patterns.exit_rate_by_sector(f) if "sectors" in f else None
        firms = patterns.Firms(f)
        sectors = [sa.text(s) for s in f["sector"][()]]
    checks.append(Check("Change of SME count over the reported period", estimate_mean(drift), "0",
                        "stationary by construction (entry replaces exits, docs/ODD.md)", "+-0.05",
                        within(estimate_mean(drift), 0.0, 0.05)))
    targets = sector_inputs(path, "exit_rate", sectors)
    sector_rows = []
    if sector_rates is not None:
        for j, s in enumerate(sectors):
            sector_rows.append((s, targets[s], estimate_mean(sector_rates[:, j])))
        deviation = float(np.mean([abs(e.mean - t) for _, t, e in sector_rows]))
        checks.append(Check("Mean absolute deviation of sector exit rates from the sector inputs",
                            sa.Estimate(deviation, math.nan, math.nan, 1), "0 (inputs 0.07-0.12)",
                            "calibration README (assumed, mean near 9%)", "<= 0.02", deviation <= 0.02))
    figures["size"] = size_figure(firms, figures["dir"])
    figures["survival"] = survival_figure(p, figures["dir"])
    figures["growth"] = growth_figure(firms, est["growth_size_slope"], figures["dir"])
    return checks, sector_rows, est["exit_rate"].mean


def stationarity(f):
    active = f["firms_active"][()].sum(axis=-1)
    base = f["firms_baseline"][()].sum(axis=-1)
    return active[:, -1] / base - 1


def sector_inputs(path, key, sectors):
    """{sector: value of sectors.<sector>.<key>} from the file's resolved scenario."""
    resolved = tomllib.loads(sa.attributes(path)["scenario"])
    return {s: resolved["sectors"][s][key] for s in sectors}


def spearman(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


# --- figures -------------------------------------------------------------------------------

def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save(fig, ax, folder, name, title, xlabel, ylabel, legend=True):
    """Label, save as folder/name and close; returns name."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / name, dpi=110)
    pyplot().close(fig)
    return name


def size_figure(firms, folder):
    plt = pyplot()
    sizes = np.concatenate([firms.sizes(r, firms.times[-1]) for r in range(firms.replications)]).astype(float)
    s = np.sort(sizes)
    ccdf = 1.0 - np.arange(len(s)) / len(s)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.loglog(s, ccdf, ".", ms=2, color="C0", label="model: P(S >= s), all live SMEs")
    ref_s = np.array([10.0, 49.0])
    at10 = ccdf[np.searchsorted(s, 10)]
    ax.loglog(ref_s, at10 * (ref_s / 10) ** -1.06, "k--", label="Zipf, alpha = 1.06 (Axtell 2001)")
    alpha = patterns.tail_exponent(sizes)
    ax.loglog(ref_s, at10 * (ref_s / 10) ** -alpha, color="C3", label=f"model fit 10-49: alpha = {alpha:.2f}")
    for bound in (9.5, 49.5):
        ax.axvline(bound, color="0.8", lw=0.8)
    return save(fig, ax, folder, "size-distribution.png", "Firm-size distribution, steady state",
                "employees s", "share of SMEs with S >= s")


def survival_figure(p, folder):
    plt = pyplot()
    years = [0] + list(patterns.SURVIVAL_YEARS)
    est = [sa.Estimate(1.0, 1.0, 1.0, 1)] + [estimate_mean(p[f"survival_{k}y"]) for k in patterns.SURVIVAL_YEARS]
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.errorbar(years, [e.mean for e in est], yerr=[[e.mean - e.lo for e in est], [e.hi - e.mean for e in est]],
                marker="o", color="C0", label="model (95% interval)")
    ax.plot([2, 4], [0.66, 0.44], "ks", label="BLS new establishments (Knaup 2005)")
    ax.set_ylim(0, 1.05)
    return save(fig, ax, folder, "entrant-survival.png", "Survival of entrants, steady state",
                "years since entry", "share of entrants alive")


def growth_figure(firms, slope, folder):
    plt = pyplot()
    rows = np.vstack([patterns.growth_by_size(firms, r) for r in range(firms.replications)])
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.loglog(rows[:, 0], rows[:, 1], "o", color="C0", ms=4, label=f"model (slope {slope.mean:.2f})")
    s = np.array([rows[:, 0].min(), rows[:, 0].max()])
    mid = np.exp(np.log(rows[:, 1]).mean())
    centre = np.exp(np.log(rows[:, 0]).mean())
    ax.loglog(s, mid * (s / centre) ** -0.18, "k--", label="slope -0.18 (Stanley et al. 1996)")
    return save(fig, ax, folder, "growth-volatility.png", "Growth-rate volatility against size",
                "employees at the start of the year", "sd of annual log growth")


# --- shock period ----------------------------------------------------------------------------

def shock_period(binary, work, size, steady_exit, figures):
    files = {k: run(binary, v, work / f"{k}.h5", size, "sectors") for k, v in SHOCK_SCENARIOS.items()}
    ds = {k: sa.open_result(v) for k, v in files.items()}
    sec = {k: sa.open_sectors(v, ds[k]) for k, v in files.items()}
    w = sa.window(ds["default"], over=SHOCK_WINDOW)
    allc = sa.ALL_CITIES
    checks, tables = [], {}

    # Failures without support against the steady state (GKPS: 9% -> ~18% in 2020).
    w2020 = sa.window(ds["no_support"], over="2020-01:2020-12")
    exits = sa.annual_exit_rate(ds["no_support"], w2020).sel(city=sa.ALL_CITIES).values / 100
    ratio = estimate_mean(exits / steady_exit)
    checks.append(Check("SME exit rate in 2020 without support / steady-state rate", ratio,
                        "about 2 (9% to 18%)", "Gourinchas et al. (NBER WP 27877)", "1.3 to 3",
                        1.3 <= ratio.mean <= 3.0, enforced=False, digits=2))

    # Revenue and employment paths, against their pre-shock levels.
    emp = {k: 100 * sa.with_all_cities(d.employment).sel(city=allc) /
           sa.with_all_cities(d.employment_baseline).sel(city=allc) for k, d in ds.items()}
    rev = {k: revenue_index(d) for k, d in ds.items()}
    figures["paths"] = paths_figure(ds["default"], emp, rev, figures["dir"])
    e2020 = emp["no_support"].isel(time=slice(0, 12)).mean("time")
    drop = estimate_mean(e2020.values - 100)
    checks.append(Check("SME employment in 2020 without support, % change from the pre-shock level",
                        drop, "-4.2 (all workers, against trend)", "ILO Asia-Pacific Employment and Social "
                        "Outlook 2020", "-15 to -1", -15 <= drop.mean <= -1, enforced=False, unit="%",
                        digits=1))
    q2 = estimate_mean(emp["no_support"].isel(time=slice(3, 6)).mean("time").values - 100)
    checks.append(Check("SME employment in 2020 Q2 without support, % change", q2,
                        "hours -15.2 (Q2 2020, all workers)", "ILO (2020)", "none: the model has no hours "
                        "margin", None, unit="%", digits=1))

    # Sectors: failure-rate increase by sector (2020-2021) against the demand exposure.
    by_sector = failure_rates(sec["no_support"], w, "sector")
    exposure = sector_inputs(files["no_support"], "demand_exposure", list(by_sector))
    rho = spearman(np.array([by_sector[s].mean for s in by_sector]), np.array([exposure[s] for s in by_sector]))
    checks.append(Check("Rank correlation of sector failure rates (2020-21) with demand exposure",
                        sa.Estimate(rho, math.nan, math.nan, 1), "positive: exposed sectors fail most",
                        "CBO (2006) via del Rio-Chanona et al. (2020)", "Spearman rho >= 0.5", rho >= 0.5,
                        digits=2))
    ranked = sorted(by_sector, key=lambda s: -by_sector[s].mean)
    checks.append(Check(f"Sector with the highest failure rate 2020-21: {ranked[0]}",
                        by_sector[ranked[0]], "accommodation_food or other_services (delta 0.8, 0.5)",
                        "CBO (2006); del Rio-Chanona et al. (2020)", "one of the two",
                        ranked[0] in ("accommodation_food", "other_services"), unit=" per 100 SME-years",
                        digits=1))
    tables["sectors"] = [(s, exposure[s], by_sector[s]) for s in ranked]
    tables["sizes"] = failure_rates(sec["no_support"], w, "size_class")

    # The policy package: covid-stimulus against covid-no-support, paired.
    c = sa.compare(ds["no_support"], ds["stimulus"], over=SHOCK_WINDOW)
    fails = c.get("failures", allc).paired
    checks.append(Check("Failures avoided by the stimulus package 2020-21 (paired, all cities)",
                        sa.Estimate(-fails.mean, -fails.hi, -fails.lo, fails.n), "> 0",
                        "policy design: the package pays SMEs that lost revenue",
                        "95% interval above 0", -fails.hi > 0, digits=0))
    jobs = c.get("job_years", allc).paired
    checks.append(Check("SME job-years kept by the stimulus package 2020-21 (paired)", jobs, "> 0",
                        "policy design", "95% interval above 0", jobs.lo > 0, digits=0))
    tables["policy"] = c
    prog = sa.compare(ds["no_support"], ds["default"], over=SHOCK_WINDOW)
    tables["programme"] = prog
    figures["sectors"] = sectors_figure(tables["sectors"], figures["dir"])
    return checks, tables


def revenue_index(d):
    r = sa.with_all_cities(d.revenue_usd).sel(city=sa.ALL_CITIES)
    return 100 * r / r.isel(time=0)


def failure_rates(sec, w, by):
    """{label: Estimate} liquidity failures per 100 SME-years over w, all cities, by
    'sector' or 'size_class'."""
    other = [d for d in ("city", "sector", "size_class") if d != by]
    fails = sec.firms_exited_illiquid.sum(other).isel(time=w.slice).sum("time")
    active = sec.firms_active.sum(other)
    at_risk = active.shift(time=1).isel(time=w.slice).sum("time")
    if w.first == 0:  # month 0's firms at risk: the first month's stock is the closest
        at_risk = at_risk + active.isel(time=0)
    rate = 100 * 12 * fails / at_risk
    return {str(label): estimate_mean(rate.sel({by: label}).values) for label in sec[by].values}


def paths_figure(d, emp, rev, folder):
    plt = pyplot()
    labels = {"default": "default (programme)", "no_support": "no support", "stimulus": "stimulus package"}
    colours = {"default": "C0", "no_support": "C3", "stimulus": "C2"}
    t = d.time.values
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, series, title in ((axes[0], rev, "SME revenue, all cities (month 0 = 100)"),
                              (axes[1], emp, "SME employment, all cities (pre-shock = 100)")):
        for k, da in series.items():
            mean = da.mean("replication")
            ax.plot(t, mean, color=colours[k], label=labels[k])
            lo, hi = da.quantile(0.05, "replication"), da.quantile(0.95, "replication")
            ax.fill_between(t, lo, hi, color=colours[k], alpha=0.2, lw=0)
        ax.set_xlim(t[0], t[min(23, len(t) - 1)])
        ax.axhline(100, color="0.7", lw=0.8)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=30)
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / "shock-paths.png", dpi=110)
    plt.close(fig)
    return "shock-paths.png"


def sectors_figure(rows, folder):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for s, delta, est in rows:
        ax.errorbar(delta, est.mean, yerr=[[est.mean - est.lo], [est.hi - est.mean]], fmt="o", color="C3")
        ax.annotate(s, (delta, est.mean), textcoords="offset points", xytext=(4, 3), fontsize=7)
    return save(fig, ax, folder, "sector-failures.png", "Failures 2020-21 by sector, no support",
                "demand exposure delta (share of demand lost at stringency 1)",
                "liquidity failures per 100 SME-years", legend=False)


# --- sensitivity --------------------------------------------------------------------------

def sensitivity(binary, work, figures):
    out = work / "morris.h5"
    started = time.time()
    cmd = [str(binary), "sweep", str(ROOT / "scenarios/sweeps/behaviour-morris.toml"), "-o", str(out),
           "--force", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}\nexit {done.returncode}: {done.stderr.strip()}")
    print(f"validate: Morris sweep: {time.time() - started:.1f} s", file=sys.stderr, flush=True)
    results = {}
    with h5py.File(out, "r") as f:
        title = sa.text(f.attrs.get("title", ""))
        points, reps = f["firms_active"].shape[:2]
        for metric in ("failures", "employment_end"):
            rows = morris.summarise(morris.elementary_effects(f, morris.metric_per_point(f, metric)))
            name = f"morris-{metric.replace('_', '-')}.png"
            morris.plot(rows, metric, title, figures["dir"] / name)
            results[metric] = (rows, name)
    return results, points, reps


# --- the document -----------------------------------------------------------------------------

def table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def check_rows(checks):
    return table([(c.name, c.target, c.source, c.model_text(), c.tolerance, c.verdict) for c in checks],
                 ["pattern", "target", "source", "model (95% interval)", "tolerance", "verdict"])


def estimate_text(e, digits=0, unit=""):
    return f"{e.mean:,.{digits}f}{unit} [{e.lo:,.{digits}f}, {e.hi:,.{digits}f}]"


def document(sizes, steady, sector_rows, shock, tables, sens, figures, seconds, version):
    fit = json.loads((ROOT / "docs/validation/calibration/fit.json").read_text())
    s_scale, s_reps, s_months = sizes["steady"]
    k_scale, k_reps, k_months = sizes["shock"]
    misses = [c for c in steady + shock if c.passed is False]
    L = []
    L += ["# Validation", "",
          "<!-- Generated by scripts/validate.py; do not edit by hand. -->", "",
          "How well smesim reproduces what is known about SMEs: the steady state against firm "
          "dynamics facts, the 2020-2021 shock against published facts on the pandemic, and "
          "which behavioural parameters the conclusions hinge on. Sources are in "
          "`../shared/calibration/README.md`; the model is described in [ODD.md](ODD.md).", "",
          f"Regenerate (about {max(1, round(seconds / 60))} minute(s) on 2 cores):", "",
          "```sh", "scripts/build.sh build && /usr/bin/python3 scripts/validate.py", "```", "",
          f"This version: {version}; {datetime.date.today().isoformat()}; the whole report took "
          f"{seconds:.0f} s. Intervals are 95% t-intervals over replications. The same checks run in CI "
          "on reduced populations (`tests/python/test_validation.py`: `scripts/validate.py --quick "
          "--check`), with the tolerances stated below.", ""]
    L += ["## Summary", ""]
    if misses:
        L += ["Where the model misses:", ""]
        L += [f"- {c.name}: model {c.model_text()}, target {c.target} ({c.source})." for c in misses]
        L += [""]
    judged = [c for c in steady + shock if c.passed is not None]
    L += [f"{sum(c.passed for c in judged)} of {len(judged)} pattern checks meet their tolerance; "
          f"{sum(c.failed for c in judged)} of the misses are in enforced checks (CI fails on those).", ""]

    L += ["## Calibration", "",
          "`scripts/calibrate.py scenarios/calibration/steady-state.toml` fits these firm parameters "
          "by simulated method of moments (common random numbers, Nelder-Mead) on the steady state "
          "at 0.5% of the cities' SMEs and writes `scenarios/calibrated.toml`, which the default "
          "scenario includes. CI reruns it (`--verify`) and checks that it reproduces the committed "
          "values.", ""]
    L += [table([(f"`{q['key']}`", q["start"], q["fitted"], f"{q['min']} to {q['max']}") for q in fit["parameters"]],
                ["parameter", "start", "fitted", "range"]), ""]
    L += [table([(t["moment"], t["value"], f"{t['start']:.3f}", f"{t['fitted']:.3f} (se {t['fitted_se']:.3f})",
                  t["scale"], t["source"]) for t in fit["targets"]],
                ["moment", "target", "at start", "fitted", "scale", "source"]), ""]
    L += [f"Objective {fit['objective']['start']:.2f} at the start, {fit['objective']['fitted']:.2f} "
          f"fitted, after {fit['evaluations']} evaluations. Job creation (9%) and destruction (10-11%) "
          "cannot both be met in a stationary economy, where they are equal; the fit settles between "
          "them.", "", "![Calibration path](validation/calibration/path.png)", ""]

    L += ["## Steady state", "",
          f"`scenarios/no-shock.toml` (the default cities, no waves, no programme): "
          f"{s_scale:g} of the cities' SMEs, {s_reps} replications, {s_months} months after the "
          "60-month burn-in; patterns from `scripts/smesim_analysis/patterns.py`.", ""]
    L += [check_rows(steady), ""]
    L += ["Exit rates by sector (all exits per SME-year; the targets are the sector inputs, "
          "assumed around the 9% mean):", ""]
    L += [table([(s, f"{t:.3f}", f"{e.mean:.3f} [{e.lo:.3f}, {e.hi:.3f}]") for s, t, e in sector_rows],
                ["sector", "input exit_rate", "model"]), ""]
    L += [f"![Size distribution](validation/{figures['size']})", "",
          "Within a size class, normal sizes follow a power law with exponent `size_tail_alpha`; "
          "the class shares come from national data and are steeper than Zipf between classes, so "
          "the exponent is fitted within the small class (10-49 employees).", "",
          f"![Entrant survival](validation/{figures['survival']})", "",
          f"![Growth volatility](validation/{figures['growth']})", "",
          "Growth-rate volatility does not fall with size in the model: every firm has the same "
          "demand volatility, and the labour inaction band and whole workers make small firms' "
          "employment stickier, not more volatile. This is a known miss (Stanley et al. find a "
          "slope near -0.2); conclusions that depend on how volatility scales with size (for "
          "instance of targeting by size) should be read with it in mind.", ""]

    L += ["## Shock period (2020-2021)", "",
          f"`ccrs-2021.toml` (waves and the programme), `covid-no-support.toml` (waves only) and "
          f"`covid-stimulus.toml` (waves and the national package): {k_scale:g} of the cities' SMEs, "
          f"{k_reps} replications, {k_months} months, the same seed (paired).", ""]
    L += [check_rows(shock), ""]
    L += [f"![Revenue and employment paths](validation/{figures['paths']})", "",
          "Bands are the 5-95% range over replications. The default and no-support lines "
          "overlap: the programme (USD 4 million per city from 2021-06) is small against the "
          "shock.", "",
          "Why the shock misses on the high side: without support a firm fails after "
          "`months_to_fail` (2) months of negative cash after credit, and nothing else "
          "softens the blow: no owner injections, no rent or supplier deferrals, no informal "
          "work, no wage cuts; the sector shocks are the CBO severe-pandemic values at full "
          "stringency scaled by the assumed waves (peak 0.75-0.80). The steady-state "
          "calibration does not constrain any of these. Gourinchas et al.'s 18% is itself a "
          "model counterfactual (no support, 17 countries, 2020), and the ILO's -4.2% covers "
          "all workers against trend, public and large firms included. Read the model's "
          "no-support path as an upper bound of the damage; comparisons between scenarios "
          "(paired, same shock) are less sensitive to it than levels.", ""]
    L += ["Liquidity failures per 100 SME-years in 2020-2021 without support, by sector (highest "
          "first) and size class:", ""]
    L += [table([(s, d, estimate_text(e, 1)) for s, d, e in tables["sectors"]],
                ["sector", "demand exposure delta", "failures per 100 SME-years"]), ""]
    L += [table([(s, estimate_text(e, 1)) for s, e in tables["sizes"].items()],
                ["size class", "failures per 100 SME-years"]), ""]
    L += [f"![Sector failures](validation/{figures['sectors']})", ""]
    allc = sa.ALL_CITIES
    L += ["Effect of the policy package (covid-stimulus against covid-no-support, 2020-2021, all "
          "cities, paired) and of the programme (ccrs-2021 against covid-no-support):", ""]
    rows = []
    for label, c in (("stimulus package", tables["policy"]), ("CCRS programme", tables["programme"])):
        f_ = c.get("failures", allc).paired
        j_ = c.get("job_years", allc).paired
        sp = c.get("spending", allc).paired
        cpj = c.get("cost_per_job_year", allc)
        rows.append((label, estimate_text(f_), estimate_text(j_), f"{sp.mean:,.0f}",
                     estimate_text(cpj.paired) if cpj is not None else "n/a"))
    L += [table(rows, ["comparison", "failures (difference)", "job-years (difference)", "spending, USD",
                       "USD per job-year"]), ""]
    L += ["The model's pandemic is a demand and supply shock by sector scaled by stringency; it has "
          "no hours margin, no informal sector and no national macro feedback beyond the city "
          "input-output multipliers, so the ILO figures (all workers, against trend) are a loose "
          "reference for SME employment.", ""]

    if sens:
        results, points, reps = sens
        L += ["## Sensitivity", "",
              f"Morris screening (`scenarios/sweeps/behaviour-morris.toml`: {points} points x {reps} "
              "replications of the default scenario; `scripts/morris.py`). mu* is the mean absolute "
              "elementary effect of moving a parameter across its range; sigma its spread "
              "(non-linearity, interactions).", ""]
        for metric, (rows, name) in results.items():
            total = sum(r["mu_star"] for r in rows)
            top = [r["parameter"] for r in rows[:2]]
            share = sum(r["mu_star"] for r in rows[:2]) / total if total else 0
            L += [f"### {morris.METRICS[metric]}", ""]
            L += [table([(f"`{r['parameter']}`", f"{r['mu_star']:,.4g}", f"{r['mu']:,.4g}", f"{r['sigma']:,.4g}")
                         for r in rows], ["parameter", "mu*", "mu", "sigma"]), ""]
            fitted = {q["key"].replace(".", "_") for q in fit["parameters"]}
            status = [f"`{p}` is {'calibrated' if p in fitted else 'not calibrated (an assumed default)'}"
                      for p in top]
            L += [f"`{top[0]}` and `{top[1]}` carry {100 * share:.0f}% of the total mu*: conclusions on "
                  f"{morris.METRICS[metric].split(',')[0]} hinge on them most. {status[0]}; {status[1]}. "
                  "A parameter that is not calibrated and ranks high is one to vary in a sweep before "
                  "trusting a level; paired comparisons between scenarios move less with it.", "",
                  f"![Morris {metric}](validation/{name})", ""]
    else:
        L += ["## Sensitivity", "", "(Not run with --quick.)", ""]
    return "\n".join(L)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.environ.get("SMESIM_BINARY", str(ROOT / "build" / "smesim")))
    ap.add_argument("--quick", action="store_true", help="reduced populations and replications, no Morris")
    ap.add_argument("--check", action="store_true", help="exit 1 when an enforced check fails")
    ap.add_argument("-o", "--output", help="folder for the document and figures (default: docs/, "
                    "writing docs/VALIDATION.md and docs/validation/)")
    args = ap.parse_args(argv)
    if not Path(args.binary).is_file():
        print(f"validate: no smesim binary at {args.binary} (scripts/build.sh build, or --binary)", file=sys.stderr)
        return 2
    out = Path(args.output) if args.output else ROOT / "docs"
    fig_dir = out / "validation"
    fig_dir.mkdir(parents=True, exist_ok=True)
    sizes = SIZES["quick" if args.quick else "full"]
    figures = {"dir": fig_dir}
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="smesim-validate-") as tmp:
        work = Path(tmp)
        try:
            steady, sector_rows, steady_exit = steady_state(args.binary, work, sizes["steady"], figures)
            shock, tables = shock_period(args.binary, work, sizes["shock"], steady_exit, figures)
            sens = None if args.quick else sensitivity(args.binary, work, figures)
        except RuntimeError as e:
            print(f"validate: a run failed: {e}", file=sys.stderr)
            return 1
    seconds = time.time() - started
    version = subprocess.run([args.binary, "version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
    text = document(sizes, steady, sector_rows, shock, tables, sens, figures, seconds, version)
    (out / "VALIDATION.md").write_text(text + "\n")
    for c in steady + shock:
        mark = {True: "ok  ", None: "    "}.get(c.passed, "MISS" if c.enforced else "miss")
        print(f"{mark} {c.name}: {c.model_text()} "
              f"(target {c.target}, tolerance {c.tolerance})")
    print(f"validate: wrote {out / 'VALIDATION.md'} in {seconds:.0f} s", file=sys.stderr)
    failed = [c for c in steady + shock if c.failed]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
