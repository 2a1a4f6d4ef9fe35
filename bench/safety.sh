#!/usr/bin/env bash
# Safety filters vs datatrove 0.10.x, same documents, same run: C4BadWordsFilter (keep_fraction 0)
# vs curate's badwords, URLFilter vs url_filter, PIIFormatter vs pii (IPv6 and phone rules off,
# which datatrove does not have; exact text equality). Prints agreement, every disagreement with
# both verdicts, and docs/s of the filter alone by CPU time (curate: its stage inside `curate run`,
# 1 worker, measured with perf; datatrove: the filter calls over documents in memory) and the
# ratio; bench/safety_compare.py says exactly how. Needs perf (linux-perf).
# Usage: bench/safety.sh            (needs ../shared/data; set CURATE_SHARED to move it)
# Result rows: bench/work/results/safety.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
DATA="$SHARED/data"
WORK="$ROOT/bench/work/safety"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv-safety"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "datatrove==0.10.*" tldextract pyahocorasick fasteners zstandard regex >&2
PY="$VENV/bin/python"
SITE=$("$PY" -c "import datatrove, os; print(os.path.dirname(datatrove.__file__))")

# datatrove's domain and URL block lists ship in its wheel as a tarball (123 MB unpacked);
# curate does not bundle them, the url_filter stage reads them through its options.
if [ ! -s "$WORK/blocklists/domains" ]; then
    mkdir -p "$WORK/blocklists"
    tar xzf "$SITE/assets/url_filterblacklistsv0_3_0.tar.gz" -C "$WORK/blocklists"
fi

echo "== extracting text from the WARC pages and the wiki dumps with curate" >&2
cat > "$WORK/extract-warc.json" <<JSON
{"name": "safety-warc", "inputs": [{"format": "warc", "paths": ["$DATA/warc/*.warc.gz"]}],
 "stages": [{"type": "html_extract"}], "output": "$WORK/extract-warc"}
JSON
cat > "$WORK/extract-wiki.json" <<JSON
{"name": "safety-wiki", "inputs": [{"format": "mediawiki", "paths": ["$DATA/wiki/*.xml*"]}],
 "stages": [], "output": "$WORK/extract-wiki"}
JSON
"$CURATE" run "$WORK/extract-warc.json" --restart --quiet >/dev/null
"$CURATE" run "$WORK/extract-wiki.json" --restart --quiet >/dev/null

echo "== building the documents" >&2
"$PY" "$ROOT/bench/safety_docs.py" "$DATA" "$WORK"

run_stage() {  # name, stage JSON, input
    cat > "$WORK/run-$1.json" <<JSON
{"name": "safety-$1", "inputs": [{"format": "jsonl", "paths": ["$3"]}], "stages": [$2], "output": "$WORK/run-$1"}
JSON
    "$CURATE" run "$WORK/run-$1.json" --restart --quiet --workers 1 --provenance full >/dev/null
}
echo "== curate" >&2
run_stage badwords '{"type": "badwords"}' "$WORK/text-docs.jsonl"
run_stage url_filter "{\"type\": \"url_filter\", \"domains\": [\"$WORK/blocklists/domains\"], \"urls\": [\"$WORK/blocklists/urls\"]}" "$WORK/url-docs.jsonl"
run_stage pii '{"type": "pii", "ipv6": false, "phones": false}' "$WORK/text-docs.jsonl"

echo "== datatrove and comparison" >&2
"$PY" "$ROOT/bench/safety_compare.py" "$ROOT" "$WORK" "$CURATE"
