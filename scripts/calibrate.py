#!/usr/bin/python3
"""Calibrate scenario parameters to target moments by simulated method of moments.

    scripts/calibrate.py scenarios/calibration/steady-state.toml [--binary build/smesim]
    scripts/calibrate.py scenarios/calibration/steady-state.toml --verify

Every evaluation runs `smesim run` on the calibration file's scenario with the same
seed (common random numbers: a parameter change moves the moments, not the draws) and
computes the moments of scripts/smesim_analysis/patterns.py, averaged over
replications. The objective is sum_k ((model_k - target_k) / scale_k)^2. A Nelder-Mead
simplex searches the box of the parameters' ranges (in unit coordinates, clipped to
it); it is deterministic, so a rerun reproduces the fit bit for bit.

Writes the fitted values as a scenario fragment that `base =` can include (the
calibration file's `fragment`), and the objective's path (CSV, PNG) and the moment fit
(JSON) into its `report` folder. --verify reruns the fit and checks that it matches the
committed fragment within the calibration's tolerance, writing nothing.
Exit codes: 0 done (or verified), 1 verification or a run failed, 2 bad calibration file.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np

# smesim_analysis sits beside this script, and Python puts a script's folder on sys.path.
from smesim_analysis import patterns, shock

ROOT = Path(__file__).resolve().parent.parent


class CalibrationError(Exception):
    """A calibration file that cannot be used; the message names file and key."""


# --- the calibration file ----------------------------------------------------------------

def _locate(text, header, index, key):
    """Line of `key = ...` in the index-th table `header` ([header] or [[header]]; None for
    the top level), or of that table's header when the key is absent; None if neither."""
    current, count, found = None, 0 if header is None else -1, 1 if header is None else None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        table = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if table:
            current = table.group(1)
            if current == header:
                count += 1
                found = number if count == index else found
            continue
        if current == header and count == index and key and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return found


# The kinds of moments a calibration file may fit (its `moments` key): each names the
# function that computes them from a result file, the `--output` level it needs and its
# moment names.
MOMENT_KINDS = {
    "steady_state": (patterns.steady_state, "firms",
                     ("exit_rate", "job_creation_rate", "job_destruction_rate", "size_tail", "growth_size_slope")
                     + tuple(f"survival_{k}y" for k in patterns.SURVIVAL_YEARS)),
    "shock": (shock.shock_responses, "summary", shock.SHOCK_MOMENTS),
}


