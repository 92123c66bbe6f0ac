"""Means with 95% Student-t intervals over replications, as smesim computes them.

The C++ code (src/core/statistics.cpp, src/analysis/compare.cpp) uses Boost's Student-t
quantile; numpy has none and scipy is not a dependency, so the quantile is computed here
from the regularised incomplete beta function to about 1e-15 relative.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

LEVEL = 0.95


# --- Student t quantile -------------------------------------------------------------

def _beta_continued_fraction(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    raise ArithmeticError("incomplete beta: no convergence")


def incomplete_beta(a, b, x):
    """The regularised incomplete beta function I_x(a, b) for a, b > 0, 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_upper_tail(t, df):
    """P(T > t) for Student's t with df degrees of freedom (t >= 0)."""
    return 0.5 * incomplete_beta(0.5 * df, 0.5, df / (df + t * t))


def t_pdf(t, df):
    log_c = math.lgamma(0.5 * (df + 1)) - math.lgamma(0.5 * df) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - 0.5 * (df + 1) * math.log1p(t * t / df))


def t_quantile(p, df):
    """The p quantile of Student's t with df > 0 degrees of freedom (df may be fractional)."""
    if not 0.0 < p < 1.0:
        raise ValueError("t_quantile: p must be in (0, 1)")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    tail = 1.0 - p
    # Newton on the upper tail, bracketed: the tail falls monotonically in t.
    lo, hi = 0.0, max(1.0, NormalDist().inv_cdf(p))
    while t_upper_tail(hi, df) > tail:
        lo, hi = hi, 2 * hi
    t = 0.5 * (lo + hi)
    for _ in range(200):
        f = t_upper_tail(t, df) - tail
        if f > 0:
            lo = t
        else:
            hi = t
        step = f / t_pdf(t, df)
        candidate = t + step
        if not lo < candidate < hi:
            candidate = 0.5 * (lo + hi)
        if abs(candidate - t) <= 1e-15 * abs(candidate) or hi - lo <= 1e-15 * hi:
            return candidate
        t = candidate
    return t


# --- estimates ----------------------------------------------------------------------

@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% interval [lo, hi] (NaN when undefined)."""
    mean: float
    lo: float
    hi: float
    n: int

    @property
    def half_width(self):
        return 0.5 * (self.hi - self.lo)

    def scaled(self, k):
        """The estimate multiplied by k > 0."""
        return Estimate(self.mean * k, self.lo * k, self.hi * k, self.n)

    def negated(self):
        """-x: for 'averted' from a difference (the interval flips)."""
        return Estimate(-self.mean, -self.hi, -self.lo, self.n)

    def as_dict(self):
        """{mean, lo, hi} with None for NaN, as `smesim compare --json` writes them."""
        def clean(x):
            return None if not math.isfinite(x) else float(x)
        return {"mean": clean(self.mean), "lo": clean(self.lo), "hi": clean(self.hi)}


def estimate_mean(samples):
    """Mean of samples with its 95% t-interval (one sample: the point itself).

    As estimate_mean in src/core/statistics.cpp: se = sqrt(ss / (n - 1) / n)."""
    x = [float(v) for v in np.asarray(samples, dtype=float).ravel()]
    n = len(x)
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, 0)
    mean = math.fsum(x) / n
    if n < 2:
        return Estimate(mean, mean, mean, n)
    ss = math.fsum((v - mean) * (v - mean) for v in x)
    se = math.sqrt(ss / (n - 1) / n)
    t = t_quantile(0.5 + LEVEL / 2, n - 1)
    return Estimate(mean, mean - t * se, mean + t * se, n)


def paired_difference(a, b):
    """Mean of b - a replication by replication, with its 95% t-interval."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return estimate_mean(b - a)


def welch_difference(a, b):
    """Mean of b minus mean of a with a 95% Welch interval (unpaired), as smesim compare."""
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    ea, eb = estimate_mean(a), estimate_mean(b)
    n = float(len(a))
    mean = eb.mean - ea.mean
    if len(a) < 2:
        return Estimate(mean, mean, mean, len(a))
    va = math.fsum((v - ea.mean) ** 2 for v in a) / (n - 1) / n
    vb = math.fsum((v - eb.mean) ** 2 for v in b) / (n - 1) / n
    se = math.sqrt(va + vb)
    if se == 0:
        return Estimate(mean, mean, mean, len(a))
    df = (va + vb) ** 2 / (va * va / (n - 1) + vb * vb / (n - 1))
    t = t_quantile(0.5 + LEVEL / 2, df)
    return Estimate(mean, mean - t * se, mean + t * se, len(a))


def estimate_along(values, axis=0):
    """Vectorised estimate_mean along one axis of an array: (mean, lo, hi) arrays.

    For time series (e.g. a paired difference per month): NaNs propagate."""
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    mean = values.mean(axis=axis)
    if n < 2:
        return mean, mean.copy(), mean.copy()
    sd = values.std(axis=axis, ddof=1)
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half
