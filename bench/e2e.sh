#!/usr/bin/env bash
# End to end: Common Crawl WARC through the whole chain, curate vs datatrove 0.10, same input,
# same run.
#
#   bench/e2e.sh
#
# Input: the .warc.gz files of $CURATE_SHARED/data/warc (their response/resource/conversion
# records), written again and again (a gzip member per record, fresh record ids) until the file
# holds at least $CURATE_E2E_MB (500) MB of WARC, in two variants:
#   repeated   every copy identical: dedup has nothing but exact copies to find;
#   perturbed  every copy after the first has 3 words of each page's visible text changed, so
#              MinHash has near-duplicates to find (bench/e2e_corpus.py says how).
# Chain: WARC -> main text (curate html_extract; datatrove Trafilatura, favour_precision) ->
# English at 0.65 (lid.176.ftz, the same file for both) -> Gopher repetition -> Gopher quality ->
# C4 quality without the terminal-punctuation rule (as FineWeb) -> FineWeb quality -> MinHash
# 14 x 8 -> GPT-2 tokens (ranks from $CURATE_SHARED/data/tokenizers/gpt2.tiktoken; datatrove gets
# the same vocabulary as a tokenizer.json that curate writes). datatrove runs on its local executor
# with 2 tasks and 2 workers; curate with 2 workers.
# Reported per tool: wall and CPU seconds, peak RSS (largest process; datatrove's executor forks
# one per task), documents kept, tokens written; the ratio; and how far the kept sets agree, with
# the documents kept by one and not the other, by the other's reason.
#
# Needs swift, python3 with venv, GNU time. Network: PyPI only.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${CURATE_SHARED:-$ROOT/../shared}
WORK=$ROOT/bench/work/e2e
MB=${CURATE_E2E_MB:-500}
TASKS=2
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE=$ROOT/.build-bench/release/curate

echo "== datatrove 0.10.1 and its extras (PyPI)" >&2
VENV=$ROOT/bench/work/venv-e2e
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "datatrove==0.10.1" trafilatura fasttext-numpy2-wheel==0.9.2 spacy nltk tokenizers \
    warcio xxhash regex fasteners numpy faust-cchardet python-magic orjson lxml_html_clean >&2

MODEL=$ROOT/resources/models/lid.176.ftz
RANKS=$SHARED/data/tokenizers/gpt2.tiktoken
SOURCES=("$SHARED"/data/warc/*.warc.gz)
HF_GPT2=$WORK/gpt2.tokenizer.json
"$CURATE" tokenizer convert --tokenizer "$RANKS" --pattern gpt2 --special '<|endoftext|>=50256' -o "$HF_GPT2" >&2

source_mb=$(cat "${SOURCES[@]}" | wc -c)
copies=$(( (MB * 1000000 + source_mb - 1) / source_mb ))
for variant in repeated perturbed; do
    input=$WORK/$variant/input
    if [ ! -s "$input/corpus.warc.gz" ]; then
        echo "== making the $variant input: $copies copies of ${#SOURCES[@]} files ($((source_mb / 1000000)) MB)" >&2
        mkdir -p "$input"
        perturb=0; [ "$variant" = perturbed ] && perturb=3
        "$VENV/bin/python" "$ROOT/bench/e2e_corpus.py" "$input/corpus.warc.gz" "$copies" "$perturb" "${SOURCES[@]}"
    fi
done

measure() {  # name, log, command...: runs under GNU time; prints "wall cpu rss_kb"
    local name=$1 log=$2; shift 2
    /usr/bin/time -v -o "$log.time" "$@" > "$log" 2>&1 || { echo "$name failed, see $log" >&2; tail -20 "$log" >&2; return 1; }
    python3 - "$log.time" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"{seconds:.2f} {cpu:.2f} {field('Maximum resident set size (kbytes)')}")
PY
}

RESULTS=$WORK/e2e-results.md
{
echo "### End to end: WARC -> text -> English -> Gopher -> C4 -> FineWeb -> MinHash -> GPT-2 tokens"
echo
echo "Input: $copies copies of the ${#SOURCES[@]} Common Crawl .warc.gz files of shared/data/warc; $TASKS tasks / workers; $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
} > "$RESULTS"

for variant in repeated perturbed; do
    input=$WORK/$variant/input
    run=$WORK/$variant/curate
    dt=$WORK/$variant/datatrove
    rm -rf "$run" "$dt"
    cat > "$WORK/$variant/pipeline.json" <<JSON
{"name": "e2e-$variant",
 "inputs": [{"format": "warc", "paths": ["$input/corpus.warc.gz"]}],
 "stages": [
   {"type": "html_extract"},
   {"type": "language", "model": "$MODEL", "languages": ["en"], "min_score": 0.65},
   {"type": "gopher_repetition"},
   {"type": "gopher_quality"},
   {"type": "c4_quality", "filter_no_terminal_punct": false},
   {"type": "fineweb_quality"},
   {"type": "minhash_dedup"},
   {"type": "tokenize", "tokenizer": "$RANKS", "pattern": "gpt2", "eod_token": "<|endoftext|>"}
 ],
 "output": "$run", "workers": $TASKS}
JSON
    echo "== $variant: curate" >&2
    c=$(measure curate "$WORK/$variant/curate.log" "$CURATE" run "$WORK/$variant/pipeline.json" --quiet --no-report --json)
    echo "== $variant: datatrove" >&2
    d=$(measure datatrove "$WORK/$variant/datatrove.log" "$VENV/bin/python" "$ROOT/bench/e2e_datatrove.py" "$input" "$dt" "$MODEL" "$HF_GPT2" "$TASKS")
    "$VENV/bin/python" "$ROOT/bench/e2e_compare.py" "$variant" "$run" "$dt" "$c" "$d" >> "$RESULTS"
done
cat "$RESULTS"
