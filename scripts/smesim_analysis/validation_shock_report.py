"""The shock-period sections of docs/VALIDATION.md (scripts/validate.py): the checks and
paths of 2020-2021, the firm responses, what drives the no-support path (written from
the numbers of validation_responses.drivers) and the paired policy comparisons."""

import math

from .files import ALL_CITIES
from .validation_checks import check_rows, estimate_text, table
from .validation_responses import SERIES


def shock_section(size, shock, tables, figures):
    """The shock-period checks, paths and failures by sector and size class."""
    k_scale, k_reps, k_months = size
    L = ["## Shock period (2020-2021)", "",
         f"`ccrs-2021.toml` (the cities' OxCGRT stringency series and the programme), "
         f"`covid-no-support.toml` (the stringency series only) and `covid-stimulus.toml` (the series "
         f"and a national package that reaches a share of eligible firms after a delay): {k_scale:g} "
         f"of the cities' SMEs, {k_reps} replications, {k_months} months, the same seed (paired). "
         "Stringency is each city's monthly OxCGRT stringency index (its country's, or its state's for "
         "the Indian cities; `data/oxcgrt`) turned into model stringency by the calibrated "
         "`[stringency_mapping]` (stage 2 above); a lockdown order closes the least essential share of "
         "a sector's firms, and firms also close temporarily when their sales would not cover inputs "
         "and wages, cut hours before headcount, run up arrears and draw on owners' funds before they "
         "fail.", "",
         "**Not fitted.** No check in this section is a calibration moment: stage 2 fits only the "
         "2020 survey facts listed above (the first wave, and closure lengths over 2020); the checks "
         "below measure what the fit did not target. All are reported, not enforced (CI enforces the "
         "steady-state checks).", ""]
    L += [check_rows(shock), ""]
    L += [f"![Revenue and employment paths](validation/{figures['paths']})", "",
          "Bands are the 5-95% range over replications. Employment here is headcount, furloughed "
          "workers of temporarily closed SMEs included; hours are in the next section.", ""]
    L += ["Liquidity failures per 100 SME-years in 2020-2021 without support, by sector (highest "
          "first) and size class:", ""]
    loss = tables.get("cohort_loss", {})
    L += [table([(s, d, estimate_text(e, 1), estimate_text(loss[s], 1) if s in loss else "n/a")
                 for s, d, e in tables["sectors"]],
                ["sector", "demand exposure delta", "failures per 100 SME-years",
                 "% of the SMEs alive at 2020-01 gone by 2021-12"]), ""]
    L += [table([(s, estimate_text(e, 1)) for s, e in tables["sizes"].items()],
                ["size class", "failures per 100 SME-years"]), ""]
    L += [f"![Sector failures](validation/{figures['sectors']})", ""]
    return L


def responses_section(tables, figures):
    """The paths of the firm responses and their values at a few months."""
    months, cells = tables["responses"]
    L = ["### Firm responses", "",
         "How firms absorb the shock, all cities: temporary closure, hours against headcount and "
         "arrears without support, and the take-up of the stimulus package (the share of the SMEs "
         "eligible for a policy that it reaches). Bands are the 5-95% range over replications; the "
         "table gives means with 95% intervals (n/a: no SME eligible that month).", "",
         f"![Firm responses](validation/{figures['responses']})", ""]
    rows = [[label] + [estimate_text(e, digits) if e is not None else "n/a" for e in cells[key]]
            for key, (label, digits) in SERIES.items()]
    L += [table(rows, ["series"] + months), ""]
    L += drivers_text(tables["drivers"])
    return L


