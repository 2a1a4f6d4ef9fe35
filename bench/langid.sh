#!/usr/bin/env bash
# Language ID: curate vs fastText's Python binding (fasttext-wheel 0.9.2), single thread, on every
# line of ../shared/data/langid (80,111 texts), same model, same run.
# Speed: texts/s spent in predict (reading and printing excluded on both sides; curate's
# end-to-end time is printed too). Parity: the share of texts whose top-1 label is the same
# and whose probability is within 1e-4; every disagreement is listed.
# Then the `language` stage (curate run, 1 worker) vs datatrove 0.10.1's LanguageFilter (with
# fasttext-numpy2-wheel, as datatrove asks, in its own virtualenv) on the same texts, for a few
# option sets: the share of documents with the same keep/drop decision, and of kept documents with
# the same metadata.language and a language_score within 1e-4; every disagreement is listed.
# Usage: bench/langid.sh [MODEL]   (default resources/models/lid.176.ftz; CURATE_SHARED moves ../shared)
# Result rows: bench/work/results/langid.jsonl (bench/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${CURATE_SHARED:-$ROOT/../shared}"
MODEL="${1:-$ROOT/resources/models/lid.176.ftz}"
WORK="$ROOT/bench/work/langid"
mkdir -p "$WORK"

echo "== building curate (release)" >&2
(cd "$ROOT" && swift build -c release --scratch-path .build-bench >&2)
CURATE="$ROOT/.build-bench/release/curate"

echo "== reference (PyPI): fasttext-wheel, numpy<2 (its predict breaks on numpy 2)" >&2
VENV="$ROOT/bench/work/venv-langid"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q fasttext-wheel==0.9.2 'numpy<2' >&2

DOCS="$WORK/langid.jsonl"
python3 - "$SHARED/data/langid" "$DOCS" <<'PY'
import csv, json, sys
csv.field_size_limit(10**9)
folder, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    for name in ("tatoeba-nonascii-cc0.tsv", "udhr2-lines.tsv"):
        with open(f"{folder}/{name}", newline="", encoding="utf-8") as tsv:
            for row in csv.DictReader(tsv, delimiter="\t", quoting=csv.QUOTE_NONE):
                if "tatoeba_id" in row:
                    id = "tatoeba/" + row["tatoeba_id"]
                else:
                    id = f"udhr/{row['udhr2_file']}/{row['line_no']}"
                f.write(json.dumps({"id": id, "text": row["text"]}, ensure_ascii=False) + "\n")
PY

cat > "$WORK/ref.py" <<'PY'
import json, sys, time
import fasttext
fasttext.FastText.eprint = lambda *args, **kwargs: None
model_path, docs_path, mode, out_path = sys.argv[1:5]
model = fasttext.load_model(model_path)
docs = [json.loads(line) for line in open(docs_path, encoding="utf-8")]
texts = [d["text"].replace("\n", " ") for d in docs]
start = time.perf_counter()
if mode == "batch":
    labels, probs = model.predict(texts, k=1)
    top = [(l[0], float(p[0])) for l, p in zip(labels, probs)]
else:
    top = []
    for text in texts:
        l, p = model.predict(text, k=1)
        top.append((l[0], float(p[0])))
seconds = time.perf_counter() - start
with open(out_path, "w") as f:
    for d, (label, prob) in zip(docs, top):
        f.write(json.dumps({"id": d["id"], "labels": [label], "probs": [prob]}) + "\n")
print(json.dumps({"texts": len(texts), "seconds": seconds}))
PY

echo "== curate langid" >&2
start=$(date +%s.%N)
"$CURATE" langid --model "$MODEL" --input "$DOCS" -k 1 --timing > "$WORK/curate.jsonl" 2> "$WORK/curate.timing"
end=$(date +%s.%N)
echo "== fastText predict, per line and batch" >&2
line=$("$VENV/bin/python" "$WORK/ref.py" "$MODEL" "$DOCS" line "$WORK/fasttext-line.jsonl")
batch=$("$VENV/bin/python" "$WORK/ref.py" "$MODEL" "$DOCS" batch "$WORK/fasttext-batch.jsonl")

