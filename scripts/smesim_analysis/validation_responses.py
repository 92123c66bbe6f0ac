"""How firms respond to the 2020-2021 shock in docs/VALIDATION.md (scripts/validate.py):
the paths of temporary closure, hours, arrears and take-up, their reported checks, and
the numbers the "what drives the no-support path" paragraph is written from. None of it
is fitted: the shock-side calibration (scenarios/calibration/shock.toml) uses only the
2020 survey moments of shock.py."""

import csv
import warnings

import numpy as np

from .files import ALL_CITIES, month_labels, scenario
from .measures import annual_exit_rate, window
from .stats import estimate_mean
from .validation_checks import Check

TABLE_MONTHS = ("2020-04", "2020-12", "2021-07", "2021-12")

# {series: (label, digits)}, in table and figure order.
SERIES = {
    "closed": ("SMEs temporarily closed, % of live SMEs (no support)", 1),
    "headcount": ("SME employment, headcount incl. furloughed, 2020-01 = 100 (no support)", 1),
    "fte": ("SME hours, full-time equivalents, 2020-01 = 100 (no support)", 1),
    "arrears": ("SME arrears (rent, suppliers), % of 2020-01 monthly revenue (no support)", 1),
    "take_up": ("Take-up: eligible SMEs reached, % (stimulus package)", 1),
}


def _total(ds, name):
    """ds[name] summed over cities: (replication, time)."""
    return ds[name].sum("city")


def response_series(no_support, stimulus):
    """{name of SERIES: DataArray (replication, time)}; take_up is NaN in months in which
    no SME is eligible for a policy."""
    def s(name):
        return _total(no_support, name)
    emp, fte = s("employment"), s("employment_fte")
    supported = _total(stimulus, "firms_supported")
    eligible = supported + _total(stimulus, "firms_not_reached")
    return {"closed": 100 * s("firms_closed") / s("firms_active"),
            "headcount": 100 * emp / emp.isel(time=0),
            "fte": 100 * fte / fte.isel(time=0),
            "arrears": 100 * s("arrears_usd") / s("revenue_usd").isel(time=0),
            "take_up": 100 * supported / eligible.where(eligible > 0)}


def response_table(series, ds):
    """(months, {series: [Estimate or None per month]}) at the TABLE_MONTHS the run has."""
    labels = month_labels(ds)
    months = [m for m in TABLE_MONTHS if m in labels]
    cells = {}
    for key, da in series.items():
        values = [da.isel(time=labels.index(m)).values for m in months]
        cells[key] = [None if np.isnan(v).any() else estimate_mean(v) for v in values]
    return months, cells


def take_up(ds, w):
    """Take-up over window w, all cities: eligible SME-months reached, % (Estimate), or None
    when no SME was eligible (no stimulus policy)."""
    if "firms_supported" not in ds:
        return None
    supported = _total(ds, "firms_supported").isel(time=w.slice).sum("time")
    eligible = supported + _total(ds, "firms_not_reached").isel(time=w.slice).sum("time")
    if (eligible == 0).any():
        return None
    return estimate_mean((100 * supported / eligible).values)


def cohort_loss(sec, ds, month):
    """{sector: Estimate} % of the SMEs alive at the end of the first month that are gone
    by the end of `month`, all cities and size classes."""
    alive = sec.initial_cohort_alive.sum(("city", "size_class"))
    lost = 100 * (1 - alive.isel(time=month_labels(ds).index(month)) / alive.isel(time=0))
    return {str(s): estimate_mean(lost.sel(sector=s).values) for s in sec.sector.values}


def _q2_change(series, key, labels):
    """Per replication: mean of series[key] in 2020-04..06 minus 100 (the 2020-01 level)."""
    q2 = slice(labels.index("2020-04"), labels.index("2020-06") + 1)
    return series[key].isel(time=q2).mean("time").values - 100


def response_checks(series, sec, ds):
    """The reported (not enforced) checks of hours, temporary closure and lasting loss."""
    labels = month_labels(ds)
    fte, head = _q2_change(series, "fte", labels), _q2_change(series, "headcount", labels)
    hours = estimate_mean(fte)
    gap = estimate_mean(fte - head)
    closed = series["closed"]
    first_wave = slice(labels.index("2020-03"), labels.index("2020-06") + 1)
    fall = estimate_mean(closed.isel(time=first_wave).max("time").values -
                         closed.isel(time=labels.index("2020-12")).values)
    lost = cohort_loss(sec, ds, "2021-12")
    worst = max(lost, key=lambda s: lost[s].mean)
    pulse = "World Bank Business Pulse (Apedo-Amah et al. 2020)"
    surveys = ("ADB rapid MSME surveys (2020); Future of Business survey (May 2020): 74% of "
               "closed businesses expected to reopen")
    checks = [
        Check("SME hours (full-time equivalents) in 2020 Q2 without support, % change from 2020-01",
              hours, "-15.2 (hours worked, Q2 2020, all workers)", "ILO (2020)", "-25 to -5",
              -25 <= hours.mean <= -5, enforced=False, unit="%", digits=1),
        Check("Hours fall more than headcount in 2020 Q2 (change in hours minus change in headcount, "
              "points)", gap, "< 0 (64% cut hours or wages; fewer than 20% laid off)", pulse,
              "below 0", gap.mean < 0, enforced=False, digits=1),
        Check("Temporary closures peak in the first wave: highest closed share 2020-03..06 minus the "
              "share in 2020-12 (points)", fall, "> 0 (closures mostly temporary)", surveys,
              "above 0", fall.mean > 0, enforced=False, digits=1),
    ]
    for sector in dict.fromkeys(s for s in ("accommodation_food", worst) if s in lost):
        top = " (the largest loss of any sector)" if sector == worst else ""
        checks.append(Check(f"{sector} SMEs alive at 2020-01 gone by 2021-12 without support{top}, %",
                            lost[sector], "< 50: no sector loses most of its SMEs (closures mostly "
                            "temporary)", surveys, "below 50", lost[sector].mean < 50, enforced=False,
                            unit="%", digits=1))
    return checks, lost


