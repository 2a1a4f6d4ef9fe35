"""Compares datatrove's and curate's decisions per filter and prints the table of agreement
and speed; writes the disagreements (both reasons, curate's metrics) per filter and appends the
figures to the results (bench/bench_results.py)."""
import json, os, sys

import bench_results

work = sys.argv[1]
dt = {}
with open(os.path.join(work, "datatrove.jsonl"), encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        dt[r["id"]] = r
dt_times = json.load(open(os.path.join(work, "datatrove-times.json")))
cu_times = {}
for line in open(os.path.join(work, "curate-times.jsonl")):
    r = json.loads(line)
    cu_times[r["name"]] = r["seconds"]
docs = {}
with open(os.path.join(work, "docs.jsonl"), encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        docs[r["id"]] = r["text"]
n = len(dt)

# datatrove's reason -> curate's, per filter (curate prefixes the stage type).
def expected_reason(name, reason):
    stage = "c4_quality" if name.startswith("c4_quality") else name
    if reason is None:
        return None
    if name == "gopher_quality":
        return "gopher_quality:" + reason.removeprefix("gopher_")
    if name == "c4_paragraph":
        return "c4_paragraph:too_few_paragraphs"
    if name == "chain":
        step, why = reason.split(":", 1)
        return expected_reason(step, why)
    return f"{stage}:{reason}"

def curate_rows(name):
    rows = json.load(open(os.path.join(work, f"curate-{name}.json")))
    return {r["doc_id"]: r for r in rows}

print(f"\n{n} documents ({os.path.getsize(os.path.join(work, 'docs.jsonl')) / 1e6:.1f} MB of JSONL)\n")
print("| filter | same decision | same reason (both drop) | disagreements | datatrove docs/s | curate docs/s (run) | curate docs/s (stage) | ratio (run) | ratio (stage) |")
print("|---|---|---|---|---|---|---|---|---|")
baseline = cu_times["none"]
for name in ["gopher_quality", "gopher_repetition", "c4_quality", "c4_quality_fineweb", "c4_paragraph", "fineweb_quality", "chain"]:
    rows = curate_rows(name)
    same = same_reason = both_drop = 0
    text_same = text_total = 0
    out = open(os.path.join(work, f"disagreements-{name}.jsonl"), "w", encoding="utf-8")
    for doc_id, d in dt.items():
        ref = d[name]
        row = rows[doc_id]
        keep = row["status"] == "kept"
        if keep == ref["keep"]:
            same += 1
            if not keep:
                both_drop += 1
                if row["reason"] == expected_reason(name, ref["reason"]):
                    same_reason += 1
        else:
            out.write(json.dumps({"id": doc_id, "datatrove": "keep" if ref["keep"] else ref["reason"],
                                  "curate": "keep" if keep else row["reason"], "metrics": row["metrics"],
                                  "text": docs[doc_id][:300]}, ensure_ascii=False) + "\n")
    out.close()
    dt_rate = n / dt_times[name]
    run_rate = n / cu_times[name]
    stage_seconds = cu_times[name] - baseline
    if stage_seconds > 0.02:  # CPU times have 10 ms steps
        stage_rate = n / stage_seconds
        stage = f"{stage_rate:,.0f} | "
        stage_ratio = f"{stage_rate / dt_rate:,.1f}x"
    else:
        stage, stage_ratio = "below timer resolution | ", "n/a"
    print(f"| {name} | {same / n:.4%} ({same}/{n}) | {same_reason}/{both_drop} | {n - same} | {dt_rate:,.0f} | {run_rate:,.0f} | {stage}{run_rate / dt_rate:,.1f}x | {stage_ratio} |")
    title = "quality filters, chain of four" if name == "chain" else f"quality filter {name}"
    reference, note = "datatrove 0.10.1", f"{n:,} documents, 1 worker, CPU seconds"
    bench_results.add(title, "same keep/drop decision", "%", "none", round(100 * same / n, 4), reference, "",
                      f"{same}/{n} documents; same reason for {same_reason}/{both_drop} dropped by both")
    bench_results.add(title, "docs/s, whole curate run vs datatrove's filter calls", "docs/s", "higher", round(run_rate), reference, round(dt_rate), note)
    if stage_seconds > 0.02:
        bench_results.add(title, "docs/s, the stage alone (run minus a run with no stage)", "docs/s", "higher", round(stage_rate), reference, round(dt_rate), note)

import glob
import zstandard
for name in ["c4_quality", "c4_quality_fineweb"]:
    texts = {}
    for part in sorted(glob.glob(os.path.join(work, f"out-{name}", "docs", "*.jsonl.zst"))):
        with open(part, "rb") as f:
            for line in zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8").splitlines():
                r = json.loads(line)
                texts[r["id"]] = r["text"]
    both = [i for i, d in dt.items() if d[name]["keep"] and i in texts]
    equal = sum(texts[i] == dt[i][name]["text"] for i in both)
    print(f"\n{name}: kept by both {len(both)}, rewritten text identical to datatrove's for {equal} ({equal / max(len(both), 1):.4%})")

print(f"\nCPU seconds throughout. curate run with no stage (read JSONL, write docs parts, provenance minimal, "
      f"1 worker): {baseline:.2f} s; the 'stage' columns subtract it. datatrove's times are its filter calls alone "
      "(wall-clock: " + ", ".join(f"{k} {v:.1f} s" for k, v in dt_times.get("wall", {}).items()) + ").")
