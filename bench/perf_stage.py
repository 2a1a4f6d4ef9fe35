"""CPU seconds that curate spends in given stages of a run.

`curate run` (1 worker, minimal provenance) runs twice per measurement: once plain, for its CPU
time (user + system, from the kernel's accounting of the child), and once under
`perf record --call-graph dwarf -e cpu-clock`, for the share of that time spent with a stage's
`process` method on the stack (perf's "children" view), so that reading, writing and the runner
are left out. The call chains are unwound from DWARF rather than frame pointers: a libc leaf
such as memchr keeps no frame, so frame-pointer chains of its samples skip the function that
called it, and time a stage spends in libc would not be counted as the stage's. The stage's
seconds are the share times the plain run's CPU time: perf's own sampling inflates the CPU time
of the run it records (about 2x at 20 kHz with call graphs, measured), but not the shares. Several stages (a chain) add their shares: the runner calls them one after
another, so no sample has two of them on the stack. Best of `runs` measurements.

Used by bench/filters_compare.py and bench/safety_compare.py to compare a stage with the
reference's filter calls over documents in memory."""
import os
import subprocess


def stage_seconds(curate, pipeline, symbols, runs=3, frequency=4000):
    """The least, over `runs` measurements of `curate run PIPELINE`, of the CPU seconds under
    the functions whose (mangled) names contain one of `symbols`."""
    command = [curate, "run", pipeline, "--restart", "--quiet", "--workers", "1", "--provenance", "minimal"]
    data = pipeline + ".perf"
    best = None
    for _ in range(runs):
        before = os.times()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        subprocess.run(["perf", "record", "-q", "--call-graph", "dwarf", "-e", "cpu-clock", "-F", str(frequency), "-o", data] + command,
                       check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run(["perf", "report", "-i", data, "--children", "--stdio", "-g", "none", "--sort", "symbol"],
                             check=True, capture_output=True, text=True).stdout
        share = 0.0
        for symbol in symbols:
            shares = [float(line.split()[0].rstrip("%")) for line in out.splitlines()
                      if symbol in line and line.strip()[:1].isdigit()]
            if not shares:
                raise SystemExit(f"perf_stage: no samples in {symbol} for {pipeline}")
            share += max(shares)
        seconds = cpu * share / 100
        best = seconds if best is None else min(best, seconds)
    return best
