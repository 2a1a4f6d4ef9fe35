#!/usr/bin/env bash
# Benchmark of the curate pipeline runner, with datatrove as the reference.
#
#   bench/runner.sh
#
# 1. builds curate in release mode into .build-bench (git-ignored);
# 2. makes (once, cached in bench/work/corpus) a corpus of >= 200 MiB of JSONL, zstd-compressed
#    in 8 files, from the paragraphs of the real texts in $CURATE_SHARED/data/text;
# 3. runs `curate run` (normalize -> length min_words=5) with 1 and 2 workers, with
#    --provenance full and minimal, under /usr/bin/time -v;
# 4. runs the nearest datatrove pipeline (JsonlReader -> LambdaFilter(>= 5 words) -> JsonlWriter,
#    LocalPipelineExecutor tasks=8) with 1 and 2 workers, from a virtualenv in bench/work/venv;
# 5. prints a markdown table and ratios, also written to bench/work/runner-results.md, and appends
#    the figures to bench/work/results/runner.jsonl (bench/lib.sh).
#
# Environment:
#   CURATE_SHARED      folder holding data/text (default: REPO/../shared)
#   CURATE_BENCH_MIB   smallest uncompressed corpus size in MiB (default 200)
#   CURATE_BENCH_FILES number of corpus files (default 8)
#   CURATE_BENCH_REPEAT runs per configuration (default 1); the table shows the fastest
#
# Needs swift, zstd, python3 (with venv) and GNU time (/usr/bin/time). The only network use is
# PyPI, for datatrove; without it the reference runs are skipped.
# MB in the output means 10^6 bytes.

set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${CURATE_SHARED:-$ROOT/../shared}
TEXT=$SHARED/data/text
WORK=$ROOT/bench/work
LOGS=$WORK/logs
CORPUS=$WORK/corpus
OUT=$WORK/out
PIPELINE=$WORK/runner-pipeline.json
RESULTS=$WORK/runner-results.tsv
REPORT=$WORK/runner-results.md
MIN_MIB=${CURATE_BENCH_MIB:-200}
NFILES=${CURATE_BENCH_FILES:-8}
REPEAT=${CURATE_BENCH_REPEAT:-1}
DATATROVE_VERSION=0.10.1
DATATROVE_TASKS=8

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

START=$SECONDS

for tool in swift zstd python3; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
/usr/bin/time -v true 2>/dev/null || die "/usr/bin/time does not accept -v; GNU time is needed"
[[ -d $TEXT/gutenberg-en && -d $TEXT/multilingual ]] \
    || die "no texts in $TEXT (expected gutenberg-en/ and multilingual/); set CURATE_SHARED"
[[ $MIN_MIB =~ ^[0-9]+$ && $MIN_MIB -gt 0 ]] || die "CURATE_BENCH_MIB must be a positive integer"
[[ $NFILES =~ ^[0-9]+$ && $NFILES -gt 0 ]] || die "CURATE_BENCH_FILES must be a positive integer"
[[ $REPEAT =~ ^[0-9]+$ && $REPEAT -gt 0 ]] || die "CURATE_BENCH_REPEAT must be a positive integer"
mkdir -p "$WORK" "$LOGS" "$OUT"

# Runs "$@" under GNU time, with the measurements in $1.time, stdout in $1.out and stderr in
# $1.err (all under bench/work/logs). Returns the command's exit status.
timed() {
    local name=$1
    shift
    /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"
}

# Prints "wall_seconds cpu_seconds max_rss_kb" from a GNU time -v report.
time_fields() {
    python3 - "$1" <<'EOF'
import re, sys
report = open(sys.argv[1]).read()
def field(label):
    m = re.search(r"^\s*" + re.escape(label) + r".*?:\s*(\S+)\s*$", report, re.M)
    if not m:
        sys.exit(f"no '{label}' in {sys.argv[1]}")
    return m.group(1)
wall = 0.0
for part in field("Elapsed (wall clock) time").split(":"):
    wall = wall * 60 + float(part)
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"{wall:.2f} {cpu:.2f} {int(field('Maximum resident set size (kbytes)'))}")
EOF
}

