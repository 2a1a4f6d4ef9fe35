#!/usr/bin/env bash
# WARC parsing benchmark: curate vs FastWARC vs warcio, single thread, same files, same run.
# Counts response/resource/conversion records and reads every payload (HTTP parsed).
# Usage: bench/warc.sh            (needs ../shared/data/warc; set CURATE_SHARED to move it)
# Result rows: bench/work/results/warc.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
WORK="$ROOT/bench/work/warc"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv-warc"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q fastwarc warcio >&2

SMALL=("$SHARED"/data/warc/*.warc.gz)
BIG="$WORK/big.warc.gz"
if [ ! -s "$BIG" ]; then
    echo "== making $BIG: the .warc.gz files above, concatenated (gzip members) until >= 200 MB" >&2
    : > "$BIG"
    while [ "$(stat -c %s "$BIG")" -lt 200000000 ]; do cat "${SMALL[@]}" >> "$BIG"; done
fi

cat > "$WORK/ref.py" <<'PY'
import sys, time, json
tool, paths = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
records = payload = 0
if tool == "fastwarc":
    # FastWARC 2.x (Rust): compression detected from the stream, HTTP parsed, and the
    # payload's transfer- and content-encoding undone, as curate does.
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    wanted = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion
    for p in paths:
        for record in ArchiveIterator(p, record_types=wanted, parse_http=True, auto_decode="all", fsspec_args=False):
            records += 1
            payload += len(record.reader.read())
else:
    from warcio.archiveiterator import ArchiveIterator
    for p in paths:
        with open(p, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type in ("response", "resource", "conversion"):
                    records += 1
                    payload += len(record.content_stream().read())
print(json.dumps({"records": records, "payload_bytes": payload, "seconds": time.perf_counter() - start}))
PY

run_curate() { "$CURATE" records -f warc --json "$@" 2>/dev/null; }  # --threads N first
run_ref() { "$VENV/bin/python" "$WORK/ref.py" "$@" 2>/dev/null; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

report() {  # name, bytes, json
    local records seconds
    records=$(field "$3" records); seconds=$(field "$3" seconds)
    python3 - "$1" "$2" "$records" "$seconds" <<'PY'
import sys
name, size, records, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
print(f"| {name} | {records} | {seconds:.3f} | {records/seconds:,.0f} | {size/1e6/seconds:.1f} |")
PY
}

for set in small big; do
    if [ "$set" = small ]; then files=("${SMALL[@]}"); else files=("$BIG"); fi
    bytes=$(cat "${files[@]}" | wc -c)
    echo
    echo "### $set: ${#files[@]} file(s), $((bytes / 1000000)) MB of .warc.gz"
    echo
    echo "| tool | records | seconds | records/s | MB/s (compressed) |"
    echo "|---|---|---|---|---|"
    c1=$(run_curate --threads 1 "${files[@]}"); c=$(run_curate --threads "$(nproc)" "${files[@]}")
    f=$(run_ref fastwarc "${files[@]}"); w=$(run_ref warcio "${files[@]}")
    report "curate, 1 thread" "$bytes" "$c1"; report "curate, $(nproc) threads (split | decode)" "$bytes" "$c"
    report FastWARC "$bytes" "$f"; report warcio "$bytes" "$w"
    python3 - "$c1" "$c" "$f" "$w" "$set" "$bytes" "$(nproc)" <<'PY'
import json, sys
import bench_results
c1, c, f, w = (json.loads(a) for a in sys.argv[1:5])
name, size, cores = sys.argv[5], int(sys.argv[6]), sys.argv[7]
stage = "WARC reading"
note = f"{name}: {size / 1e6:.0f} MB of .warc.gz, response/resource/conversion records, payloads read"
rate = lambda r: r["records"] / r["seconds"]
bench_results.add(stage, f"records/s, 1 thread, {name} input", "records/s", "higher", round(rate(c1)), "FastWARC", round(rate(f)), note)
bench_results.add(stage, f"records/s, {cores} threads, {name} input", "records/s", "higher", round(rate(c)), "FastWARC (1 thread)", round(rate(f)), note)
bench_results.add(stage, f"records/s, {cores} threads, {name} input", "records/s", "higher", round(rate(c)), "warcio", round(rate(w)), note)
bench_results.add(stage, f"records read, {name} input", "records", "none", c["records"], "FastWARC", f["records"], note)
print()
print(f"records agree: curate {c['records']} ({c1['records']} on 1 thread), FastWARC {f['records']}, warcio {w['records']}")
print(f"curate / FastWARC speed: {f['seconds'] / c['seconds']:.2f}x ({f['seconds'] / c1['seconds']:.2f}x on 1 thread); "
      f"curate / warcio: {w['seconds'] / c['seconds']:.2f}x")
PY
done
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
