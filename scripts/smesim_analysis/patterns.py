"""Steady-state patterns of a result file: the moments the model is calibrated and
validated against (docs/VALIDATION.md, scenarios/calibration/).

Each pattern is a value per replication, pooled over the file's cities and months
(the root variables of docs/OUTPUT.md; the size and growth patterns need the firms/
group of `--output firms`). Definitions:

  exit_rate          all exits (illiquid and other) per SME-year at risk: measures.py's
                     annual_exit_rate / 100
  job_creation_rate  Davis-Haltiwanger creation over employment (mean of the year end
                     and 12 months before), mean over the year ends, as `smesim
                     inspect` (measures.annual_rate); job_destruction_rate likewise
  survival_<k>y      sum over months t >= 12k of firms_aged_<12k>m[t] / sum of
                     firms_entered[t - 12k]: the share of entrants alive k years later
                     (entrants of the burn-in are not counted)
  size_tail          maximum-likelihood exponent alpha of P(S > s) ~ s^-alpha, for live
                     firms with 10-49 employees (the small class), a discrete power
                     law truncated to that range, at the last firm snapshot
  growth_size_slope  slope of log sd(log employment growth over 12 months) on log
                     size, over firms alive at two snapshots 12 months apart, binned
                     by size in powers of 2 (Stanley et al. 1996 find -0.15 to -0.2)
"""

import math

import h5py
import numpy as np

from .files import ALL_CITIES, open_result
from .measures import annual_exit_rate, annual_rate, full_window

SURVIVAL_YEARS = (1, 2, 3, 4)
TAIL_RANGE = (10, 49)


def _pooled(f, name):
    """f[name] summed over cities: (replication, time)."""
    return f[name][()].sum(axis=-1)


def _all_cities(da):
    return da.sel(city=ALL_CITIES).values


def exit_rate(ds):
    """All exits per SME-year at risk, per replication (measures.annual_exit_rate / 100)."""
    return _all_cities(annual_exit_rate(ds, full_window(ds))) / 100


def job_flow_rates(ds):
    """(creation, destruction) Davis-Haltiwanger rates per replication, as smesim inspect."""
    rates = [_all_cities(annual_rate(name, ds)) for name in ("job_creation_annual", "job_destruction_annual")]
    if np.isnan(rates[0]).any():
        raise ValueError("job flow rates need at least one full year of months")
    return tuple(rates)


def survival(f, years):
    months = 12 * years
    entered = _pooled(f, "firms_entered")
    aged = _pooled(f, f"firms_aged_{months}m")
    if aged.shape[1] <= months:
        raise ValueError(f"survival at {years} years needs more than {months} reported months")
    return aged[:, months:].sum(axis=1) / entered[:, :-months].sum(axis=1)


def exit_rate_by_sector(f):
    """(replication, sector) annual exit rates from the sectors/ group."""
    g = f["sectors"]
    exits = (g["firms_exited_illiquid"][()] + g["firms_exited_other"][()]).sum(axis=(2, 4))
    active = g["firms_active"][()].sum(axis=(2, 4))  # (replication, time, sector)
    at_start = active[:, :-1]
    return 12 * exits[:, 1:].sum(axis=1) / at_start.sum(axis=1)


class Firms:
    """The firms/ group: one record per firm and snapshot."""

    def __init__(self, f):
        if "firms" not in f:
            raise ValueError("size and growth patterns need a file written with --output firms")
        g = f["firms"]
        self.replication = g["replication"][()].astype(int)
        self.time = g["snapshot_time"][()]
        self.city = g["city"][()].astype(int)
        self.uid = g["firm_uid"][()].astype(np.int64)
        self.alive = g["alive"][()] == 1
        self.employees = g["employees"][()]
        self.replications = f["replication"].shape[0]
        self.times = np.unique(self.time)

    def sizes(self, r, time):
        keep = (self.replication == r) & (self.time == time) & self.alive
        return self.employees[keep]

    def keyed(self, r, time):
        """Employees of firms alive at a snapshot, keyed by city x 2^32 + uid (sorted)."""
        keep = (self.replication == r) & (self.time == time) & self.alive
        keys = (self.city[keep].astype(np.int64) << 32) + self.uid[keep]
        order = np.argsort(keys)
        return keys[order], self.employees[keep][order]


def tail_exponent(sizes, low=TAIL_RANGE[0], high=TAIL_RANGE[1]):
    """MLE of alpha for P(n) ~ n^-(1 + alpha) on the integers low..high."""
    s = np.asarray(sizes, dtype=float)
    s = s[(s >= low) & (s <= high)]
    if len(s) < 50:
        return math.nan
    n = np.arange(low, high + 1, dtype=float)
    mean_log = np.log(s).mean()
    alphas = np.linspace(0.05, 4.0, 3951)
    # log-likelihood per firm: -(1 + a) mean(log s) - log sum_n n^-(1 + a)
    norms = np.log(np.exp(-np.outer(1 + alphas, np.log(n))).sum(axis=1))
    ll = -(1 + alphas) * mean_log - norms
    return float(alphas[np.argmax(ll)])


def size_tail(firms):
    last = firms.times[-1]
    return np.array([tail_exponent(firms.sizes(r, last)) for r in range(firms.replications)])


def growth_by_size(firms, r):
    """(mean size, sd of log growth, firms) per size bin 1, 2-3, 4-7, ... between the last
    two snapshots 12 months apart, for replication r."""
    if len(firms.times) < 2:
        raise ValueError("growth patterns need two firm snapshots 12 months apart")
    t0, t1 = firms.times[-2], firms.times[-1]
    k0, n0 = firms.keyed(r, t0)
    k1, n1 = firms.keyed(r, t1)
    both, i0, i1 = np.intersect1d(k0, k1, assume_unique=True, return_indices=True)
    size = n0[i0].astype(float)
    growth = np.log(n1[i1] / size)
    bins = np.floor(np.log2(size)).astype(int)
    rows = []
    for b in np.unique(bins):
        g = growth[bins == b]
        if len(g) >= 30:
            rows.append((size[bins == b].mean(), g.std(ddof=1), len(g)))
    return np.array(rows)


def growth_size_slope(firms):
    slopes = []
    for r in range(firms.replications):
        rows = growth_by_size(firms, r)
        ok = rows[:, 1] > 0
        slopes.append(np.polyfit(np.log(rows[ok, 0]), np.log(rows[ok, 1]), 1, w=np.sqrt(rows[ok, 2]))[0])
    return np.array(slopes)


def steady_state(path):
    """Every pattern of the file: {name: per-replication array}. Patterns whose data the
    file lacks (no firms/ group, too few months) are left out."""
    ds = open_result(path)
    out = {"exit_rate": exit_rate(ds)}
    out["job_creation_rate"], out["job_destruction_rate"] = job_flow_rates(ds)
    with h5py.File(path, "r") as f:
        months = f["time"].shape[0]
        for k in SURVIVAL_YEARS:
            if months > 12 * k:
                out[f"survival_{k}y"] = survival(f, k)
        if "firms" in f:
            firms = Firms(f)
            out["size_tail"] = size_tail(firms)
            if len(firms.times) >= 2 and 365 <= firms.times[-1] - firms.times[-2] <= 366:
                out["growth_size_slope"] = growth_size_slope(firms)
    return out
