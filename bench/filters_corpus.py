"""Writes the evaluation documents as JSONL on stdout: extracted WARC page text and wiki
articles (from curate's run folders under WORK), Project Gutenberg chunks, inaugural
addresses and the multilingual prose files."""
import glob, json, os, random, sys
import zstandard

data, work = sys.argv[1], sys.argv[2]
docs = []

def curate_docs(folder, kind):
    for part in sorted(glob.glob(os.path.join(work, folder, "docs", "*.jsonl.zst"))):
        with open(part, "rb") as f:
            text = zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8")
        for line in text.splitlines():
            d = json.loads(line)
            docs.append({"id": f"{kind}:{d['id']}", "text": d["text"]})

curate_docs("out-warc", "warc")
curate_docs("out-wiki", "wiki")

rng = random.Random(20241126)

def chunks(path, kind, keep):
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    text = raw.replace("\r\n", "\n")
    paragraphs = text.split("\n\n")
    i = 0
    n = 0
    while i < len(paragraphs):
        take = rng.choice([1, 2, 3, 5, 8, 13, 21])
        piece = "\n\n".join(paragraphs[i:i + take])
        i += take
        if rng.random() < 0.1:
            piece = piece.replace("\n", "\r\n")  # some chunks keep the books' CRLF line ends
        if piece.strip() and rng.random() < keep:
            docs.append({"id": f"{kind}:{os.path.basename(path)}:{n}", "text": piece})
            n += 1

for path in sorted(glob.glob(os.path.join(data, "text/gutenberg-en/*.txt"))):
    chunks(path, "gutenberg", 0.3)
for path in sorted(glob.glob(os.path.join(data, "text/inaugural/*"))):
    with open(path, encoding="utf-8") as f:
        docs.append({"id": f"inaugural:{os.path.basename(path)}", "text": f.read()})
for path in sorted(glob.glob(os.path.join(data, "text/multilingual/*.txt"))):
    chunks(path, "multilingual", 0.3)

seen = {}
for d in docs:
    # Two wiki dumps can hold a page with the same id: keep ids unique.
    n = seen.get(d["id"], 0)
    seen[d["id"]] = n + 1
    if n:
        d["id"] = f"{d['id']}#{n + 1}"
    print(json.dumps(d, ensure_ascii=False))
print(f"{len(docs)} documents", file=sys.stderr)
