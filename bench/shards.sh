#!/usr/bin/env bash
# Token shards benchmark: write throughput, size against one zstd stream of the same uint16
# array at the same level, random 2,049-token window latency against an uncompressed llm.c .bin
# through mmap (curate's own mmap reader and numpy.memmap), and DataLoader throughput; for a
# range of frame sizes. Token ids: every text of ../shared/data/text encoded with tiktoken's
# gpt2 (a document per .txt file and per ccnet record); for sizes also a web corpus, the pages
# of ../shared/data/warc through curate's html_extract, normalize and length stages.
# Usage: bench/shards.sh [LEVEL]      (needs ../shared/data; set CURATE_SHARED to move it)
# Result rows: bench/work/results/shards.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
LEVEL="${1:-3}"
WORK="$ROOT/bench/work/shards"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference tools (PyPI)" >&2
VENV="$ROOT/bench/work/venv-shards"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q tiktoken zstandard numpy >&2
PY="$VENV/bin/python"

if [ ! -s "$WORK/tokens.jsonl" ]; then
    echo "== encoding ../shared/data/text with tiktoken gpt2" >&2
    "$PY" - "$SHARED/data" "$WORK" <<'PY'
import glob, json, os, sys
import numpy as np, tiktoken
from tiktoken.load import load_tiktoken_bpe
from tiktoken_ext.openai_public import r50k_pat_str
data, work = sys.argv[1:]
enc = tiktoken.Encoding("gpt2", pat_str=r50k_pat_str, special_tokens={"<|endoftext|>": 50256},
                        mergeable_ranks=load_tiktoken_bpe(os.path.join(data, "tokenizers/gpt2.tiktoken")))
docs = []
for path in sorted(glob.glob(os.path.join(data, "text/**/*"), recursive=True)):
    if path.endswith(".txt"):
        docs.append((os.path.relpath(path, data), open(path, encoding="utf-8", errors="replace").read()))
    elif path.endswith(".jsonl") and "/ccnet/" in path:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            docs.append((record["id"], record["text"]))
stream = []
with open(os.path.join(work, "tokens.jsonl"), "w") as out:
    for doc_id, text in docs:
        ids = enc.encode_ordinary(text)
        out.write(json.dumps({"id": doc_id, "ids": ids}) + "\n")
        stream += ids + [50256]
np.array(stream, dtype="<u2").tofile(os.path.join(work, "tokens.u16"))
print(f"{len(docs)} documents, {len(stream)} tokens", file=sys.stderr)
PY
fi
if [ ! -s "$WORK/web-tokens.jsonl" ]; then
    echo "== web corpus: ../shared/data/warc through curate run, encoded with tiktoken gpt2" >&2
    mkdir -p "$WORK/web"
    cat > "$WORK/web/pipeline.json" <<JSON
{"name": "bench-web", "inputs": [{"format": "warc", "paths": ["$SHARED/data/warc/*.warc.gz"]}],
 "stages": [{"type": "html_extract"}, {"type": "normalize"}, {"type": "length", "min_chars": 200}], "output": "out"}
JSON
    rm -rf "$WORK/web/out"
    "$CURATE" run "$WORK/web/pipeline.json" >&2
    "$PY" - "$SHARED/data" "$WORK" <<'PY'
import glob, json, os, sys
import numpy as np, tiktoken, zstandard
from tiktoken.load import load_tiktoken_bpe
from tiktoken_ext.openai_public import r50k_pat_str
data, work = sys.argv[1:]
enc = tiktoken.Encoding("gpt2", pat_str=r50k_pat_str, special_tokens={"<|endoftext|>": 50256},
                        mergeable_ranks=load_tiktoken_bpe(os.path.join(data, "tokenizers/gpt2.tiktoken")))
stream = []
with open(os.path.join(work, "web-tokens.jsonl"), "w") as out:
    for part in sorted(glob.glob(os.path.join(work, "web/out/docs/*.jsonl.zst"))):
        with open(part, "rb") as f:
            lines = zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True).read().decode().splitlines()
        for line in lines:
            record = json.loads(line)
            ids = enc.encode_ordinary(record["text"])
            out.write(json.dumps({"id": record["id"], "ids": ids}) + "\n")
            stream += ids + [50256]
