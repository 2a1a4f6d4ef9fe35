#!/usr/bin/env bash
# Tokenizer benchmark: curate vs tiktoken (encoding) and vs HF tokenizers / sentencepiece
# (training), same data, same run.
# Usage: bench/tokenizer.sh   (needs ../shared/data; set CURATE_SHARED to move it)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
DATA="$SHARED/data"
WORK="$ROOT/bench/work/tokenizer"
mkdir -p "$WORK"
CORES=$(nproc)

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-release >&2)
CURATE="$ROOT/.build-release/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv-tokenizer"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q tiktoken tokenizers sentencepiece >&2
PY="$VENV/bin/python"

echo "== corpus: every document of text/ and langid/" >&2
"$PY" "$ROOT/scripts/tokenizer_corpus.py" "$DATA" > "$WORK/all.jsonl"
grep -v '"id": "langid/' "$WORK/all.jsonl" > "$WORK/text.jsonl"
SIZE=$(stat -c %s "$WORK/text.jsonl")

peak() {  # command...: prints "seconds peak_MB" of the command (GNU time)
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null 2> "$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; return 1; }
    awk '{ printf "%s s, %.0f MB peak RSS", $1, $2 / 1024 }' "$WORK/time.txt"
}

echo "## Encoding (text/, $SIZE bytes of JSON Lines)"
for pair in gpt2:gpt2 cl100k:cl100k_base o200k:o200k_base; do
    pattern=${pair%%:*}; name=${pair##*:}
    ranks="$DATA/tokenizers/$name.tiktoken"
    for threads in 1 "$CORES"; do
        curate=$("$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/text.jsonl" \
            --ordinary --workers "$threads" --timing 2>&1 >/dev/null | tail -1)
        tiktoken=$("$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/text.jsonl" --threads "$threads" --time 2>&1 | tail -1)
        echo "$name, $threads thread(s): curate $curate | tiktoken $tiktoken"
    done
    echo "## Agreement with tiktoken on text/ and langid/ ($name)"
    "$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/all.jsonl" --ordinary > "$WORK/curate-$name.jsonl"
    "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/all.jsonl" > "$WORK/tiktoken-$name.jsonl"
    total=$(wc -l < "$WORK/all.jsonl")
    differ=$(paste -d'\n' "$WORK/curate-$name.jsonl" "$WORK/tiktoken-$name.jsonl" | paste - - | awk -F'\t' '$1 != $2' | wc -l)
    echo "$name: $((total - differ)) of $total documents identical"
done

echo "## Pathological strings (one chunk each)"
for unit in a ' ' 1; do
    "$PY" -c "import json,sys; print(json.dumps({'id': 'p', 'text': sys.argv[1] * 100000}))" "$unit" > "$WORK/patho.jsonl"
    for pair in gpt2:gpt2 cl100k:cl100k_base o200k:o200k_base; do
        pattern=${pair%%:*}; name=${pair##*:}
        ranks="$DATA/tokenizers/$name.tiktoken"
        curate=$(peak "$CURATE" tokenizer encode --tokenizer "$ranks" --pattern "$pattern" --input "$WORK/patho.jsonl" --ordinary)
        tiktoken=$(peak "$PY" "$ROOT/scripts/tiktoken_ids.py" "$name" "$ranks" "$WORK/patho.jsonl")
        echo "'$unit' x 100000, $name: curate $curate | tiktoken $tiktoken"
    done
done

echo "## Training 32,000 tokens, min_frequency 2"
cat > "$WORK/train_ref.py" <<'PY'
import json, sys
tool, path, out = sys.argv[1:4]
def texts():
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]
if tool == "hf":
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=32000, min_frequency=2, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts(), trainer)
    tok.save(out)
else:
    import sentencepiece as spm
    spm.SentencePieceTrainer.train(sentence_iterator=texts(), model_prefix=out, vocab_size=32000, model_type="bpe",
                                   byte_fallback=True, input_sentence_size=0, train_extremely_large_corpus=True,
                                   minloglevel=2)
PY
# Held-out text for compression: the langid lines (never trained on).
grep '"id": "langid/' "$WORK/all.jsonl" > "$WORK/heldout.jsonl"
big() {  # target bytes, file: text.jsonl repeated with distinct ids until the size is reached
    "$PY" - "$WORK/text.jsonl" "$1" "$2" <<'PY'
import sys, json
src, target, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(src, encoding="utf-8").read().splitlines()
size, copy = 0, 0
with open(out, "w", encoding="utf-8") as f:
    while size < target:
        copy += 1
        for line in lines:
            d = json.loads(line); d["id"] = f"{copy}:{d['id']}"
            s = json.dumps(d, ensure_ascii=False) + "\n"; f.write(s); size += len(s.encode())
PY
}
[ -s "$WORK/300mb.jsonl" ] || big 320000000 "$WORK/300mb.jsonl"
for corpus in text 300mb; do
    input="$WORK/$corpus.jsonl"
    echo "corpus $corpus ($(stat -c %s "$input") bytes):"
    echo "  curate:        $(peak "$CURATE" tokenizer train --input "$input" --vocab-size 32000 --pattern gpt2 --min-frequency 2 -o "$WORK/curate-$corpus.json")"
    echo "  tokenizers:    $(peak "$PY" "$WORK/train_ref.py" hf "$input" "$WORK/hf-$corpus.json")"
    echo "  sentencepiece: $(peak "$PY" "$WORK/train_ref.py" spm "$input" "$WORK/spm-$corpus")"
    curate_bpt=$("$CURATE" tokenizer info --tokenizer "$WORK/curate-$corpus.json" --sample "$WORK/heldout.jsonl" | grep '^sample' )
    hf_bpt=$("$PY" -c "
import json, sys
from tokenizers import Tokenizer
t = Tokenizer.from_file(sys.argv[1]); b = n = 0
for line in open(sys.argv[2], encoding='utf-8'):
    s = json.loads(line)['text']; b += len(s.encode()); n += len(t.encode(s, add_special_tokens=False).ids)
print(f'{b / n:.3f} bytes/token')" "$WORK/hf-$corpus.json" "$WORK/heldout.jsonl")
    echo "  held-out langid/: curate $curate_bpt | tokenizers $hf_bpt"
done

echo "## 1 GB with memory_mb 1024"
[ -s "$WORK/1gb.jsonl" ] || big 1070000000 "$WORK/1gb.jsonl"
echo "  curate: $(peak "$CURATE" tokenizer train --input "$WORK/1gb.jsonl" --vocab-size 32000 --pattern gpt2 --memory-mb 1024 -o "$WORK/curate-1gb.json")"
