#!/usr/bin/env python3
"""Corpora for bench/tokenizer.sh, as JSON Lines {"id", "text"}.

usage: tokenizer_corpora.py big SOURCE.jsonl BYTES OUT.jsonl
       tokenizer_corpora.py articles DATA OUT.jsonl

big: copies of SOURCE's documents until OUT has at least BYTES bytes. Copy k has the ASCII
letters of every document rotated by k mod 26 places (ROT-k; copy 0 is SOURCE itself) and,
from copy 26 on, their case swapped too: 52 distinct copies, each with its own words and
the statistics of the original. The distinct pre-tokenized chunks grow with the size, as
in a real larger corpus, instead of only their counts. Ids are "k:ORIGINAL_ID".

articles: the human-checked article bodies of shared/data/html/scrapinghub-aeb (92 news
and blog articles, mostly English), text no training corpus of the bench contains."""
import json, string, sys

def rotation(copy):
    lower, upper = string.ascii_lowercase, string.ascii_uppercase
    k = copy % 26
    rotated_lower, rotated_upper = lower[k:] + lower[:k], upper[k:] + upper[:k]
    if copy // 26 % 2:
        rotated_lower, rotated_upper = rotated_upper, rotated_lower
    return str.maketrans(lower + upper, rotated_lower + rotated_upper)

def big(source, target, out_path):
    with open(source, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    size = copy = 0
    with open(out_path, "w", encoding="utf-8") as out:
        while size < target:
            table = rotation(copy)
            for doc in docs:
                line = json.dumps({"id": f"{copy}:{doc['id']}", "text": doc["text"].translate(table)},
                                  ensure_ascii=False) + "\n"
                out.write(line)
                size += len(line.encode("utf-8"))
            copy += 1

def articles(data, out_path):
    with open(f"{data}/html/scrapinghub-aeb/ground-truth.json", encoding="utf-8") as f:
        truth = json.load(f)
    with open(out_path, "w", encoding="utf-8") as out:
        for key in sorted(truth):
            out.write(json.dumps({"id": f"scrapinghub-aeb/{key}", "text": truth[key]["articleBody"]},
                                 ensure_ascii=False) + "\n")

if __name__ == "__main__":
    if sys.argv[1] == "big":
        big(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        articles(sys.argv[2], sys.argv[3])
