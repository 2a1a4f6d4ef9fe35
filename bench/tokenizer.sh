#!/usr/bin/env bash
# Tokenizer benchmark: curate vs tiktoken (encoding, identity), vs Hugging Face tokenizers
# (tokenizer.json identity) and vs HF tokenizers / sentencepiece (training), same data, same
# run. Each figure is printed with the machine's load averages at the time.
# Usage: bench/tokenizer.sh [SECTION...]   (default: all, in this order)
#   encode  encoding MB/s, one thread and all cores, curate vs tiktoken, on all of text/
#   agree   token ids identical to tiktoken on every document of text/ and langid/, and
#           Hugging Face tokenizers with curate's tokenizer.json of each reference vocabulary
#   patho   the pathological strings "a", " ", "1" times 100,000
#   train   32,000-token vocabularies on text/: time, peak RSS, bytes/token on held-out text;
#           same vocabulary for one and all workers and when counts spill
#   big     the same on 300 MB+ of text, and curate on 1 GB with memory_mb 1024
# Needs ../shared/data (set CURATE_SHARED to move it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
DATA="$SHARED/data"
WORK="$ROOT/bench/work/tokenizer"
mkdir -p "$WORK"
CORES=$(nproc)
SECTIONS="${*:-encode agree patho train big}"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv-tokenizer"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q tiktoken tokenizers sentencepiece >&2
PY="$VENV/bin/python"
REF="$ROOT/bench/tokenizer_reference.py"
"$PY" -c 'import importlib.metadata as m; print("versions: " + ", ".join(f"{p} {m.version(p)}" for p in ("tiktoken", "tokenizers", "sentencepiece")))'
echo "machine: $CORES cores, $(free -g | awk '/^Mem/ { print $2 }') GB RAM"

echo "== corpora" >&2
# Every document of text/ and langid/ (each .txt file one document, each JSON line and TSV row
# one), text/ alone, and held-out text never trained on: scrapinghub's article bodies
# (English web articles) and langid/ (short lines in 380 languages).
"$PY" "$ROOT/scripts/tokenizer_corpus.py" "$DATA" > "$WORK/all.jsonl"
grep -v '^{"id": "langid/' "$WORK/all.jsonl" > "$WORK/text.jsonl"
grep '^{"id": "langid/' "$WORK/all.jsonl" > "$WORK/langid.jsonl"
"$PY" "$ROOT/bench/tokenizer_corpora.py" articles "$DATA" "$WORK/articles.jsonl"
TEXT_BYTES=$(stat -c %s "$WORK/text.jsonl")

load() { echo "load $(uptime | sed 's/.*load average: //')"; }
peak() {  # command...: prints "seconds s, peak MB" of the command (GNU time), its stderr in $WORK/stderr.txt
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" nice -n 5 "$@" > /dev/null 2> "$WORK/stderr.txt" \
        || { cat "$WORK/stderr.txt" >&2; return 1; }
    awk '{ printf "%s s, %.0f MB peak RSS", $1, $2 / 1024 }' "$WORK/time.txt"
}
differing() {  # a.jsonl b.jsonl: number of lines that differ
    paste -d'\n' "$1" "$2" | paste - - | awk -F'\t' '$1 != $2' | wc -l
}
ENCODINGS="gpt2:gpt2 cl100k:cl100k_base o200k:o200k_base"

section() { [[ " $SECTIONS " == *" $1 "* ]]; }