python3 - "$WORK" "$(cat "$WORK/curate.timing")" "$start" "$end" "$line" "$batch" "$MODEL" <<'PY'
import json, sys
work, timing, start, end, line, batch, model = sys.argv[1:8]
texts = int(timing.split()[1]); predict_s = float(timing.split()[4])
wall = float(end) - float(start)
line, batch = json.loads(line), json.loads(batch)
print(f"### language ID on {texts:,} texts ({model.rsplit('/', 1)[-1]}), single thread\n")
print("| tool | seconds in predict | texts/s |")
print("|---|---|---|")
print(f"| curate langid | {predict_s:.3f} | {texts / predict_s:,.0f} |")
print(f"| fastText Python, per-line predict | {line['seconds']:.3f} | {line['texts'] / line['seconds']:,.0f} |")
print(f"| fastText Python, batch predict | {batch['seconds']:.3f} | {batch['texts'] / batch['seconds']:,.0f} |")
print(f"\ncurate end to end (load model, read JSONL, predict, print JSON): {wall:.3f} s, {texts / wall:,.0f} texts/s")
print(f"curate / fastText speed: {line['seconds'] / predict_s:.2f}x per-line, {batch['seconds'] / predict_s:.2f}x batch")
import bench_results
stage, note = "language ID (fastText model)", f"{texts:,} texts, {model.rsplit('/', 1)[-1]}, 1 thread, time in predict"
bench_results.add(stage, "texts/s", "texts/s", "higher", round(texts / predict_s), "fastText Python, per-line predict", round(line["texts"] / line["seconds"]), note)
bench_results.add(stage, "texts/s", "texts/s", "higher", round(texts / predict_s), "fastText Python, batch predict", round(batch["texts"] / batch["seconds"]), note)

def load(name):
    return [json.loads(l) for l in open(f"{work}/{name}", encoding="utf-8")]
ours, ref, ref_batch = load("curate.jsonl"), load("fasttext-line.jsonl"), load("fasttext-batch.jsonl")
assert len(ours) == len(ref) == len(ref_batch) == texts, (len(ours), len(ref), len(ref_batch), texts)
assert all(a == b for a, b in zip(ref, ref_batch)), "fastText per-line and batch predictions differ"
same = exact = 0
disagreements = []
for o, r in zip(ours, ref):
    assert o["id"] == r["id"]
    ok = o["labels"] == r["labels"] and abs(o["probs"][0] - r["probs"][0]) <= 1e-4
    same += ok
    exact += o["labels"] == r["labels"] and o["probs"] == r["probs"]
    if not ok:
        disagreements.append(o["id"] + f": curate {o['labels'][0]} {o['probs'][0]!r}, fastText {r['labels'][0]} {r['probs'][0]!r}")
print(f"\nparity (same top-1 label, probability within 1e-4): {same}/{texts} = {100 * same / texts:.3f}%")
bench_results.add(stage, "same top-1 label, probability within 1e-4", "%", "none", round(100 * same / texts, 3), "fastText Python", "", f"{same}/{texts} texts")
print(f"bit-identical top-1 probability: {exact}/{texts}")
print(f"disagreements: {len(disagreements)}")
for d in disagreements:
    print("  " + d)
PY
echo "== datatrove 0.10.1 (PyPI) in its own virtualenv: it needs numpy 2" >&2
DTVENV="$ROOT/bench/work/venv-langid-datatrove"
[ -x "$DTVENV/bin/python" ] || python3 -m venv "$DTVENV"
"$DTVENV/bin/pip" install -q datatrove==0.10.1 fasttext-numpy2-wheel==0.9.2 regex fasteners >&2

cat > "$WORK/run_datatrove.py" <<'PY'
import json, sys, time
from datatrove.data import Document
from datatrove.pipeline.filters import LanguageFilter
from fasttext.FastText import _FastText
model_path, docs_path, options, out_path = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
stage = LanguageFilter(languages=options.get("languages"), language_threshold=options.get("min_score", 0.65))
stage.model._model = _FastText(model_path)  # the same file as curate's, not a download of lid.176.bin
docs = [Document(text=d["text"], id=d["id"]) for d in map(json.loads, open(docs_path, encoding="utf-8"))]
start = time.perf_counter()
kept = [stage.filter(d) for d in docs]
seconds = time.perf_counter() - start
with open(out_path, "w") as f:
    for d, k in zip(docs, kept):
        f.write(json.dumps({"id": d.id, "kept": bool(k), "language": d.metadata["language"],
                            "language_score": d.metadata["language_score"]}) + "\n")