class Calibration:
    TOP_KEYS = {"title", "scenario", "fragment", "report", "settings", "fixed", "optimiser",
                "parameters", "targets", "moments", "base"}

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.text = self.path.read_text()
        except OSError as e:
            raise CalibrationError(f"{path}: cannot read the calibration file: {e.strerror}") from None
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            raise CalibrationError(f"{path}: {e}") from None
        for key in data:
            if key not in self.TOP_KEYS:
                known = ", ".join(sorted(self.TOP_KEYS))
                raise self.error(None, 0, key, f"unknown key '{key}' (expected one of {known})")
        self.title = self.require(data, None, 0, "title", str)
        self._read_stage(data)
        here = self.path.parent
        self.scenario = (here / self.require(data, None, 0, "scenario", str)).resolve()
        self.fragment = (here / self.require(data, None, 0, "fragment", str)).resolve()
        self.report = (here / self.require(data, None, 0, "report", str)).resolve()
        if not self.scenario.is_file():
            raise self.error(None, 0, "scenario", f"no such file {self.scenario}")
        self.settings, self.fixed = (self._assignments(data.get(k, {}), k) for k in ("settings", "fixed"))

        opt = data.get("optimiser", {})
        self.max_evaluations = self.require(opt, "optimiser", 0, "max_evaluations", int)
        self.tolerance = self.require(opt, "optimiser", 0, "tolerance", float)
        if self.max_evaluations < 1:
            raise self.error("optimiser", 0, "max_evaluations", "expected an integer >= 1")
        if not 0 < self.tolerance < 1:
            raise self.error("optimiser", 0, "tolerance", "expected a share of each parameter's range, "
                             f"0 < tolerance < 1, found {self.tolerance}")

        self.parameters = []
        for i, item in enumerate(data.get("parameters", [])):
            key = self.require(item, "parameters", i, "key", str)
            lo, hi = (self.require(item, "parameters", i, k, float) for k in ("min", "max"))
            start = self.require(item, "parameters", i, "start", float)
            if not lo < hi or not lo <= start <= hi:
                raise self.error("parameters", i, "start", f"({key}) expected min < max and min <= start <= "
                                 f"max, found min {lo}, max {hi}, start {start}")
            self.parameters.append({"key": key, "min": lo, "max": hi, "start": start})
        if not self.parameters:
            raise CalibrationError(f"{self.path}: expected at least one [[parameters]] entry")

        self.targets = []
        for i, item in enumerate(data.get("targets", [])):
            moment = self.require(item, "targets", i, "moment", str)
            known = MOMENT_KINDS[self.kind][2]
            if moment not in known:
                raise self.error("targets", i, "moment", f"unknown {self.kind} moment '{moment}' (expected one of "
                                 f"{', '.join(known)})")
            value = self.require(item, "targets", i, "value", float)
            scale = self.require(item, "targets", i, "scale", float)
            if scale <= 0:
                raise self.error("targets", i, "scale", f"expected a positive number, found {scale}")
            source = self.require(item, "targets", i, "source", str)
            self.targets.append({"moment": moment, "value": value, "scale": scale, "source": source})
        if not self.targets:
            raise CalibrationError(f"{self.path}: expected at least one [[targets]] entry")

    def _read_stage(self, data):
        """The kind of moments fitted (`moments`) and the earlier stage's fragment (`base`)."""
        self.kind = data.get("moments", "steady_state")
        if self.kind not in MOMENT_KINDS:
            raise self.error(None, 0, "moments", f"expected one of {', '.join(MOMENT_KINDS)}, found {self.kind!r}")
        self.base = data.get("base")
        if self.base is not None and not isinstance(self.base, str):
            raise self.error(None, 0, "base", f"expected a file name (string), found {self.base!r}")

    def error(self, header, index, key, what):
        """A CalibrationError naming file:line and the key."""
        line = _locate(self.text, header, index, key)
        where = "" if header is None else f"{header}[{index}]." if header in ("parameters", "targets") \
            else f"[{header}]."
        return CalibrationError(f"{self.path}:{line or '?'}: {where}{key}: {what}")

    def require(self, table, header, index, key, kind):
        if key not in table:
            raise self.error(header, index, key, f"missing key (expected {kind.__name__})")
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.error(header, index, key, f"expected {kind.__name__}, found {value!r}")
        if kind is float and not math.isfinite(value):
            raise self.error(header, index, key, f"expected a finite number, found {value!r}")
        return value

    def _assignments(self, table, name):
        """A table of dotted scenario keys -> values, as --set strings."""
        if not isinstance(table, dict):
            raise CalibrationError(f"{self.path}: {name}: expected a table of scenario keys")
        out = []
        for key, value in table.items():
            if isinstance(value, dict):  # dotted keys nest: firms.x = 1 is {"firms": {"x": 1}}
                out += [(f"{key}.{k}", v) for k, v in self._assignments(value, f"{name}.{key}")]
            else:
                out.append((key, _toml_value(value)))
        return out

    def to_unit(self, values):
        return np.array([(v - q["min"]) / (q["max"] - q["min"]) for v, q in zip(values, self.parameters)])

    def from_unit(self, x):
        return [q["min"] + float(np.clip(u, 0, 1)) * (q["max"] - q["min"]) for u, q in zip(x, self.parameters)]


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def rounded(value, digits=4):
    """value to `digits` significant digits (what the fragment stores)."""
    if value == 0:
        return 0.0
    return float(f"{value:.{digits - 1}e}")


