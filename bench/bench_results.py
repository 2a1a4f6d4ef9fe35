"""Appends one benchmark result row to bench/work/results/<bench>.jsonl, the format that
bench/benchmarks.py renders into BENCHMARKS.md.

A row is one figure of one stage measured on curate and on a reference tool in the same run:
stage, metric, unit, which direction is better, curate's figure, the reference's name and
figure, the ratio (how many times better curate is: curate / reference when higher is better,
reference / curate when lower is better, none for figures without a direction such as
agreement), the command that produced it, the date, the machine (cores and memory) and the load
average when the row was written, and an optional note.

The bench, command and results folder come from the environment that bench/lib.sh sets
(BENCH_NAME, BENCH_COMMAND, BENCH_RESULTS), so a bench's Python helpers add rows the same way:

    python3 bench/bench_results.py STAGE METRIC UNIT higher|lower|none CURATE REFERENCE_NAME REFERENCE [NOTE]

or, from Python, `bench_results.add(stage, metric, unit, better, curate, reference_name, reference)`.
A reference figure may be empty (curate-only figures, such as a chain's agreement).
"""
import datetime
import json
import os
import sys

BETTER = ("higher", "lower", "none")


def machine():
    cores = os.cpu_count()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    with open("/proc/meminfo") as f:
        total_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
    return f"{cores} cores, {total_kb / 1024 / 1024:.0f} GB"


def number(text):
    if text is None or text == "":
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in str(text) else value


def add(stage, metric, unit, better, curate, reference_name, reference, note=""):
    if better not in BETTER:
        raise ValueError(f"better must be one of {BETTER}, not {better!r}")
    bench = os.environ.get("BENCH_NAME")
    folder = os.environ.get("BENCH_RESULTS")
    if not bench or not folder:
        raise RuntimeError("BENCH_NAME and BENCH_RESULTS are unset: source bench/lib.sh first")
    curate, reference = number(curate), number(reference)
    ratio = None
    if curate is not None and reference is not None and better != "none":
        if better == "higher" and reference:
            ratio = curate / reference
        elif better == "lower" and curate:
            ratio = reference / curate
    row = {
        "bench": bench, "stage": stage, "metric": metric, "unit": unit, "better": better,
        "curate": curate, "reference_name": reference_name or None, "reference": reference,
        "ratio": None if ratio is None else round(ratio, 3),
        "command": os.environ.get("BENCH_COMMAND", f"bench/{bench}.sh"),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load": " ".join(open("/proc/loadavg").read().split()[:3]),
        "note": note,
    }
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{bench}.jsonl"), "a") as f:
        f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    if len(sys.argv) not in (8, 9):
        sys.exit(__doc__)
    add(*sys.argv[1:])
