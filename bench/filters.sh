#!/usr/bin/env bash
# Quality-filter benchmark: curate's gopher_quality, gopher_repetition, c4_quality,
# c4_paragraph and fineweb_quality against datatrove 0.10.x's filters, same documents, same run.
# Prints per filter the share of documents with the same keep/drop decision, docs/s on each
# side (CPU time of the filter alone: datatrove's filter calls over documents in memory, curate's
# stage inside a run, measured with perf by bench/perf_stage.py; needs linux-perf) and the ratio,
# and the same for the chain of four; the disagreements (with both reasons) go to
# bench/work/filters/disagreements-<filter>.jsonl.
# Usage: bench/filters.sh        (needs ../shared/data; set CURATE_SHARED to move it)
# Result rows: bench/work/results/filters.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
DATA="$SHARED/data"
WORK="$ROOT/bench/work/filters"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q 'datatrove==0.10.*' spacy nltk zstandard >&2

echo "== evaluation documents" >&2
# Page text: curate's html_extract over the WARC captures; wiki text: curate's MediaWiki reader.
cat > "$WORK/p-warc.json" <<EOF
{"name": "filters-eval-warc", "inputs": [{"format": "warc", "paths": ["$DATA/warc/*.warc.gz"]}],
 "stages": [{"type": "html_extract"}, {"type": "normalize"}], "output": "out-warc"}
EOF
cat > "$WORK/p-wiki.json" <<EOF
{"name": "filters-eval-wiki", "inputs": [{"format": "mediawiki", "paths": ["$DATA/wiki/enwiki-*.bz2"], "namespaces": ["0"], "skip_redirects": true}],
 "stages": [{"type": "normalize"}], "output": "out-wiki"}
EOF
(cd "$WORK" && "$CURATE" run p-warc.json --restart --quiet >/dev/null && "$CURATE" run p-wiki.json --restart --quiet >/dev/null)
"$VENV/bin/python" "$ROOT/bench/filters_corpus.py" "$DATA" "$WORK" > "$WORK/docs.jsonl"

echo "== datatrove" >&2
"$VENV/bin/python" "$ROOT/bench/filters_datatrove.py" "$WORK/docs.jsonl" "$WORK/datatrove.jsonl" > "$WORK/datatrove-times.json"

echo "== curate" >&2
write_pipeline() {  # name, stages json
    cat > "$WORK/p-$1.json" <<EOF
{"name": "filters-$1", "inputs": [{"format": "jsonl", "paths": ["docs.jsonl"]}], "stages": $2, "workers": 1, "output": "out-$1"}
EOF
}
declare -A STAGES=(
  [gopher_quality]='[{"type": "gopher_quality"}]'
  [gopher_repetition]='[{"type": "gopher_repetition"}]'
  [c4_quality]='[{"type": "c4_quality"}]'
  [c4_quality_fineweb]='[{"type": "c4_quality", "filter_no_terminal_punct": false}]'
  [c4_paragraph]='[{"type": "c4_paragraph"}]'
  [fineweb_quality]='[{"type": "fineweb_quality"}]'
  [chain]='[{"type": "gopher_repetition"}, {"type": "gopher_quality"}, {"type": "c4_quality", "filter_no_terminal_punct": false}, {"type": "fineweb_quality"}]'
)
# Speed input: the documents ten times over, so that the fastest stage still spans thousands
# of perf samples (bench/perf_stage.py measures each stage's CPU time inside a run).
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$WORK/docs.jsonl"; done > "$WORK/speed-docs.jsonl"
for name in gopher_quality gopher_repetition c4_quality c4_quality_fineweb c4_paragraph fineweb_quality chain; do
    write_pipeline "$name" "${STAGES[$name]}"
    cat > "$WORK/p-speed-$name.json" <<EOF
{"name": "filters-speed-$name", "inputs": [{"format": "jsonl", "paths": ["$WORK/speed-docs.jsonl"]}], "stages": ${STAGES[$name]}, "output": "$WORK/out-speed-$name"}
EOF
    (cd "$WORK" && "$CURATE" run "p-$name.json" --restart --quiet --provenance full >/dev/null)
    sqlite3 -json "$WORK/out-$name/provenance.sqlite" "select doc_id, status, dropped_by, reason, metrics from documents" > "$WORK/curate-$name.json"
done

"$VENV/bin/python" "$ROOT/bench/filters_compare.py" "$WORK" "$CURATE"