# --- evaluations ------------------------------------------------------------------------

class Model:
    """Runs smesim and computes the moments; remembers every evaluation."""

    def __init__(self, cal, binary, workdir):
        self.cal, self.binary, self.workdir = cal, binary, Path(workdir)
        self.path = []  # (values, objective, moments)
        self.cache = {}

    def moments(self, values):
        compute, level, _ = MOMENT_KINDS[self.cal.kind]
        out = self.workdir / "evaluation.h5"
        cmd = [str(self.binary), "run", str(self.cal.scenario), "-o", str(out), "--force", "--quiet",
               "--output", level]
        for key, value in self.cal.settings + self.cal.fixed:
            cmd += ["--set", f"{key}={value}"]
        for q, v in zip(self.cal.parameters, values):
            cmd += ["--set", f"{q['key']}={v!r}"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"smesim run failed (exit {run.returncode}): {run.stderr.strip()}\n"
                               f"command: {' '.join(cmd)}")
        per_replication = compute(out)
        missing = [t["moment"] for t in self.cal.targets if t["moment"] not in per_replication]
        if missing:
            raise RuntimeError(f"the runs do not give the moments {', '.join(missing)}: give more months "
                               "or firm snapshots 12 months apart in [settings]")
        return {k: (float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else math.nan)
                for k, v in per_replication.items()}

    def objective(self, moments):
        return sum(((moments[t["moment"]][0] - t["value"]) / t["scale"]) ** 2 for t in self.cal.targets)

    def __call__(self, values):
        key = tuple(values)
        if key not in self.cache:
            m = self.moments(values)
            self.cache[key] = (self.objective(m), m)
            self.path.append((list(values), *self.cache[key]))
            print(f"calibrate: evaluation {len(self.path):3d}: objective {self.cache[key][0]:10.4f}  "
                  + " ".join(f"{q['key'].split('.')[-1]}={v:.4g}" for q, v in zip(self.cal.parameters, values)),
                  file=sys.stderr, flush=True)
        return self.cache[key][0]


def nelder_mead(f, x0, step, tolerance, max_evaluations, evaluations):
    """Minimise f over the unit cube from x0 (deterministic). evaluations() counts calls."""
    n = len(x0)
    simplex = [np.array(x0, dtype=float)]
    for i in range(n):
        x = np.array(x0, dtype=float)
        x[i] = x[i] + step if x[i] + step <= 1 else x[i] - step
        simplex.append(x)
    values = [f(x) for x in simplex]
    while evaluations() < max_evaluations:
        order = np.argsort(values, kind="stable")
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        size = max(np.max(np.abs(x - simplex[0])) for x in simplex[1:])
        if size < tolerance:
            break
        centroid = np.mean(simplex[:-1], axis=0)
        worst = simplex[-1]
        reflected = np.clip(centroid + (centroid - worst), 0, 1)
        fr = f(reflected)
        if fr < values[0]:
            expanded = np.clip(centroid + 2 * (centroid - worst), 0, 1)
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            outside = fr < values[-1]
            contracted = centroid + 0.5 * ((reflected if outside else worst) - centroid)
            fc = f(contracted)
            if fc < min(fr, values[-1]):
                simplex[-1], values[-1] = contracted, fc
            else:
                for i in range(1, n + 1):
                    simplex[i] = simplex[0] + 0.5 * (simplex[i] - simplex[0])
                    values[i] = f(simplex[i])
    best = int(np.argmin(values))
    return simplex[best], values[best]


