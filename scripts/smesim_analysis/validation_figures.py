"""The figures of docs/VALIDATION.md (scripts/validate.py): firm sizes, entrant survival and
growth volatility in the steady state; revenue and employment paths, sector failures and
the firm responses (closure, hours, arrears, take-up) in the shock period. Each saves a
PNG into a folder and returns its file name."""

import numpy as np

from . import patterns
from .stats import Estimate, estimate_mean


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
    est = [Estimate(1.0, 1.0, 1.0, 1)] + [estimate_mean(p[f"survival_{k}y"]) for k in patterns.SURVIVAL_YEARS]
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


def band(ax, t, da, colour, label):
    """Mean line and 5-95% band over replications of da (replication, time)."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # take-up: all-NaN months before any policy
        ax.plot(t, da.mean("replication"), color=colour, label=label)
        lo, hi = da.quantile(0.05, "replication"), da.quantile(0.95, "replication")
    ax.fill_between(t, lo, hi, color=colour, alpha=0.2, lw=0)


def responses_figure(series, folder):
    """Temporary closure, headcount against hours, arrears (no support) and take-up
    (stimulus package), 2020-2021, all cities (validation_responses.response_series)."""
    plt = pyplot()
    t = series["closed"].time.values
    end = t[min(23, len(t) - 1)]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    panels = (
        (axes[0, 0], [("closed", "C3", "no support")], "SMEs temporarily closed, % of live SMEs"),
        (axes[0, 1], [("headcount", "C0", "headcount (incl. furloughed)"), ("fte", "C1", "hours (FTE)")],
         "SME employment, no support (2020-01 = 100)"),
        (axes[1, 0], [("arrears", "C4", "no support")], "Arrears, % of 2020-01 monthly revenue"),
        (axes[1, 1], [("take_up", "C2", "stimulus package")], "Take-up: eligible SMEs reached, %"),
    )
    for ax, lines, title in panels:
        for key, colour, label in lines:
            band(ax, t, series[key], colour, label)
        ax.set_xlim(t[0], end)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=30)
        ax.legend(fontsize=8)
    axes[0, 1].axhline(100, color="0.7", lw=0.8)
    for ax in (axes[0, 0], axes[1, 0]):
        ax.set_ylim(bottom=0)
    axes[1, 1].set_ylim(0, 100)
    fig.suptitle("Firm responses 2020-2021, all cities (mean, 5-95% over replications)", fontsize=10)
    fig.tight_layout()
    fig.savefig(folder / "responses.png", dpi=110)
    plt.close(fig)
    return "responses.png"
