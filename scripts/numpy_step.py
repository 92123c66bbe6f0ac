#!/usr/bin/env python3
"""The reference of issue 14: smesim's monthly firm step for one city, written as
vectorised numpy (whole arrays at a time), timed in firm-months per processor second.

It does the work of a month of the C++ model's firm kernel (docs/ODD.md 7.5) on the same
state (the firm table's arrays and types): one Philox call's worth of draws per firm
(numpy's Philox), the demand state and its multiplier, opening and temporary closure,
the month's accounts with credit, arrears and owner's funds, exit, labour with rounded
hires and fires, the per-cell sums of the month (counts and amounts by sector and size
class), entrants, compaction once an eighth of the table is dead, and the year-end job
flows. The parameters are plausible, not calibrated: the figure is the speed of numpy
on this work, not a model result. Usage:

    scripts/numpy_step.py [--firms N] [--months T] [--seed S] [--default-malloc]

prints firm-months, processor seconds and firm-months per processor second. numpy
allocates a temporary array per operation; unless --default-malloc is given, glibc's
malloc is told to keep the memory it frees (mallopt), as smesim keeps its own: on a
machine where a page touched for the first time costs a fault, that doubles numpy's
speed, and the reference should be numpy at its best.
"""
import argparse
import ctypes
import time

import numpy as np

SECTORS, SIZE_CLASSES = 11, 3
ALIVE, CUT_YTD, LAID_OFF_YTD = 16, 4, 8


def new_firms(rng, n, first_uid):
    """State arrays of n new firms (the firm table's columns and types)."""
    size = np.minimum(rng.pareto(1.2, n) * 2 + 1, 250).astype(np.uint16)
    return {
        "uid": np.arange(first_uid, first_uid + n, dtype=np.uint32),
        "sector": rng.integers(0, SECTORS, n, dtype=np.uint8),
        "distress": np.zeros(n, np.uint8),
        "flags": np.full(n, ALIVE, np.uint8),
        "closed_months": np.zeros(n, np.uint8),
        "short_months": np.zeros(n, np.uint8),
        "closed_ytd": np.zeros(n, np.uint8),
        "capability": rng.integers(0, 65536, n, dtype=np.uint16),  # read by the programme, not here
        "age": np.zeros(n, np.uint16),
        "employees": size.copy(),
        "normal_size": size,
        "year_ago": np.zeros(n, np.uint16),
        "capacity": size.astype(np.float32),
        "productivity": rng.lognormal(-0.08, 0.4, n).astype(np.float32),
        "wage": rng.normal(900, 150, n).clip(300).astype(np.float32),
        "demand_state": rng.normal(0, 1, n).astype(np.float32),
        "utilisation": np.full(n, 0.8, np.float32),
        "cash_target": (size * 2500.0).astype(np.float32),
        "hours": np.ones(n, np.float32),
        "owner_funds": (size * 3000.0).astype(np.float32),
        "cash": (size * 2000.0).astype(np.float32),
        "debt": (size * 1000.0).astype(np.float32),
        "arrears": np.zeros(n, np.float32),
    }


