"""Builds corpus.jsonl (the dedup test corpus) from texts in ../../../../shared/data/text.

Usage: python3 make_corpus.py /path/to/shared/data/text > corpus.jsonl
Deterministic: edits are drawn from random.Random with fixed seeds.
"""
import json
import random
import sys

root = sys.argv[1]


def read(name):
    with open(f"{root}/{name}", encoding="utf-8") as f:
        return f.read().strip()


def replace_words(text, fraction, seed, pool):
    """Replaces `fraction` of the white-space separated words with words from `pool`."""
    rng = random.Random(seed)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = rng.choice(pool)
    return " ".join(words)


washington = read("inaugural/1793-Washington.txt")
roosevelt = read("inaugural/1945-Roosevelt.txt")
lincoln = read("inaugural/1865-Lincoln.txt")
teddy = read("inaugural/1905-Roosevelt.txt")
pool = read("inaugural/1849-Taylor.txt").split()
genesis = read("multilingual/genesis-german.de.txt")[:1500]

docs = [
    ("washington", washington),
    # The same text in capitals, with punctuation and white space changed: equal once simplified.
    ("washington-shouted", "  " + washington.upper().replace(",", " ;").replace("\n", "\n\n\t") + " !!"),
    ("roosevelt-1945", roosevelt),
    ("roosevelt-1945-edited-2pct", replace_words(roosevelt, 0.02, 1, pool)),
    ("roosevelt-1945-edited-10pct", replace_words(roosevelt, 0.10, 2, pool)),
    ("lincoln-1865", lincoln),
    ("lincoln-1865-edited-a", replace_words(lincoln, 0.01, 3, pool)),
    ("lincoln-1865-edited-b", replace_words(lincoln, 0.015, 4, pool)),
    ("roosevelt-1905", teddy),
    # An id that repeats another document's, with different text.
    ("washington", teddy[: len(teddy) // 2]),
    ("genesis-de", genesis),
    # Umlauts and sharp s written without marks: equal once marks are removed (ß stays).
    ("genesis-de-no-marks", genesis.replace("ä", "a").replace("ö", "o").replace("ü", "u")
     .replace("Ä", "A").replace("Ö", "O").replace("Ü", "U")),
    ("empty", "  ...  "),
]
for doc_id, text in docs:
    print(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False))
