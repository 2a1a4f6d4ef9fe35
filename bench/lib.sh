# Shared by the bench scripts: `source "$(dirname "$0")/lib.sh"` at the top of bench/<name>.sh.
#
# Sets BENCH_NAME (the script's name without .sh), BENCH_COMMAND (how it was invoked, with the
# CURATE_* settings that change what it measures) and BENCH_RESULTS (bench/work/results), puts
# bench/ on PYTHONPATH (so a bench's Python, in any virtualenv, can `import bench_results` and call
# bench_results.add), and defines bench_row, which appends one result row to
# bench/work/results/$BENCH_NAME.jsonl:
#
#   bench_row STAGE METRIC UNIT higher|lower|none CURATE REFERENCE_NAME REFERENCE [NOTE]
#
# bench/bench_results.py says what a row holds; bench/benchmarks.py renders all rows into BENCHMARKS.md.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=$(basename "$0" .sh)
BENCH_COMMAND="$(env | grep -E '^CURATE_[A-Z0-9_]+=' | grep -v '^CURATE_SHARED=' | sort | tr '\n' ' ' || true)bench/$BENCH_NAME.sh${*:+ $*}"
BENCH_RESULTS=$BENCH_ROOT/bench/work/results
PYTHONPATH=$BENCH_ROOT/bench${PYTHONPATH:+:$PYTHONPATH}
export BENCH_NAME BENCH_COMMAND BENCH_RESULTS PYTHONPATH

bench_row() {
    python3 "$BENCH_ROOT/bench/bench_results.py" "$@"
}
