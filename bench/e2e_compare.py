"""Prints the end-to-end table for one input variant: time, CPU, memory, documents kept and tokens
for curate and datatrove, their ratio, and how far the kept sets agree, with the documents kept
by one tool and not the other grouped by the other tool's reason.

    python e2e_compare.py VARIANT CURATE_RUN DATATROVE_OUT "wall cpu rss" "wall cpu rss"
"""
import collections
import glob
import json
import os
import sqlite3
import sys

variant, run, dt, curate_measure, dt_measure = sys.argv[1:6]
c_wall, c_cpu, c_rss = (float(x) for x in curate_measure.split())
d_wall, d_cpu, d_rss = (float(x) for x in dt_measure.split())

db = sqlite3.connect(f"{run}/provenance.sqlite")
c_status = {}
for doc_id, status, stage, reason in db.execute("SELECT doc_id, status, dropped_by, reason FROM documents"):
    c_status[doc_id] = "kept" if status == "kept" else f"{stage}:{reason}"
c_kept = {d for d, s in c_status.items() if s == "kept"}
manifest = json.load(open(f"{run}/shards/manifest.json"))
c_tokens = manifest["tokens"]


def jsonl(pattern):
    for path in sorted(glob.glob(pattern, recursive=True)):
        opener = open
        if path.endswith(".gz"):
            import gzip
            opener = gzip.open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def doc_id(d):
    """datatrove keeps the WARC-Record-ID's angle brackets; curate drops them."""
    return d["id"].strip("<>")


d_kept = {doc_id(d) for d in jsonl(f"{dt}/kept/**/*.jsonl*")}
d_reason = {}
for stage in ["language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality", "minhash"]:
    for d in jsonl(f"{dt}/dropped/{stage}/**/*.jsonl*"):
        d_reason[doc_id(d)] = f"{stage}:{d.get('metadata', {}).get('filter_reason', '')}".rstrip(":")
d_tokens = sum(os.path.getsize(p) for p in glob.glob(f"{dt}/tokens/**/*.ds", recursive=True)) // 2

print()
print(f"#### {variant}")
print()
print("| tool | wall s | CPU s | peak RSS MB | documents kept | tokens |")
print("|---|---|---|---|---|---|")
print(f"| curate | {c_wall:.1f} | {c_cpu:.1f} | {c_rss / 1024:.0f} | {len(c_kept):,} | {c_tokens:,} |")
print(f"| datatrove 0.10.1 | {d_wall:.1f} | {d_cpu:.1f} | {d_rss / 1024:.0f} | {len(d_kept):,} | {d_tokens:,} |")
print(f"| ratio (datatrove / curate) | {d_wall / c_wall:.2f}x | {d_cpu / c_cpu:.2f}x | {d_rss / c_rss:.2f}x | | |")
both = c_kept & d_kept
union = c_kept | d_kept
print()
print(f"kept by both: {len(both):,}; by curate only: {len(c_kept - d_kept):,}; by datatrove only: "
      f"{len(d_kept - c_kept):,}; agreement (Jaccard of kept sets): {len(both) / max(1, len(union)):.3f}")
only_c = collections.Counter(d_reason.get(d, "no text extracted") for d in c_kept - d_kept)
only_d = collections.Counter(c_status.get(d, "not read") for d in d_kept - c_kept)
if only_c:
    print()
    print("kept by curate only, by datatrove's reason: " + ", ".join(f"{r} {n}" for r, n in only_c.most_common(8)))
if only_d:
    print()
    print("kept by datatrove only, by curate's reason: " + ", ".join(f"{r} {n}" for r, n in only_d.most_common(8)))
