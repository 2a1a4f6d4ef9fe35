"""Builds the documents of bench/safety.sh from ../shared/data.

text-docs.jsonl: text extracted by curate from the WARC pages (language: the page's <html lang>
when a bad-word list exists for it) and from the wiki dumps (en, ja by dump; the Ukrainian dump
gets none, so both tools use English), Project Gutenberg books and the multilingual texts cut
into chunks of about 4,000 characters at paragraph breaks, the inaugural addresses and the
cc_net documents.
url-docs.jsonl: every WARC-Target-URI and every absolute http(s) link (href) in the WARC files,
and the wiki pages' URLs, once each (ids u*); then the 19,586 entries of datatrove's own URL block
list with http:// before them (ids b*), real URLs of the kind the filter exists for.
"""
import glob, gzip, io, json, os, re, sys
import zstandard

data, work = sys.argv[1], sys.argv[2]
LISTS = set(os.listdir(os.path.join(os.path.dirname(__file__), "..", "resources", "wordlists", "ldnoobw")))


def curate_docs(folder):
    for path in sorted(glob.glob(os.path.join(folder, "docs", "*.jsonl.zst"))):
        with open(path, "rb") as f:
            text = zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8")
        for line in text.split("\n"):
            if not line:
                continue
            yield json.loads(line)


def chunks(text, size=4000):
    buf = []
    n = 0
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        buf.append(para)
        n += len(para)
        if n >= size:
            yield "\n\n".join(buf)
            buf, n = [], 0
    if buf:
        yield "\n\n".join(buf)


docs = []
urls = []
for d in curate_docs(os.path.join(work, "extract-warc")):
    lang = (d.get("metadata", {}).get("html_lang") or "").split("-")[0].lower()
    doc = {"id": "warc/" + d["id"], "text": d["text"], "url": d.get("url")}
    if lang in LISTS:
        doc["language"] = lang
    docs.append(doc)
for d in curate_docs(os.path.join(work, "extract-wiki")):
    src = d["source"]["input"]
    doc = {"id": "wiki/" + os.path.basename(src) + "/" + d["id"], "text": d["text"], "url": d.get("url")}
    if "enwiki" in src:
        doc["language"] = "en"
    elif "jawiki" in src:
        doc["language"] = "ja"
    docs.append(doc)
    if d.get("url"):
        urls.append(d["url"])

texts = [(p, "en") for p in sorted(glob.glob(os.path.join(data, "text", "gutenberg-en", "**", "*.txt"), recursive=True))]
texts += [(p, "en") for p in sorted(glob.glob(os.path.join(data, "text", "inaugural", "*")))]
for p in sorted(glob.glob(os.path.join(data, "text", "multilingual", "*"))):
    name = os.path.basename(p)
    lang = {"debian-reference.de": "de", "debian-reference.ja": "ja", "genesis-french": "fr", "genesis-german": "de",
            "genesis-swedish": "sv", "wagahaiwa": "ja"}
    texts.append((p, next((v for k, v in lang.items() if name.startswith(k)), "en")))
for path, lang in texts:
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    rel = os.path.relpath(path, data)
    for i, chunk in enumerate(chunks(text)):
        docs.append({"id": f"{rel}#{i}", "text": chunk, "language": lang})
with open(os.path.join(data, "text", "ccnet", "cc_en_head-0091.jsonl"), encoding="utf-8") as f:
    for i, line in enumerate(f):
        d = json.loads(line)
        docs.append({"id": f"ccnet#{i}", "text": d.get("raw_content") or d.get("text", ""), "url": d.get("url"), "language": "en"})

href = re.compile(rb"""href\s*=\s*["'](https?://[^"'\s<>]+)["']""", re.I)
target = re.compile(rb"^WARC-Target-URI: *<?([^\s>]+)>?", re.M)
for path in sorted(glob.glob(os.path.join(data, "warc", "*.warc.gz"))):
    try:
        raw = gzip.open(path).read()
    except (OSError, EOFError):
        continue
    for m in target.finditer(raw):
        urls.append(m.group(1).decode("utf-8", "replace"))
    for m in href.finditer(raw):
        urls.append(m.group(1).decode("utf-8", "replace"))
seen = set()
with open(os.path.join(work, "url-docs.jsonl"), "w", encoding="utf-8") as f:
    n = 0
    for u in urls:
        if u in seen:
            continue
        seen.add(u)
        f.write(json.dumps({"id": f"u{n}", "text": u, "url": u}) + "\n")
        n += 1
    with open(os.path.join(work, "blocklists", "urls"), encoding="utf-8") as block:
        for i, line in enumerate(block):
            u = "http://" + line.strip()
            f.write(json.dumps({"id": f"b{i}", "text": u, "url": u}) + "\n")
with open(os.path.join(work, "text-docs.jsonl"), "w", encoding="utf-8") as f:
    for d in docs:
        if d.get("url") is None:
            d.pop("url", None)
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(f"{len(docs)} text documents, {n} URLs from the WARC files and wiki pages", file=sys.stderr)
