#!/usr/bin/env bash
# Dedup benchmark: MinHash signature throughput (curate vs rensa, datasketch, datatrove 0.10.1),
# whole minhash_dedup and exact_dedup on 1M synthetic documents (docs/s, and the process's peak RSS
# against each memory_mb budget: PASS when under it; the baseline of an empty run is printed), and
# detection quality (per Jaccard decile vs 1-(1-s^8)^14, precision / recall at 0.8 with and without
# verification).
# Usage: bench/dedup.sh [N_SYNTHETIC] [SECTIONS]   (default 1000000 and signatures,whole,quality;
#        needs ../shared/data/text; CURATE_SHARED moves it). `bench/dedup.sh 1000000 whole` runs only
#        the whole-stage part: peak RSS of the curate process against each memory_mb budget, PASS/FAIL.
# Needs `curate dedup-bench` (Sources/curate/DedupBench.swift) registered in Curate.swift.
# Result rows: bench/work/results/dedup.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
WORK="$ROOT/bench/work/dedup"
N_SYNTHETIC="${1:-1000000}"
SECTIONS=",${2:-signatures,whole,quality},"
THREADS="$(nproc)"
mkdir -p "$WORK"

# CURATE_BIN runs another build (an earlier commit's, for before / after figures) instead of this tree's.
if [ -n "${CURATE_BIN:-}" ]; then
    CURATE="$CURATE_BIN"
else
    echo "== building curate (release)" >&2
    (cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
    CURATE="$ROOT/.build-bench/release/curate"
fi

DATA="$ROOT/bench/dedup_data.py"
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
if [ "$SECTIONS" = ",whole," ]; then
    # The synthetic corpus needs only the standard library.
    PY=python3
else
    echo "== reference tools (PyPI)" >&2
    VENV="$ROOT/bench/work/venv-dedup"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    # datatrove 0.10.1 hashes str with xxhash, which 4.x refuses; its English word tokenizer is spaCy.
    "$VENV/bin/pip" install -q rensa datasketch "datatrove==0.10.1" "xxhash<4" numpy regex tokenizers spacy >&2
    PY="$VENV/bin/python"
fi

[ -s "$WORK/paragraphs.jsonl" ] || "$PY" "$DATA" paragraphs "$SHARED/data" "$WORK/paragraphs.jsonl"
echo
echo "machine: $(nproc) cores, load average at start: $(cut -d" " -f1-3 /proc/loadavg)"

if [[ $SECTIONS == *,signatures,* ]]; then
[ -s "$WORK/docs.jsonl" ] || "$PY" "$DATA" docs "$WORK/paragraphs.jsonl" 20000 "$WORK/docs.jsonl"
# The slow references get the first 2,000 of the same documents.
head -n 2000 "$WORK/docs.jsonl" > "$WORK/docs-2000.jsonl"

echo
echo "### Signatures: 20,000 documents (2-6 paragraphs of ../shared/data/text, 385 words on average), 112 permutations"
echo "(datasketch and datatrove: the first 2,000 of them; every tool's best of 3 runs, since one run on a shared"
echo "machine varies by a quarter)"
echo
echo "| tool | threads | docs/s | curate / tool |"
echo "|---|---|---|---|"
# best RUN...: the highest docs_per_s of three runs of the command.
best() {
    local top=0 rate
    for _ in 1 2 3; do
        rate=$(field "$("$@")" docs_per_s)
        top=$(python3 -c "import sys; print(max(float(sys.argv[1]), float(sys.argv[2])))" "$top" "$rate")
    done
    echo "$top"
}
for threads in 1 "$THREADS"; do
    ours_rate=$(best "$CURATE" dedup-bench signatures --threads "$threads" "$WORK/docs.jsonl")
    printf "| curate (datatrove simplification, word 5-grams, xxh3, mod 2^61-1) | %s | %.0f | 1.00 |\n" "$threads" "$ours_rate"
    for tool in rensa-words rensa-5grams datasketch datatrove; do
        docs="$WORK/docs.jsonl"
        case "$tool" in datasketch|datatrove) docs="$WORK/docs-2000.jsonl" ;; esac
        rate=$(best "$PY" "$DATA" refsig "$tool" "$threads" "$docs")
        python3 -c "import sys; print(f'| {sys.argv[1]} | {sys.argv[2]} | {float(sys.argv[3]):.0f} | {float(sys.argv[4])/float(sys.argv[3]):.2f} |')" \
            "$tool" "$threads" "$rate" "$ours_rate"
        bench_row "MinHash signatures" "docs/s, $threads thread(s)" docs/s higher "$ours_rate" "$tool" "$rate" \
            "112 permutations, 385-word documents of shared/data/text; datasketch and datatrove on the first 2,000; best of 3 runs each"
    done