print(json.dumps({"docs": len(docs), "seconds": seconds}))
PY

echo
echo "### language stage vs datatrove LanguageFilter, $(wc -l < "$DOCS") documents, 1 worker"
echo
echo "| options | curate stage s | curate docs/s | datatrove s | datatrove docs/s | speed-up | same decision | same language+score (kept) |"
echo "|---|---|---|---|---|---|---|---|"
for options in '{}' '{"languages": ["ru", "uk", "be", "bn"]}' '{"languages": ["uk", "be"], "min_score": 0.2}'; do
    run="$WORK/run-$(echo "$options" | md5sum | cut -c1-8)"
    rm -rf "$run"
    python3 - "$WORK/pipeline.json" "$DOCS" "$MODEL" "$options" "$run" <<'PY'
import json, sys
path, docs, model, options, run = sys.argv[1:6]
stage = {"type": "language", "model": model, **json.loads(options)}
json.dump({"name": "langid-bench", "inputs": [{"format": "jsonl", "paths": [docs]}], "stages": [stage],
           "output": run, "workers": 1}, open(path, "w"))
PY
    report=$("$CURATE" run "$WORK/pipeline.json" --json --quiet 2>/dev/null)
    dt=$("$DTVENV/bin/python" "$WORK/run_datatrove.py" "$MODEL" "$DOCS" "$options" "$WORK/datatrove.jsonl" 2>/dev/null)
    zstd -dcq "$run"/docs/*.jsonl.zst > "$WORK/kept.jsonl"  # zstd: installed by scripts/setup.sh
    python3 -c 'import json, sqlite3, sys; rows = sqlite3.connect(sys.argv[1]).execute("SELECT doc_id, status, reason FROM documents")
json.dump([dict(zip(("doc_id", "status", "reason"), r)) for r in rows], open(sys.argv[2], "w"))' "$run/provenance.sqlite" "$WORK/decisions.json"
    python3 - "$options" "$report" "$dt" "$WORK" <<'PY'
import json, sys
options, report, dt, work = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
stage = next(s for s in report["stages"] if s["type"] == "language")
ours = {r["doc_id"]: r for r in json.load(open(f"{work}/decisions.json"))}
kept = {d["id"]: d for d in map(json.loads, open(f"{work}/kept.jsonl", encoding="utf-8"))}
ref = [json.loads(l) for l in open(f"{work}/datatrove.jsonl")]
same = same_meta = kept_both = 0
problems = []
for r in ref:
    o = ours[r["id"]]
    ok = (o["status"] == "kept") == r["kept"]
    same += ok
    if not ok:
        problems.append(f"{r['id']}: curate {o['status']} {o['reason']}, datatrove {'kept' if r['kept'] else 'dropped'} ({r['language']} {r['language_score']!r})")
    if r["kept"] and r["id"] in kept:
        kept_both += 1
        m = kept[r["id"]].get("metadata", {})
        if m.get("language") == r["language"] and abs(m.get("language_score", -1) - r["language_score"]) <= 1e-4:
            same_meta += 1
        else:
            problems.append(f"{r['id']}: metadata curate {m.get('language')} {m.get('language_score')!r}, datatrove {r['language']} {r['language_score']!r}")
n = len(ref)
print(f"| `{options}` | {stage['seconds']:.3f} | {n / stage['seconds']:,.0f} | {dt['seconds']:.3f} | {n / dt['seconds']:,.0f} "
      f"| {dt['seconds'] / stage['seconds']:.1f}x | {same}/{n} ({100 * same / n:.3f}%), {report['documents']['kept'] if isinstance(report.get('documents'), dict) else '?'} kept | {same_meta}/{kept_both} |")
import bench_results
bench_results.add("language stage (filter)", f"docs/s, options {options}", "docs/s", "higher", round(n / stage["seconds"]),
                  "datatrove 0.10.1 LanguageFilter", round(n / dt["seconds"]), f"{n:,} documents, 1 worker, time in the stage")
bench_results.add("language stage (filter)", f"same keep/drop decision, options {options}", "%", "none", round(100 * same / n, 3),
                  "datatrove 0.10.1 LanguageFilter", "", f"{same}/{n} documents; same language and score for {same_meta}/{kept_both} kept by both")
for p in problems[:20]:
    print("  - " + p)
if len(problems) > 20:
    print(f"  - ... and {len(problems) - 20} more")
PY
done

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