def _fmt(x, digits=2):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def drivers_text(d):
    """What drives the no-support path in 2021, from the numbers of
    validation_responses.drivers: only what they show."""
    e20, e21 = d["exits"][2020], d["exits"][2021]
    m, r = d["mapping"], d["responses"]
    theta, a, b = m.get("threshold"), m.get("scale"), m.get("adaptation")
    cities = "; ".join(f"{city} ({code}) index {_fmt(i, 0)}, S {_fmt(s)}" for city, code, i, s in d["cities"])
    full = 100 * (theta + (1 - theta) / a) if theta is not None and a and a >= 1 else None
    P1 = [f"Without support SMEs exit at {100 * e20.mean:.1f}% a year in 2020 and {100 * e21.mean:.1f}% "
          f"in 2021 (all exits per SME-year). The stringency mapping was fitted to 2020 facts "
          f"only (threshold {_fmt(theta, 3)}, scale {_fmt(a)}, adaptation {_fmt(b, 3)}), so what it "
          "does in 2021 is an extrapolation" +
          ("; with adaptation 0 a given index costs as much activity in 2021 as in April 2020." if b == 0
           else f"; the effect of a given index falls by {_fmt(b, 3)} a month since restrictions began.")]
    if full is not None:
        P1 += [f"From an index of {full:.0f} on, model stringency S is 1: the sectors' demand and "
               "supply exposures at full strength."]
    if cities:
        P1 += [f"In 2021 the mean OxCGRT index and mean model stringency by city are: {cities}."]
    P2 = [f"On average {d['closed_2021'].mean:.1f}% of live SMEs were temporarily closed in 2021. A "
          f"temporarily closed SME closes for good after `max_closure_months` "
          f"({r.get('max_closure_months', 'n/a')}) months closed, or earlier when its debts and arrears "
          f"exceed `repay_months` ({r.get('repay_months', 'n/a')}) months of normal profit; such "
          f"closures were {d['closure_share'].mean:.0f}% of the liquidity failures of 2020-2021."]
    P2 += bunch_text(d["bunch"])
    w = d["worst"]
    P2 += [f"The sector that loses most of its SMEs, {w['sector']}, has in 2021 a demand index of "
           f"{w['demand'].mean:.2f} (1 = normal; mean over cities and months), and "
           f"{w['open_failures'].mean:.0f}% of its liquidity failures in 2021 are open SMEs that can "
           "no longer pay (cash, credit, arrears and owner's funds used up), the rest temporarily "
           "closed ones closing for good."]
    P3 = ("Gourinchas et al.'s 18% is itself a model counterfactual (no support, 17 countries, 2020), "
          "and the ILO's figures cover all workers against trend, public and large firms included. "
          "Comparisons between scenarios (paired, same shock) are less sensitive to the level of the "
          "shock than the levels themselves.")
    return ["### What drives the no-support path", "", " ".join(P1), "", " ".join(P2), "", P3, ""]


def bunch_text(b):
    """When the failures come, against when the closures peaked."""
    first, last = b["months"]
    peak_month, peak = b["closed_peak"]
    return [f"The failures bunch in {first} to {last}: {b['share'].mean:.0f}% of those of 2020-2021, "
            f"{b['closures'].mean:.0f}% of them temporarily closed SMEs closing for good; the share of "
            f"SMEs temporarily closed peaked in {peak_month} ({peak:.1f}%)."]


def policy_section(tables):
    """The paired effects of the stimulus package and of the programme, with take-up."""
    allc = ALL_CITIES
    L = ["Effect of the policy package (covid-stimulus against covid-no-support, 2020-2021, all "
         "cities, paired) and of the programme (ccrs-2021 against covid-no-support). Take-up: the "
         "eligible SME-months in which a stimulus policy reached the firm, 2020-2021 (n/a: no "
         "stimulus policy).", ""]
    rows = []
    for label, c, key in (("stimulus package", tables["policy"], "stimulus"),
                          ("CCRS programme", tables["programme"], "default")):
        f_ = c.get("failures", allc).paired
        j_ = c.get("job_years", allc).paired
        sp = c.get("spending", allc).paired
        cpj = c.get("cost_per_job_year", allc)
        up = tables.get("take_up", {}).get(key)
        rows.append((label, estimate_text(f_), estimate_text(j_), f"{sp.mean:,.0f}",
                     estimate_text(cpj.paired) if cpj is not None else "n/a",
                     estimate_text(up, 1, "%") if up is not None else "n/a"))
    L += [table(rows, ["comparison", "failures (difference)", "job-years (difference)", "spending, USD",
                       "USD per job-year", "take-up"]), ""]
    L += ["The model's pandemic is a demand and supply shock by sector scaled by stringency, with "
          "the firm responses above; it has no informal sector and no national macro feedback "
          "beyond the city input-output multipliers, so the ILO figures (all workers, against "
          "trend) are a loose reference for SME employment and hours.", ""]
    return L