done

fi

if [[ $SECTIONS == *,whole,* ]]; then
echo
echo "### Whole dedup (signatures + clustering + filtering): $N_SYNTHETIC synthetic documents (real paragraphs, 30% edited copies)"
echo
SYN="$WORK/synthetic-$N_SYNTHETIC"
[ -s "$SYN/part-00015.jsonl" ] || "$PY" "$DATA" synthetic "$WORK/paragraphs.jsonl" "$N_SYNTHETIC" 16 "$SYN"
# The process baseline memory_mb does not cover: the same command on one empty part.
: > "$WORK/empty.jsonl"
/usr/bin/time -f "%M" -o "$WORK/time.txt" "$CURATE" dedup-bench run --workers "$THREADS" --memory-mb 64 --folder "$WORK/run" "$WORK/empty.jsonl" > /dev/null
BASELINE_MB=$(( $(cat "$WORK/time.txt") / 1024 ))
echo "baseline: peak RSS of \`curate dedup-bench run\` on an empty part: $BASELINE_MB MB"
bench_row "Dedup, whole stage" "peak RSS of an empty run (process baseline)" MB lower "$BASELINE_MB" "" "" \
    "curate dedup-bench run on one empty part: binary, Swift runtime, worker threads"
echo
echo "| stage | memory_mb | workers | docs | dropped | candidate pairs | clusters | spilled runs | seconds | docs/s | peak RSS MB | budget |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
VERDICTS=""
for setting in "minhash 256 $THREADS" "minhash 128 $THREADS" "minhash 64 $THREADS" "minhash 64 1" "exact 64 $THREADS"; do
    set -- $setting
    flag=""; [ "$1" = exact ] && flag="--exact"
    out=$(/usr/bin/time -f "%M" -o "$WORK/time.txt" "$CURATE" dedup-bench run $flag --workers "$3" --memory-mb "$2" --folder "$WORK/run" "$SYN"/part-*.jsonl)
    rss_mb=$(( $(cat "$WORK/time.txt") / 1024 ))
    verdict=FAIL; [ "$rss_mb" -le "$2" ] && verdict=PASS
    VERDICTS+="${1}_dedup, memory_mb $2, $3 worker(s): peak RSS $rss_mb MB of a $2 MB budget (baseline $BASELINE_MB MB): $verdict"$'\n'
    python3 - "$out" "$@" "$rss_mb" "$verdict" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
stage, budget, workers, rss, verdict = sys.argv[2:7]
print(f"| {stage}_dedup | {budget} | {workers} | {r['docs']} | {r['dropped']} | {r['candidate_pairs']} | {r['clusters']} | "
      f"{r['spilled_runs']} | {r['total_seconds']:.1f} | {r['docs_per_s']:,.0f} | {rss} | {verdict} |")
PY
    docs_per_s=$(field "$out" docs_per_s)
    note="$(field "$out" docs) synthetic documents, $(field "$out" dropped) dropped; peak RSS of the whole process, $verdict against memory_mb"
    bench_row "$([ "$1" = minhash ] && echo MinHash || echo Exact) dedup, whole stage" "docs/s, memory_mb $2, $3 worker(s)" docs/s higher "$(printf %.0f "$docs_per_s")" "" "" "$note"
    bench_row "$([ "$1" = minhash ] && echo MinHash || echo Exact) dedup, whole stage" "peak RSS, memory_mb $2, $3 worker(s)" MB lower "$rss_mb" "memory_mb budget" "$2" "$note"
done
rm -rf "$WORK/run"
echo
printf "%s" "$VERDICTS"
fi

if [[ $SECTIONS == *,quality,* ]]; then
echo
echo "### Quality: 300 families x 17 documents (edits 1-30%, paragraph swap, boilerplate, cut)"
echo
Q="$WORK/quality.jsonl"
[ -s "$Q" ] || "$PY" "$DATA" quality "$WORK/paragraphs.jsonl" 300 "$Q" "$WORK/quality-pairs.tsv"
"$CURATE" dedup-bench pairs "$Q" "$WORK/quality-pairs.tsv" > "$WORK/quality-scored.tsv"
"$CURATE" dedup-bench run --workers "$THREADS" --folder "$WORK/q-plain" --clusters "$WORK/clusters-plain.tsv" "$Q" > /dev/null
"$CURATE" dedup-bench run --workers "$THREADS" --verify --folder "$WORK/q-verified" --clusters "$WORK/clusters-verified.tsv" "$Q" > /dev/null
"$PY" "$DATA" score "$WORK/quality-scored.tsv" "$WORK/clusters-plain.tsv" "$WORK/clusters-verified.tsv" "$Q"
fi
