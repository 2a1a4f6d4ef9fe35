#!/usr/bin/env python3
"""Builds the tokenizer fixtures from shared/data and records tiktoken's token ids for them.

usage: record_ids.py SHARED_DATA   (needs tiktoken; run from anywhere)

Writes next to this script:
  docs.jsonl            the fixture documents {"id", "text"} (see SOURCES.md for the selection)
  expected-gpt2.jsonl, expected-cl100k_base.jsonl, expected-o200k_base.jsonl
                        {"id", "ids"}: tiktoken's encode_ordinary of each document
  o200k-fixture.tiktoken
                        the o200k_base ranks whose bytes occur in some fixture document, plus
                        the 256 single bytes: merging only ever looks up substrings of the
                        text, so these ranks encode the fixture exactly as the full file does
  gpt2.tiktoken, cl100k_base.tiktoken   copies of the full ranks files
"""
import base64, csv, json, os, shutil, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
from tiktoken_ids import encoding  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

TRICKY = [
    "I'm sure you'll see they've gone, he'd said; it's 'quoted' and JOHN'S DOG'S",
    "Don'T WE'LL I'M it'S ſ 'ſ x'ſ I'Ll",
    "numbers 1 12 123 1234 12345 3.14159 1,000,000 ½ ² ٣٤٥ 一二三",
    "   leading spaces and trailing spaces   ",
    "tabs\t\tand\t newlines\n\n\nand\r\ncrlf \n \n  x",
    "mixed  \u00a0\u2003 unicode spaces\u3000end \u2028 line sep",
    "日本語のテキストと中文文本，还有한국어 텍스트。",
    "combining marks: e\u0301te\u0301 nai\u0308ve \u0915\u094d\u0937 \u0627\u064e\u0644\u0652 x\u20dd",
    "emoji 👍🏽 👨‍👩‍👧 🇫🇷 ✈️ and symbols ©®™ … ---- ====",
    "CamelCaseWords HTTPServer iPhone XMLHttpRequest ǅungla ǈ ǋ",
    "paths /usr/local/bin/ and urls https://example.org/a/b?c=d#e //\n//",
    "punctuation!!! ??? ... ;;; \"quotes\" «guillemets» (parens) [brackets] {braces}",
    "text with <|endoftext|> inside and <|fim_prefix|> too",
    "\n",
    " ",
    "",
    "a" * 300,
    " " * 300 + "x",
    "1" * 301,
    "!\n\n\n!! \n \n",
    "trailing newline run\n\n\n",
    "trailing spaces then newline   \n",
]


def head(text, limit):
    """The first lines of text that fit in limit characters (at least one line)."""
    out = []
    size = 0
    for line in text.splitlines(keepends=True):
        if out and size + len(line) > limit:
            break
        out.append(line)
        size += len(line)
    return "".join(out)


def documents(data):
    text = os.path.join(data, "text")
    with open(os.path.join(text, "ccnet", "cc_en_head-0091.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if n > 12:
                break
            yield f"text/ccnet/cc_en_head-0091.jsonl:{n}", json.loads(line)["text"]
    gutenberg = sorted(os.listdir(os.path.join(text, "gutenberg-en")))
    for name in gutenberg[::10]:
        with open(os.path.join(text, "gutenberg-en", name), encoding="utf-8") as f:
            body = f.read()
        middle = body[len(body) // 2:]
        middle = middle[middle.find("\n") + 1:]
        yield f"text/gutenberg-en/{name}@head", head(body, 2500)
        yield f"text/gutenberg-en/{name}@middle", head(middle, 2500)
    with open(os.path.join(text, "inaugural", "1865-Lincoln.txt"), encoding="utf-8") as f:
        yield "text/inaugural/1865-Lincoln.txt", f.read()
    for name in sorted(os.listdir(os.path.join(text, "multilingual"))):
        with open(os.path.join(text, "multilingual", name), encoding="utf-8") as f:
            yield f"text/multilingual/{name}@head", head(f.read(), 2000)
    for name, step in (("udhr2-lines.tsv", 60), ("tatoeba-nonascii-cc0.tsv", 400)):
        with open(os.path.join(data, "langid", name), encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            column = next(rows).index("text")
            for n, row in enumerate(rows, 2):
                if n % step == 0:
                    yield f"langid/{name}:{n}", row[column]
    for n, case in enumerate(TRICKY, 1):
        yield f"tricky:{n}", case


def main():
    data = sys.argv[1]
    docs = list(documents(data))
    with open(os.path.join(HERE, "docs.jsonl"), "w", encoding="utf-8") as f:
        for doc_id, text in docs:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    ranks_folder = os.path.join(data, "tokenizers")
    for name, ranks in (("gpt2", "gpt2.tiktoken"), ("cl100k_base", "cl100k_base.tiktoken"), ("o200k_base", "o200k_base.tiktoken")):
        enc = encoding(name, os.path.join(ranks_folder, ranks))
        with open(os.path.join(HERE, f"expected-{name}.jsonl"), "w") as f:
            for doc_id, text in docs:
                f.write(json.dumps({"id": doc_id, "ids": enc.encode_ordinary(text)}, separators=(",", ":")) + "\n")
    for ranks in ("gpt2.tiktoken", "cl100k_base.tiktoken"):
        shutil.copyfile(os.path.join(ranks_folder, ranks), os.path.join(HERE, ranks))
    blob = "\x00".join(text for _, text in docs).encode("utf-8")
    with open(os.path.join(ranks_folder, "o200k_base.tiktoken"), "rb") as f, \
            open(os.path.join(HERE, "o200k-fixture.tiktoken"), "wb") as out:
        for line in f:
            token = base64.b64decode(line.split()[0])
            if len(token) == 1 or token in blob:
                out.write(line)


if __name__ == "__main__":
    main()