def open_month(t, rng, k):
    """Draws, demand and opening: the month's values every later stage reads, in g."""
    n = t["uid"].size
    g = {"alive": (t["flags"] & ALIVE) != 0, "sector": t["sector"]}
    sector = g["sector"]
    g["size_class"] = (t["normal_size"] > 9).astype(np.int64) + (t["normal_size"] > 49)
    g["cell"] = sector.astype(np.int64) * SIZE_CLASSES + g["size_class"]
    # Draws: two normal factors, the exit and rounding uniforms (a Philox call's worth).
    g["u"] = u = rng.random((4, n), dtype=np.float32)
    z = np.sqrt(-2 * np.log1p(-u[0])) * np.cos(2 * np.pi * u[1])
    t["demand_state"] = (k["phi"] * t["demand_state"] + k["innovation"] * z).astype(np.float32)
    noise = np.exp(k["s_z"] * t["demand_state"] - 0.5 * k["s_z"] ** 2)
    supply, demand = k["supply"][sector], k["demand"][sector] * noise
    g["nf"] = nf = np.maximum(t["employees"], 1).astype(np.float32)
    g["nstar"] = nstar = t["normal_size"].astype(np.float32)
    restricted = supply < 1
    g["util"] = util = np.where(restricted, np.minimum(demand / np.maximum(supply, 1e-6), 1), np.minimum(demand, 0.95))
    rc = k["revenue_per_worker"][sector] * t["productivity"]
    g["normal_revenue"] = nstar * rc
    g["normal_bills"] = (k["fixed_share"][sector] + k["input_share"][sector]) * g["normal_revenue"]
    g["normal_profit"] = g["normal_revenue"] - g["normal_bills"] - nstar * t["wage"]
    g["fixed"] = k["fixed_share"][sector] * t["capacity"] * rc
    need_hours = np.clip(nstar * util / nf, 0.5, 1)
    shuts = (g["normal_profit"] > 0) & (nf * rc * util * (1 - k["input_share"][sector]) < nf * t["wage"] * need_hours)
    # The lockdown order's place: the exit uniform again (smesim draws it apart; the same work).
    g["closed"] = closed = g["alive"] & ((restricted & (u[2] < 1 - supply)) | shuts)
    g["cm"] = np.where(closed, np.minimum(t["closed_months"] + 1, 255), 0).astype(np.uint8)
    g["cy"] = (t["closed_ytd"] + (closed & (t["closed_ytd"] < 255))).astype(np.uint8)
    g["revenue"] = np.where(closed, 0, nf * rc * util)
    return g


def settle(t, g, k):
    """The month's accounts, credit, arrears and owner's funds."""
    closed, sector, nf = g["closed"], g["sector"], g["nf"]
    g["wages"] = np.where(closed, 0.6 * nf * t["wage"], nf * t["wage"] * t["hours"])
    costs = g["wages"] + np.where(closed, 0, k["input_share"][sector] * g["revenue"])
    costs += np.where(closed, 0.5 * g["fixed"], g["fixed"]) + t["debt"] * k["interest"]
    cash = t["cash"] + g["revenue"] - costs
    limit = np.choose(g["size_class"], k["credit_months"]) * g["normal_revenue"]
    draw = np.minimum(-cash, np.maximum(limit - t["debt"], 0))
    debt = np.where(cash < 0, t["debt"] + draw, t["debt"])
    cash = np.where(cash < 0, cash + draw, cash)
    above = cash > t["cash_target"]
    settled = np.minimum(cash - t["cash_target"], t["arrears"])
    arrears = np.where(above, t["arrears"] - settled, t["arrears"])
    repay = np.minimum(cash - settled - t["cash_target"], debt)
    paid_out = k["payout"] * (cash - settled - repay - t["cash_target"])
    cash = np.where(above, cash - settled - repay - paid_out, cash)
    g["debt"] = np.where(above, debt - repay, debt)
    g["short"] = short = cash < 0
    defer = np.minimum(-cash, np.maximum(2 * g["normal_bills"] - arrears, 0))
    g["arrears"] = np.where(short, arrears + defer, arrears)
    cash = np.where(short, cash + defer, cash)
    g["injection"] = np.where(cash < 0, np.minimum(-cash, t["owner_funds"]), 0)
    g["cash"] = cash + g["injection"]


def exit_or_stay(t, g, k):
    """Failure, closure for good or exogenous exit."""
    g["distress"] = np.where(g["cash"] < 0, np.minimum(t["distress"] + 1, 255), 0).astype(np.uint8)
    exo = np.where(t["age"] < 24, k["exo_young"][g["sector"]], k["exo_old"][g["sector"]])
    cm = g["cm"]
    closed_out = (cm > 0) & ((cm > 12) | (g["debt"] + g["arrears"] > 36 * g["normal_profit"]))
    g["fails"] = ((g["cash"] < 0) & (g["distress"] >= 3)) | closed_out
    g["exits"] = g["alive"] & (g["fails"] | (g["u"][2] < exo))
    g["stays"] = g["alive"] & ~g["exits"]


