"""The pattern checks of docs/VALIDATION.md (model estimate, target, source, tolerance,
verdict) and the Markdown tables the document is built from."""

import math
from dataclasses import dataclass

from .stats import Estimate


@dataclass
class Check:
    """One pattern: model estimate against target, within a stated tolerance."""
    name: str
    model: Estimate
    target: str
    source: str
    tolerance: str
    passed: object  # True, False, or None: reported without a tolerance
    enforced: bool = True
    unit: str = ""
    digits: int = 3

    @property
    def verdict(self):
        if self.passed is None:
            return "reported"
        if self.passed:
            return "meets"
        return "**misses**" if self.enforced else "**misses** (known; not enforced)"

    @property
    def failed(self):
        return self.enforced and self.passed is False

    def model_text(self):
        m = self.model
        d = self.digits
        if not math.isfinite(m.lo) or m.n < 2:
            return f"{m.mean:,.{d}f}{self.unit}"
        return f"{m.mean:,.{d}f}{self.unit} [{m.lo:,.{d}f}, {m.hi:,.{d}f}]"


def table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def check_rows(checks):
    return table([(c.name, c.target, c.source, c.model_text(), c.tolerance, c.verdict) for c in checks],
                 ["pattern", "target", "source", "model (95% interval)", "tolerance", "verdict"])


def estimate_text(e, digits=0, unit=""):
    return f"{e.mean:,.{digits}f}{unit} [{e.lo:,.{digits}f}, {e.hi:,.{digits}f}]"
