#!/usr/bin/env python3
"""Prints tiktoken's token ids for each document of a JSON Lines file as {"id", "ids"}
lines, the form `curate tokenizer encode` prints.

usage: tiktoken_ids.py ENCODING RANKS DOCS.jsonl [--threads N] [--time]
ENCODING is gpt2, cl100k_base or o200k_base; RANKS the local .tiktoken file (tiktoken's
own loader would download it). Special-token text is encoded as ordinary text
(encode_ordinary), as `curate tokenizer encode --ordinary` does. With --time, prints the
encoding throughput on stderr instead of the ids."""
import base64, json, sys, time
import tiktoken
import tiktoken_ext.openai_public as openai_public

def encoding(name, ranks_path):
    with open(ranks_path, "rb") as f:
        ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in f if line.strip())}
    openai_public.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    openai_public.data_gym_to_mergeable_bpe_ranks = lambda *args, **kwargs: ranks
    spec = getattr(openai_public, name)()
    return tiktoken.Encoding(name=spec["name"], pat_str=spec["pat_str"], mergeable_ranks=ranks,
                             special_tokens=spec["special_tokens"])

def main():
    args = sys.argv[1:]
    threads = int(args[args.index("--threads") + 1]) if "--threads" in args else 1
    timing = "--time" in args
    enc = encoding(args[0], args[1])
    with open(args[2], encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    texts = [d["text"] for d in docs]
    start = time.perf_counter()
    if threads == 1:
        ids = [enc.encode_ordinary(t) for t in texts]
    else:
        ids = enc.encode_ordinary_batch(texts, num_threads=threads)
    seconds = time.perf_counter() - start
    if timing:
        size = sum(len(t.encode("utf-8")) for t in texts)
        print(f"{size / seconds / 1e6:.2f} MB/s ({size} bytes, {seconds:.3f} s, {sum(map(len, ids))} tokens)", file=sys.stderr)
        return
    out = sys.stdout
    for d, i in zip(docs, ids):
        out.write(json.dumps({"id": d["id"], "ids": i}, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
