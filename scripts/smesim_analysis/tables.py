"""The tables of the smesim command line, computed from measures.py: the paired
comparison of `smesim compare` (compare()) and the headline and money tables of
`smesim inspect` (headline(), format_headline(), money(), format_money()). The money
table's rows come from the file (its money_rows attribute, docs/OUTPUT.md).
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

import xarray as xr

from .files import ALL_CITIES
from .measures import (COMPARE_MEASURES, MEASURES, RATIO_MEASURES, ComparisonError, annual_rate, baseline,
                       cost_per, employment, failures, firms_active, full_window, money_rows,
                       per_replication, survival, window, with_all_cities)
from .stats import Estimate, estimate_mean, paired_difference, welch_difference


# --- comparison (smesim compare) ------------------------------------------------------

@dataclass
class Difference:
    measure: str
    unit: str
    city: str
    a: Estimate
    b: Estimate
    paired: Estimate
    unpaired: Estimate

    def as_dict(self):
        return {"measure": self.measure, "unit": self.unit, "city": self.city,
                "a": self.a.as_dict(), "b": self.b.as_dict(),
                "paired": self.paired.as_dict(), "unpaired": self.unpaired.as_dict()}


@dataclass
class Comparison:
    a_path: str
    b_path: str
    first: str
    last: str
    replications: int
    rows: list = field(default_factory=list)

    def get(self, measure, city=ALL_CITIES):
        """The row of a measure and city, or None (ratios are absent without spending)."""
        for row in self.rows:
            if row.measure == measure and row.city == city:
                return row
        return None

    def as_dict(self):
        """The structure of `smesim compare --json`."""
        return {"a": self.a_path, "b": self.b_path, "first": self.first, "last": self.last,
                "replications": self.replications, "rows": [r.as_dict() for r in self.rows]}


def check_comparable(a, b):
    """ComparisonError unless a and b can be paired replication by replication."""
    pa, pb = a.attrs.get("path", "A"), b.attrs.get("path", "B")
    for attr in ("seed", "replications", "start", "population_scale"):
        va, vb = a.attrs.get(attr), b.attrs.get(attr)
        if va != vb:
            raise ComparisonError(f"{pa} and {pb} differ in {attr} ({va} vs {vb}); "
                                  f"paired comparison needs the same {attr}")
    ca, cb = list(a.city.values), list(b.city.values)
    if ca != cb:
        raise ComparisonError(f"{pa} and {pb} differ in cities ({', '.join(ca)} vs {', '.join(cb)})")
    if a.sizes["time"] != b.sizes["time"] or a.sizes["replication"] != b.sizes["replication"]:
        raise ComparisonError(f"{pa} and {pb} differ in months or replications")


def compare(a, b, over=None, at=None, measures=None):
    """B against A as `smesim compare A B [--over|--at] [--metric ...]` computes it."""
    check_comparable(a, b)
    wanted = list(measures or [])
    known = COMPARE_MEASURES + list(RATIO_MEASURES)
    for m in wanted:
        if m not in known:
            raise ComparisonError(f"unknown measure '{m}'; expected one of {', '.join(known)}")

    def want(m):
        return not wanted or m in wanted

    w = window(a, over, at)
    values = {m: (per_replication(a, m, w), per_replication(b, m, w)) for m in COMPARE_MEASURES}
    out = Comparison(a.attrs.get("path", "A"), b.attrs.get("path", "B"), w.first_month,
                     w.last_month, a.sizes["replication"])
    none = Estimate(math.nan, math.nan, math.nan, 0)  # the ratios have no A and B (null in JSON)
    for city in values["failures"][0].city.values:
        city = str(city)
        per_city = {m: (va.sel(city=city).values, vb.sel(city=city).values)
                    for m, (va, vb) in values.items()}
        for m in COMPARE_MEASURES:
            if not want(m):
                continue
            va, vb = per_city[m]
            out.rows.append(Difference(m, MEASURES[m].unit, city, estimate_mean(va), estimate_mean(vb),
                                       paired_difference(va, vb), welch_difference(va, vb)))
        cost = paired_difference(*per_city["spending"])
        if cost.mean <= 0:
            continue
        jobs_paired = paired_difference(*per_city["job_years"])
        jobs_unpaired = welch_difference(*per_city["job_years"])
        if want("jobs_per_usd_million"):
            k = 1e6 / cost.mean
            out.rows.append(Difference("jobs_per_usd_million", RATIO_MEASURES["jobs_per_usd_million"],
                                       city, none, none, jobs_paired.scaled(k), jobs_unpaired.scaled(k)))
        if want("cost_per_job_year"):
            out.rows.append(Difference("cost_per_job_year", RATIO_MEASURES["cost_per_job_year"], city,
                                       none, none, cost_per(cost.mean, jobs_paired),
                                       cost_per(cost.mean, jobs_unpaired)))
    return out


# --- headline table (smesim inspect) --------------------------------------------------

HEADLINE_FIELDS = ["firms_start", "firms_end", "failures", "closed_peak", "survival", "employment_change",
                   "job_creation_rate", "job_destruction_rate"]


def closed_peak(ds):
    """Highest month-end share of SMEs temporarily closed, per replication and city (0 in
    files from before firms could close)."""
    if "firms_closed" not in ds:
        return xr.zeros_like(with_all_cities(ds.firms_active.isel(time=0)))
    share = with_all_cities(ds.firms_closed) / with_all_cities(ds.firms_active)
    return share.max("time")


def headline(ds):
    """The rows of `smesim inspect`'s table: per city and All cities, a dict of
    Estimates over replications (shares, not %, for survival and the rates)."""
    w = full_window(ds)
    values = {
        "firms_start": baseline(ds, "firms_baseline"),
        "firms_end": firms_active(ds, w),
        "failures": failures(ds, w),
        "closed_peak": closed_peak(ds),
        "survival": survival(ds, w) / 100,
        "employment_change": employment(ds, w) / baseline(ds, "employment_baseline") - 1.0,
        "job_creation_rate": annual_rate("job_creation_annual", ds),
        "job_destruction_rate": annual_rate("job_destruction_annual", ds),
    }
    rows = []
    for city in values["failures"].city.values:
        row = {"city": str(city)}
        for name in HEADLINE_FIELDS:
            row[name] = estimate_mean(values[name].sel(city=city).values)
        rows.append(row)
    return rows


def rounded(x, decimals, grouped=False):
    """x as text with `decimals` digits after the point, by smesim's one rounding rule
    (src/analysis/format.cpp): half away from zero, after rounding to 12 significant
    digits (49.25 and 49.249999999999993 both give 49.3); 'n/a' for NaN or an infinity;
    '-' only before a non-zero result; thousands separated by commas when `grouped`."""
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    exact = Context(prec=400)
    value = Decimal("%.11e" % abs(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=exact)
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    return ("-" if x < 0 and value != 0 else "") + text


def has_interval(e):
    """True when an Estimate has a 95% interval: two or more replications, finite bounds."""
    return e.n >= 2 and math.isfinite(e.lo) and math.isfinite(e.hi)


def with_commas(x):
    """As smesim: rounded to an integer with thousands separators."""
    return rounded(x, 0, grouped=True)


def _align(table, separators=()):
    width = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for r, row in enumerate(table):
        cells = [cell + " " * (width[i] - len(cell)) if i == 0 else "  " + " " * (width[i] - len(cell)) + cell
                 for i, cell in enumerate(row)]
        lines.append("".join(cells))
        if r in separators:
            lines.append("-" * (sum(width) + 2 * len(width) - 2))
    return "\n".join(lines) + "\n"


def format_headline(rows, replications):
    """The headline table exactly as `smesim inspect` prints it."""
    def count(e):
        return with_commas(e.mean) + " ±" + (with_commas(e.half_width) if has_interval(e) else "n/a")

    def percent(e):
        if math.isnan(e.mean):
            return "n/a"
        return rounded(100 * e.mean, 1) + " ±" + (rounded(100 * e.half_width, 1) if has_interval(e) else "n/a")

    table = [["city", "SMEs month 0", "SMEs end", "failures", "closed peak %", "survival %", "employment %",
              "JC %/yr", "JD %/yr"]]
    for h in rows:
        table.append([h["city"], count(h["firms_start"]), count(h["firms_end"]), count(h["failures"]),
                      percent(h["closed_peak"]), percent(h["survival"]), percent(h["employment_change"]),
                      percent(h["job_creation_rate"]), percent(h["job_destruction_rate"])])
    out = _align(table, separators=(0, len(table) - 2))
    return out + (f"Mean over {replications} replications, ± the half-width of its 95% interval. "
                  "Survival: SMEs active at month 0\nstill active at the end. JC/JD: annual gross "
                  "job creation/destruction (Davis-Haltiwanger).\n")


def money(ds):
    """Programme and policy money per city over the period, as `smesim inspect`'s
    second table: {label: {city: Estimate}} for the lines that are not zero everywhere.
    A `last_index` row (the resilience index) is x100, its All cities value the mean over cities."""
    out = {}
    n_cities = ds.sizes["city"]
    for name, label, how in money_rows(ds):
        x = with_all_cities(ds[name])
        reduced = {"first": lambda v: v.isel(time=0), "last": lambda v: v.isel(time=-1),
                   "last_index": lambda v: v.isel(time=-1),
                   "sum": lambda v: v.sum("time", skipna=False),
                   "max": lambda v: v.max("time", skipna=False)}[how](x)
        if how == "last_index":
            factor = xr.DataArray([100.0] * n_cities + [100.0 / n_cities], dims="city",
                                  coords={"city": reduced.city})
            reduced = reduced * factor
        row = {str(c): estimate_mean(reduced.sel(city=c).values) for c in reduced.city.values}
        if any(e.mean != 0 for e in row.values()):
            out[label] = row
    return out


def format_money(ds):
    """The second table of `smesim inspect` as it prints it ('' when empty)."""
    lines = money(ds)
    if not lines:
        return ""
    cities = [str(c) for c in ds.city.values] + [ALL_CITIES]
    table = [[""] + cities]
    for label, row in lines.items():
        table.append([label] + [with_commas(row[c].mean) + (" ±" + with_commas(row[c].half_width)
                                                            if row[c].half_width > 0 else "")
                                for c in cities])
    return "Programme and policy money over the period (mean ± 95% half-width):\n" + _align(table)
