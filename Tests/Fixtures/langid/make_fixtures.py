"""Builds the language-ID fixtures: lines.jsonl (from ../shared/data/langid), two tiny models
trained on those lines, and expected.jsonl, the predictions of fastText's Python binding.

    bench/langid.sh makes the virtualenv; then, from the repository root:
    bench/work/venv-langid/bin/python Tests/Fixtures/langid/make_fixtures.py            # everything
    bench/work/venv-langid/bin/python Tests/Fixtures/langid/make_fixtures.py --record   # predictions only
"""
import csv
import json
import os
import sys

import fasttext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SHARED = os.environ.get("CURATE_SHARED", os.path.join(ROOT, "..", "shared"))
LID176 = os.path.join(ROOT, "resources", "models", "lid.176.ftz")

# UDHR translations (udhr2 file names) and how many of their lines to take.
UDHR = ["eng", "deu", "fra", "spa", "ita", "por_PT", "nld", "rus", "ukr", "pol", "ces", "tur", "fin", "hun",
        "swe", "dan", "ell_monotonic", "heb", "arb", "hin", "ben", "jpn", "cmn_hans", "kor", "vie", "tha",
        "ind", "ron", "cat", "eus", "kat", "hye"]
PER_TRANSLATION = 7
# Tatoeba languages, lines each.
TATOEBA = {"kab": 3, "ber": 3, "bel": 3, "sat": 2, "grc": 2, "fra": 2, "yid": 2}
MAX_CHARS = 400
# Hand-made lines for the tokenizer's edge cases; newlines are turned into spaces before
# predicting, as datatrove does (fastText's predict refuses them).
EDGE_CASES = [
    "",
    "   \t  ",
    "Hello </s> Welt, dies ist der Rest der Zeile auf Deutsch",
    "__label__de this sentence is written in English",
    "tab\tseparated\vvertical\fform\rcarriage words here",
    "null\u0000separated words in English",
    "first line\nsecond line\nthird line in English",
    "Ünïcödé wörds with àccents ünd Umlaute",
    "😀 🎉 👍",
    "x",
]


def read_tsv(name):
    csv.field_size_limit(10**9)
    with open(os.path.join(SHARED, "data", "langid", name), newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def make_lines():
    lines = []
    taken = {}
    for row in read_tsv("udhr2-lines.tsv"):
        name = row["udhr2_file"]
        if name in UDHR and taken.get(name, 0) < PER_TRANSLATION and 0 < len(row["text"]) <= MAX_CHARS:
            taken[name] = taken.get(name, 0) + 1
            lines.append({"id": f"udhr/{name}/{row['line_no']}", "lang": row["iso639_3"], "text": row["text"]})
    taken = {}
    for row in read_tsv("tatoeba-nonascii-cc0.tsv"):
        code = row["iso639_3"]
        if taken.get(code, 0) < TATOEBA.get(code, 0) and len(row["text"]) <= MAX_CHARS:
            taken[code] = taken.get(code, 0) + 1
            lines.append({"id": f"tatoeba/{row['tatoeba_id']}", "lang": code, "text": row["text"]})
    for i, text in enumerate(EDGE_CASES):
        lines.append({"id": f"edge/{i}", "lang": "", "text": text})
    with open(os.path.join(HERE, "lines.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return lines


def train(lines):
    training = os.path.join(HERE, "train.txt")
    with open(training, "w", encoding="utf-8") as f:
        for line in lines:
            if line["lang"]:
                f.write(f"__label__{line['lang']} {line['text']}\n")
    common = dict(input=training, epoch=100, lr=1.0, minCount=1, thread=1, seed=7, verbose=0)
    # Softmax with character and word n-grams; then quantized with pruning and quantized norms.
    model = fasttext.train_supervised(dim=8, bucket=8000, minn=2, maxn=4, wordNgrams=2, loss="softmax", **common)
    model.save_model(os.path.join(HERE, "tiny-softmax.bin"))
    model.quantize(input=training, cutoff=2000, retrain=False, dsub=2, qnorm=True)
    model.save_model(os.path.join(HERE, "tiny-softmax.ftz"))
    # One-vs-all (sigmoid outputs), whole words only (no n-gram buckets).
    model = fasttext.train_supervised(dim=6, minn=0, maxn=0, wordNgrams=1, loss="ova", **common)
    model.save_model(os.path.join(HERE, "tiny-ova.bin"))
    # A quantized output layer needs at least 256 labels: one per UDHR line of the first
    # translations (a memorizing model, for the format's sake), dim 5 so the last slice is short.
    with open(training, "w", encoding="utf-8") as f:
        for i, row in enumerate(read_tsv("udhr2-lines.tsv")):
            if i == 300:
                break
            f.write(f"__label__line{i} {row['text']}\n")
    model = fasttext.train_supervised(dim=5, bucket=2000, minn=3, maxn=3, loss="softmax", **common)
    model.quantize(input=training, qout=True, cutoff=1000, retrain=False, dsub=2, qnorm=True)
    model.save_model(os.path.join(HERE, "tiny-lines.ftz"))
    os.remove(training)


def record(lines):
    cases = [("lid.176.ftz", LID176), ("tiny-softmax.bin", None), ("tiny-softmax.ftz", None), ("tiny-ova.bin", None),
             ("tiny-lines.ftz", None)]
    with open(os.path.join(HERE, "expected.jsonl"), "w", encoding="utf-8") as out:
        for name, path in cases:
            model = fasttext.load_model(path or os.path.join(HERE, name))
            # every line with k=3; every label for the first lines and the edge cases; a threshold.
            runs = [(3, 0.0, lines), (-1, 0.0, lines[:4] + lines[-3:]), (5, 0.05, lines[::9])]
            for k, threshold, subset in runs:
                for line in subset:
                    labels, probs = model.predict(line["text"].replace("\n", " "), k=k, threshold=threshold)
                    out.write(json.dumps({"model": name, "id": line["id"], "k": k, "threshold": threshold,
                                          "labels": list(labels), "probs": [float(p) for p in probs]}) + "\n")


if __name__ == "__main__":
    fasttext.FastText.eprint = lambda *args, **kwargs: None
    if "--record" in sys.argv:
        with open(os.path.join(HERE, "lines.jsonl"), encoding="utf-8") as f:
            lines = [json.loads(line) for line in f]
    else:
        lines = make_lines()
        train(lines)
    record(lines)