def adjust_labour(t, g):
    """Hires and fires, rounded by a uniform; hours."""
    nf, nstar = g["nf"], g["nstar"]
    g["adjusts"] = g["stays"] & ~g["closed"]
    g["ubar"] = 0.7 * t["utilisation"] + 0.3 * g["util"]
    desired = np.maximum(1, nstar * np.minimum(g["ubar"], 0.95))
    short_of_work = desired < 0.85 * nf
    g["sm"] = np.where(short_of_work, np.minimum(t["short_months"] + 1, 255), 0).astype(np.uint8)
    wanted = np.where(short_of_work & (g["sm"] <= 6), desired / np.maximum(0.5, desired / nf), desired)
    fires = wanted < 0.85 * nf
    hires = ~fires & (wanted > 1.15 * nf) & (g["cash"] >= 0)
    step_size = np.where(fires, np.minimum(0.1 * nf, nf - wanted), np.minimum(np.maximum(0.1 * nf, 1), wanted - nf))
    whole = np.floor(step_size)
    rounded = (whole + (g["u"][3] < step_size - whole)).astype(np.int64)
    g["n0"] = n0 = t["employees"].astype(np.int64)
    moved = n0 + np.where(fires, -rounded, np.where(hires, rounded, 0))
    g["next"] = nxt = np.where(g["adjusts"], np.clip(moved, 1, 65535), n0)
    g["hours"] = np.where(g["adjusts"], np.where(short_of_work, np.clip(desired / nxt, 0.5, 1), 1), t["hours"])
    g["year_flags"] = g["adjusts"] * ((g["hours"] < 1) * CUT_YTD | (nxt < n0) * LAID_OFF_YTD)


def store(t, g):
    """Writes back the living."""
    alive, adjusts = g["alive"], g["adjusts"]
    t["flags"] = np.where(g["exits"], t["flags"] & ~ALIVE, t["flags"] | g["year_flags"]).astype(np.uint8)
    for name, key in (("distress", "distress"), ("closed_months", "cm"), ("closed_ytd", "cy")):
        t[name] = np.where(alive, g[key], t[name]).astype(np.uint8)
    for name in ("cash", "debt", "arrears"):
        t[name] = np.where(alive, g[name], t[name]).astype(np.float32)
    t["owner_funds"] = np.where(alive, t["owner_funds"] - g["injection"], t["owner_funds"]).astype(np.float32)
    t["utilisation"] = np.where(adjusts, g["ubar"], t["utilisation"]).astype(np.float32)
    t["short_months"] = np.where(adjusts, g["sm"], t["short_months"]).astype(np.uint8)
    t["hours"] = g["hours"].astype(np.float32)
    t["employees"] = np.where(alive, g["next"], g["n0"]).astype(np.uint16)
    capacity = t["capacity"]
    t["capacity"] = np.where(adjusts, capacity + 0.1 * (g["next"] - capacity), capacity).astype(np.float32)
    t["age"] = np.where(g["stays"], np.minimum(t["age"] + 1, 65535), t["age"]).astype(np.uint16)


def month_sums(g):
    """The month's sums by cell, one bincount per quantity."""
    alive, stays, exits, nxt, n0 = g["alive"], g["stays"], g["exits"], g["next"], g["n0"]
    open_ = stays & (g["cm"] == 0)
    weights = {
        "active": stays, "employment": stays * nxt, "fte": open_ * nxt * g["hours"], "revenue": alive * g["revenue"],
        "wages": alive * g["wages"], "cash": stays * g["cash"], "debt": stays * g["debt"],
        "arrears": stays * g["arrears"], "injections": alive * g["injection"], "closed": stays & (g["cm"] > 0),
        "short_hours": open_ & (g["hours"] < 1), "distressed": stays & g["short"],
        "exits_failed": exits & g["fails"], "exits_other": exits & ~g["fails"],
        "created": stays * np.maximum(nxt - n0, 0), "destroyed": np.where(stays, np.maximum(n0 - nxt, 0), exits * n0),
        "revenue_drop": stays * (1 - g["revenue"] / g["normal_revenue"]),
    }
    cells = SECTORS * SIZE_CLASSES
    return {key: np.bincount(g["cell"], weights=w, minlength=cells) for key, w in weights.items()}