# ---------------------------------------------------------------------------------------------
step "building curate (release, --scratch-path .build-bench)"
build_started=$SECONDS
if ! (cd "$ROOT" && swift build -c release --scratch-path .build-bench) >"$LOGS/build.log" 2>&1; then
    tail -n 40 "$LOGS/build.log" >&2
    die "swift build failed; full log in $LOGS/build.log"
fi
CURATE=$(cd "$ROOT" && swift build -c release --scratch-path .build-bench --show-bin-path)/curate
[[ -x $CURATE ]] || die "no curate binary at $CURATE"
info "$CURATE ($("$CURATE" --version)), $((SECONDS - build_started)) s"

# ---------------------------------------------------------------------------------------------
step "corpus: >= $MIN_MIB MiB of JSONL from $TEXT, in $NFILES .jsonl.zst files"
# The cache key: the settings and the name and size of every source text.
corpus_key=$(
    cd "$TEXT" && {
        echo "v1 mib=$MIN_MIB files=$NFILES"
        find gutenberg-en multilingual -maxdepth 1 -name '*.txt' -printf '%p %s\n' | LC_ALL=C sort
    } | sha256sum | cut -c1-16
)
manifest=$CORPUS/corpus.json
if [[ -f $manifest ]] && python3 - "$manifest" "$corpus_key" <<'EOF'
import json, os, sys
m = json.load(open(sys.argv[1]))
ok = m.get("key") == sys.argv[2] and all(
    os.path.getsize(os.path.join(os.path.dirname(sys.argv[1]), f["name"])) == f["compressed_bytes"]
    for f in m["files"])
sys.exit(0 if ok else 1)
EOF
then
    info "reusing the corpus in $CORPUS"
else
    info "generating (cache key $corpus_key)"
    rm -rf "$CORPUS" "$CORPUS.tmp"
    mkdir -p "$CORPUS.tmp"
    python3 - "$TEXT" "$CORPUS.tmp" "$((MIN_MIB * 1024 * 1024))" "$NFILES" <<'EOF'
# Splits the texts into paragraphs (blocks between blank lines; blocks above 4000 characters,
# as in texts without blank lines, are cut at line ends into pieces of about 2000), makes one
# JSON line {"id", "text"} per paragraph, and repeats the set with new ids until the JSONL
# reaches the target size, cut into files of about equal size.
import glob, json, os, re, sys

text_dir, out_dir, target, nfiles = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sources = sorted(glob.glob(os.path.join(text_dir, "gutenberg-en", "*.txt"))) \
    + sorted(glob.glob(os.path.join(text_dir, "multilingual", "*.txt")))
paragraphs = []
for path in sources:
    name = os.path.basename(path)[:-4]
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    n = 0
    for block in re.split(r"\n[ \t]*\n", text):
        if not block.strip():
            continue
        pieces = [block]
        if len(block) > 4000:
            pieces, piece = [], ""
            for line in block.split("\n"):
                if piece and len(piece) + len(line) > 2000:
                    pieces.append(piece)
                    piece = ""
                piece = piece + "\n" + line if piece else line
            if piece.strip():
                pieces.append(piece)
        for piece in pieces:
            paragraphs.append((name, n, piece))
            n += 1
if not paragraphs:
    sys.exit(f"no paragraphs in {text_dir}")

def lines(rep):
    for name, n, text in paragraphs:
        yield (json.dumps({"id": f"r{rep:03d}/{name}/{n:06d}", "text": text}, ensure_ascii=False) + "\n").encode()

