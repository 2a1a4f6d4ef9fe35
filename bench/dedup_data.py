"""Data and reference runs for bench/dedup.sh.

  paragraphs ROOT OUT          paragraphs (>= 30 words) of ROOT/text/gutenberg-en and inaugural, one JSON string a line
  docs PARAS N OUT             N documents of 2-6 consecutive paragraphs (signature benchmark)
  synthetic PARAS N PARTS DIR  N documents in PARTS JSONL files: 70% fresh paragraph mixes, 30% edited
                               copies (1-20% word edits) of earlier ones
  quality PARAS FAMILIES OUT PAIRS
                               near-duplicate families (original + 16 edited variants: word insert / delete /
                               replace 1-30%, paragraph swap, boilerplate) and the pairs to score
  refsig TOOL THREADS DOCS     signature throughput of a reference: rensa-words, rensa-5grams, datasketch, datatrove
  score PAIRS_SCORED CLUSTERS_PLAIN CLUSTERS_VERIFIED QUALITY
                               detection per Jaccard decile and precision / recall at 0.8
"""
import json
import random
import sys
import time
from multiprocessing import Pool

NUM_PERM = 112


def read_jsonl_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def cmd_paragraphs(root, out):
    import glob
    paras = []
    for path in sorted(glob.glob(f"{root}/text/gutenberg-en/*.txt") + glob.glob(f"{root}/text/inaugural/*.txt")):
        with open(path, encoding="utf-8", errors="replace") as f:
            for block in f.read().split("\n\n"):
                block = " ".join(block.split())
                if len(block.split()) >= 30:
                    paras.append(block)
    with open(out, "w", encoding="utf-8") as f:
        for p in paras:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(paras)} paragraphs", file=sys.stderr)