def step(t, rng, k):
    """One month of every firm in t; returns the month's cell sums."""
    g = open_month(t, rng, k)
    settle(t, g, k)
    exit_or_stay(t, g, k)
    adjust_labour(t, g)
    store(t, g)
    return month_sums(g)


def year_end(t):
    """Annual job flows of the living, then the year's flags and counters cleared."""
    live = (t["flags"] & ALIVE) != 0
    change = (t["employees"].astype(np.int64) - t["year_ago"]) * live
    flows = (np.maximum(change, 0).sum(), np.maximum(-change, 0).sum())
    t["year_ago"] = (t["year_ago"] + change).astype(np.uint16)
    t["flags"] = np.where(live, t["flags"] & ~(CUT_YTD | LAID_OFF_YTD), t["flags"]).astype(np.uint8)
    t["closed_ytd"] = np.where(live, 0, t["closed_ytd"]).astype(np.uint8)
    return flows


def constants(rng):
    return {
        "phi": np.float32(0.8), "innovation": np.float32(0.6), "s_z": np.float32(0.15),
        "supply": np.ones(SECTORS, np.float32), "demand": np.ones(SECTORS, np.float32),
        "revenue_per_worker": rng.uniform(2000, 6000, SECTORS).astype(np.float32),
        "fixed_share": rng.uniform(0.05, 0.2, SECTORS).astype(np.float32),
        "input_share": rng.uniform(0.3, 0.5, SECTORS).astype(np.float32),
        "exo_young": np.full(SECTORS, 0.012, np.float32), "exo_old": np.full(SECTORS, 0.006, np.float32),
        "credit_months": [np.float32(0.5), np.float32(1.0), np.float32(1.5)],
        "interest": np.float32(0.01), "payout": np.float32(0.5),
    }


def run(firms, months, seed):
    rng = np.random.Generator(np.random.Philox(seed))
    k = constants(rng)
    t = new_firms(rng, firms, 0)
    next_uid, firm_months = firms, 0
    start = time.process_time()
    for month in range(months):
        stringency = 1.0 - 0.5 * (3 <= month % 24 < 6)  # a lockdown in the spring of every other year
        k["supply"][:] = np.where(np.arange(SECTORS) < 4, stringency, 1.0)
        k["demand"][:] = 0.8 + 0.2 * stringency
        firm_months += int(((t["flags"] & ALIVE) != 0).sum())
        step(t, rng, k)
        births = rng.poisson(0.009 * firms)  # entrants, at about the exit rate
        entrants = new_firms(rng, births, next_uid)
        next_uid += births
        # Appended by a copy of the table: under 1% of a month's time (measured), kept simple.
        t = {name: np.concatenate([t[name], entrants[name]]) for name in t}
        dead = ~((t["flags"] & ALIVE) != 0)
        if dead.sum() * 8 > dead.size:  # compaction: the living, sorted by cell
            size_class = (t["normal_size"] > 9).astype(np.int64) + (t["normal_size"] > 49)
            order = np.flatnonzero(~dead)
            order = order[np.argsort(t["sector"][order] * SIZE_CLASSES + size_class[order], kind="stable")]
            t = {name: v[order] for name, v in t.items()}
        if month % 12 == 11:
            year_end(t)
    return firm_months, time.process_time() - start


def keep_freed_memory():
    """glibc's malloc: no arrays of their own pages (mmap), no memory given back."""
    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    libc.mallopt(m_mmap_threshold, 32 << 20)  # the largest glibc takes
    libc.mallopt(m_trim_threshold, 1 << 30)
    libc.mallopt(m_top_pad, 256 << 20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=250000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--default-malloc", action="store_true", help="leave glibc's malloc as it is")
    args = parser.parse_args()
    if not args.default_malloc:
        keep_freed_memory()
    firm_months, seconds = run(args.firms, args.months, args.seed)
    print(f"numpy {np.__version__}: {args.firms} firms, {args.months} months: {firm_months} firm-months, "
          f"{seconds:.3f} processor s, {firm_months / seconds:.3e} firm-months per processor second")


if __name__ == "__main__":
    main()
