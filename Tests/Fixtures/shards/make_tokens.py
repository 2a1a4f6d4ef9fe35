"""Regenerates tokens.jsonl: the first two paragraphs of the first twelve inaugural
addresses in ../shared/data/text/inaugural, encoded with tiktoken's gpt2 encoding (built from
../shared/data/tokenizers/gpt2.tiktoken with tiktoken's r50k pattern, no network needed).
Usage: python make_tokens.py SHARED_DATA_DIR > tokens.jsonl"""
import json, os, sys
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from tiktoken_ext.openai_public import r50k_pat_str

data = sys.argv[1]
encoding = tiktoken.Encoding(
    "gpt2", pat_str=r50k_pat_str,
    mergeable_ranks=load_tiktoken_bpe(os.path.join(data, "tokenizers/gpt2.tiktoken")),
    special_tokens={"<|endoftext|>": 50256})
folder = os.path.join(data, "text/inaugural")
for name in sorted(os.listdir(folder))[:12]:
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        paragraphs = [p.strip() for p in f.read().split("\n\n") if p.strip()]
    for i, paragraph in enumerate(paragraphs[:2]):
        ids = encoding.encode_ordinary(paragraph)
        print(json.dumps({"id": f"inaugural/{name.removesuffix('.txt')}#{i}", "ids": ids, "text": paragraph}, ensure_ascii=False))
