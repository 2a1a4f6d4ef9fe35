#!/usr/bin/env bash
# CI: read the fixture shard set (Tests/Fixtures/shards/set) with Python zstandard + numpy through
# examples/read_shard.py and compare with curate's reader (`curate shards inspect --at --json`)
# and exports (npy, llm.c); check every seek table checksum with the xxhash package.
# Exit status 1 on any mismatch. Usage: .ci/shards-python.sh   (CURATE=path to use a built binary)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -z "${CURATE:-}" ]; then
    swift build >&2
    CURATE="$ROOT/.build/debug/curate"
fi
VENV="$ROOT/.build/venv-shards-python"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q zstandard numpy xxhash >&2
SET="$ROOT/Tests/Fixtures/shards/set"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$CURATE" shards verify "$SET"
"$CURATE" shards export "$SET" --format npy -o "$WORK/npy" >/dev/null
"$CURATE" shards export "$SET" --format llmc -o "$WORK/llmc" >/dev/null
POSITIONS=(0:0 0:15 0:16 0:1193 1:0 1:500 2:959)
for AT in "${POSITIONS[@]}"; do
    "$CURATE" shards inspect "$SET" --at "$AT" --json > "$WORK/curate-$AT.json"
done

"$VENV/bin/python" - "$ROOT" "$SET" "$WORK" "${POSITIONS[@]}" <<'PY'
import json, subprocess, sys
import numpy as np, xxhash, zstandard
root, folder, work, positions = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, f"{root}/examples")
import read_shard

manifest = json.load(open(f"{folder}/manifest.json"))
dtype = np.dtype(manifest["dtype"]).newbyteorder("<")
failures = []
for s, info in enumerate(manifest["shards"]):
    path = f"{folder}/{info['file']}"
    tokens = read_shard.read_shard(path, dtype)
    stem = info["file"].split(".")[0]
    npy = np.load(f"{work}/npy/{stem}.npy")
    llmc = np.fromfile(f"{work}/llmc/{stem}.bin", dtype="<i4", count=256)
    llmc_tokens = np.fromfile(f"{work}/llmc/{stem}.bin", dtype="<u2", offset=1024)
    if len(tokens) != info["tokens"] or not np.array_equal(tokens, npy):
        failures.append(f"{info['file']}: zstandard decoding differs from curate's npy export")
    if list(llmc[:3]) != [20240520, 1, info["tokens"]] or not np.array_equal(tokens, llmc_tokens):
        failures.append(f"{info['file']}: zstandard decoding differs from curate's llm.c export")
    data = open(path, "rb").read()
    table = read_shard.seek_table(data)
    if len(table) != info["frames"]:
        failures.append(f"{info['file']}: {len(table)} frames, manifest says {info['frames']}")
    for f, (offset, compressed, decompressed, checksum) in enumerate(table):
        frame = zstandard.ZstdDecompressor().decompress(data[offset:offset + compressed])
        if len(frame) != decompressed or xxhash.xxh64_intdigest(frame) & 0xFFFFFFFF != checksum:
            failures.append(f"{info['file']}: frame {f} at byte {offset}: size or XXH64 checksum differs from the seek table")
    ranged = read_shard.read_tokens(path, dtype, 100, 700)
    if not np.array_equal(ranged, tokens[100:700]):
        failures.append(f"{info['file']}: random access [100, 700) differs from the whole shard")
for at in positions:
    python = subprocess.run([sys.executable, f"{root}/examples/read_shard.py", folder, "--at", at],
                            check=True, capture_output=True, text=True).stdout.strip()
    curate = open(f"{work}/curate-{at}.json").read().strip()
    if json.loads(python) != json.loads(curate):
        failures.append(f"--at {at}: python {python[:120]} != curate {curate[:120]}")
for failure in failures:
    print("mismatch:", failure, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"ok: {len(manifest['shards'])} shards, {manifest['tokens']} tokens read by zstandard + numpy match curate "
      f"(npy and llm.c exports, {len(positions)} documents by position, every frame checksum)")
PY
