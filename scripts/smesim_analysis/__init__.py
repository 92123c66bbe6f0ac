"""smesim_analysis: read smesim result files and compute their derived measures.

    # PYTHONPATH=scripts from the repository root, or an editable install (docs/ANALYSIS.md)
    import smesim_analysis as sa

    ds = sa.open_result("results/ccrs-2021.h5")    # xarray Dataset, dates and names
    sa.estimates(ds, "survival")                   # {city: Estimate(mean, lo, hi, n)}
    base = sa.open_result("results/covid-no-support.h5")
    c = sa.compare(base, ds)                       # as `smesim compare base ds`
    c.get("cost_per_job_year").paired              # Estimate

One implementation of each measure (measures.py), shared by scripts/plot.py and
scripts/report.py and checked against `smesim inspect` and `smesim compare` by
tests/python/test_analysis.py. docs/ANALYSIS.md is the walk-through.
"""

from .files import (ALL_CITIES, ResultFileError, attributes, check_result_file, has_group,
                    month_labels, open_contracts, open_result, open_sectors, scenario, text)
from .measures import (COMPARE_MEASURES, MEASURES, RATIO_MEASURES, SPENDING_LABELS,
                       SPENDING_VARIABLES, Comparison, ComparisonError, Difference, Window,
                       annual_exit_rate, annual_failure_rate, breakdown, check_comparable, cohort_survival_series,
                       compare, cumulative, employment_index_series, estimates, failures,
                       firms_active, format_headline, format_money, funnel, headline,
                       job_months, job_years, money, net_jobs, paired_series, per_replication,
                       programme_cities, spending, spending_series, survival, window,
                       with_all_cities)
from .stats import Estimate, estimate_mean, paired_difference, t_quantile, welch_difference

__all__ = ["ALL_CITIES", "ResultFileError", "attributes", "check_result_file", "has_group",
           "month_labels", "open_contracts", "open_result", "open_sectors", "scenario", "text",
           "COMPARE_MEASURES", "MEASURES", "RATIO_MEASURES", "SPENDING_LABELS",
           "SPENDING_VARIABLES", "Comparison", "ComparisonError", "Difference", "Window",
           "annual_exit_rate", "annual_failure_rate", "breakdown", "check_comparable", "cohort_survival_series",
           "compare", "cumulative", "employment_index_series", "estimates", "failures",
           "firms_active", "format_headline", "format_money", "funnel", "headline",
           "job_months", "job_years", "money", "net_jobs", "paired_series", "per_replication",
           "programme_cities", "spending", "spending_series", "survival", "window",
           "with_all_cities", "Estimate", "estimate_mean", "paired_difference", "t_quantile",
           "welch_difference"]
