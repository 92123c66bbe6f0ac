#!/usr/bin/python3
"""Precision per second of run time: how population scale and replications trade run time
for the width of the headline paired intervals (issue 14, item 5).

    /usr/bin/python3 scripts/precision.py build/smesim OUT_DIR [--configs 0.01x20,1x6] [--threads 2]

Run from the repository root. For each configuration SCALExREPLICATIONS it runs
scenarios/covid-no-support.toml (the counterfactual), scenarios/ccrs-2021.toml (the
programme) and scenarios/covid-stimulus.toml (the stimulus), one at a time, with
`--set simulation.population_scale=SCALE -r REPLICATIONS`, timing each (wall seconds, and
the processor seconds of the child). Then `smesim compare CF PROGRAMME STIMULUS --format
csv` gives, for All cities, the paired 95% intervals of job-years gained, failures averted,
jobs per USD 1 million and cost per job-year.

Precision per second of a measure is 1 / (half-width^2 x seconds), the inverse of the
interval's variance per second of run time (what more replications buy), where seconds are
the wall seconds of the two runs its comparison needs (counterfactual and variant). It is
printed relative to the first configuration (1.00). Outputs are scaled back to whole
cities, so half-widths are comparable across scales.

Writes OUT_DIR/SCALExREPS/*.h5 (removed unless --keep), OUT_DIR/results.json and
OUT_DIR/table.md, and prints the Markdown table. `--from-json A/results.json B/results.json`
runs nothing and prints the table of earlier measurements merged. Exit codes: 0 done, 1 a
run failed.
"""

import argparse
import csv
import io
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CONFIGS = "0.01x20,0.05x20,0.2x10,0.5x6,1x6,1x3"
SCENARIOS = {"cf": "covid-no-support", "programme": "ccrs-2021", "stimulus": "covid-stimulus"}
MEASURES = ("job_years", "failures", "jobs_per_usd_million", "cost_per_job_year")
# Two-sided 95% quantiles of Student's t, by degrees of freedom (for the SD per replication).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 24: 2.064, 29: 2.045,
        39: 2.023, 49: 2.010, 99: 1.984}


def t975(df):
    """The 95% t quantile for df degrees of freedom (the nearest tabulated df at or below)."""
    return T975[max(k for k in T975 if k <= df)]


def parse_configs(text):
    """[(scale, replications)] from "0.01x20,1x6"."""
    out = []
    for item in text.split(","):
        scale, reps = item.strip().lower().split("x")
        out.append((float(scale), int(reps)))
    return out


