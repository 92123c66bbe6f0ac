"""Derived measures of smesim result files, one implementation each.

Every measure is a value per replication and city (with "All cities" last), computed
over a window of months: flows are summed over the window, stocks read at its last
month (as `smesim compare --over/--at`). Estimates over replications use stats.py.

Definitions (W = the window's months, t1 its last month, t0 its first):

  failures             sum over W of firms_exited_illiquid                     firms
  firms_active         firms_active at t1                                      firms
  survival             100 x initial_cohort_alive at t1 / firms_baseline       % of month-0 SMEs
  employment           employment at t1                                        workers
  net_jobs             employment at t1 - employment at the end of t0 - 1      workers
                       (employment_baseline when t0 is month 0)
  job_months           sum over W of employment                                job-months
  job_years            job_months / 12                                         job-years
  spending             sum over W of the variables the file marks as public    USD
                       money spent on SMEs (its spending_variables attribute:
                       programme_value_paid_usd, programme_in_kind_value_used_usd,
                       wage_subsidy_paid_usd, grants_paid_usd; docs/OUTPUT.md)
  annual_failure_rate  100 x 12 x failures / sum over W of the SMEs active at  % per year
                       the start of each month (firms_active of the month
                       before; firms_baseline for month 0): failures per 100
                       SME-years at risk
  annual_exit_rate     the same with all exits (illiquid and other)            % per year

All are measures of `smesim compare` too (src/analysis/measures.cpp, the same catalogue);
a comparison of B against A adds, when B spends more than A:

  jobs_per_usd_million  paired job_years difference (and interval) x 1e6 / mean spending difference
  cost_per_job_year     mean spending difference / paired job_years difference; its
                        interval is [cost / hi, cost / lo] when the job-years interval
                        excludes 0, else undefined (NaN)

and the headline of `smesim inspect` (headline(), format_headline()) uses the full period.
The comparison and the tables of `smesim inspect` are in tables.py.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from .files import ALL_CITIES, ResultFileError, scenario, text
from .stats import Estimate, estimate_along, estimate_mean, paired_difference


class ComparisonError(ValueError):
    """Two files that cannot be compared replication by replication, or a bad window."""


# --- what the file says about its variables (docs/OUTPUT.md) ---------------------------

def listed(ds, attribute):
    """The variable names a root attribute lists, in order (ResultFileError without it)."""
    if attribute not in ds.attrs:
        raise ResultFileError(f"{ds.attrs.get('path', 'the file')}: no '{attribute}' attribute; the file "
                              "was written by an smesim older than its reader: run it again")
    return str(text(ds.attrs[attribute])).split()


def spending_variables(ds):
    """The variables the file marks as public money spent on SMEs, in the order compare
    sums them (the `spending` measure, so what cost_per_job_year divides by)."""
    return listed(ds, "spending_variables")


def spending_label(ds, name):
    """The short legend label of a spending variable (its spending_label attribute)."""
    return str(text(ds[name].attrs.get("spending_label", name))) if name in ds else name


def money_rows(ds):
    """The rows of `smesim inspect`'s money table the file describes, in order:
    [(variable, label, reduction over time: 'sum' | 'first' | 'last' | 'max')]."""
    return [(name, str(text(ds[name].attrs["money_label"])), str(text(ds[name].attrs["money_reduction"])))
            for name in listed(ds, "money_rows") if name in ds]


# --- cities and windows -------------------------------------------------------------

def plain(da):
    """da without its auxiliary (non-index) coordinates such as city_id."""
    return da.reset_coords(drop=True)


def with_all_cities(da):
    """da with one more city, "All cities": the sum over cities (NaNs propagate)."""
    da = plain(da)
    total = da.sum("city", skipna=False).expand_dims(city=[ALL_CITIES])
    return xr.concat([da, total], dim="city")


def variable(ds, name):
    """ds[name], or zeros shaped like firms_active when the file lacks the variable."""
    if name in ds:
        return ds[name]
    return xr.zeros_like(ds["firms_active"]).rename(name)


def month_index(ds, month):
    """Index of 'YYYY-MM' along time (ComparisonError outside the file's months)."""
    months = ds.time.values.astype("datetime64[M]")
    try:
        wanted = np.datetime64(month, "M")
    except ValueError:
        raise ComparisonError(f"expected a month YYYY-MM, found '{month}'") from None
    hits = np.flatnonzero(months == wanted)
    if len(hits) == 0:
        raise ComparisonError(f"month {month} is outside the file's period "
                              f"({months[0]} to {months[-1]})")
    return int(hits[0])


@dataclass(frozen=True)
class Window:
    """Months first..last (indices along time, inclusive) and their labels."""
    first: int
    last: int
    first_month: str
    last_month: str

    @property
    def slice(self):
        return slice(self.first, self.last + 1)


def window(ds, over=None, at=None):
    """The window of `smesim compare`: --over 'YYYY-MM:YYYY-MM' (flows over it, stocks
    at its end), --at 'YYYY-MM' (flows from the first month, stocks then), or the whole
    period."""
    if over and at:
        raise ComparisonError("give --over or --at, not both")
    months = [str(m) for m in ds.time.values.astype("datetime64[M]")]
    first, last = 0, len(months) - 1
    if over:
        parts = over.split(":")
        if len(parts) != 2:
            raise ComparisonError(f"--over: expected YYYY-MM:YYYY-MM, found '{over}'")
        first, last = month_index(ds, parts[0]), month_index(ds, parts[1])
        if last < first:
            raise ComparisonError(f"--over: the end {parts[1]} is before the start {parts[0]}")
    if at:
        last = month_index(ds, at)
    return Window(first, last, months[first], months[last])


def full_window(ds):
    return window(ds)


# --- per-replication measures ---------------------------------------------------------

def flow(ds, name, w):
    """Sum over the window of a monthly flow: (replication, city incl. All cities)."""
    return with_all_cities(variable(ds, name)).isel(time=w.slice).sum("time", skipna=False)


def stock(ds, name, w):
    """A month-end stock at the window's last month: (replication, city incl. All cities)."""
    return with_all_cities(variable(ds, name)).isel(time=w.last, drop=True)


def baseline(ds, name):
    """A month-0 baseline (firms_baseline, employment_baseline) with All cities."""
    return with_all_cities(ds[name])


def failures(ds, w):
    return flow(ds, "firms_exited_illiquid", w)


def firms_active(ds, w):
    return stock(ds, "firms_active", w)


def survival(ds, w):
    return 100 * stock(ds, "initial_cohort_alive", w) / baseline(ds, "firms_baseline")


def employment(ds, w):
    return stock(ds, "employment", w)


def net_jobs(ds, w):
    if w.first == 0:
        before = baseline(ds, "employment_baseline")
    else:
        before = with_all_cities(ds.employment).isel(time=w.first - 1, drop=True)
    return employment(ds, w) - before


def job_months(ds, w):
    return flow(ds, "employment", w)


def job_years(ds, w):
    return job_months(ds, w) / 12.0


def spending(ds, w):
    return sum(flow(ds, name, w) for name in spending_variables(ds))


def firms_at_risk(ds):
    """SMEs active at the start of each month: last month's firms_active, firms_baseline
    for month 0 (replication, time, city incl. All cities)."""
    active = with_all_cities(ds.firms_active)
    before = active.shift(time=1)
    return before.where(before.time != active.time[0], baseline(ds, "firms_baseline"))


def annual_failure_rate(ds, w):
    return per_sme_year(ds, failures(ds, w), w)


def annual_exit_rate(ds, w):
    return per_sme_year(ds, flow(ds, "firms_exited_illiquid", w) + flow(ds, "firms_exited_other", w), w)


def per_sme_year(ds, count, w):
    """100 x 12 x count / the SMEs at risk over w: per 100 SME-years."""
    exposure = firms_at_risk(ds).isel(time=w.slice).sum("time", skipna=False)
    return 100 * 12 * count / exposure


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    value: object  # function (ds, window) -> DataArray (replication, city)
    label: str


MEASURES = {m.name: m for m in [
    Measure("failures", "firms", failures, "SME failures (liquidity)"),
    Measure("firms_active", "firms", firms_active, "SMEs active"),
    Measure("survival", "% of month-0 SMEs", survival, "Survival of the month-0 SMEs"),
    Measure("employment", "workers", employment, "SME employment"),
    Measure("job_years", "job-years", job_years, "SME job-years"),
    Measure("spending", "USD", spending, "Public spending"),
    Measure("net_jobs", "workers", net_jobs, "Net jobs"),
    Measure("job_months", "job-months", job_months, "SME job-months"),
    Measure("annual_failure_rate", "% per year", annual_failure_rate,
            "Annual failure rate (failures per 100 SME-years)"),
    Measure("annual_exit_rate", "% per year", annual_exit_rate,
            "Annual exit rate (all exits per 100 SME-years)"),
]}


# Measures of `smesim compare`: all of them, in its order (src/analysis/measures.cpp has the
# same names, units and order: tests/python/test_measures_catalogue.py); the two ratios follow.
COMPARE_MEASURES = list(MEASURES)
RATIO_MEASURES = {"jobs_per_usd_million": "job-years per USD 1M",
                  "cost_per_job_year": "USD per job-year"}


def cost_per(cost, jobs):
    """Cost per job-year from the mean cost and the job-years difference estimate."""
    if jobs.lo <= 0:
        return Estimate(cost / jobs.mean if jobs.mean > 0 else math.nan, math.nan, math.nan, jobs.n)
    return Estimate(cost / jobs.mean, cost / jobs.hi, cost / jobs.lo, jobs.n)


def annual_rate(flow_name, ds):
    """Davis-Haltiwanger annual rate, mean over the year ends of the file: the flow over
    the 12 months to a year end divided by the mean of employment then and 12 months
    before (employment_baseline for the first year). NaN without year ends."""
    x = with_all_cities(ds[flow_name])
    emp = with_all_cities(ds.employment)
    before = emp.shift(time=12)
    month = xr.DataArray(np.arange(ds.sizes["time"]), dims="time", coords={"time": ds.time})
    before = before.where(month >= 12, baseline(ds, "employment_baseline"))
    rate = x / (0.5 * (emp + before))
    years = rate.notnull().sum("time")
    total = rate.fillna(0.0).sum("time")
    return (total / years.where(years > 0)).where(years > 0)


def per_replication(ds, name, w=None):
    """A measure by name: DataArray (replication, city incl. All cities)."""
    return MEASURES[name].value(ds, w or full_window(ds))


def estimates(ds, name, w=None):
    """{city: Estimate} of a measure over replications."""
    values = per_replication(ds, name, w)
    return {str(c): estimate_mean(values.sel(city=c).values) for c in values.city.values}


# --- time series ----------------------------------------------------------------------

def cohort_survival_series(ds):
    """Survival of the month-0 SMEs by month, in % (replication, time, city)."""
    return 100 * plain(ds.initial_cohort_alive) / plain(ds.firms_baseline)


def employment_index_series(ds):
    """SME employment, month 0 (end of burn-in) = 100 (replication, time, city)."""
    return 100 * plain(ds.employment) / plain(ds.employment_baseline)


def cumulative(da):
    return plain(da).cumsum("time")


def paired_series(a, b):
    """b - a by replication, then mean and 95% paired t-interval over replications:
    a Dataset with mean, lo, hi over the remaining dimensions (e.g. time, city)."""
    diff = plain(b) - plain(a)
    axis = diff.dims.index("replication")
    mean, lo, hi = estimate_along(diff.values, axis=axis)
    dims = [d for d in diff.dims if d != "replication"]
    coords = {d: diff[d] for d in dims}
    return xr.Dataset({"mean": (dims, mean), "lo": (dims, lo), "hi": (dims, hi)}, coords=coords)


# --- breakdowns (sectors group) -------------------------------------------------------

def breakdown(sec_a, sec_b, by, w, city=None):
    """Paired differences B - A by sector or size class (by = 'sector' | 'size_class'),
    all cities together or one city: a DataFrame indexed by label with, per measure
    (failures over the window, employment and firms active at its end), the means of
    A and B and the paired estimate."""
    rows = {}
    other = [d for d in ("city", "sector", "size_class") if d != by]
    if city is not None:
        sec_a, sec_b = sec_a.sel(city=[city]), sec_b.sel(city=[city])
    for label in sec_a[by].values:
        row = {}
        for name, var, kind in (("failures", "firms_exited_illiquid", "flow"),
                                ("employment", "employment", "stock"),
                                ("firms_active", "firms_active", "stock")):
            pair = []
            for sec in (sec_a, sec_b):
                x = sec[var].sel({by: label}).sum(other, skipna=False)
                x = x.isel(time=w.slice).sum("time") if kind == "flow" else x.isel(time=w.last)
                pair.append(x.values)
            row[(name, "a")] = estimate_mean(pair[0])
            row[(name, "b")] = estimate_mean(pair[1])
            row[(name, "paired")] = paired_difference(pair[0], pair[1])
        rows[str(label)] = row
    return pd.DataFrame.from_dict(rows, orient="index")


# --- the programme funnel ---------------------------------------------------------------

def programme_cities(ds):
    """Cities with a programme budget (names)."""
    if "programme_budget_usd" not in ds:
        return []
    budget = plain(ds.programme_budget_usd).max(["replication", "time"])
    return [str(c) for c in budget.city.values[budget.values > 0]]


def contract_labour_productivity(scen, city_id, sector):
    """a(c,s) = wage_usd(c) x wage_multiplier_s / labour_share_s: revenue per
    worker-month at mean productivity (docs/ODD.md section 7.5)."""
    c, s = scen["cities"][city_id], scen["sectors"][sector]
    return c["wage_usd"] * s["wage_multiplier"] / s["labour_share"]


def funnel(ds, contracts):
    """The programme funnel per month (replication, time, city), whole-city numbers:

      bids                cumulative bids received (programme_bids)
      awards              cumulative contracts awarded (programme_awards)
      value_awarded_usd   cumulative value awarded
      value_paid_usd      cumulative value paid (estate payments included)
      contractors_alive   SMEs awarded a contract so far minus those that exited while
                          delivering one (from the contracts table: an exit shows as
                          months_delivered < duration_months, in month award +
                          months_delivered + 1); exits after the last delivery month are
                          not recorded there, so the series is NaN after the city's last
                          delivery month
      contract_staff      workers hired for contracts, from the award month to the last
                          month delivered: monthly value / a(c,s) at mean productivity
                          (an estimate: the model divides by the contractor's own
                          productivity, which the file does not hold)
    """
    out = xr.Dataset()
    for name, var in (("bids", "programme_bids"), ("awards", "programme_awards"),
                      ("value_awarded_usd", "programme_value_awarded_usd"),
                      ("value_paid_usd", "programme_value_paid_usd")):
        out[name] = cumulative(variable(ds, var))
    shape = (ds.sizes["replication"], ds.sizes["time"], ds.sizes["city"])
    alive = np.zeros(shape)
    staff = np.zeros(shape)
    scale = float(ds.attrs["population_scale"])
    months = ds.time.values.astype("datetime64[M]")
    replication_index = {int(r): i for i, r in enumerate(ds.replication.values)}
    if contracts is not None and len(contracts):
        scen = scenario(ds)
        city_ids = scen["simulation"]["cities"]
        con = contracts[contracts.replication.isin(list(replication_index))]
        award = np.searchsorted(months, con.award_time.values.astype("datetime64[M]"))
        exited = con.months_delivered.to_numpy() < con.duration_months.to_numpy()
        exit_month = np.where(exited, award + con.months_delivered.to_numpy() + 1, np.iinfo(np.int64).max)
        firms = pd.DataFrame({"replication": con.replication.to_numpy(), "city": con.city.to_numpy(),
                              "firm": con.firm_uid.to_numpy(), "award": award, "exit": exit_month})
        firms = firms.groupby(["replication", "city", "firm"]).agg(award=("award", "min"), exit=("exit", "min"))
        t = np.arange(ds.sizes["time"])
        for (r, c, _), f in firms.iterrows():
            alive[replication_index[r], :, c] += (t >= f.award) & (t < f["exit"])
        # Exits are seen only while a contract is delivered: no count after the last
        # delivery month of the city's contracts (in any replication).
        end = award + con.duration_months.to_numpy()
        for c in np.unique(con.city.to_numpy()):
            alive[:, t > end[con.city.to_numpy() == c].max(), c] = np.nan
        for row, t0 in zip(con.itertuples(), award):
            a = contract_labour_productivity(scen, city_ids[row.city], scen["simulation"]["sectors"][row.sector])
            workers = row.value_usd / row.duration_months / a
            staff[replication_index[row.replication], t0:t0 + row.months_delivered + 1, row.city] += workers
    dims = ("replication", "time", "city")
    coords = {d: ds[d] for d in dims}
    out["contractors_alive"] = xr.DataArray(alive / scale, dims=dims, coords=coords)
    out["contract_staff"] = xr.DataArray(staff, dims=dims, coords=coords)
    return plain(out)


def spending_series(ds):
    """Cumulative public spending by instrument (USD), for the instruments the file
    spends on: {variable: DataArray (replication, time, city)}."""
    out = {}
    for name in spending_variables(ds):
        if name in ds and float(abs(ds[name]).max()) > 0:
            out[name] = cumulative(ds[name])
    return out
