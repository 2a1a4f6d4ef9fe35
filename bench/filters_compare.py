"""Compares datatrove's and curate's decisions per filter and prints the table of agreement
and speed; writes the disagreements (both reasons, curate's metrics) per filter and appends the
figures to the results (bench/bench_results.py)."""
import json, os, sys

import bench_results
import perf_stage

work, curate = sys.argv[1], sys.argv[2]
dt = {}
with open(os.path.join(work, "datatrove.jsonl"), encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        dt[r["id"]] = r
dt_times = json.load(open(os.path.join(work, "datatrove-times.json")))
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
print("| filter | same decision | same reason (both drop) | disagreements | datatrove docs/s | curate docs/s | ratio |")
print("|---|---|---|---|---|---|---|")
# The stage types' `process` methods, as they appear in perf's (mangled) symbols.
SYMBOLS = {
    "gopher_quality": ["GopherQualityFilterV7process"],
    "gopher_repetition": ["GopherRepetitionFilterV7process"],
    "c4_quality": ["C4QualityFilterV7process"],
    "c4_quality_fineweb": ["C4QualityFilterV7process"],
    "c4_paragraph": ["C4ParagraphFilterV7process"],
    "fineweb_quality": ["FineWebQualityFilterV7process"],
    "chain": ["GopherRepetitionFilterV7process", "GopherQualityFilterV7process", "C4QualityFilterV7process",
              "FineWebQualityFilterV7process"],
}
SPEED_COPIES = 10  # bench/filters.sh: the speed input holds the documents ten times
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
    cu_rate = SPEED_COPIES * n / perf_stage.stage_seconds(curate, os.path.join(work, f"p-speed-{name}.json"), SYMBOLS[name])
    print(f"| {name} | {same / n:.4%} ({same}/{n}) | {same_reason}/{both_drop} | {n - same} | {dt_rate:,.0f} | {cu_rate:,.0f} | {cu_rate / dt_rate:,.1f}x |")
    title = "quality filters, chain of four" if name == "chain" else f"quality filter {name}"
    reference = "datatrove 0.10.1"
    bench_results.add(title, "same keep/drop decision", "%", "none", round(100 * same / n, 4), reference, "",
                      f"{same}/{n} documents; same reason for {same_reason}/{both_drop} dropped by both")
    bench_results.add(title, "docs/s (CPU time of the filter)", "docs/s", "higher", round(cu_rate), reference, round(dt_rate),
                      f"{n:,} documents (curate: the same ten times over), 1 worker; curate's stage by perf, datatrove's filter calls")

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

print("\nCPU seconds throughout: datatrove's filter calls over documents in memory (wall-clock: "
      + ", ".join(f"{k} {v:.1f} s" for k, v in dt_times.get("wall", {}).items())
      + "); curate's stage inside `curate run` (1 worker, minimal provenance), by perf (bench/perf_stage.py), best of 3.")
