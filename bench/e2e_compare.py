"""Prints the end-to-end table for one input variant and appends its rows to the results (see
bench/bench_results.py): time, CPU, memory, documents kept, tokens and near-duplicates removed for
curate and datatrove, their ratio, and how far the kept sets agree.

The documents kept by one tool and not the other are grouped by the other tool's reason and
split by where the difference comes from:
- reading: datatrove's WarcReader skips records whose payload type (or libmagic's guess) is not
  HTML; curate's html_extract reads them (the input's records.tsv lists what datatrove sees);
- extraction: datatrove's Trafilatura found no main text, or curate's html_extract found none;
  or the two texts differ (word-set Jaccard below 0.8, both texts being at hand: curate writes
  the text it keeps, datatrove the text it drops and keeps), so the filter judged other text;
  for the language filter, which uses the same model file on both sides, a different English
  score also means different text;
- filter decision: the texts agree (Jaccard 0.8 or more) and the filter still decided otherwise,
  which the filter's own agreement figure (bench/filters.sh) covers;
- dedup: both kept the document's text, and MinHash kept another member of its cluster.

    python e2e_compare.py VARIANT CURATE_RUN DATATROVE_OUT CURATE_MEASURE DATATROVE_MEASURE INPUT_MB

The measures are bench/proctree.py's JSON. For the perturbed input it also prints, per fraction
of words replaced, how many copies reached MinHash and how many each tool removed.
"""
import collections
import glob
import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys

import bench_results as results

STAGES = ["language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality", "minhash"]
WORD = re.compile(r"\w+")
SAME_TEXT = 0.8

variant, run, dt, curate_measure, dt_measure, input_mb = sys.argv[1:7]
cm, dm = json.loads(curate_measure), json.loads(dt_measure)


def jsonl(pattern):
    for path in sorted(glob.glob(pattern, recursive=True)):
        if path.endswith(".zst"):
            lines = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout.decode().splitlines()
        elif path.endswith(".gz"):
            lines = gzip.open(path, "rt", encoding="utf-8")
        else:
            lines = open(path, encoding="utf-8")
        for line in lines:
            yield json.loads(line)


def doc_id(d):
    """datatrove keeps the WARC-Record-ID's angle brackets; curate drops them."""
    return d["id"].strip("<>")


def similarity(a, b):
    a, b = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return len(a & b) / max(1, len(a | b))


db = sqlite3.connect(f"{run}/provenance.sqlite")
c_status, c_metrics = {}, {}
for i, status, stage, reason, metrics in db.execute("SELECT doc_id, status, dropped_by, reason, metrics FROM documents"):
    c_status[i] = "kept" if status == "kept" else reason if reason.startswith(f"{stage}:") else f"{stage}:{reason}"
    if metrics:
        c_metrics[i] = json.loads(metrics)
c_kept = {d for d, s in c_status.items() if s == "kept"}
c_text = {doc_id(d): d["text"] for d in jsonl(f"{run}/docs/*.jsonl*")}
c_tokens = json.load(open(f"{run}/shards/manifest.json"))["tokens"]
c_dups = sum(1 for s in c_status.values() if s.startswith("minhash_dedup"))

d_kept, d_text, d_reason, d_score = set(), {}, {}, {}
for d in jsonl(f"{dt}/kept/**/*.jsonl*"):
    d_kept.add(doc_id(d))
    d_text[doc_id(d)] = d["text"]
    d_score[doc_id(d)] = d["metadata"].get("language_score")
for stage in STAGES:
    for d in jsonl(f"{dt}/dropped/{stage}/**/*.jsonl*"):
        d_reason[doc_id(d)] = f"{stage}:{d.get('metadata', {}).get('filter_reason', '')}".rstrip(":")
        d_text[doc_id(d)] = d["text"]
        d_score[doc_id(d)] = d["metadata"].get("language_score")
d_tokens = sum(os.path.getsize(p) for p in glob.glob(f"{dt}/tokens/**/*.ds", recursive=True)) // 2  # uint16 ids
d_dups = sum(1 for r in d_reason.values() if r.startswith("minhash"))
input_folder = os.path.dirname(json.load(open(f"{run}/pipeline.json"))["inputs"][0]["paths"][0])
listing = {}
for line in open(f"{input_folder}/records.tsv"):
    i, copy, record, fraction, seen = line.rstrip("\n").split("\t")
    listing[i] = (int(copy), int(record), float(fraction), seen)
extractor = {}
for step in json.load(open(f"{dt}/logs/filtering/stats.json")):
    if "Trafilatura" in step["name"]:
        extractor = {k: v.get("total", v) if isinstance(v, dict) else v for k, v in step["stats"].items()}


def origin_of_curate_only(i):
    """Why datatrove did not keep a document curate kept."""
    reason = d_reason.get(i)
    seen = listing[i][3]
    if reason is None and seen not in ("text/html", "application/xhtml+xml"):
        return f"reading: datatrove's WarcReader skips it (payload type {seen})"
    if reason is None:
        return "extraction: Trafilatura found no main text (or timed out)"
    if reason.startswith("minhash"):
        return "dedup: datatrove's MinHash kept another copy"
    if similarity(c_text.get(i, ""), d_text.get(i, "")) < SAME_TEXT:
        return f"extraction: different text, then datatrove {reason}"
    return f"filter decision on comparable text: datatrove {reason}"


def origin_of_datatrove_only(i):
    """Why curate did not keep a document datatrove kept."""
    reason = c_status.get(i, "not read")
    if reason.startswith("html_extract"):
        return f"extraction: curate {reason}"
    if reason.startswith("minhash_dedup"):
        return "dedup: curate's MinHash kept another copy"
    if reason.startswith("language"):
        ours = c_metrics.get(i, {}).get("language_score")
        theirs = d_score.get(i)
        if ours is not None and theirs is not None and abs(ours - theirs) > 0.01:
            return f"extraction: different text (English {ours:.2f} here, {theirs:.2f} in datatrove), then curate {reason}"
    return f"filter decision (curate's text not kept, see bench/filters.sh): curate {reason}"