def load_paras(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def cmd_docs(paras_path, n, out):
    paras = load_paras(paras_path)
    rng = random.Random(1)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(int(n)):
            start = rng.randrange(len(paras) - 6)
            text = "\n\n".join(paras[start:start + rng.randint(2, 6)])
            f.write(json.dumps({"id": f"doc{i}", "text": text}, ensure_ascii=False) + "\n")


def edit_words(text, fraction, rng, vocabulary):
    """Inserts, deletes and replaces words (a third each) until `fraction` of them changed."""
    words = text.split(" ")
    for _ in range(max(1, round(len(words) * fraction))):
        op = rng.randrange(3)
        i = rng.randrange(len(words))
        if op == 0:
            words.insert(i, rng.choice(vocabulary))
        elif op == 1 and len(words) > 1:
            del words[i]
        else:
            words[i] = rng.choice(vocabulary)
    return " ".join(words)


def cmd_synthetic(paras_path, n, parts, folder):
    import os
    paras = load_paras(paras_path)
    vocabulary = " ".join(paras[:2000]).split()
    rng = random.Random(2)
    n, parts = int(n), int(parts)
    os.makedirs(folder, exist_ok=True)
    files = [open(f"{folder}/part-{k:05d}.jsonl", "w", encoding="utf-8") for k in range(parts)]
    recent = []
    for i in range(n):
        if recent and rng.random() < 0.3:
            text = edit_words(rng.choice(recent), rng.uniform(0.01, 0.2), rng, vocabulary)
        else:
            start = rng.randrange(len(paras) - 3)
            text = " ".join(paras[start:start + rng.randint(1, 3)])
            text = edit_words(text, 0.02, rng, vocabulary) if rng.random() < 0.5 else text
            recent.append(text)
            if len(recent) > 5000:
                recent.pop(rng.randrange(len(recent)))
        files[i * parts // n].write(json.dumps({"id": f"s{i}", "text": text}, ensure_ascii=False) + "\n")
    for f in files:
        f.close()


BOILERPLATE = ("Share this article on Facebook Twitter and email. Subscribe to our newsletter for more stories "
               "like this one. All rights reserved. Privacy policy and terms of use apply.")


def cmd_quality(paras_path, families, out, pairs_out):
    paras = load_paras(paras_path)
    vocabulary = " ".join(paras[:2000]).split()
    rng = random.Random(3)
    docs, family_of = [], []
    used = set()
    for fam in range(int(families)):
        while True:
            start = rng.randrange(len(paras) - 4)
            if not used.intersection(range(start - 4, start + 5)):
                break
        used.add(start)
        blocks = paras[start:start + 4]
        original = "\n\n".join(blocks)
        variants = [original]
        for fraction in (0.01, 0.02, 0.03, 0.05, 0.07, 0.10, 0.12, 0.15, 0.18, 0.20, 0.25, 0.30):
            variants.append("\n\n".join(edit_words(b, fraction, rng, vocabulary) for b in blocks))
        swapped = blocks[:]
        i = rng.randrange(3)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        variants.append("\n\n".join(swapped))
        variants.append(original + "\n\n" + BOILERPLATE)
        variants.append(BOILERPLATE + "\n\n" + "\n\n".join(edit_words(b, 0.05, rng, vocabulary) for b in blocks))
        variants.append("\n\n".join(blocks[:3]))
        for v in variants:
            docs.append(v)
            family_of.append(fam)
    order = list(range(len(docs)))
    rng.shuffle(order)
    with open(out, "w", encoding="utf-8") as f:
        for new, old in enumerate(order):
            f.write(json.dumps({"id": f"q{new}", "family": family_of[old], "text": docs[old]}, ensure_ascii=False) + "\n")
    family = [family_of[old] for old in order]
    members = {}
    for idx, fam in enumerate(family):
        members.setdefault(fam, []).append(idx)
    with open(pairs_out, "w") as f:
        count = 0
        for fam, idxs in members.items():
            for a in range(len(idxs)):
                for b in range(a + 1, len(idxs)):
                    f.write(f"{idxs[a]}\t{idxs[b]}\tfamily\n")
                    count += 1
        for _ in range(count):
            a, b = rng.randrange(len(docs)), rng.randrange(len(docs))
            if family[a] != family[b]:
                f.write(f"{a}\t{b}\trandom\n")


def simplify(text):
    from datatrove.utils.text import simplify_text
    return simplify_text(text)


def five_grams(text):
    words = simplify(text).split()
    return [" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))]


def sig_rensa_words(texts):
    from rensa import RMinHash
    out = 0
    for t in texts:
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(t.split())
        out += m.digest()[0] & 1
    return out


def sig_rensa_5grams(texts):
    from rensa import RMinHash
    out = 0
    for t in texts:
        words = t.split()
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update([" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))])
        out += m.digest()[0] & 1
    return out


def sig_datasketch(texts):
    from datasketch import MinHash
    out = 0
    for t in texts:
        words = t.split()
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([" ".join(words[i:i + 5]).encode() for i in range(max(1, len(words) - 4))])
        out += int(m.hashvalues[0]) & 1
    return out


def sig_datatrove(texts):
    import tempfile
    from datatrove.pipeline.dedup.minhash import MinhashDedupSignature
    step = MinhashDedupSignature(output_folder=tempfile.mkdtemp())
    out = 0
    for t in texts:
        shingles = step.get_shingles(t)
        if len(shingles):
            out += step.get_signature(shingles)[0][0] & 1
    return out


TOOLS = {"rensa-words": sig_rensa_words, "rensa-5grams": sig_rensa_5grams,
         "datasketch": sig_datasketch, "datatrove": sig_datatrove}


def cmd_refsig(tool, threads, docs_path):
    texts = read_jsonl_texts(docs_path)
    threads = int(threads)
    fn = TOOLS[tool]
    if tool == "datatrove":
        fn(texts[:10])  # loads the word tokenizer outside the timing
    start = time.perf_counter()
    if threads == 1:
        fn(texts)
    else:
        chunks = [texts[k::threads] for k in range(threads)]
        with Pool(threads) as pool:
            pool.map(fn, chunks)
    seconds = time.perf_counter() - start
    print(json.dumps({"docs": len(texts), "seconds": seconds, "docs_per_s": len(texts) / seconds}))


def curve(s, bands=14, rows=8):
    return 1 - (1 - s ** rows) ** bands


def cmd_score(scored_path, plain_path, verified_path, quality_path):
    ids = [json.loads(line)["id"] for line in open(quality_path, encoding="utf-8")]
    rows = []
    for line in open(scored_path):
        i, j, jac, est, cand = line.split("\t")
        rows.append((int(i), int(j), float(jac), float(est), int(cand)))
    print("| true Jaccard | pairs | detected (candidates) | 1-(1-s^8)^14 averaged over the pairs | difference (points) |")
    print("|---|---|---|---|---|")
    for d in range(10):
        sel = [r for r in rows if d / 10 <= r[2] < (d + 1) / 10 or (d == 9 and r[2] == 1.0)]
        if not sel:
            print(f"| {d/10:.1f}-{(d+1)/10:.1f} | 0 | - | - | - |")
            continue
        rate = sum(r[4] for r in sel) / len(sel)
        theory = sum(curve(r[2]) for r in sel) / len(sel)
        print(f"| {d/10:.1f}-{(d+1)/10:.1f} | {len(sel)} | {100*rate:.2f}% | {100*theory:.2f}% | {100*(rate-theory):+.2f} |")
    mae = sum(abs(r[3] - r[2]) for r in rows) / len(rows)
    print(f"\nmean |estimated - true Jaccard| over {len(rows)} pairs: {mae:.4f}")

    def clusters(path):
        kept = {}
        for line in open(path, encoding="utf-8"):
            doc, k = line.rstrip("\n").split("\t")
            kept[doc] = k
        return kept

    drop_lines = []
    print("\nPairs (family and random) put in the same cluster, against true Jaccard >= 0.8:\n")
    print("| clustering (threshold 0.8) | TP | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, path in (("14x8, no verification", plain_path), ("14x8, verify: true", verified_path)):
        kept = clusters(path)
        tp = fp = fn = 0
        for i, j, jac, _, _ in rows:
            a, b = ids[i], ids[j]
            together = a in kept and b in kept and kept[a] == kept[b]
            positive = jac >= 0.8
            tp += together and positive
            fp += together and not positive
            fn += (not together) and positive
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {name} | {tp} | {fp} | {fn} | {100*precision:.2f}% | {100*recall:.2f}% |")
        import bench_results
        bench_results.add("MinHash dedup, detection quality", f"precision at true Jaccard 0.8, {name}", "%", "none",
                          round(100 * precision, 2), "", "", f"{tp} TP, {fp} FP; 300 families x 17 documents")
        bench_results.add("MinHash dedup, detection quality", f"recall at true Jaccard 0.8, {name}", "%", "none",
                          round(100 * recall, 2), "", "", f"{tp} TP, {fn} FN; 300 families x 17 documents")
        scored = {(ids[i], ids[j]): jac for i, j, jac, _, _ in rows}
        drops = [(d, k) for d, k in kept.items() if d != k]
        known = [scored.get((d, k), scored.get((k, d))) for d, k in drops]
        known = [x for x in known if x is not None]
        good = sum(x >= 0.8 for x in known)
        drop_lines.append(f"| {name} | {len(drops)} | {len(known)} | {good} | {100*good/max(1, len(known)):.2f}% |")
    print("\nDropped documents whose true Jaccard with the kept document is >= 0.8:\n")
    print("| clustering | dropped | with a scored pair to the kept one | >= 0.8 | share |")
    print("|---|---|---|---|---|")
    print("\n".join(drop_lines))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"paragraphs": cmd_paragraphs, "docs": cmd_docs, "synthetic": cmd_synthetic, "quality": cmd_quality,
     "refsig": cmd_refsig, "score": cmd_score}[command](*args)