def fit(cal, binary, workdir):
    model = Model(cal, binary, workdir)
    snap = lambda x: [rounded(v) for v in cal.from_unit(x)]  # noqa: E731 - the grid the fragment stores
    start = [q["start"] for q in cal.parameters]
    x, _ = nelder_mead(lambda x: model(snap(x)), cal.to_unit(start), 0.15, cal.tolerance,
                       cal.max_evaluations, lambda: len(model.path))
    fitted = snap(x)
    model(fitted)
    objective, moments = model.cache[tuple(fitted)]
    return {"start": start, "fitted": fitted, "objective": objective, "moments": moments,
            "start_objective": model.cache[tuple(snap(cal.to_unit(start)))][0],
            "start_moments": model.cache[tuple(snap(cal.to_unit(start)))][1], "path": model.path}


# --- outputs ----------------------------------------------------------------------------

def smesim_version(binary):
    run = subprocess.run([str(binary), "version"], capture_output=True, text=True)
    return run.stdout.strip().splitlines()[0] if run.returncode == 0 and run.stdout else "unknown"


def fragment_text(cal, result, version, calibration_file):
    rel = os.path.relpath(calibration_file, ROOT)
    lines = [
        f"# {cal.title}: the fitted values.",
        "# Written by scripts/calibrate.py; do not edit by hand, regenerate with",
        f"#   /usr/bin/python3 scripts/calibrate.py {rel}",
        f"# ({version}). Simulated method of moments with common random numbers;",
        f"# Nelder-Mead over {len(cal.parameters)} parameters, {len(result['path'])} evaluations; "
        f"objective {result['start_objective']:.3f} at the start, {result['objective']:.3f} fitted.",
        "# Targets and their sources are in the calibration file; the fit is shown in",
        "# docs/VALIDATION.md.",
        "#",
        *([] if cal.base is None else [f"# The earlier stage, which this one is fitted on top of: base = {cal.base!r}.",
                                       "#"]),
        f"# {'moment':<22} {'target':>8} {'start':>8} {'fitted':>8}",
    ]
    for t in cal.targets:
        m = t["moment"]
        lines.append(f"# {m:<22} {t['value']:8.3f} {result['start_moments'][m][0]:8.3f} "
                     f"{result['moments'][m][0]:8.3f}")
    tables = {}
    for key, value in cal.fixed:
        table, name = key.rsplit(".", 1)
        tables.setdefault(table, []).append(f"{name} = {value}    # fixed in the calibration")
    for q, v in zip(cal.parameters, result["fitted"]):
        table, name = q["key"].rsplit(".", 1)
        tables.setdefault(table, []).append(f"{name} = {v!r}    # fitted in [{q['min']}, {q['max']}]")
    if cal.base is not None:
        lines += ["", f"base = {json.dumps(cal.base)}"]
    for table, entries in tables.items():
        lines += ["", f"[{table}]"] + entries
    return "\n".join(lines) + "\n"


def read_fragment(path, cal):
    """The committed fitted values, in the calibration's parameter order."""
    try:
        data = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise CalibrationError(f"{path}: cannot read the committed fragment: {e}") from None
    values = []
    for q in cal.parameters:
        node = data
        for part in q["key"].split("."):
            if not isinstance(node, dict) or part not in node:
                raise CalibrationError(f"{path}: no value for {q['key']}")
            node = node[part]
        values.append(float(node))
    return values