both, union = c_kept & d_kept, c_kept | d_kept
jaccard = len(both) / max(1, len(union))
mb = 1024
print()
print(f"#### {variant} ({input_mb} MB of WARC)")
print()
print("| tool | wall s | CPU s | peak RSS of the tree MB | largest process MB | documents kept | tokens | near-duplicates removed |")
print("|---|---|---|---|---|---|---|---|")
for name, m, kept, tokens, dups in [("curate", cm, c_kept, c_tokens, c_dups), ("datatrove 0.10.1", dm, d_kept, d_tokens, d_dups)]:
    print(f"| {name} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['tree_rss_kb'] / mb:.0f} | {m['max_rss_kb'] / mb:.0f} | "
          f"{len(kept):,} | {tokens:,} | {dups:,} |")
print(f"| ratio (datatrove / curate) | {dm['wall'] / cm['wall']:.2f}x | {dm['cpu'] / cm['cpu']:.2f}x | "
      f"{dm['tree_rss_kb'] / cm['tree_rss_kb']:.2f}x | {dm['max_rss_kb'] / cm['max_rss_kb']:.2f}x | | | |")
print()
print(f"CPU is the rusage of each command and the processes it reaped; sampled from /proc as a check: curate "
      f"{cm['cpu_sampled']:.1f} s over {cm['processes']} process(es), datatrove {dm['cpu_sampled']:.1f} s over "
      f"{dm['processes']} processes.")
print()
print(f"kept by both: {len(both):,}; by curate only: {len(c_kept - d_kept):,}; by datatrove only: "
      f"{len(d_kept - c_kept):,}; agreement (Jaccard of kept sets): {jaccard:.3f}")
readable = {i for i, (_, _, _, seen) in listing.items() if seen in ("text/html", "application/xhtml+xml")}
c_readable, d_readable = c_kept & readable, d_kept & readable
jaccard_readable = len(c_readable & d_readable) / max(1, len(c_readable | d_readable))
print(f"over the records datatrove's reader reads ({len(readable):,} of {len(listing):,}): kept by curate "
      f"{len(c_readable):,}, by datatrove {len(d_readable):,}, by both {len(c_readable & d_readable):,}; "
      f"agreement {jaccard_readable:.3f}")
for title, ids, origin in [("kept by curate only", c_kept - d_kept, origin_of_curate_only),
                           ("kept by datatrove only", d_kept - c_kept, origin_of_datatrove_only)]:
    counts = collections.Counter(origin(i) for i in ids)
    if counts:
        print()
        print(f"{title}, by origin of the difference:")
        print()
        for reason, n in counts.most_common():
            print(f"- {reason}: {n:,}")

print()
print(f"datatrove's Trafilatura: {extractor.get('total', 0):,} documents in, {extractor.get('extracted', 0):,} extracted, "
      f"{extractor.get('dropped', 0):,} dropped as empty, {extractor.get('timeout', 0):,} timed out (1 s each).")

if variant == "perturbed":
    print()
    print("MinHash per fraction of words replaced (copy 0 is the original): documents that reached dedup / removed")
    print()
    print("| words replaced | copies | curate: reached | curate: removed | datatrove: reached | datatrove: removed |")
    print("|---|---|---|---|---|---|")
    table = collections.defaultdict(lambda: [set(), 0, 0, 0, 0])
    for i, (copy, _, fraction, _) in listing.items():
        row = table[fraction]
        row[0].add(copy)
        status = c_status.get(i, "")
        row[1] += status == "kept" or status.startswith("minhash_dedup")
        row[2] += status.startswith("minhash_dedup")
        row[3] += i in d_kept or d_reason.get(i, "").startswith("minhash")
        row[4] += d_reason.get(i, "").startswith("minhash")
    for fraction in sorted(table):
        copies, c_in, c_out, d_in, d_out = table[fraction]
        print(f"| {fraction:.0%} | {len(copies)} | {c_in:,} | {c_out:,} ({c_out / max(1, c_in):.0%}) | "
              f"{d_in:,} | {d_out:,} ({d_out / max(1, d_in):.0%}) |")

stage = f"whole chain, {variant} input"
note = f"{input_mb} MB of WARC"
reference = "datatrove 0.10.1"
results.add(stage, "wall time", "s", "lower", cm["wall"], reference, dm["wall"], note)
results.add(stage, "CPU time", "s", "lower", cm["cpu"], reference, dm["cpu"], note)
results.add(stage, "peak RSS, whole process tree", "MB", "lower", round(cm["tree_rss_kb"] / mb), reference, round(dm["tree_rss_kb"] / mb), note)
results.add(stage, "documents kept", "docs", "none", len(c_kept), reference, len(d_kept), note)
results.add(stage, "tokens written", "tokens", "none", c_tokens, reference, d_tokens, note)
results.add(stage, "near-duplicates removed", "docs", "none", c_dups, reference, d_dups, note)
results.add(stage, "kept-set agreement (Jaccard)", "", "none", round(jaccard, 3), reference, "",
            f"{len(both):,} kept by both, {len(c_kept - d_kept):,} by curate only, {len(d_kept - c_kept):,} by datatrove only")
results.add(stage, "kept-set agreement (Jaccard) over the records datatrove's reader reads", "", "none", round(jaccard_readable, 3),
            reference, "", f"{len(readable):,} of {len(listing):,} records; the others have no payload type and libmagic does not call them HTML")