def run_scenario(binary, scenario, out, scale, reps, threads):
    """Run one scenario; (wall seconds, processor seconds of the child)."""
    cmd = [binary, "run", f"scenarios/{scenario}.toml", "--set", f"simulation.population_scale={scale:g}",
           "-r", str(reps), "--threads", str(threads), "-o", str(out), "--force", "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def interval(row, flip=False):
    """{mean, lo, hi, half_width} of a compare CSV row (paired); flip gives A - B."""
    def num(key):
        return float(row[key]) if row[key] not in ("", "nan") else None
    mean, lo, hi = num("mean"), num("paired_lo"), num("paired_hi")
    if flip:
        mean, lo, hi = -mean, (None if hi is None else -hi), (None if lo is None else -lo)
    half = None if lo is None or hi is None else (hi - lo) / 2
    return {"mean": mean, "lo": lo, "hi": hi, "half_width": half,
            "excludes_zero": None if half is None else (lo > 0 or hi < 0)}


def compare(binary, files):
    """{variant: {measure: interval}} for All cities, paired, from `smesim compare --format csv`."""
    cmd = [binary, "compare", str(files["cf"]), str(files["programme"]), str(files["stimulus"]),
           "--format", "csv"] + [a for m in MEASURES for a in ("--metric", m)]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    by_file = {str(files[k]): k for k in ("programme", "stimulus")}
    out = {"programme": {}, "stimulus": {}}
    for row in csv.DictReader(io.StringIO(text)):
        if row["city"] == "All cities" and row["measure"] in MEASURES:
            name = "failures_averted" if row["measure"] == "failures" else row["measure"]
            out[by_file[row["file"]]][name] = interval(row, flip=row["measure"] == "failures")
    return out


def measure_config(binary, folder, scale, reps, threads):
    """Run the three scenarios at one configuration and compare them; a result record."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {k: folder / f"{name}.h5" for k, name in SCENARIOS.items()}
    record = {"scale": scale, "replications": reps, "load_start": os.getloadavg()[0],
              "wall": {}, "cpu": {}}
    for key, name in SCENARIOS.items():
        wall, cpu = run_scenario(binary, name, files[key], scale, reps, threads)
        record["wall"][key], record["cpu"][key] = wall, cpu
        print(f"  {scale:g} x {reps} {name}: {wall:.1f} s wall, {cpu:.1f} s processor", file=sys.stderr)
    record["load_end"] = os.getloadavg()[0]
    record["results"] = compare(binary, files)
    return record, files


def sd_per_replication(record, variant, measure):
    """The SD of the paired differences over replications, from the t interval's half-width."""
    h, reps = record["results"][variant][measure]["half_width"], record["replications"]
    return None if h is None else h * math.sqrt(reps) / t975(reps - 1)


def efficiency(record, variant, measure):
    """1 / (SD^2 x processor seconds per replication of the two runs): precision per second with
    the t quantile of few replications left out (what more replications at this scale buy)."""
    sd = sd_per_replication(record, variant, measure)
    seconds = (record["cpu"]["cf"] + record["cpu"][variant]) / record["replications"]
    return None if not sd else 1 / (sd * sd * seconds)


def precision(record, variant, measure, clock="wall"):
    """1 / (half-width^2 x seconds of the counterfactual and variant runs), or None."""
    h = record["results"][variant][measure]["half_width"]
    seconds = record[clock]["cf"] + record[clock][variant]
    return None if not h else 1 / (h * h * seconds)


def fmt(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def plus_minus(m):
    """"mean ± half-width", with a dagger when the interval includes 0."""
    text = f"{fmt(m['mean'])} ± {fmt(m['half_width'])}"
    return text if m["excludes_zero"] else text + " †"


def cost_cell(m):
    if m["lo"] is None:
        return f"{fmt(m['mean'])} [n/a]"
    return f"{fmt(m['mean'])} [{fmt(m['lo'])}, {fmt(m['hi'])}]"


def relative(records, variant, measure, clock="wall"):
    """Precision per second of each record relative to the first one's."""
    base = precision(records[0], variant, measure, clock)
    out = []
    for r in records:
        p = precision(r, variant, measure, clock)
        out.append(None if p is None or not base else p / base)
    return out


def table(records):
    """The two Markdown tables of all configurations: intervals, then efficiency."""
    return table_intervals(records) + "\n" + table_efficiency(records)


def table_efficiency(records):
    """SD per replication of the paired differences and efficiency, relative to the first row."""
    keys = [("programme", "job_years"), ("programme", "failures_averted"),
            ("stimulus", "job_years"), ("stimulus", "failures_averted")]
    head = ["scale x reps", "processor s per replication, CF + prog"] + \
        [f"SD per replication, {v[:4]} {m.replace('_', ' ')}" for v, m in keys] + \
        [f"efficiency, {v[:4]} {m.replace('_', ' ')}" for v, m in keys]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    base = [efficiency(records[0], v, m) for v, m in keys]
    for r in records:
        per_rep = (r["cpu"]["cf"] + r["cpu"]["programme"]) / r["replications"]
        cells = [f"{r['scale']:g} x {r['replications']}", f"{per_rep:.2f}"]
        cells += [fmt(sd_per_replication(r, v, m)) for v, m in keys]
        for (v, m), b in zip(keys, base):
            e = efficiency(r, v, m)
            cells.append(fmt(None if e is None or not b else e / b, 2))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def table_intervals(records):
    """Seconds, paired intervals and precision per second of every configuration."""
    head = ["scale x reps", "s CF / prog / stim (processor s)", "load",
            "prog job-years", "prog failures averted", "prog USD per job-year", "prog jobs per USD 1M",
            "stim job-years", "stim failures averted", "stim USD per job-year",
            "prec/s prog job-years (per processor s)", "prec/s stim job-years (per processor s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rel = [relative(records, v, "job_years", clock) for v in ("programme", "stimulus") for clock in ("wall", "cpu")]
    for r, rp, rpc, rs, rsc in zip(records, *rel):
        w, c = r["wall"], r["cpu"]
        p, s = r["results"]["programme"], r["results"]["stimulus"]
        secs = f"{w['cf']:.1f} / {w['programme']:.1f} / {w['stimulus']:.1f} ({sum(c.values()):.0f})"
        cells = [f"{r['scale']:g} x {r['replications']}", secs,
                 f"{r['load_start']:.1f}-{r['load_end']:.1f}",
                 plus_minus(p["job_years"]), plus_minus(p["failures_averted"]),
                 cost_cell(p["cost_per_job_year"]), plus_minus(p["jobs_per_usd_million"]),
                 plus_minus(s["job_years"]), plus_minus(s["failures_averted"]),
                 cost_cell(s["cost_per_job_year"]), f"{fmt(rp, 2)} ({fmt(rpc, 2)})", f"{fmt(rs, 2)} ({fmt(rsc, 2)})"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def run_all(args):
    """Measure every configuration; the summary record (None if a run failed)."""
    binary = str(Path(args.binary).resolve())
    records = []
    load_start = os.getloadavg()
    try:
        for scale, reps in parse_configs(args.configs):
            record, files = measure_config(binary, args.out_dir / f"{scale:g}x{reps}", scale, reps, args.threads)
            records.append(record)
            if not args.keep:
                shutil.rmtree(files["cf"].parent)
    except subprocess.CalledProcessError as e:
        print(f"precision.py: {' '.join(map(str, e.cmd))} failed ({e.returncode})", file=sys.stderr)
        return None
    return {"binary": binary, "threads": args.threads, "load_start": load_start,
            "load_end": os.getloadavg(), "configs": records}


def merge(paths):
    """One summary from earlier results.json files: configurations by scale, then most replications
    first; the load averages of the first file's start and the last file's end."""
    parts = [json.loads(Path(p).read_text()) for p in paths]
    records = sorted((r for part in parts for r in part["configs"]),
                     key=lambda r: (r["scale"], -r["replications"]))
    return {"binary": parts[0]["binary"], "threads": parts[0]["threads"], "merged_from": [str(p) for p in paths],
            "load_start": parts[0]["load_start"], "load_end": parts[-1]["load_end"], "configs": records}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary", help="the smesim binary, e.g. build/smesim")
    ap.add_argument("out_dir", type=Path, help="folder for the result files, results.json and table.md")
    ap.add_argument("--configs", default=DEFAULT_CONFIGS, help=f"SCALExREPS,... (default {DEFAULT_CONFIGS})")
    ap.add_argument("--threads", type=int, default=2, help="worker threads per run (default 2)")
    ap.add_argument("--keep", action="store_true", help="keep the result files")
    ap.add_argument("--from-json", nargs="+", type=Path, metavar="RESULTS_JSON",
                    help="run nothing: merge earlier results.json files and print their table")
    args = ap.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    summary = merge(args.from_json) if args.from_json else run_all(args)
    if summary is None:
        return 1
    (args.out_dir / "results.json").write_text(json.dumps(summary, indent=1) + "\n")
    text = table(summary["configs"])
    (args.out_dir / "table.md").write_text(text)
    print(text, end="")
    load_start, load_end = summary["load_start"], summary["load_end"]
    print(f"\nload average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in load_start)} at the start, "
          f"{', '.join(f'{x:.2f}' for x in load_end)} at the end; † the interval includes 0; "
          "prec/s: 1 / (half-width^2 x seconds of the two runs), relative to the first row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