def write_report(cal, result, folder):
    folder.mkdir(parents=True, exist_ok=True)
    names = [q["key"] for q in cal.parameters]
    moments = [t["moment"] for t in cal.targets]
    with open(folder / "path.csv", "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["evaluation", "objective"] + names + moments)
        for i, (values, objective, m) in enumerate(result["path"], 1):
            w.writerow([i, f"{objective:.6g}"] + [f"{v:.6g}" for v in values] + [f"{m[k][0]:.6g}" for k in moments])
    summary = {
        "title": cal.title,
        "parameters": [dict(q, fitted=v) for q, v in zip(cal.parameters, result["fitted"])],
        "targets": [dict(t, start=result["start_moments"][t["moment"]][0],
                         fitted=result["moments"][t["moment"]][0],
                         fitted_se=result["moments"][t["moment"]][1]) for t in cal.targets],
        "objective": {"start": result["start_objective"], "fitted": result["objective"]},
        "evaluations": len(result["path"]),
    }
    (folder / "fit.json").write_text(json.dumps(summary, indent=2) + "\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    objective = np.array([p[1] for p in result["path"]])
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    a.semilogy(np.arange(1, len(objective) + 1), objective, ".", color="0.6", label="evaluation")
    a.semilogy(np.arange(1, len(objective) + 1), np.minimum.accumulate(objective), color="C0", label="best so far")
    a.set_xlabel("evaluation")
    a.set_ylabel("objective")
    a.legend()
    a.set_title("Objective path (Nelder-Mead)")
    for j, q in enumerate(cal.parameters):
        values = np.array([p[0][j] for p in result["path"]])
        b.plot(np.arange(1, len(values) + 1), (values - q["min"]) / (q["max"] - q["min"]),
               label=q["key"].split(".")[-1])
    b.set_xlabel("evaluation")
    b.set_ylabel("position in range")
    b.set_ylim(-0.02, 1.02)
    b.legend(fontsize=7)
    b.set_title("Parameters")
    fig.tight_layout()
    fig.savefig(folder / "path.png", dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("calibration", help="calibration file (TOML), e.g. scenarios/calibration/steady-state.toml")
    ap.add_argument("--binary", default=os.environ.get("SMESIM_BINARY", str(ROOT / "build" / "smesim")),
                    help="smesim binary (default: $SMESIM_BINARY or build/smesim)")
    ap.add_argument("--verify", action="store_true",
                    help="rerun the fit and compare it with the committed fragment; write nothing")
    args = ap.parse_args(argv)
    try:
        cal = Calibration(args.calibration)
        committed = read_fragment(cal.fragment, cal) if args.verify else None
    except CalibrationError as e:
        print(f"calibrate: {e}", file=sys.stderr)
        return 2
    if not Path(args.binary).is_file():
        print(f"calibrate: no smesim binary at {args.binary} (build it with scripts/build.sh, or give --binary)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="smesim-calibrate-") as work:
        try:
            result = fit(cal, args.binary, work)
        except RuntimeError as e:
            print(f"calibrate: {e}", file=sys.stderr)
            return 1

    print(f"{'parameter':<34} {'start':>10} {'fitted':>10}")
    for q, s, v in zip(cal.parameters, result["start"], result["fitted"]):
        print(f"{q['key']:<34} {s:10.4g} {v:10.4g}")
    print(f"\n{'moment':<22} {'target':>8} {'start':>8} {'fitted':>8} {'(se)':>8}")
    for t in cal.targets:
        m = t["moment"]
        print(f"{m:<22} {t['value']:8.3f} {result['start_moments'][m][0]:8.3f} "
              f"{result['moments'][m][0]:8.3f} {result['moments'][m][1]:8.4f}")
    print(f"\nobjective {result['start_objective']:.4f} -> {result['objective']:.4f} "
          f"in {len(result['path'])} evaluations")

    if args.verify:
        off = [(q["key"], c, v) for q, c, v in zip(cal.parameters, committed, result["fitted"])
               if abs(c - v) > cal.tolerance * (q["max"] - q["min"])]
        for key, c, v in off:
            print(f"calibrate: {key}: committed {c}, refitted {v} (tolerance "
                  f"{cal.tolerance} of the range)", file=sys.stderr)
        print("calibrate: " + ("the committed fit is NOT reproduced" if off else
                               f"the committed fit in {cal.fragment.name} is reproduced"), file=sys.stderr)
        return 1 if off else 0

    text = fragment_text(cal, result, smesim_version(args.binary), Path(args.calibration).resolve())
    cal.fragment.write_text(text)
    write_report(cal, result, cal.report)
    print(f"calibrate: wrote {os.path.relpath(cal.fragment)} and {os.path.relpath(cal.report)}/"
          "{path.csv,path.png,fit.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
