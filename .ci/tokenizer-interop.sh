#!/usr/bin/env bash
# Interop check: tokenizers curate writes must load in Hugging Face `tokenizers`
# (tokenizer.json) and in `tiktoken` (.tiktoken ranks + sidecar) and give curate's token ids
# on every fixture document. Checked for a vocabulary curate trains on fixture text with
# each split pattern (gpt2, cl100k, o200k), and for the reference vocabularies in the
# fixtures converted by curate. Ordinary encoding is compared with tiktoken's
# encode_ordinary; with special tokens allowed, with tiktoken's encode(allowed_special="all")
# and with tokenizers (which always matches added tokens). Exit status 1 on any difference.
# Usage: .ci/tokenizer-interop.sh   (builds curate in debug unless CURATE is set)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${TMPDIR:-/tmp}/curate-tokenizer-interop"
rm -rf "$WORK"
mkdir -p "$WORK"
FIXTURES="$ROOT/Tests/Fixtures/tokenizer"
DOCS="$FIXTURES/docs.jsonl"

if [ -z "${CURATE:-}" ]; then
    (cd "$ROOT" && swift build >&2)
    CURATE="$ROOT/.build/debug/curate"
fi

VENV="$WORK/venv"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q tokenizers tiktoken >&2

# Train on the fixture prose, check on every fixture document (tricky cases included).
python3 - "$DOCS" "$WORK/train.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if json.loads(line)["id"].startswith("text/"):
            out.write(line)
PY

cat > "$WORK/check.py" <<'PY'
"""check.py BASE DOCS: BASE.json, BASE.tiktoken(.json) against curate's ids in
BASE.ordinary.jsonl and BASE.special.jsonl."""
import base64, json, sys
import tiktoken, tokenizers
base, docs_path = sys.argv[1:]
with open(docs_path, encoding="utf-8") as f:
    docs = [json.loads(line) for line in f]
def ids(kind):
    with open(f"{base}.{kind}.jsonl") as f:
        return [json.loads(line)["ids"] for line in f]
ordinary, special = ids("ordinary"), ids("special")
hf = tokenizers.Tokenizer.from_file(base + ".json")
with open(base + ".tiktoken", "rb") as f:
    ranks = {base64.b64decode(t): int(r) for t, r in (line.split() for line in f if line.strip())}
with open(base + ".tiktoken.json") as f:
    sidecar = json.load(f)
tk = tiktoken.Encoding(name="curate", pat_str=sidecar["pat_str"], mergeable_ranks=ranks,
                       special_tokens=sidecar["special_tokens"])
failed = 0
for doc, want_ordinary, want_special in zip(docs, ordinary, special, strict=True):
    text = doc["text"]
    checks = {
        "tiktoken encode_ordinary": tk.encode_ordinary(text) == want_ordinary,
        "tiktoken encode(allowed_special='all')": tk.encode(text, allowed_special="all") == want_special,
        "tokenizers encode": hf.encode(text, add_special_tokens=False).ids == want_special,
        "tiktoken decode": tk.decode(want_ordinary) == text,
        "tokenizers decode": hf.decode(want_ordinary) == text,
    }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        failed += 1
        if failed <= 3:
            print(f"  {doc['id']}: differs from curate: {', '.join(wrong)}")
name = base.rsplit("/", 1)[1]
print(f"{'ok' if not failed else 'FAIL'} {name}: {len(docs) - failed} of {len(docs)} documents agree "
      f"(curate, tiktoken, tokenizers; vocabulary {hf.get_vocab_size()})")
sys.exit(1 if failed else 0)
PY

status=0
check() {  # base: curate's ids with BASE.json, then the Python check of both formats
    local base=$1
    cmp -s <("$CURATE" tokenizer encode --tokenizer "$base.json" --input "$DOCS" --ordinary --workers 1) \
        <("$CURATE" tokenizer encode --tokenizer "$base.tiktoken" --input "$DOCS" --ordinary --workers 1) \
        || { echo "FAIL ${base##*/}: curate's tokenizer.json and .tiktoken encode differently"; status=1; }
    "$CURATE" tokenizer encode --tokenizer "$base.tiktoken" --input "$DOCS" --ordinary > "$base.ordinary.jsonl"
    "$CURATE" tokenizer encode --tokenizer "$base.tiktoken" --input "$DOCS" --allow-special > "$base.special.jsonl"
    "$VENV/bin/python" "$WORK/check.py" "$base" "$DOCS" || status=1
}

for pattern in gpt2 cl100k o200k; do
    for format in json tiktoken; do
        "$CURATE" tokenizer train --input "$WORK/train.jsonl" --vocab-size 2000 --pattern "$pattern" \
            --special '<|endoftext|>' -o "$WORK/trained-$pattern.$format" 2>/dev/null
    done
    check "$WORK/trained-$pattern"
done
# The reference ranks get tiktoken's special tokens for their pattern.
for pair in gpt2:gpt2 cl100k:cl100k_base o200k:o200k-fixture; do
    pattern=${pair%%:*}
    for format in json tiktoken; do
        "$CURATE" tokenizer convert --tokenizer "$FIXTURES/${pair##*:}.tiktoken" --pattern "$pattern" \
            -o "$WORK/reference-$pattern.$format"
    done
    check "$WORK/reference-$pattern"
done
exit $status
