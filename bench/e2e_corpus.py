"""Makes the end-to-end benchmark's input: the Common Crawl records of the given .warc.gz
files, written COPIES times into OUT (a gzip member per record), every copy with fresh
WARC-Record-IDs so that documents stay distinguishable.

With --perturb K, each copy after the first changes K words in the visible text of every HTML
response (words between tags, outside <script> and <style>), chosen and replaced by a
generator seeded with the copy and record number, so MinHash sees near-duplicates rather than
exact ones. Bodies are stored decoded (no chunked or gzip transfer) with a fresh Content-Length.

    python e2e_corpus.py OUT COPIES PERTURB FILE.warc.gz...
"""
import io
import random
import re
import sys
import uuid

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = ["river", "window", "garden", "silver", "market", "lantern", "harbor", "meadow", "pencil", "thunder",
         "orchard", "canvas", "mirror", "bridge", "planet", "violet", "saddle", "copper", "willow", "ember"]
TEXT_RUN = re.compile(rb">([^<>]{20,})<")
WORD = re.compile(rb"[A-Za-z]{4,}")
SKIPPED = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.S | re.I)


def perturb(body: bytes, k: int, rng: random.Random) -> bytes:
    hidden = [m.span() for m in SKIPPED.finditer(body)]
    spots = []
    for run in TEXT_RUN.finditer(body):
        start, end = run.span(1)
        if any(a <= start < b for a, b in hidden):
            continue
        spots.extend((start + m.start(), start + m.end()) for m in WORD.finditer(body, start, end))
    chosen = sorted(rng.sample(spots, min(k, len(spots))), reverse=True)
    for start, end in chosen:
        body = body[:start] + rng.choice(WORDS).encode() + body[end:]
    return body


def main():
    out_path, copies, k, inputs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    records = []
    for path in inputs:
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                http = record.http_headers
                records.append((record.rec_type, record.rec_headers, http, record.content_stream().read()))
    with open(out_path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for copy in range(copies):
            for n, (rec_type, rec_headers, http, body) in enumerate(records):
                rng = random.Random(copy * 1_000_003 + n)
                if copy > 0 and k > 0 and http is not None and b"<" in body[:4096]:
                    body = perturb(body, k, rng)
                headers = [(name, value) for name, value in rec_headers.headers
                           if name.lower() not in ("warc-record-id", "content-length", "warc-block-digest",
                                                   "warc-payload-digest", "content-type", "warc-type")]
                headers.append(("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>"))
                new_http = None
                if http is not None:
                    kept = [(name, value) for name, value in http.headers
                            if name.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
                    kept.append(("Content-Length", str(len(body))))
                    new_http = StatusAndHeaders(http.statusline, kept, protocol=http.protocol)
                uri = rec_headers.get_header("WARC-Target-URI")
                record = writer.create_warc_record(
                    uri, rec_type, payload=io.BytesIO(body), http_headers=new_http,
                    warc_headers_dict=dict(headers),
                    warc_content_type=rec_headers.get_header("Content-Type"))
                writer.write_record(record)


if __name__ == "__main__":
    main()