def oxcgrt_means(path, codes, months):
    """{code: mean of the monthly index over months} for OxCGRT series codes ("THA",
    "IND_TN") in data/oxcgrt/stringency_monthly.csv."""
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            code = row["region_code"] or row["country_code"]
            if code in codes:
                values = [float(row[m]) for m in months if row.get(m)]
                out[code] = float(np.mean(values)) if values else float("nan")
    return out


def _share_of_failures(ds, over):
    """Per replication: % of liquidity failures over `over` that were temporarily closed
    SMEs closing for good (firms_exited_closure / firms_exited_illiquid), all cities."""
    w = window(ds, over=over)
    closure = _total(ds, "firms_exited_closure").isel(time=w.slice).sum("time")
    failed = _total(ds, "firms_exited_illiquid").isel(time=w.slice).sum("time")
    return (100 * closure / failed.where(failed > 0)).values


def failure_bunch(ds, series):
    """Where the liquidity failures of 2020-2021 bunch: the three months around the month
    with most closures ending for good, their share of the failures and of closures among
    them (%), and the month in which the closed share peaked with its value (%)."""
    labels = month_labels(ds)
    w = window(ds, over="2020-01:2021-12")
    closure = _total(ds, "firms_exited_closure").isel(time=w.slice)
    failed = _total(ds, "firms_exited_illiquid").isel(time=w.slice)
    peak = int(closure.mean("replication").argmax())
    around = slice(max(0, peak - 1), min(closure.sizes["time"], peak + 2))
    closed = series["closed"].isel(time=w.slice).mean("replication")
    top = int(closed.argmax())
    return {"months": (labels[w.first + around.start], labels[w.first + around.stop - 1]),
            "share": estimate_mean((100 * failed.isel(time=around).sum("time") / failed.sum("time")).values),
            "closures": estimate_mean((100 * closure.isel(time=around).sum("time") /
                                       failed.isel(time=around).sum("time")).values),
            "closed_peak": (labels[w.first + top], float(closed.isel(time=top)))}


def sector_2021(ds, sec, sector):
    """`sector` in 2021 (ds, sec: covid-no-support): its demand index D (1 = baseline),
    mean over cities and months, and the % of its liquidity failures that were open SMEs
    that could not pay (not temporarily closed ones closing for good), all cities."""
    w = window(ds, over="2021-01:2021-12")
    demand = ds.demand_index.sel(sector=sector).isel(time=w.slice).mean(("time", "city"))
    s = sec.sel(sector=sector).isel(time=w.slice).sum(("time", "city", "size_class"))
    failed = s.firms_exited_illiquid
    return {"sector": sector, "demand": estimate_mean(demand.values),
            "open_failures": estimate_mean((100 * (failed - s.firms_exited_closure) / failed.where(failed > 0)).values)}


def drivers(ds, sec, series, oxcgrt_csv, worst):
    """The numbers behind the no-support path in 2021 (ds, sec: covid-no-support): exit
    rates by year, the OxCGRT index and model stringency in 2021 by city, the mapping and
    closure keys of the resolved scenario, the closed share in 2021, the share of failures
    that were closures ending for good, and the 2021 of sector `worst` (sector_2021)."""
    scen = scenario(ds)
    labels = month_labels(ds)
    year = [f"2021-{m:02d}" for m in range(1, 13)]
    t2021 = [labels.index(m) for m in year]
    codes = {}
    for cid in scen["simulation"]["cities"]:
        spec = str(scen["cities"][cid].get("stringency", ""))
        if spec.startswith("oxcgrt:"):
            codes[scen["cities"][cid].get("name", cid)] = spec.split(":", 1)[1]
    index = oxcgrt_means(oxcgrt_csv, set(codes.values()), year)
    stringency = ds.stringency.isel(time=t2021).mean("time")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        exits = {y: estimate_mean(annual_exit_rate(ds, window(ds, over=f"{y}-01:{y}-12"))
                                  .sel(city=ALL_CITIES).values / 100) for y in (2020, 2021)}
        closure_share = estimate_mean(_share_of_failures(ds, "2020-01:2021-12"))
    return {"exits": exits,
            "cities": [(city, code, index.get(code, float("nan")), float(stringency.sel(city=city)))
                       for city, code in codes.items()],
            "mapping": scen.get("stringency_mapping", {}),
            "responses": scen.get("responses", {}),
            "closed_2021": estimate_mean(series["closed"].isel(time=t2021).mean("time").values),
            "closure_share": closure_share,
            "bunch": failure_bunch(ds, series),
            "worst": sector_2021(ds, sec, worst)}
