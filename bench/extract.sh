#!/usr/bin/env bash
# Benchmark of HTML main-text extraction: curate against resiliparse and trafilatura.
#
#   bench/extract.sh
#
# 1. builds curate in release mode into .build-bench (git-ignored), shared by the bench scripts;
# 2. makes (once) a virtualenv in bench/work/venv-extract with resiliparse and trafilatura from PyPI;
# 3. decompresses every page of $CURATE_SHARED/data/html/scrapinghub-aeb (92, with the human-checked
#    article bodies of ground-truth.json) and trafilatura-eval (253, with the snippets of gold.json that
#    the main text must and must not contain) into bench/work/extract/pages;
# 4. times each extractor on all 345 pages from the files on disk to the text, best of 5 rounds
#    in which the extractors take turns (trafilatura: 1 round):
#      curate       `curate extract --batch` over the files, 1 worker and 2 workers (the whole
#                   process: start-up, reading, charset sniffing, extraction, JSON output);
#      resiliparse  detect_encoding + bytes_to_str, extract_plain_text(HTMLTree.parse(html), main_content=True);
#      trafilatura  the same decoding, extract(html, favor_precision=True);
#    and "in memory": curate's decoding and extraction as it times them itself (`--timing`), the
#    Python extractors once more on the pages already decoded to str;
# 5. scores every output: on scrapinghub-aeb, precision, recall and F1 over the bag of
#    white-space tokens against articleBody (per page, then averaged over pages, F1 of the means, as
#    the article-extraction-benchmark averages) and the same over the benchmark's own 4-gram shingles
#    of \w+ tokens; on trafilatura-eval, the share of `with` snippets found and of `without` snippets
#    absent (white space collapsed on both sides);
# 6. prints a markdown table, also written to bench/work/extract-results.md, and appends the
#    figures to bench/work/results/extract.jsonl (bench/lib.sh).
#
# Environment:
#   CURATE_SHARED   folder holding data/html (default: REPO/../shared)
#
# Needs swift, python3 (with venv) and network access to PyPI for the first run.

set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${CURATE_SHARED:-$ROOT/../shared}
HTML=$SHARED/data/html
WORK=$ROOT/bench/work/extract
VENV=$ROOT/bench/work/venv-extract
REPORT=$ROOT/bench/work/extract-results.md
RESILIPARSE_VERSION=2.0.1
TRAFILATURA_VERSION=2.3.1

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in swift python3; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
[[ -f $HTML/scrapinghub-aeb/ground-truth.json && -f $HTML/trafilatura-eval/gold.json ]] \
    || die "no gold files in $HTML (expected scrapinghub-aeb/ and trafilatura-eval/); set CURATE_SHARED"
mkdir -p "$WORK/pages"

step "building curate (release)"
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product curate 2>&1 | tail -1)
CURATE=$ROOT/.build-bench/release/curate

step "virtualenv with resiliparse $RESILIPARSE_VERSION and trafilatura $TRAFILATURA_VERSION"
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c "import resiliparse, trafilatura" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "resiliparse==$RESILIPARSE_VERSION" \
        "trafilatura==$TRAFILATURA_VERSION" lxml_html_clean
fi

