#!/usr/bin/env bash
# Trainer benchmark: `curate train` vs PyTorch (transformers' GPT2LMHeadModel + torch.optim.AdamW,
# CPU wheel) on the same model config, batch, context and cores, then parity (bench/train_parity.py):
# the exported model's loss in transformers and the loss after one PyTorch AdamW step, both
# against curate's, within 1e-4.
# Data: all inaugural addresses in ../shared/data/text/inaugural as byte tokens (vocabulary 257,
# end-of-document 256), sharded with `curate shards write`.
# Usage: bench/train.sh [STEPS_TINY] [STEPS_SMALL]   (defaults 200 and 10; CURATE_SHARED moves ../shared)
# Result rows: bench/work/results/train.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
WORK="$ROOT/bench/work/train"
THREADS="$(nproc)"
STEPS_TINY="${1:-200}"
STEPS_SMALL="${2:-10}"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== PyTorch (CPU wheel) and transformers (PyPI)" >&2
VENV="$ROOT/bench/work/venv-train"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "torch==2.13.0+cpu" transformers numpy >&2

SHARDS="$WORK/shards"
if [ ! -s "$SHARDS/manifest.json" ]; then
    python3 - "$SHARED/data/text/inaugural" > "$WORK/bytes.jsonl" <<'PY'
import json, os, sys
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    data = open(os.path.join(folder, name), "rb").read()
    print(json.dumps({"id": name, "ids": list(data)}))
PY
    "$CURATE" shards write --vocab-size 257 --eod 256 --input "$WORK/bytes.jsonl" -o "$SHARDS" >&2
fi

# name, steps, layers, heads, width, context, batch, accumulation
speed() {
    local name=$1 steps=$2 layers=$3 heads=$4 width=$5 context=$6 batch=$7 accumulation=$8
    rm -rf "$WORK/ckpt-$name"
    local line
    line=$("$CURATE" train --shards "$SHARDS" --config "$name" --steps "$steps" --val-every 1000000 \
        --log-every 1000000 --save-every 1000000 | grep '^trained')
    local ours theirs
    ours=$(echo "$line" | sed -E 's/.* ([0-9]+) tok\/s/\1/')
    theirs=$("$VENV/bin/python" "$ROOT/bench/train_torch.py" 257 "$layers" "$heads" "$width" "$context" "$batch" "$accumulation" "$steps" "$THREADS")
    python3 - "$name" "$ours" "$theirs" "$layers" "$heads" "$width" "$context" "$batch" "$accumulation" "$steps" <<'PY'
import json, sys
name, ours, theirs = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
l, h, w, t, b, a, s = sys.argv[4:11]
print(f"{name}: {l} layers, {h} heads, width {w}, context {t}, batch {b} x {a}, {s} steps, vocabulary 257")
print(f"  curate   {ours:10.0f} tok/s")
print(f"  pytorch  {theirs['tokens_per_second']:10.0f} tok/s  (torch {theirs['torch']}, {theirs['threads']} threads, attention {theirs['attention']})")
print(f"  ratio    {ours / theirs['tokens_per_second']:10.2f}x")
import bench_results
bench_results.add("training (GPT-2 style model, CPU)", f"tokens/s, config {name}", "tokens/s", "higher", round(ours),
                  f"PyTorch {theirs['torch']} + transformers", round(theirs["tokens_per_second"]),
                  f"{l} layers, {h} heads, width {w}, context {t}, batch {b} x {a}, {s} steps, {theirs['threads']} threads")
PY
}

echo "== speed ($THREADS cores; the whole of each run's training steps, validation off)"
speed tiny "$STEPS_TINY" 2 2 64 64 8 1
speed small "$STEPS_SMALL" 6 6 384 256 16 2

echo "== parity"
"$VENV/bin/python" "$ROOT/bench/train_parity.py" "$CURATE" "$SHARDS" "$WORK"