pass_bytes = sum(len(line) for line in lines(0))
reps = -(-target // pass_bytes)
total = reps * pass_bytes
per_file = -(-total // nfiles)
written, documents, index, out = 0, 0, 0, None
for rep in range(reps):
    for line in lines(rep):
        if out is None or (written >= per_file * (index + 1) and index < nfiles - 1):
            if out:
                out.close()
            index = 0 if out is None else index + 1
            out = open(os.path.join(out_dir, f"part-{index:03d}.jsonl"), "wb")
        out.write(line)
        written += len(line)
        documents += 1
out.close()
json.dump({"paragraphs": len(paragraphs), "repetitions": reps, "documents": documents, "bytes": written,
           "sources": len(sources)}, open(os.path.join(out_dir, "generated.json"), "w"))
EOF
    files=()
    for f in "$CORPUS.tmp"/part-*.jsonl; do files+=("$f"); done
    (( ${#files[@]} > 0 )) || die "the corpus generator wrote no files"
    for f in "${files[@]}"; do
        size=$(stat -c %s "$f")
        zstd -q -3 --rm "$f"
        echo "$(basename "$f").zst $size $(stat -c %s "$f.zst")"
    done >"$CORPUS.tmp/sizes.txt"
    python3 - "$CORPUS.tmp" "$corpus_key" <<'EOF'
import json, os, sys
folder, key = sys.argv[1], sys.argv[2]
generated = json.load(open(os.path.join(folder, "generated.json")))
files = []
for line in open(os.path.join(folder, "sizes.txt")):
    name, raw, compressed = line.split()
    files.append({"name": name, "bytes": int(raw), "compressed_bytes": int(compressed)})
manifest = dict(generated, key=key, files=files, compressed_bytes=sum(f["compressed_bytes"] for f in files))
assert manifest["bytes"] == sum(f["bytes"] for f in files)
json.dump(manifest, open(os.path.join(folder, "corpus.json"), "w"), indent=1)
os.remove(os.path.join(folder, "generated.json"))
os.remove(os.path.join(folder, "sizes.txt"))
EOF
    mv "$CORPUS.tmp" "$CORPUS"
fi
corpus_fields=$(python3 - "$manifest" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
print(m["bytes"], m["compressed_bytes"], m["documents"], len(m["files"]),
      f"{m['paragraphs']}_paragraphs_from_{m['sources']}_texts_x{m['repetitions']}")
EOF
)
read -r CORPUS_BYTES CORPUS_ZBYTES CORPUS_DOCS CORPUS_FILES CORPUS_DESC <<<"$corpus_fields"
CORPUS_MB=$(python3 -c "print(f'{$CORPUS_BYTES / 1e6:.1f}')")
info "$CORPUS_FILES files: $CORPUS_MB MB uncompressed ($(python3 -c "print(f'{$CORPUS_BYTES / 2**20:.1f}')") MiB)," \
    "$(python3 -c "print(f'{$CORPUS_ZBYTES / 1e6:.1f}')") MB compressed, $CORPUS_DOCS documents (${CORPUS_DESC//_/ })"

# ---------------------------------------------------------------------------------------------
step "pipeline $PIPELINE"
cat >"$PIPELINE" <<'EOF'
{
  "name": "bench-runner",
  "inputs": [
    {"format": "jsonl", "paths": ["corpus/*.jsonl.zst"]}
  ],
  "stages": [
    {"type": "normalize"},
    {"type": "length", "min_words": 5}
  ],
  "output": "out/curate"
}
EOF
"$CURATE" validate "$PIPELINE" | sed 's/^/    /' || die "curate validate rejected $PIPELINE"

: >"$RESULTS"  # configuration, label, run, wall s, cpu s, max rss kB, docs read, docs kept, other cpu s

# CPU time spent by the whole machine so far (user, nice, system, irq, softirq), in clock ticks.
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
TICKS=$(getconf CLK_TCK)

# The log name of run $2 (1-based) of configuration $1.
run_name() { if ((REPEAT == 1)); then echo "$1"; else echo "$1-r$2"; fi; }

# Appends a run to $RESULTS and prints it: configuration, label, log name, "read kept", and
# cpu_busy when it started. The machine's CPU time during the run minus the run's own is the
# CPU time other processes took (they compete for the cores and make the numbers noisy).
record() {
    local fields wall cpu rss docs_read docs_kept other
    fields=$(time_fields "$LOGS/$3.time")
    read -r wall cpu rss <<<"$fields"
    read -r docs_read docs_kept <<<"$4"
    other=$(python3 -c "print(f'{max(0.0, ($(cpu_busy) - $5) / $TICKS - $cpu):.1f}')")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$wall" "$cpu" "$rss" "$docs_read" "$docs_kept" "$other" \
        >>"$RESULTS"
    info "$2$( ((REPEAT == 1)) || echo " (run ${3##*-r})"): $wall s wall, $cpu s CPU, $((rss / 1024)) MiB peak RSS," \
        "$docs_read read, $docs_kept kept; other processes: $other CPU s"
}

# ---------------------------------------------------------------------------------------------
step "curate runs"
for workers in 1 2; do
    for provenance in full minimal; do
        name=curate-w$workers-$provenance
        label="curate, $workers worker$([[ $workers == 1 ]] || echo s), provenance $provenance"
        for ((rep = 1; rep <= REPEAT; rep++)); do
            run=$(run_name "$name" "$rep")
            rm -rf "${OUT:?}/$name"
            busy=$(cpu_busy)
            if ! timed "$run" "$CURATE" run "$PIPELINE" --output "$OUT/$name" --restart --quiet --json \
                --workers "$workers" --provenance "$provenance"; then
                tail -n 20 "$LOGS/$run.err" >&2
                die "$label failed; see $LOGS/$run.err"
            fi
            counts=$(python3 - "$LOGS/$run.out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["documents"]
print(d["read"], d["kept"])
EOF
)
            if [[ -s $LOGS/$run.err ]]; then info "($(wc -l <"$LOGS/$run.err") lines on stderr, in $LOGS/$run.err)"; fi
            record "$name" "$label" "$run" "$counts" "$busy"
        done
    done
done

# ---------------------------------------------------------------------------------------------
step "reference: datatrove $DATATROVE_VERSION in $WORK/venv"
VENV=$WORK/venv
DT_SKIPPED=""
dt_ready() {
    [[ -x $VENV/bin/python ]] && "$VENV/bin/python" - "$DATATROVE_VERSION" 2>/dev/null <<'EOF'
import sys
from importlib.metadata import version
import orjson, regex, zstandard  # noqa: F401  (JsonlReader/Writer, filters package, zstd files)
from datatrove.pipeline.filters import LambdaFilter  # noqa: F401
sys.exit(0 if version("datatrove") == sys.argv[1] else 1)
EOF
}
if dt_ready; then
    info "reusing the virtualenv"
else
    rm -rf "$VENV"
    # datatrove's JsonlReader/JsonlWriter need orjson, zstd files need zstandard, and importing
    # datatrove.pipeline.filters needs regex; none is a hard dependency of datatrove.
    if ! python3 -m venv "$VENV" >"$LOGS/pip.log" 2>&1; then
        DT_SKIPPED="python3 -m venv failed (see $LOGS/pip.log: $(tail -n 1 "$LOGS/pip.log"))"
    elif ! "$VENV/bin/pip" install --disable-pip-version-check "datatrove==$DATATROVE_VERSION" zstandard orjson regex \
        >>"$LOGS/pip.log" 2>&1; then
        DT_SKIPPED="pip install datatrove==$DATATROVE_VERSION failed (see $LOGS/pip.log: $(tail -n 1 "$LOGS/pip.log"))"
    elif ! dt_ready; then
        DT_SKIPPED="datatrove $DATATROVE_VERSION installed but does not import (see $LOGS/pip.log)"
    else
        info "installed datatrove $DATATROVE_VERSION, zstandard, orjson, regex (log: $LOGS/pip.log)"
    fi
fi

if [[ -n $DT_SKIPPED ]]; then
    info "reference skipped: $DT_SKIPPED"
else
    info "note: datatrove has no stage equal to curate's normalize (UTF-8 repair, control characters," \
        "white space, NFC), so the reference only reads, filters (>= 5 words by str.split()) and writes:" \
        "it does less work per document than curate"
    cat >"$WORK/datatrove_runner.py" <<'EOF'
"""The datatrove counterpart of bench/work/runner-pipeline.json (written by bench/runner.sh)."""
import argparse

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import LambdaFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--logs", required=True)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    args = parser.parse_args()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(args.input, glob_pattern="*.jsonl.zst", compression="zstd"),
            # curate's length stage counts words as str.split() does.
            LambdaFilter(lambda doc: len(doc.text.split()) >= 5),
            JsonlWriter(args.output, compression="zstd"),  # ${rank}.jsonl.zst
        ],
        tasks=args.tasks,
        workers=args.workers,
        logging_dir=args.logs,
        skip_completed=False,
        # Not the default forkserver: its pool processes are not children of this process, so
        # /usr/bin/time would not count their CPU time and memory.
        start_method="fork",
    ).run()


if __name__ == "__main__":
    main()
EOF
    for workers in 1 2; do
        name=datatrove-w$workers
        label="datatrove, $workers worker$([[ $workers == 1 ]] || echo s), tasks $DATATROVE_TASKS"
        [[ $workers == 1 ]] || label+=", fork"
        for ((rep = 1; rep <= REPEAT; rep++)); do
            run=$(run_name "$name" "$rep")
            rm -rf "${OUT:?}/$name" "${OUT:?}/$name-logs"
            busy=$(cpu_busy)
            if ! timed "$run" "$VENV/bin/python" "$WORK/datatrove_runner.py" --input "$CORPUS" --output "$OUT/$name" \
                --logs "$OUT/$name-logs" --tasks "$DATATROVE_TASKS" --workers "$workers"; then
                tail -n 20 "$LOGS/$run.err" >&2
                die "$label failed; see $LOGS/$run.err"
            fi
            counts=$(python3 - "$OUT/$name-logs/stats.json" <<'EOF'
import json, sys
steps = json.load(open(sys.argv[1]))
reader = next(s for s in steps if "READER" in s["name"])
writer = next(s for s in steps if "WRITER" in s["name"])
print(reader["stats"]["documents"]["total"], writer["stats"]["total"])
EOF
)
            record "$name" "$label" "$run" "$counts" "$busy"
        done
    done
    info "(datatrove's own log: $LOGS/datatrove-w*.err)"
fi

# ---------------------------------------------------------------------------------------------
step "results"
python3 - "$RESULTS" "$REPORT" "$CORPUS_BYTES" "$CORPUS_ZBYTES" "$CORPUS_DOCS" "$CORPUS_FILES" "$(nproc)" \
    "$("$CURATE" --version)" "$DATATROVE_VERSION" "$DT_SKIPPED" "$REPEAT" \
    "$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown)" <<'EOF'
import sys

(results, report, raw, compressed, docs, files, cores, curate_version, dt_version, dt_skipped, repeat,
 commit) = sys.argv[1:]
raw, compressed, docs, repeat = int(raw), int(compressed), int(docs), int(repeat)
runs = {}
for line in open(results):
    name, label, run, wall, cpu, rss, read, kept, other = line.rstrip("\n").split("\t")
    runs.setdefault(name, []).append(dict(label=label, wall=float(wall), cpu=float(cpu), rss=int(rss), read=int(read),
                                          kept=int(kept), other=float(other)))
rows = {name: min(list_, key=lambda r: r["wall"]) for name, list_ in runs.items()}

out = [
    f"Corpus: {files} `.jsonl.zst` files, {raw / 1e6:.1f} MB of JSONL ({compressed / 1e6:.1f} MB compressed), "
    f"{docs:,} documents. Machine: {cores} cores. curate {curate_version} (release build of {commit}), "
    + (f"datatrove {dt_version}." if not dt_skipped else f"datatrove skipped: {dt_skipped}.")
    + (f" Each configuration run {repeat} times; the table shows the fastest run." if repeat > 1 else
       " One run per configuration."),
    "",
    "| configuration | wall s | docs/s | MB/s | peak RSS MB | docs kept | CPU s | other processes' CPU s |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
for r in rows.values():
    r["docs_s"] = r["read"] / r["wall"]
    r["mb_s"] = raw / 1e6 / r["wall"]
    out.append(f"| {r['label']} | {r['wall']:.2f} | {r['docs_s']:,.0f} | {r['mb_s']:.1f} | "
               f"{r['rss'] * 1024 / 1e6:.0f} | {r['kept']:,} | {r['cpu']:.1f} | {r['other']:.1f} |")
out += [
    "",
    "docs/s = documents read / wall s; MB/s = uncompressed input JSONL MB (10^6 bytes) / wall s; "
    "wall, CPU (user + sys) and peak RSS from /usr/bin/time -v; other processes' CPU s = the machine's CPU time "
    "during the run (/proc/stat) minus the run's own. For datatrove with 2 workers the peak RSS "
    "is that of its largest process, not the sum; its pool is started with fork so that its processes are "
    "children of the timed one.",
    "",
]

def get(name):
    return rows.get(name)

for w in (1, 2):
    full, minimal = get(f"curate-w{w}-full"), get(f"curate-w{w}-minimal")
    if full and minimal:
        out.append(f"- provenance overhead, {w} worker{'s' if w > 1 else ''}: full vs minimal "
                   f"{(full['wall'] / minimal['wall'] - 1) * 100:+.1f}% wall time")
for prefix, what in (("curate-w{}-full", "curate, provenance full"), ("curate-w{}-minimal", "curate, provenance minimal"),
                     ("datatrove-w{}", "datatrove")):
    one, two = get(prefix.format(1)), get(prefix.format(2))
    if one and two:
        out.append(f"- speed-up 2 vs 1 workers, {what}: {one['wall'] / two['wall']:.2f}x")
for w in (1, 2):
    dt = get(f"datatrove-w{w}")
    if not dt:
        continue
    for prov in ("full", "minimal"):
        c = get(f"curate-w{w}-{prov}")
        if c:
            out.append(f"- curate (provenance {prov}) vs datatrove, {w} worker{'s' if w > 1 else ''}: "
                       f"{c['docs_s'] / dt['docs_s']:.2f}x docs/s")
if repeat > 1:
    for name, list_ in runs.items():
        out.append(f"- wall s of every run, {list_[0]['label']}: " + ", ".join(f"{r['wall']:.2f}" for r in list_))
busy = [r for r in rows.values() if r["other"] > max(1.0, 0.05 * r["wall"] * int(cores))]
if busy:
    out.append("- note: other processes took CPU time during " + ", ".join(
        f"{r['label']} ({r['other']:.1f} s)" for r in busy)
        + f": they competed for the {cores} cores, so these numbers are pessimistic")
for name, r in rows.items():
    if r["read"] != docs:
        out.append(f"- note: {r['label']} read {r['read']:,} documents, the corpus has {docs:,}")
kept = {r["kept"] for r in rows.values()}
if len(kept) > 1:
    out.append("- note: the configurations kept different numbers of documents: "
               + ", ".join(f"{r['label']}: {r['kept']:,}" for r in rows.values()))
if not dt_skipped:
    out.append("- datatrove does no normalization (no stage matches curate's normalize), so it does less work "
               "per document; with workers=1 curate still uses a reader thread and the writing thread besides "
               "its worker, datatrove one process.")
text = "\n".join(out) + "\n"
print(text)

import bench_results
stage = "pipeline runner (read JSONL, normalize, length filter, write)"
note = f"{raw / 1e6:.0f} MB of JSONL in {files} .jsonl.zst files, {docs:,} documents"
for w in (1, 2):
    dt = get(f"datatrove-w{w}")
    for prov in ("full", "minimal"):
        c = get(f"curate-w{w}-{prov}")
        if not (c and dt):
            continue
        reference = f"datatrove {dt_version}, {w} worker{'s' if w > 1 else ''}"
        setting = f"{w} worker{'s' if w > 1 else ''}, provenance {prov}"
        bench_results.add(stage, f"docs/s, {setting}", "docs/s", "higher", round(c["docs_s"]), reference, round(dt["docs_s"]), note)
        bench_results.add(stage, f"CPU time, {setting}", "s", "lower", c["cpu"], reference, dt["cpu"], note)
        bench_results.add(stage, f"peak RSS, {setting}", "MB", "lower", round(c["rss"] * 1024 / 1e6), reference,
                          round(dt["rss"] * 1024 / 1e6), "datatrove: its largest process")
open(report, "w").write(text)
EOF
info "written to $REPORT"
info "total time: $((SECONDS - START)) s"
