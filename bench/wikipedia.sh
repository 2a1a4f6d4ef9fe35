#!/usr/bin/env bash
# Wikipedia dump benchmark: curate's mediawiki reader and wikitext converter against
# mwparserfromhell's parse(text).strip_code(), one thread each, over the same pages (namespace 0,
# no redirects) of the same dumps, and how much their texts agree (mean token-set Jaccard).
# Usage: bench/wikipedia.sh      (needs ../shared/data/wiki; set CURATE_SHARED to move it)
# Result rows: bench/work/results/wikipedia.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
WORK="$ROOT/bench/work/wiki"
mkdir -p "$WORK"

DUMPS=("$SHARED"/data/wiki/*.bz2 "$SHARED"/data/wiki/*.xz)
[ -e "${DUMPS[0]}" ] || { echo "no dumps in $SHARED/data/wiki; set CURATE_SHARED" >&2; exit 2; }

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference (PyPI mwparserfromhell)" >&2
VENV="$ROOT/bench/work/venv-wiki"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q mwparserfromhell >&2

cat > "$WORK/ref.py" <<'PY'
# Reads the dumps with bz2/lzma and xml.etree iterparse, strips each page with mwparserfromhell,
# writes {"id", "title", "text"} lines to argv[1] and prints the timings as JSON.
import bz2, json, lzma, sys, time
import xml.etree.ElementTree as ET
import mwparserfromhell

def open_dump(path):
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"BZh"): return bz2.open(path, "rb")
    if magic.startswith(b"\xfd7zXZ\x00"): return lzma.open(path, "rb")
    return open(path, "rb")

def pages(path):
    local = lambda tag: tag.rsplit("}", 1)[-1]
    try:
        for _, el in ET.iterparse(open_dump(path)):
            if local(el.tag) != "page": continue
            fields = {local(c.tag): c for c in el}
            if fields["ns"].text == "0" and "redirect" not in fields:
                revision = [c for c in el if local(c.tag) == "revision"][-1]
                text = next(c for c in revision if local(c.tag) == "text").text or ""
                yield fields["id"].text, fields["title"].text, text
            el.clear()
    except ET.ParseError:
        pass  # a cut-off dump: its complete pages were read

start = time.perf_counter()
convert = 0.0
count = wikitext_bytes = 0
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        for page_id, title, text in pages(path):
            t = time.perf_counter()
            plain = mwparserfromhell.parse(text).strip_code()
            convert += time.perf_counter() - t
            count += 1
            wikitext_bytes += len(text.encode())
            out.write(json.dumps({"id": page_id, "title": title, "text": plain}, ensure_ascii=False) + "\n")
print(json.dumps({"pages": count, "wikitext_bytes": wikitext_bytes, "convert": convert,
                  "total": time.perf_counter() - start}))
PY

cat > "$WORK/compare.py" <<'PY'
# Prints the table: argv = curate.jsonl curate-timings ref.jsonl ref-timings-json curate-wall-seconds
import json, re, sys
curate_lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
ref_lines = open(sys.argv[3], encoding="utf-8").read().splitlines()
timings = [dict(zip(l.split()[::2], l.split()[1::2])) for l in open(sys.argv[2]) if l.startswith("pages ")]
ref = json.loads(sys.argv[4])
curate_pages = sum(int(t["pages"]) for t in timings)
read = sum(float(t["reading_s"]) for t in timings)
convert = sum(float(t["converting_s"]) for t in timings)
wall = float(sys.argv[5])

tokens = lambda text: set(re.findall(r"\w+", text.lower()))
jaccards, mismatched = [], 0
for a, b in zip(curate_lines, ref_lines):
    a, b = json.loads(a), json.loads(b)
    if a["id"] != b["id"]:
        mismatched += 1
        continue
    x, y = tokens(a["text"]), tokens(b["text"])
    jaccards.append(len(x & y) / len(x | y) if x | y else 1.0)
jaccards.sort()

mb = ref["wikitext_bytes"] / 1e6
rows = [
    ("wikitext -> text only", "curate WikitextConverter", curate_pages, convert, ref["convert"]),
    ("", "mwparserfromhell strip_code", ref["pages"], ref["convert"], ref["convert"]),
    ("end to end (decompress, XML, convert, JSONL)", "curate wikitext --json", curate_pages, wall, ref["total"]),
    ("", "python bz2/lzma + iterparse + strip_code", ref["pages"], ref["total"], ref["total"]),
]
print(f"pages: curate {curate_pages}, reference {ref['pages']}; {mb:.1f} MB of wikitext; "
      f"curate spent {read:.2f} s reading the dumps (decompression + libxml2) and {convert:.2f} s converting")
print()
print("| what | tool | pages | seconds | pages/s | MB/s of wikitext | speed vs reference |")
print("|---|---|---|---|---|---|---|")
for what, tool, pages, seconds, reference in rows:
    print(f"| {what} | {tool} | {pages} | {seconds:.3f} | {pages / seconds:,.0f} | {mb / seconds:.1f} | {reference / seconds:.1f}x |")
print()
import bench_results
stage, reference = "Wikipedia dumps (wikitext to text)", "mwparserfromhell strip_code"
bench_results.add(stage, "pages/s, wikitext -> text only, 1 thread", "pages/s", "higher", round(curate_pages / convert), reference,
                  round(ref["pages"] / ref["convert"]), f"{mb:.1f} MB of wikitext")
bench_results.add(stage, "pages/s, end to end (decompress, XML, convert, JSONL)", "pages/s", "higher", round(curate_pages / wall),
                  "python bz2/lzma + iterparse + strip_code", round(ref["pages"] / ref["total"]), f"{mb:.1f} MB of wikitext")
bench_results.add(stage, "text agreement, mean token-set Jaccard", "", "none", round(sum(jaccards) / len(jaccards), 3), reference, "",
                  f"{len(jaccards)} pages")
print(f"text agreement, mean token-set Jaccard over {len(jaccards)} pages: {sum(jaccards) / len(jaccards):.3f} "
      f"(median {jaccards[len(jaccards) // 2]:.3f}, pages below 0.5: {sum(j < 0.5 for j in jaccards)}; "
      f"pages paired by position with different ids: {mismatched})")
PY

echo "== curate" >&2
: > "$WORK/curate.jsonl"; : > "$WORK/curate-timings.txt"
start=$(date +%s.%N)
for dump in "${DUMPS[@]}"; do
    "$CURATE" wikitext --json --timing "$dump" >> "$WORK/curate.jsonl" 2>> "$WORK/curate-timings.txt"
done
wall=$(python3 -c "print($(date +%s.%N) - $start)")

echo "== mwparserfromhell" >&2
ref=$("$VENV/bin/python" "$WORK/ref.py" "$WORK/ref.jsonl" "${DUMPS[@]}")

echo
echo "### ${#DUMPS[@]} dumps: $(for d in "${DUMPS[@]}"; do basename "$d"; done | paste -sd ' ')"
echo
python3 "$WORK/compare.py" "$WORK/curate.jsonl" "$WORK/curate-timings.txt" "$WORK/ref.jsonl" "$ref" "$wall"
echo
echo "mwparserfromhell $("$VENV/bin/python" -c 'import mwparserfromhell; print(mwparserfromhell.__version__)'); \
machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
