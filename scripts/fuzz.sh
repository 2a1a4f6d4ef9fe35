#!/usr/bin/env bash
# Runs one libFuzzer target for a given time: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
# Targets: warc html wikitext fasttext tiktoken hf_tokenizer shard pipeline (Fuzz/CurateFuzzing).
#
# Builds the target in release with -sanitize=fuzzer,address (CURATE_FUZZ=1 adds the fuzz
# executables to Package.swift; scratch path .build-fuzz), seeds its corpus from the test
# fixtures and Fuzz/Seeds, and runs it niced. The corpus grows in .build-fuzz/corpus/TARGET;
# crashing inputs land in .build-fuzz/crashes/TARGET/. Keep each one as a regression test in
# Tests/Fixtures/fuzz/TARGET/ (FuzzRegressionTests runs every file there).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
    exit 2
fi
target=$1 seconds=$2
shift 2

declare -A seeds=(
    [warc]="Tests/Fixtures/warc/*.warc Tests/Fixtures/warc/*.warc.gz Tests/Fixtures/hostile/*.warc"
    [html]="Tests/Fixtures/html/html-text/*.html Tests/Fixtures/html/charset/*.html"
    [wikitext]="Fuzz/Seeds/wikitext/*"
    [fasttext]="Tests/Fixtures/langid/tiny-lines.ftz Tests/Fixtures/langid/tiny-softmax.ftz"
    [tiktoken]="Fuzz/Seeds/tiktoken/*"
    [hf_tokenizer]="Fuzz/Seeds/hf_tokenizer/*"
    [shard]="Tests/Fixtures/shards/set/*"
    [pipeline]="pipelines/*.json Tests/Fixtures/pipelines/*.json"
)
# Longest input: small enough for many executions a second; the fastText models stay whole.
declare -A max_len=([warc]=16384 [html]=16384 [wikitext]=8192 [fasttext]=0 [tiktoken]=4096 [hf_tokenizer]=8192 [shard]=8192 [pipeline]=4096)
if [ -z "${seeds[$target]+x}" ]; then
    echo "error: unknown fuzz target '$target' (valid: ${!seeds[*]})" >&2
    exit 2
fi

scratch=.build-fuzz
CURATE_FUZZ=1 nice -n 10 swift build -c release --scratch-path "$scratch" --product "fuzz-$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2

corpus=$scratch/corpus/$target crashes=$scratch/crashes/$target
mkdir -p "$corpus" "$crashes"
for seed in ${seeds[$target]}; do cp -n "$seed" "$corpus/" 2>/dev/null || true; done
for kept in Tests/Fixtures/fuzz/"$target"/*; do [ -f "$kept" ] && cp -n "$kept" "$corpus/"; done

log=$scratch/fuzz-$target.log
started=$SECONDS
set +e
ASAN_OPTIONS=detect_leaks=0 nice -n 10 "$scratch/release/fuzz-$target" "$corpus" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -artifact_prefix="$crashes/" -print_final_stats=1 -max_len="${max_len[$target]}" "$@" 2>&1 | tee "$log" | grep -E "^(#[0-9]+ +(INITED|DONE)|==[0-9]+==|SUMMARY|stat::number_of_executed_units|stat::peak_rss_mb)|Test unit written"
status=${PIPESTATUS[0]}
set -e
echo "fuzz-$target: exit $status, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') executions in $((SECONDS - started)) s; crashes: $(ls "$crashes" | wc -l) in $crashes"
exit "$status"
