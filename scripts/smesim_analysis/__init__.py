"""smesim_analysis: read smesim result files and compute their derived measures.

    # PYTHONPATH=scripts from the repository root, or an editable install (docs/ANALYSIS.md)
    import smesim_analysis as sa

    ds = sa.open_result("results/ccrs-2021.h5")    # xarray Dataset, dates and names
    sa.estimates(ds, "survival")                   # {city: Estimate(mean, lo, hi, n)}
    base = sa.open_result("results/covid-no-support.h5")
    c = sa.compare(base, ds)                       # as `smesim compare base ds`
    c.get("cost_per_job_year").paired              # Estimate

One implementation of each measure (measures.py; the tables of `smesim compare` and
`smesim inspect` in tables.py; several files overlaid in overlays.py; sweep files point
by point, alone or against a counterfactual, in sweeps.py), shared by scripts/plot.py,
scripts/report.py and scripts/morris.py and checked against `smesim inspect` and `smesim compare` by
tests/python/test_analysis.py. Which variables are public spending, and the rows of the
money table, come from the file's attributes (docs/OUTPUT.md). docs/ANALYSIS.md is the
walk-through.
"""

from .files import (ALL_CITIES, ResultFileError, attributes, check_result_file, has_group, is_sweep_file,
                    month_labels, open_contracts, open_result, open_sectors, open_sweep, scenario, text)
from .measures import (MEASURES, ComparisonError, Window, annual_exit_rate, annual_failure_rate,
                       breakdown, cohort_survival_series, cumulative, employment_index_series,
                       estimates, failures, firms_active, funnel, job_months, job_years, money_rows,
                       net_jobs, paired_series, per_replication, programme_cities, spending,
                       spending_label, spending_series, spending_variables, survival, window,
                       with_all_cities)
from .stats import Estimate, estimate_mean, paired_difference, t_quantile, welch_difference
from .tables import (COMPARE_MEASURES, RATIO_MEASURES, Comparison, Difference, check_comparable,
                     compare, format_headline, format_money, headline, money)

__all__ = ["ALL_CITIES", "ResultFileError", "attributes", "check_result_file", "has_group", "is_sweep_file",
           "month_labels", "open_contracts", "open_result", "open_sectors", "open_sweep", "scenario", "text",
           "COMPARE_MEASURES", "MEASURES", "RATIO_MEASURES", "Comparison", "ComparisonError",
           "Difference", "Window", "annual_exit_rate", "annual_failure_rate", "breakdown",
           "check_comparable", "cohort_survival_series", "compare", "cumulative",
           "employment_index_series", "estimates", "failures", "firms_active", "format_headline",
           "format_money", "funnel", "headline", "job_months", "job_years", "money", "money_rows",
           "net_jobs", "paired_series", "per_replication", "programme_cities", "spending",
           "spending_label", "spending_series", "spending_variables", "survival", "window",
           "with_all_cities", "Estimate", "estimate_mean", "paired_difference", "t_quantile",
           "welch_difference"]
