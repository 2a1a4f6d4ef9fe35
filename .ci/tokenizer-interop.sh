#!/usr/bin/env bash
# Interop check: a tokenizer curate trains on fixture text must load in Hugging Face
# `tokenizers` (tokenizer.json) and in `tiktoken` (.tiktoken ranks + sidecar) and give
# curate's token ids on the fixture documents. Exit status 1 on any difference.
# Usage: .ci/tokenizer-interop.sh   (builds curate in debug unless CURATE is set)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${TMPDIR:-/tmp}/curate-tokenizer-interop"
rm -rf "$WORK"
mkdir -p "$WORK"
FIXTURES="$ROOT/Tests/Fixtures/tokenizer"

if [ -z "${CURATE:-}" ]; then
    (cd "$ROOT" && swift build >&2)
    CURATE="$ROOT/.build/debug/curate"
fi

VENV="$WORK/venv"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q tokenizers tiktoken >&2

# Train on the fixture prose, check on every fixture document (tricky cases included).
python3 - "$FIXTURES/docs.jsonl" "$WORK/train.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if json.loads(line)["id"].startswith("text/"):
            out.write(line)
PY

status=0
for pattern in gpt2 cl100k o200k; do
    "$CURATE" tokenizer train --input "$WORK/train.jsonl" --vocab-size 2000 --pattern "$pattern" \
        --special '<|endoftext|>' -o "$WORK/$pattern.json" 2>/dev/null
    "$CURATE" tokenizer train --input "$WORK/train.jsonl" --vocab-size 2000 --pattern "$pattern" \
        --special '<|endoftext|>' -o "$WORK/$pattern.tiktoken" 2>/dev/null
    cmp -s <("$CURATE" tokenizer encode --tokenizer "$WORK/$pattern.json" --input "$FIXTURES/docs.jsonl" --ordinary --workers 1) \
        <("$CURATE" tokenizer encode --tokenizer "$WORK/$pattern.tiktoken" --input "$FIXTURES/docs.jsonl" --ordinary --workers 1) \
        || { echo "FAIL $pattern: curate's tokenizer.json and .tiktoken encode differently"; status=1; }
    "$CURATE" tokenizer encode --tokenizer "$WORK/$pattern.tiktoken" --input "$FIXTURES/docs.jsonl" --ordinary > "$WORK/$pattern.curate.jsonl"
    "$VENV/bin/python" - "$WORK/$pattern" "$FIXTURES/docs.jsonl" "$WORK/$pattern.curate.jsonl" <<'PY' || status=1
import base64, json, sys
import tiktoken, tokenizers
base, docs_path, curate_path = sys.argv[1:]
with open(docs_path, encoding="utf-8") as f:
    docs = [json.loads(line) for line in f]
with open(curate_path) as f:
    curate = [json.loads(line)["ids"] for line in f]
hf = tokenizers.Tokenizer.from_file(base + ".json")
with open(base + ".tiktoken", "rb") as f:
    ranks = {base64.b64decode(t): int(r) for t, r in (line.split() for line in f if line.strip())}
with open(base + ".tiktoken.json") as f:
    sidecar = json.load(f)
tk = tiktoken.Encoding(name="curate", pat_str=sidecar["pat_str"], mergeable_ranks=ranks,
                       special_tokens=sidecar["special_tokens"])
failed = 0
for doc, ids in zip(docs, curate):
    text = doc["text"]
    got_hf = hf.encode(text, add_special_tokens=False).ids if "<|" not in text else None
    got_tk = tk.encode_ordinary(text)
    if got_tk != ids or (got_hf is not None and got_hf != ids):
        failed += 1
        if failed <= 3:
            print(f"  {doc['id']}: tiktoken {'ok' if got_tk == ids else 'differs'}, tokenizers "
                  f"{'ok' if got_hf in (None, ids) else 'differs'}")
    if tk.decode(ids) != text or (got_hf is not None and hf.decode(ids) != text):
        failed += 1
        print(f"  {doc['id']}: decoding does not give the text back")
name = base.rsplit("/", 1)[1]
print(f"{'ok' if not failed else 'FAIL'} {name}: {len(docs) - failed} of {len(docs)} documents agree "
      f"(curate, tiktoken, tokenizers; vocabulary {hf.get_vocab_size()})")
sys.exit(1 if failed else 0)
PY
done
exit $status