np.array(stream, dtype="<u2").tofile(os.path.join(work, "web.u16"))
PY
fi
TOKENS=$(( $(stat -c %s "$WORK/tokens.u16") / 2 ))
ONE_STREAM=$(zstd -q -"$LEVEL" -c "$WORK/tokens.u16" | wc -c)
echo "data: $TOKENS tokens ($(stat -c %s "$WORK/tokens.u16") bytes as uint16); one zstd -$LEVEL stream: $ONE_STREAM bytes (zstd $(zstd -V | grep -o 'v[0-9.]*'))"

cat > "$WORK/memmap.py" <<'PY'
import json, sys, time
import numpy as np
path, windows, length, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
tokens = np.memmap(path, dtype=np.uint16, mode="r", offset=1024)
rng = np.random.default_rng(seed)
starts = rng.integers(0, len(tokens) - length + 1, size=windows)
times = []
for s in starts:
    t = time.perf_counter()
    window = np.array(tokens[s:s + length], dtype=np.int64)
    times.append((time.perf_counter() - t) * 1e6)
times.sort()
print(json.dumps({"median_us": times[len(times) // 2], "p99_us": times[len(times) * 99 // 100]}))
PY

field() { python3 -c "import json,sys; v=json.loads(sys.argv[1]); [v:=v[k] for k in sys.argv[2:]]; print(v)" "$@"; }

printf "\n%-8s %12s %10s %9s %12s %14s %10s %10s %10s %10s\n" frame bytes vs_stream write_s write_tok/s command_tok/s median_us p99_us cpu_med cpu_p99
for FRAME in 1024 4096 8192 16384 32768 65536 131072 262144; do
    OUT="$WORK/f$FRAME"
    rm -rf "$OUT"
    START=$(date +%s.%N)
    STATS=$("$CURATE" shards write --vocab-size 50257 --eod 50256 --input "$WORK/tokens.jsonl" -o "$OUT" \
        --shard-tokens 1000000000 --frame-tokens "$FRAME" --level "$LEVEL" --stats 2>&1 >/dev/null)
    END=$(date +%s.%N)
    SIZE=$(stat -c %s "$OUT/shard-00000.tok.zst")
    cmp -s <(zstd -q -d -c "$OUT/shard-00000.tok.zst") "$WORK/tokens.u16" || { echo "zstd -d of the f$FRAME shard differs from the uint16 array" >&2; exit 1; }
    READ=$("$CURATE" shards bench "$OUT" --windows 5000 --length 2049 --context 0)
    python3 - "$FRAME" "$SIZE" "$ONE_STREAM" "$STATS" "$START" "$END" "$READ" <<'PY'
import json, sys
frame, size, stream = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
stats, start, end, read = json.loads(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), json.loads(sys.argv[7])
w = read['shard_window']
print(f"{frame:<8} {size:12} {100 * (size / stream - 1):+9.2f}% {stats['write_seconds']:9.3f} {stats['tokens'] / stats['write_seconds']:12.0f} "
      f"{stats['tokens'] / (end - start):14.0f} {w['median_us']:10.1f} {w['p99_us']:10.1f} {w['cpu_median_us']:10.1f} {w['cpu_p99_us']:10.1f}")
PY
done

WEB_STREAM=$(zstd -q -"$LEVEL" -c "$WORK/web.u16" | wc -c)
echo
echo "web corpus: $(( $(stat -c %s "$WORK/web.u16") / 2 )) tokens; one zstd -$LEVEL stream: $WEB_STREAM bytes"
printf "%-8s %12s %10s\n" frame bytes vs_stream
for FRAME in 8192 32768 65536 131072; do
    rm -rf "$WORK/web-f$FRAME"
    "$CURATE" shards write --vocab-size 50257 --eod 50256 --input "$WORK/web-tokens.jsonl" -o "$WORK/web-f$FRAME" \
        --shard-tokens 1000000000 --frame-tokens "$FRAME" --level "$LEVEL"
    SIZE=$(stat -c %s "$WORK/web-f$FRAME/shard-00000.tok.zst")
    python3 -c "import sys; f, s, t = map(int, sys.argv[1:]); print(f'{f:<8} {s:12} {100 * (s / t - 1):+9.2f}%')" "$FRAME" "$SIZE" "$WEB_STREAM"
done

DEFAULT=$("$CURATE" shards write --help-hidden | grep -A1 -- '--frame-tokens <' | grep -o 'default: [0-9]*' | grep -o '[0-9]*')
echo
echo "== default frame ($DEFAULT tokens): against an uncompressed llm.c .bin, and the DataLoader"
rm -rf "$WORK/llmc"
"$CURATE" shards export "$WORK/f$DEFAULT" --format llmc -o "$WORK/llmc" >/dev/null
"$CURATE" shards verify "$WORK/f$DEFAULT"
/usr/bin/time -f "%M" -o "$WORK/rss" "$CURATE" shards bench "$WORK/f$DEFAULT" --windows 10 --context 1024 --batch 8 >/dev/null
echo "peak RSS of curate shards bench with the DataLoader (context 1024, batch 8, prefetch 4): $(cat "$WORK/rss") KB"
RESULT=$("$CURATE" shards bench "$WORK/f$DEFAULT" --windows 20000 --length 2049 --llmc "$WORK/llmc/shard-00000.bin" --context 1024 --batch 8)
NUMPY=$("$PY" "$WORK/memmap.py" "$WORK/llmc/shard-00000.bin" 20000 2049 1)
python3 - "$RESULT" "$NUMPY" "$DEFAULT" "$(stat -c %s "$WORK/f$DEFAULT/shard-00000.tok.zst")" "$ONE_STREAM" "$LEVEL" "$TOKENS" <<'PY'
import json, sys
import bench_results
r, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
frame, size, stream, level, tokens = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7])
stage = "token shards"
bench_results.add(stage, f"size at the default frame ({frame} tokens)", "bytes", "lower", size, f"one zstd -{level} stream of the uint16 array", stream,
                  f"{tokens:,} GPT-2 tokens of shared/data/text")
for name, ref in (("llm.c .bin through curate's mmap reader", r["llmc_mmap_window"]), ("llm.c .bin through numpy.memmap", n)):
    bench_results.add(stage, "random 2,049-token window, median latency", "us", "lower", round(r["shard_window"]["median_us"], 1), name,
                      round(ref["median_us"], 1), "20,000 windows; the shards are compressed, the .bin is not")
s, m = r["shard_window"], r["llmc_mmap_window"]
print(f"random 2,049-token window, median / p99 (us), wall: shards {s['median_us']:.1f} / {s['p99_us']:.1f}; "
      f"llm.c .bin mmap (curate) {m['median_us']:.1f} / {m['p99_us']:.1f}; numpy.memmap {n['median_us']:.1f} / {n['p99_us']:.1f}")
print(f"  thread CPU: shards {s['cpu_median_us']:.1f} / {s['cpu_p99_us']:.1f}; llm.c .bin mmap (curate) {m['cpu_median_us']:.1f} / {m['cpu_p99_us']:.1f}")
print(f"ratio shards / mmap (median): {s['median_us'] / m['median_us']:.1f}x (curate mmap), {s['median_us'] / n['median_us']:.2f}x (numpy.memmap)")
for mode in ("sequential", "shuffled"):
    l = r[f"loader_{mode}"]
    print(f"DataLoader {mode} (context 1024, batch 8, prefetch 4): {l['tokens']} tokens in {l['seconds']:.3f} s = {l['tokens_per_second'] / 1e6:.1f} M tokens/s")
    bench_results.add(stage, f"DataLoader {mode}, context 1024, batch 8", "tokens/s", "higher", round(l["tokens_per_second"]), "", "", "no reference loader run")
PY