if section encode; then
    echo "## Encoding text/ ($TEXT_BYTES bytes of JSON Lines; MB/s of UTF-8 text, encoding only)"
    for pair in $ENCODINGS; do
        pattern=${pair%%:*}; name=${pair##*:}
        ranks="$DATA/tokenizers/$name.tiktoken"
        for threads in 1 "$CORES"; do
            curate=$(nice -n 5 "$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/text.jsonl" \
                --ordinary --workers "$threads" --timing 2>&1 >/dev/null | tail -1)
            tiktoken=$(nice -n 5 "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/text.jsonl" --threads "$threads" --time 2>&1 | tail -1)
            ratio=$(awk -v a="${curate%% *}" -v b="${tiktoken%% *}" 'BEGIN { printf "%.2f", a / b }')
            echo "$name, $threads thread(s): curate $curate | tiktoken $tiktoken | curate/tiktoken ${ratio}x ($(load))"
            bench_row "tokenizer encoding" "MB/s, $name, $threads thread(s)" MB/s higher "${curate%% *}" tiktoken "${tiktoken%% *}" \
                "text/ as JSON Lines, encode_ordinary, encoding time only"
        done
    done
fi

if section agree; then
    total=$(wc -l < "$WORK/all.jsonl")
    echo "## Identity on every document of text/ and langid/ ($total documents)"
    for pair in $ENCODINGS; do
        pattern=${pair%%:*}; name=${pair##*:}
        ranks="$DATA/tokenizers/$name.tiktoken"
        nice -n 5 "$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/all.jsonl" --ordinary > "$WORK/curate-$name.jsonl"
        nice -n 5 "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/all.jsonl" > "$WORK/tiktoken-$name.jsonl"
        same=$((total - $(differing "$WORK/curate-$name.jsonl" "$WORK/tiktoken-$name.jsonl")))
        echo "$name, curate vs tiktoken: $same of $total documents identical"
        bench_row "tokenizer encoding" "documents with ids identical to tiktoken, $name" % none \
            "$(awk -v a="$same" -v b="$total" 'BEGIN { printf "%.3f", 100 * a / b }')" tiktoken "" "$same of $total documents of text/ and langid/"
        # The same vocabulary as curate's tokenizer.json, in Hugging Face tokenizers.
        "$CURATE" tokenizer convert --tokenizer "$ranks" --pattern "$pattern" -o "$WORK/$name.json"
        nice -n 5 "$PY" "$ROOT/bench/tokenizer_hf_ids.py" "$WORK/$name.json" "$WORK/all.jsonl" > "$WORK/hf-$name.jsonl"
        echo "$name, tokenizers with curate's tokenizer.json vs tiktoken: $((total - $(differing "$WORK/hf-$name.jsonl" "$WORK/tiktoken-$name.jsonl"))) of $total documents identical"
    done
fi

if section patho; then
    echo "## Pathological strings, 100,000 characters in one chunk (encoding seconds; ids compared)"
    for unit in a ' ' 1; do
        "$PY" -c "import json,sys; print(json.dumps({'id': 'p', 'text': sys.argv[1] * 100000}))" "$unit" > "$WORK/patho.jsonl"
        for pair in $ENCODINGS; do
            pattern=${pair%%:*}; name=${pair##*:}
            ranks="$DATA/tokenizers/$name.tiktoken"
            curate=$(nice -n 5 "$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/patho.jsonl" \
                --ordinary --workers 1 --timing 2>&1 > "$WORK/patho-curate.jsonl" | tail -1)
            tiktoken=$(nice -n 5 "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/patho.jsonl" --time 2>&1 | tail -1)
            "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/patho.jsonl" > "$WORK/patho-tiktoken.jsonl"
            same=$(cmp -s "$WORK/patho-curate.jsonl" "$WORK/patho-tiktoken.jsonl" && echo "same ids" || echo "IDS DIFFER")
            echo "'$unit' x 100000, $name: curate $(echo "$curate" | sed 's/.*(//; s/)//') | tiktoken $(echo "$tiktoken" | sed 's/.*(//; s/)//') | $same ($(load))"
        done
    done
fi

train_all() {  # corpus name, spm sentence sample (0: all lines): curate, tokenizers, sentencepiece
    local corpus=$1 sentences=$2 input="$WORK/$1.jsonl"
    echo "corpus $corpus ($(stat -c %s "$input") bytes of JSON Lines):"
    local curate_t hf_t spm_t
    curate_t=$(peak "$CURATE" tokenizer train --input "$input" --vocab-size 32000 --pattern gpt2 --min-frequency 2 -o "$WORK/curate-$corpus.json")
    echo "  curate:        $curate_t ($(load)); $(tail -1 "$WORK/stderr.txt")"
    hf_t=$(peak "$PY" "$REF" train-hf "$input" 32000 "$WORK/hf-$corpus.json")
    echo "  tokenizers:    $hf_t ($(load))"
    local sample="all lines"; [ "$sentences" -gt 0 ] && sample="a sample of $sentences lines"
    spm_t=$(peak "$PY" "$REF" train-spm "$input" 32000 "$WORK/spm-$corpus" "$CORES" "$sentences")
    echo "  sentencepiece: $spm_t ($(load)); trained on $sample"
    local stage="tokenizer training (byte-level BPE, 32,000, min_frequency 2)"
    for reference in "HF tokenizers:$hf_t" "sentencepiece BPE:$spm_t"; do
        local who=${reference%%:*} figures=${reference#*:}
        bench_row "$stage" "seconds, corpus $corpus" s lower "${curate_t%% s,*}" "$who" "${figures%% s,*}"
        bench_row "$stage" "peak RSS, corpus $corpus" MB lower "$(echo "$curate_t" | sed 's/.*, \([0-9]*\) MB.*/\1/')" "$who" \
            "$(echo "$figures" | sed 's/.*, \([0-9]*\) MB.*/\1/')"
    done
    local heldout=("$WORK/articles.jsonl" "$WORK/langid.jsonl") curate_bpt=""
    for file in "${heldout[@]}"; do
        curate_bpt+="${curate_bpt:+ | }$("$CURATE" tokenizer info --tokenizer "$WORK/curate-$corpus.json" --sample "$file" | sed -n 's/^sample: .* tokens, \([0-9.]*\) bytes\/token/\1/p')"
    done
    echo "  bytes/token on held-out articles | langid/: curate $curate_bpt | tokenizers" \
        "$("$PY" "$REF" bytes-per-token hf "$WORK/hf-$corpus.json" "${heldout[@]}" | sed 's/ / | /')" \
        "| sentencepiece $("$PY" "$REF" bytes-per-token spm "$WORK/spm-$corpus.model" "${heldout[@]}" | sed 's/ / | /')"
}

if section train; then
    echo "## Training 32,000 tokens, min_frequency 2 (curate with the gpt2 pattern, as tokenizers' ByteLevel)"
    train_all text 0
    echo "## Determinism: curate's tokenizer.json from text/ with 1 worker, $CORES workers, and counts spilled to disk"
    "$CURATE" tokenizer train --input "$WORK/text.jsonl" --vocab-size 32000 --pattern gpt2 --workers 1 -o "$WORK/det-1.json" 2>/dev/null
    "$CURATE" tokenizer train --input "$WORK/text.jsonl" --vocab-size 32000 --pattern gpt2 --workers "$CORES" --memory-mb 24 \
        -o "$WORK/det-spill.json" 2> "$WORK/det-spill.txt"
    for other in curate-text det-spill; do
        cmp -s "$WORK/det-1.json" "$WORK/$other.json" && echo "  1 worker vs $other: identical files" || echo "  1 worker vs $other: FILES DIFFER"
    done
    echo "  (spilling run: $(cat "$WORK/det-spill.txt"))"
fi

if section big; then
    copies() { echo $(( $(wc -l < "$WORK/$1.jsonl") / $(wc -l < "$WORK/text.jsonl") - 1 )); }
    # Copies of text/ with letters rotated by the copy number (see bench/tokenizer_corpora.py).
    [ -s "$WORK/300mb.jsonl" ] || "$PY" "$ROOT/bench/tokenizer_corpora.py" big "$WORK/text.jsonl" 320000000 "$WORK/300mb.jsonl"
    echo "## Training 32,000 tokens on 300 MB+: text/ and $(copies 300mb) copies of it with letters rotated (bench/tokenizer_corpora.py)"
    train_all 300mb "${SPM_SENTENCES:-2000000}"
    [ -s "$WORK/1gb.jsonl" ] || "$PY" "$ROOT/bench/tokenizer_corpora.py" big "$WORK/text.jsonl" 1074000000 "$WORK/1gb.jsonl"
    echo "## 1 GB with memory_mb 1024: text/ and $(copies 1gb) rotated or rotated and case-swapped copies, $(stat -c %s "$WORK/1gb.jsonl") bytes"
    echo "  curate: $(peak "$CURATE" tokenizer train --input "$WORK/1gb.jsonl" --vocab-size 32000 --pattern gpt2 --memory-mb 1024 -o "$WORK/curate-1gb.json") ($(load)); $(tail -1 "$WORK/stderr.txt")"
fi
