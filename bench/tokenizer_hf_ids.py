#!/usr/bin/env python3
"""Prints Hugging Face tokenizers' token ids for each document of a JSON Lines file as
{"id", "ids"} lines, the form `curate tokenizer encode` prints.

usage: tokenizer_hf_ids.py TOKENIZER.json DOCS.jsonl
Documents are encoded in batches on all cores (encode_batch) without post-processing;
added special tokens in the text become their ids, as `curate tokenizer encode
--allow-special` does."""
import json, sys
from tokenizers import Tokenizer

def main():
    tokenizer = Tokenizer.from_file(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    out = sys.stdout
    for start in range(0, len(docs), 4096):
        batch = docs[start:start + 4096]
        encodings = tokenizer.encode_batch([d["text"] for d in batch], add_special_tokens=False)
        for d, e in zip(batch, encodings):
            out.write(json.dumps({"id": d["id"], "ids": e.ids}, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
