"""Makes the end-to-end benchmark's input: the Common Crawl records of the given .warc.gz
files, written COPIES times into the folder OUT, one file per copy (corpus-NNN.warc.gz, a gzip
member per record, so that datatrove's tasks, which divide files, both get work), every copy
with fresh WARC-Record-IDs so that documents stay distinguishable.

With VARIANT perturbed, each copy after the first replaces a fraction of the words in the visible
text of every HTML response (words of 4+ letters between tags, outside <script> and <style>),
chosen and replaced by a generator seeded with the copy and record number. The fraction cycles
with the copy number through PERTURB_FRACTIONS. With word 5-grams, a fraction g of all words
changed leaves a Jaccard similarity to the original of about (1-g)^5 / (2 - (1-g)^5), and 14 x 8
MinHash finds a pair of similarity s with probability 1-(1-s^8)^14 (half at s = 0.72); as only
the longer words are replaced, g is some 0.5-0.7 of the fraction here, so the low fractions
stay above the threshold, the high ones fall below it, and the middle ones straddle it (bench/
e2e_compare.py prints what each tool removed per fraction). With VARIANT repeated every copy is the original. Bodies are stored
decoded (no chunked or gzip transfer) with a fresh Content-Length.

OUT/records.tsv lists every record written: its id, copy, source record number, the fraction
of words replaced, and the payload type datatrove's WarcReader sees (the
WARC-Identified-Payload-Type, else libmagic's guess, as the reader does), or "skipped" for the
record types that reader ignores; bench/e2e_compare.py uses it to tell records datatrove never
reads from pages its extractor found empty.

    python e2e_corpus.py OUT_FOLDER COPIES repeated|perturbed FILE.warc.gz...
"""
import io
import random
import re
import sys
import uuid

import magic
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = ["river", "window", "garden", "silver", "market", "lantern", "harbor", "meadow", "pencil", "thunder",
         "orchard", "canvas", "mirror", "bridge", "planet", "violet", "saddle", "copper", "willow", "ember"]
PERTURB_FRACTIONS = [0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.20]
TEXT_RUN = re.compile(rb">([^<>]{20,})<")
WORD = re.compile(rb"[A-Za-z]{4,}")
SKIPPED = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.S | re.I)


def perturb(body: bytes, fraction: float, rng: random.Random) -> bytes:
    hidden = [m.span() for m in SKIPPED.finditer(body)]
    spots = []
    for run in TEXT_RUN.finditer(body):
        start, end = run.span(1)
        if any(a <= start < b for a, b in hidden):
            continue
        spots.extend(m.span() for m in WORD.finditer(body, start, end))
    pieces, last = [], 0
    for start, end in sorted(rng.sample(spots, round(fraction * len(spots)))):
        pieces += [body[last:start], rng.choice(WORDS).encode()]
        last = end
    pieces.append(body[last:])
    return b"".join(pieces)


def main():
    out_folder, copies, variant, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    assert variant in ("repeated", "perturbed"), variant
    records = []
    for path in inputs:
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                http = record.http_headers
                body = record.content_stream().read()
                seen = "skipped"
                if record.rec_type in ("response", "conversion"):
                    seen = record.rec_headers.get_header("WARC-Identified-Payload-Type") or magic.from_buffer(body, mime=True)
                records.append((record.rec_type, record.rec_headers, http, body, seen))
    listing = open(f"{out_folder}/records.tsv", "w")
    for copy in range(copies):
        fraction = PERTURB_FRACTIONS[(copy - 1) % len(PERTURB_FRACTIONS)] if variant == "perturbed" and copy > 0 else 0
        with open(f"{out_folder}/corpus-{copy:03d}.warc.gz", "wb") as out:
            writer = WARCWriter(out, gzip=True)
            for n, (rec_type, rec_headers, http, body, seen) in enumerate(records):
                rng = random.Random(copy * 1_000_003 + n)
                if fraction > 0 and http is not None and b"<" in body[:4096]:
                    body = perturb(body, fraction, rng)
                headers = [(name, value) for name, value in rec_headers.headers
                           if name.lower() not in ("warc-record-id", "content-length", "warc-block-digest",
                                                   "warc-payload-digest", "content-type", "warc-type")]
                record_id = f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
                headers.append(("WARC-Record-ID", f"<{record_id}>"))
                listing.write(f"{record_id}\t{copy}\t{n}\t{fraction}\t{seen}\n")
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
    listing.close()


if __name__ == "__main__":
    main()
