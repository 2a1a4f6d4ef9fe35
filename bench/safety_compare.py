"""Runs datatrove 0.10.x's C4BadWordsFilter, URLFilter and PIIFormatter on the documents that
bench/safety.sh gave curate, and compares the decisions (and rewritten texts) document by
document.

Throughput is CPU time of the filter alone, because the benchmark machine is shared and busy
(wall time would count other programs' work): datatrove's is the process CPU time of its filter
calls over documents already in memory; curate's is the CPU time of its stage's `process` calls
inside `curate run` (1 worker), measured with perf (bench/perf_stage.py),
best of 3 runs. Loading lists is left out on both sides, except curate's lazy case-mapping table,
built during its first document. The figures are appended to the results (bench/bench_results.py)."""
import glob, json, os, sqlite3, sys, time
import zstandard
import bench_results
import perf_stage
from datatrove.data import Document
import datatrove.pipeline.filters.c4_filters as c4
from datatrove.pipeline.filters.c4_filters import C4BadWordsFilter
from datatrove.pipeline.filters.url_filter import URLFilter
from datatrove.pipeline.formatters.pii import PIIFormatter
from tldextract import TLDExtract

root, work, curate = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = 3
LDNOOBW = os.path.join(root, "resources", "wordlists", "ldnoobw")