step "pages"
for page in "$HTML"/scrapinghub-aeb/html/*.html.gz; do
    out=$WORK/pages/aeb-$(basename "$page" .gz)
    [[ -f $out ]] || gunzip -c "$page" >"$out"
done
for page in "$HTML"/trafilatura-eval/pages/*.html.gz; do
    out=$WORK/pages/traf-$(basename "$page" .gz)
    [[ -f $out ]] || gunzip -c "$page" >"$out"
done
printf '    %s pages, %s MB\n' "$(ls "$WORK/pages" | wc -l)" "$(du -sm "$WORK/pages" | cut -f1)"

step "extracting and scoring"
"$VENV/bin/python" - "$CURATE" "$WORK" "$HTML" "$REPORT" <<'EOF'
import json, re, statistics, subprocess, sys, time
from collections import Counter
from pathlib import Path

curate, work, html, report = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
files = sorted(str(p) for p in (work / "pages").glob("*.html"))

def key(path):
    """The page id in the gold files: the file name without prefix and .html."""
    return re.sub(r"^(aeb|traf)-", "", Path(path).name)[: -len(".html")]

def run_curate(workers):
    """Runs curate over all files: the texts, and the seconds it spent decoding and extracting."""
    def run():
        done = subprocess.run([curate, "extract", "--batch", "--timing", "--workers", str(workers), *files],
                              check=True, capture_output=True)
        seconds = float(re.search(rb"decoding and extraction: ([0-9.e-]+) s", done.stderr).group(1))
        return {key(o["file"]): o.get("text", "") for o in map(json.loads, done.stdout.splitlines())}, seconds
    return run

from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from resiliparse.parse.html import HTMLTree
from resiliparse.extract.html2text import extract_plain_text
import trafilatura

def decoded(raw):
    return bytes_to_str(raw, detect_encoding(raw))

pages = [(key(f), decoded(Path(f).read_bytes())) for f in files]

def run_python(extract):
    """Extracts every page from the files (read, charset detected, decoded, extracted: the work
    curate does); the texts, and the seconds the same extraction takes on the pages already
    decoded in memory."""
    def run():
        texts = {key(f): extract(decoded(Path(f).read_bytes())) or "" for f in files}
        start = time.perf_counter()
        for _, html in pages:
            extract(html)
        return texts, time.perf_counter() - start
    return run

def resiliparse(html):
    return extract_plain_text(HTMLTree.parse(html), main_content=True)

def trafilatura_extract(html):
    return trafilatura.extract(html, favor_precision=True)

# name, rounds, run; the runs take turns, round after round, so that a slow spell of the machine
# does not fall on one extractor only; each keeps its best time.
runs = [
    ("curate (1 worker)", 5, run_curate(1)),
    ("curate (2 workers)", 5, run_curate(2)),
    ("resiliparse", 5, run_python(resiliparse)),
    ("trafilatura", 1, run_python(trafilatura_extract)),
]
best = {}
for turn in range(max(rounds for _, rounds, _ in runs)):
    print(f"    round {turn + 1}", flush=True)
    for name, rounds, run in runs:
        if turn >= rounds:
            continue
        start = time.perf_counter()
        texts, inner = run()
        total = time.perf_counter() - start
        if not name.startswith("curate"):
            total -= inner  # the pass over the decoded pages is timed on its own
        previous = best.get(name, (total, inner, texts))
        best[name] = (min(total, previous[0]), min(inner, previous[1]), texts)

truth = json.loads((html / "scrapinghub-aeb" / "ground-truth.json").read_text())
gold = json.loads((html / "trafilatura-eval" / "gold.json").read_text())
WORD = re.compile(r"\w+")

def counts(true, pred):
    t, p = Counter(true), Counter(pred)
    tp = sum((t & p).values())
    return tp, sum(p.values()) - tp, sum(t.values()) - tp

def prf(rows):
    precision = statistics.mean(1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in rows if tp + fp > 0)
    recall = statistics.mean(1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in rows if tp + fn > 0)
    return precision, recall, 2 * precision * recall / (precision + recall)

def shingles(text, n=4):
    words = WORD.findall(text)
    return [tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n]]

def squeeze(text):
    return " ".join(text.split())

rows = []
for name, _, _ in runs:
    seconds, inner, texts = best[name]
    tokens = prf([counts(v["articleBody"].split(), texts[k].split()) for k, v in truth.items()])
    shingle = prf([counts(shingles(v["articleBody"]), shingles(texts[k])) for k, v in truth.items()])
    found = sum(squeeze(s) in squeeze(texts[k]) for k, g in gold.items() for s in g["with"])
    absent = sum(squeeze(s) not in squeeze(texts[k]) for k, g in gold.items() for s in g["without"])
    in_memory = len(files) / inner if name != "curate (2 workers)" else None
    rows.append((name, len(files) / seconds, in_memory, tokens, shingle[2], found, absent))

with_total = sum(len(g["with"]) for g in gold.values())
without_total = sum(len(g["without"]) for g in gold.values())
speed = {name: rate for name, rate, *_ in rows}
f1 = {name: tokens[2] for name, _, _, tokens, *_ in rows}
lines = [
    f"{len(files)} pages ({sum(Path(f).stat().st_size for f in files) / 1e6:.1f} MB): {len(truth)} scrapinghub-aeb, "
    f"{len(gold)} trafilatura-eval",
    "",
    "| extractor | docs/s | vs resiliparse | docs/s in memory | AEB precision | AEB recall | AEB F1 "
    "| AEB shingle F1 | with found | without absent |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for name, rate, in_memory, (p, r, f), sf, found, absent in rows:
    lines.append(f"| {name} | {rate:.0f} | {rate / speed['resiliparse']:.2f}x | {f'{in_memory:.0f}' if in_memory else '-'} "
                 f"| {p:.3f} | {r:.3f} | {f:.3f} | {sf:.3f} | {found / with_total:.3f} | {absent / without_total:.3f} |")
lines += [
    "",
    "docs/s: from the files on disk to the text (read, charset, extraction; for curate also start-up and JSON "
    "output). In memory: curate's charset decoding and extraction as timed inside the process (summed over "
    "pages), the Python extractors' extraction of pages already decoded to str.",
    f"curate (1 worker) / resiliparse: {speed['curate (1 worker)'] / speed['resiliparse']:.2f}; "
    f"curate (2 workers) / resiliparse: {speed['curate (2 workers)'] / speed['resiliparse']:.2f}",
    f"curate AEB F1 - trafilatura AEB F1: {f1['curate (1 worker)'] - f1['trafilatura']:+.3f}",
]
report.write_text("\n".join(lines) + "\n")
print("\n" + "\n".join(lines))

import bench_results
stage, note = "HTML main-text extraction", f"{len(files)} pages of shared/data/html, from the files on disk to the text"
by_name = {name: (rate, tokens[2], found, absent) for name, rate, _, tokens, _, found, absent in rows}
for ours in ("curate (1 worker)", "curate (2 workers)"):
    for reference in ("resiliparse", "trafilatura"):
        bench_results.add(stage, f"docs/s, {ours.removeprefix('curate ').strip('()')}", "docs/s", "higher", round(by_name[ours][0]),
                          f"{reference} (1 process)", round(by_name[reference][0]), note)
for reference in ("resiliparse", "trafilatura"):
    bench_results.add(stage, "article-extraction-benchmark F1 (tokens)", "", "none", round(by_name["curate (1 worker)"][1], 3),
                      reference, round(by_name[reference][1], 3), f"{len(truth)} scrapinghub-aeb pages")
    bench_results.add(stage, "trafilatura-eval: with-snippets found + without-snippets absent", "%", "none",
                      round(100 * (by_name["curate (1 worker)"][2] + by_name["curate (1 worker)"][3]) / (with_total + without_total), 1),
                      reference, round(100 * (by_name[reference][2] + by_name[reference][3]) / (with_total + without_total), 1),
                      f"{len(gold)} pages, {with_total} + {without_total} snippets")
EOF
