#!/usr/bin/env bash
# WARC parsing benchmark: curate (1 thread and one per core) vs FastWARC and warcio (single
# threaded), same files, same run, each timed three times in interleaved rounds (best of three,
# wall clock; CPU seconds of that run beside it, since the machine may be shared).
# Usage: bench/warc.sh            (needs ../shared/data/warc; set CURATE_SHARED to move it)
# Result rows: bench/work/results/warc.jsonl (bench/lib.sh).
#
# What each side does per record:
#   curate   inflates the record's gzip member (libdeflate, CRC checked), finds the WARC header,
#            reads Content-Length and WARC-Type and copies the record out; then decodes it: WARC
#            header fields (type, id, date, target URI, content types), HTTP status line and
#            headers, chunked transfer-encoding and gzip/deflate content-encoding undone, 2xx and
#            media-type filter, charset (BOM, HTTP charset; <meta> prescan only when the payload is
#            not valid non-ASCII UTF-8), UTF-8 validation of the whole payload and conversion to
#            UTF-8 when needed, and a Document with its metadata. With N threads (one per core),
#            N-1 helpers inflate gzip members ahead of the reading thread, which splits and
#            decodes records and inflates members itself rather than wait; threads beyond the
#            second decode records handed over by the reading thread.
#   FastWARC inflates the member (zlib-rs), parses the WARC header, filters the record type,
#            parses the HTTP header (parse_http=True) and reads the payload with transfer- and
#            content-encoding undone (auto_decode="all"); bytes only: no charset work, no
#            UTF-8 validation, no media-type filter.
#   warcio   inflates (Python zlib), parses WARC and HTTP headers, and reads content_stream()
#            (chunked and content-encoding undone); bytes only.
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
cpu_start = time.process_time()
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
print(json.dumps({"records": records, "payload_bytes": payload, "seconds": time.perf_counter() - start,
                  "cpu_seconds": time.process_time() - cpu_start}))
PY

run_curate() { "$CURATE" records -f warc --json "$@" 2>/dev/null; }  # --threads N first
run_ref() { "$VENV/bin/python" "$WORK/ref.py" "$@" 2>/dev/null; }
ROUNDS=3
CORES=$(nproc)

report() {  # name, bytes, json (best of the rounds)
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, size, r = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
records, seconds = r["records"], r["seconds"]
print(f"| {name} | {records} | {seconds:.3f} | {r['cpu_seconds']:.3f} | {records/seconds:,.0f} | {size/1e6/seconds:.1f} |")
PY
}

echo "Per record: curate inflates the gzip member (libdeflate, CRC checked), splits the record off, parses the"
echo "WARC and HTTP headers, undoes chunked/gzip/deflate encodings, filters 2xx and media types, picks the charset"
echo "(BOM, HTTP, <meta> when not valid UTF-8), validates the payload as UTF-8 (converting when needed) and builds a"
echo "Document with metadata. FastWARC (parse_http=True, auto_decode=\"all\") and warcio inflate, parse the WARC and"
echo "HTTP headers and read the decoded payload bytes: no charset work, no UTF-8 validation, no media-type filter."
echo "curate on $CORES threads: $((CORES - 1)) helper(s) inflate gzip members ahead; the reading thread splits and decodes"
echo "and inflates members itself rather than wait."

for set in small big; do
    if [ "$set" = small ]; then files=("${SMALL[@]}"); else files=("$BIG"); fi
    bytes=$(cat "${files[@]}" | wc -c)
    runs="$WORK/runs-$set.jsonl"
    : > "$runs"
    for round in $(seq "$ROUNDS"); do
        echo "{\"tool\": \"curate1\", \"run\": $(run_curate --threads 1 "${files[@]}")}" >> "$runs"
        echo "{\"tool\": \"curateN\", \"run\": $(run_curate --threads "$CORES" "${files[@]}")}" >> "$runs"
        echo "{\"tool\": \"fastwarc\", \"run\": $(run_ref fastwarc "${files[@]}")}" >> "$runs"
        echo "{\"tool\": \"warcio\", \"run\": $(run_ref warcio "${files[@]}")}" >> "$runs"
    done
    best() { python3 -c "import json,sys; runs=[json.loads(l) for l in open(sys.argv[1])]; print(json.dumps(min((r['run'] for r in runs if r['tool']==sys.argv[2]), key=lambda r: r['seconds'])))" "$runs" "$1"; }
    c1=$(best curate1); c=$(best curateN); f=$(best fastwarc); w=$(best warcio)
    echo
    echo "### $set: ${#files[@]} file(s), $((bytes / 1000000)) MB of .warc.gz (best of $ROUNDS)"
    echo
    echo "| tool | records | seconds | CPU seconds | records/s | MB/s (compressed) |"
    echo "|---|---|---|---|---|---|"
    report "curate, 1 thread" "$bytes" "$c1"
    report "curate, $CORES threads ($((CORES - 1)) inflating ahead of the reader)" "$bytes" "$c"
    report "FastWARC (1 thread)" "$bytes" "$f"; report "warcio (1 thread)" "$bytes" "$w"
    python3 - "$c1" "$c" "$f" "$w" "$set" "$bytes" "$CORES" <<'PY'
import json, sys
import bench_results
c1, c, f, w = (json.loads(a) for a in sys.argv[1:5])
name, size, cores = sys.argv[5], int(sys.argv[6]), sys.argv[7]
stage = "WARC reading"
note = (f"{name}: {size / 1e6:.0f} MB of .warc.gz, response/resource/conversion records; curate decodes documents "
        f"(HTTP, charset, UTF-8), FastWARC and warcio read payload bytes; best of 3 runs")
rate = lambda r: r["records"] / r["seconds"]
mbs = lambda r: size / 1e6 / r["seconds"]
bench_results.add(stage, f"records/s, 1 thread, {name} input", "records/s", "higher", round(rate(c1)), "FastWARC", round(rate(f)), note)
bench_results.add(stage, f"records/s, {cores} threads, {name} input", "records/s", "higher", round(rate(c)), "FastWARC (1 thread)", round(rate(f)), note)
bench_results.add(stage, f"records/s, {cores} threads, {name} input", "records/s", "higher", round(rate(c)), "warcio (1 thread)", round(rate(w)), note)
bench_results.add(stage, f"MB/s compressed, 1 thread, {name} input", "MB/s", "higher", round(mbs(c1), 1), "FastWARC", round(mbs(f), 1), note)
bench_results.add(stage, f"MB/s compressed, {cores} threads, {name} input", "MB/s", "higher", round(mbs(c), 1), "FastWARC (1 thread)", round(mbs(f), 1), note)
bench_results.add(stage, f"CPU seconds, 1 thread, {name} input", "s", "lower", round(c1["cpu_seconds"], 3), "FastWARC", round(f["cpu_seconds"], 3), note)
bench_results.add(stage, f"records read, {name} input", "records", "none", c["records"], "FastWARC", f["records"], note)
print()
print(f"records agree: curate {c['records']} ({c1['records']} on 1 thread), FastWARC {f['records']}, warcio {w['records']}")
print(f"curate / FastWARC speed: {f['seconds'] / c['seconds']:.2f}x on {cores} threads, {f['seconds'] / c1['seconds']:.2f}x on 1 thread "
      f"(CPU time: FastWARC {f['cpu_seconds']:.2f} s, curate {c1['cpu_seconds']:.2f} s on 1 thread, {c['cpu_seconds']:.2f} s on {cores}); "
      f"curate / warcio: {w['seconds'] / c['seconds']:.2f}x")
PY
done
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