def load(name):
    with open(os.path.join(work, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def curate_verdicts(run):
    db = sqlite3.connect(os.path.join(work, run, "provenance.sqlite"))
    rows = db.execute("SELECT doc_id, status, reason, metrics FROM documents").fetchall()
    seconds, docs = db.execute(
        "SELECT sum(s.seconds), sum(s.docs_in) FROM stage_stats s JOIN tasks t ON t.id = s.task_id WHERE t.phase = 0").fetchone()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}, docs / seconds


def curate_texts(run):
    texts = {}
    for path in glob.glob(os.path.join(work, run, "docs", "*.jsonl.zst")):
        with open(path, "rb") as f:
            for line in zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8").split("\n")[:-1]:
                d = json.loads(line)
                texts[d["id"]] = d["text"]
    return texts


def timed(fn, docs):
    start = time.process_time()
    out = [fn(d) for d in docs]
    return out, len(docs) / (time.process_time() - start)


def curate_rate(name, stage, docs_path, symbol, copies=1):
    """Docs/s of the stage by CPU time inside `curate run` (bench/perf_stage.py), over the
    documents of `docs_path` `copies` times over (a stage of a few milliseconds spans few
    samples)."""
    pipeline = os.path.join(work, f"speed-{name}.json")
    if copies > 1:
        with open(docs_path, "rb") as f:
            data = f.read()
        docs_path = os.path.join(work, f"speed-{name}-docs.jsonl")
        with open(docs_path, "wb") as f:
            f.write(data * copies)
    with open(pipeline, "w") as f:
        json.dump({"name": f"speed-{name}", "inputs": [{"format": "jsonl", "paths": [docs_path]}],
                   "stages": stage, "output": pipeline[:-5]}, f)
    seconds = perf_stage.stage_seconds(curate, pipeline, [symbol], runs=RUNS)
    db = sqlite3.connect(os.path.join(work, f"speed-{name}", "provenance.sqlite"))
    docs = db.execute("SELECT sum(docs_in) FROM stage_stats").fetchone()[0]
    db.close()
    return docs / seconds


REFERENCE = "datatrove 0.10.1"


def report(stage, name, agree, total, disagreements, metric="agreement"):
    print(f"\n### {name}\n")
    print(f"agreement: {agree}/{total} = {100 * agree / total:.3f}%")
    bench_results.add(stage, metric, "%", "none", round(100 * agree / total, 3), REFERENCE, "", f"{name}: {agree}/{total}")
    if disagreements:
        print(f"disagreements ({len(disagreements)}):")
        for line in disagreements[:60]:
            print("  " + line)


def speed(stage, docs, dt_rate, cu_rate, note=""):
    print(f"docs/s over {docs} docs (CPU time of the filter): curate {cu_rate:,.0f}, datatrove {dt_rate:,.0f}, "
          f"ratio {cu_rate / dt_rate:.1f}x")
    bench_results.add(stage, "docs/s (CPU time of the filter)", "docs/s", "higher", round(cu_rate), REFERENCE, round(dt_rate),
                      f"{docs:,} documents{note}, 1 worker; curate's stage by perf, datatrove's filter calls")


text_docs = load("text-docs.jsonl")
url_docs = load("url-docs.jsonl")
print(f"documents: {len(text_docs)} texts ({sum(len(d['text'].encode()) for d in text_docs) / 1e6:.1f} MB), {len(url_docs)} URLs")

# --- badwords: datatrove's lists are the LDNOOBW files curate bundles (same commits), read from disk.
c4.cached_asset_path_or_download = lambda url, **kw: os.path.join(LDNOOBW, url.rsplit("/", 1)[-1])
bad = C4BadWordsFilter(keep_fraction=0.0)
for lang in {d.get("language", "en") for d in text_docs}:
    bad._get_badwords(lang)
dt_docs = [Document(text=d["text"], id=d["id"], metadata={k: v for k, v in d.items() if k == "language"}) for d in text_docs]
results, dt_rate = timed(bad.filter, dt_docs)
verdicts, cu_rate = curate_verdicts("run-badwords")
agree, diffs = 0, []
for d, r in zip(text_docs, results):
    dt_keep = r is True
    status, reason, metrics = verdicts[d["id"]]
    if dt_keep == (status == "kept"):
        agree += 1
    else:
        lang = d.get("language", "en")
        m = bad._get_badwords(lang).search(d["text"].lower())
        found = (m.group(1) if m and m.groups() else m.group(0)) if m else None
        diffs.append(f"{d['id']} [{lang}]: datatrove {'keep' if dt_keep else 'drop (' + repr(found) + ')'}, curate {status} {reason or ''} {metrics or ''}")
report("safety: badwords", "badwords vs C4BadWordsFilter(keep_fraction=0)", agree, len(text_docs), diffs)
print(f"dropped: datatrove {sum(r is not True for r in results)}, curate {sum(v[0] != 'kept' for v in verdicts.values())}")
speed("safety: badwords", len(text_docs), dt_rate, curate_rate("badwords", [{"type": "badwords"}], os.path.join(work, "text-docs.jsonl"), "BadWordsFilterV7process"))

# --- url_filter: datatrove's integrated lists; the PSL snapshot that tldextract ships (no network).
uf = URLFilter()
uf.tldextractor = TLDExtract(suffix_list_urls=(), cache_dir=None)
uf.download_data()
uf.tldextractor("http://example.com")
dt_docs = [Document(text=d["text"], id=d["id"], metadata={"url": d["url"]}) for d in url_docs]
results, dt_rate = timed(uf.filter, dt_docs)
verdicts, cu_rate = curate_verdicts("run-url_filter")
names = {"domain": "domain", "subdomain": "subdomain", "url": "url", "hard_blacklisted": "banned_words",
         "soft_blacklisted": "soft_banned_words", "blacklisted_subword": "banned_subwords"}
for label, prefix in [("URLs of the WARC records and wiki pages", "u"), ("datatrove's URL block list, with http://", "b")]:
    agree, total, diffs, reasons = 0, 0, [], {}
    for d, r in zip(url_docs, results):
        if not d["id"].startswith(prefix):
            continue
        total += 1
        dt = "kept" if r is True else "url_filter:" + names[r[1]]
        status, reason, _ = verdicts[d["id"]]
        cu = "kept" if status == "kept" else reason
        reasons[dt] = reasons.get(dt, 0) + 1
        if dt == cu:
            agree += 1
        else:
            diffs.append(f"{d['url']}: datatrove {dt}, curate {cu}")
    report("safety: url_filter", f"url_filter vs URLFilter, {label} (same decision and reason)", agree, total, diffs,
           f"same decision and reason, {label}")
    print("datatrove decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
url_stage = [{"type": "url_filter", "domains": [os.path.join(work, "blocklists", "domains")], "urls": [os.path.join(work, "blocklists", "urls")]}]
print()
speed("safety: url_filter", len(url_docs), dt_rate, curate_rate("url_filter", url_stage, os.path.join(work, "url-docs.jsonl"), "URLFilterC7process", copies=10),
      " (curate: the same ten times over)")

# --- pii: exact text; datatrove's replacement cycle restarted for each document, as curate does.
pii = PIIFormatter()


def format_doc(d):
    pii.emails_replacer._replace_i = 0
    pii.ip_replacer._replace_i = 0
    return pii.format(d["text"])


results, dt_rate = timed(format_doc, text_docs)
texts = curate_texts("run-pii")
_, cu_rate = curate_verdicts("run-pii")
agree, diffs = 0, []
changed_dt = changed_cu = 0
for d, out in zip(text_docs, results):
    cu = texts[d["id"]]
    changed_dt += out != d["text"]
    changed_cu += cu != d["text"]
    if cu == out:
        agree += 1
    else:
        k = next(i for i in range(min(len(cu), len(out))) if cu[i] != out[i]) if cu[: len(out)] != out[: len(cu)] else min(len(cu), len(out))
        diffs.append(f"{d['id']} at char {k}: datatrove {out[max(0, k - 30):k + 40]!r}, curate {cu[max(0, k - 30):k + 40]!r}")
report("safety: pii", "pii (ipv6 and phones off) vs PIIFormatter (identical text)", agree, len(text_docs), diffs)
print(f"documents changed: datatrove {changed_dt}, curate {changed_cu}")
speed("safety: pii", len(text_docs), dt_rate, curate_rate("pii", [{"type": "pii", "ipv6": False, "phones": False}], os.path.join(work, "text-docs.jsonl"), "PIIMaskerV7process"))

# --- what the rules datatrove lacks add, with every kind on (provenance keeps metrics of drops
# only, so the placeholders are counted in the output).
cu_rate = curate_rate("pii-all", [{"type": "pii"}], os.path.join(work, "text-docs.jsonl"), "PIIMaskerV7process")
all_texts = curate_texts("speed-pii-all")
extra = {"ipv6": ("2001:db8::1", "2001:db8::2"), "phones": ("+1-555-0100",)}
counts = {k: sum(all_texts[d["id"]].count(r) - d["text"].count(r) for d in text_docs for r in v) for k, v in extra.items()}
touched = sum(all_texts[d["id"]] != texts[d["id"]] for d in text_docs)
print(f"\npii with every kind on: {cu_rate:,.0f} docs/s (CPU time); {touched} documents more changed than with datatrove's rules; "
      + ", ".join(f"{k} {v}" for k, v in counts.items()))
