#!/usr/bin/env python3
"""Writes the documents of shared/data/text and shared/data/langid as JSON Lines
{"id", "text"}: each .txt file is one document, each ccnet JSON line one, each TSV row one
(its text column). Used by bench/tokenizer.sh and Tests/Fixtures/tokenizer/record_ids.py to
compare curate's token ids with tiktoken's on the same documents."""
import csv, json, os, sys

def documents(data):
    text = os.path.join(data, "text")
    for root, _, files in sorted(os.walk(text)):
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, data)
            if name.endswith(".txt"):
                with open(path, encoding="utf-8") as f:
                    yield rel, f.read()
            elif name.endswith(".jsonl") and "index" not in name:
                with open(path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        yield f"{rel}:{n}", json.loads(line)["text"]
    langid = os.path.join(data, "langid")
    for name in sorted(os.listdir(langid)):
        path = os.path.join(langid, name)
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(rows)
            column = header.index("text")
            for n, row in enumerate(rows, 2):
                yield f"langid/{name}:{n}", row[column]

if __name__ == "__main__":
    data = sys.argv[1]
    out = sys.stdout
    for doc_id, text in documents(data):
        out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
