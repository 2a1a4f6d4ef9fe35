"""Writes the quality-filter test fixtures (Tests/Fixtures/quality/*.txt) from the evaluation
documents and prints, per fixture and filter, datatrove 0.10.x's decision and reason with the
value of the measure behind it (computed with datatrove's own helpers), as Swift test rows.
Usage: filters_fixtures.py DOCS.jsonl FIXTURE_DIR"""
import json, os, sys
import numpy as np
from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4ParagraphFilter, C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter)
from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, find_duplicates, find_top_duplicate, get_n_grams
from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION, split_into_words
import re

docs_path, out_dir = sys.argv[1], sys.argv[2]
wanted = {
    "warc-affidavit": "warc:urn:uuid:f1e236f2-aff3-574a-8eb9-cc6f88a305e9",
    "warc-football": "warc:urn:uuid:80fb562c-4fab-54f9-83b1-38c9e5188187",
    "warc-agrar": "warc:urn:uuid:d6b446b3-bd04-5bd2-9b47-4fd1eb4154f3",
    "warc-kaffee": "warc:urn:uuid:2f638eda-0565-528e-929c-8706c0658210",
    "warc-ghosthunters": "warc:urn:uuid:d0f54652-c7ed-52eb-879e-01438105da6f",
    "warc-patent-ja": "warc:urn:uuid:ae45102a-bf46-5289-b07a-4590cfcd910f",
    "warc-repeated-ngrams": "warc:urn:uuid:62ed8f6f-a907-5654-b429-483d58301256",
    "warc-repeated-lines": "warc:urn:uuid:ddcab693-07a5-5ee0-baaf-29c3851e7f31",
}
texts = {}
for line in open(docs_path, encoding="utf-8"):
    d = json.loads(line)
    for name, i in wanted.items():
        if d["id"] == i:
            texts[name] = d["text"]
    if d["id"].startswith("gutenberg:austen") and "gutenberg-austen" not in texts and 2000 < len(d["text"]) < 6000 and "\r" not in d["text"]:
        texts["gutenberg-austen"] = d["text"]
    if d["id"].startswith("gutenberg:") and "gutenberg-crlf" not in texts and 1500 < len(d["text"]) < 5000 and "\r\n" in d["text"]:
        texts["gutenberg-crlf"] = d["text"]
    if d["id"].startswith("wiki:") and "wiki-article" not in texts and "[" not in d["text"][:10] and 3000 < len(d["text"]) < 8000:
        texts["wiki-article"] = d["text"]
os.makedirs(out_dir, exist_ok=True)
for name, text in texts.items():
    with open(os.path.join(out_dir, name + ".txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)

def gopher_quality_metric(text, reason):
    words = split_into_words(text)
    n = len(words)
    ns = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    lines = text.splitlines()
    return {
        "gopher_short_doc": ("words", len(ns)), "gopher_long_doc": ("words", len(ns)),
        "gopher_below_avg_threshold": ("avg_word_length", float(np.mean([len(w) for w in ns]))),
        "gopher_above_avg_threshold": ("avg_word_length", float(np.mean([len(w) for w in ns]))),
        "gopher_too_many_hashes": ("hash_word_ratio", text.count("#") / n),
        "gopher_too_many_ellipsis": ("ellipsis_word_ratio", (text.count("...") + text.count("…")) / n),
        "gopher_too_many_bullets": ("bullet_lines_ratio", sum(s.lstrip().startswith(("•", "-")) for s in lines) / len(lines)),
        "gopher_too_many_end_ellipsis": ("ellipsis_lines_ratio", sum(s.rstrip().endswith(("...", "…")) for s in lines) / len(lines)),
        "gopher_below_alpha_threshold": ("alpha_words_ratio", sum(any(c.isalpha() for c in w) for w in words) / n),
        "gopher_enough_stop_words": ("stop_words", len(set(STOP_WORDS) & set(words))),
    }[reason]

def gopher_repetition_metric(text, reason):
    paragraphs = re.split(r"\n{2,}", text.strip())
    pd, pc = find_duplicates(paragraphs)
    lines = re.split("\n+", text)
    ld, lc = find_duplicates(lines)
    if reason == "dup_para_frac": return ("dup_para_frac", pd / len(paragraphs))
    if reason == "dup_para_char_frac": return ("dup_para_char_frac", pc / len(text))
    if reason == "dup_line_frac": return ("dup_line_frac", ld / len(lines))
    if reason == "dup_line_char_frac": return ("dup_line_char_frac", lc / len(text))
    words = split_into_words(text)
    m = re.match(r"top_(\d+)_gram", reason)
    if m:
        n = int(m.group(1))
        return (f"top_{n}_gram_frac", find_top_duplicate(get_n_grams(words, n)) / len(text))
    n = int(re.match(r"duplicated_(\d+)_n_grams", reason).group(1))
    return (f"dup_{n}_gram_frac", find_all_duplicate(words, n) / len(text))

def fineweb_metric(text, reason):
    lines = [l for l in text.split("\n") if l.strip() != ""]
    if reason == "line_punct_ratio": return ("line_punct_ratio", sum(l.endswith(tuple(TERMINAL_PUNCTUATION)) for l in lines) / len(lines))
    if reason == "short_line_ratio": return ("short_line_ratio", sum(len(l) <= 30 for l in lines) / len(lines))
    if reason == "char_dup_ratio": return ("char_dup_ratio", find_duplicates(lines)[1] / len(text.replace("\n", "")))
    return ("list_ratio", text.count("\n") / len(split_into_words(text)))

def c4_paragraph_metric(text):
    lines = text.split("\n")
    return [("lines", len(lines)), ("long_lines", sum(len(l) >= 200 for l in lines))]

filters = [
    ("gopher_quality", GopherQualityFilter, lambda t, r: [gopher_quality_metric(t, r)], lambda r: "gopher_quality:" + r.removeprefix("gopher_")),
    ("gopher_repetition", GopherRepetitionFilter, lambda t, r: [gopher_repetition_metric(t, r)], lambda r: "gopher_repetition:" + r),
    ("c4_quality", C4QualityFilter, None, lambda r: "c4_quality:" + r),
    ("c4_paragraph", C4ParagraphFilter, lambda t, r: c4_paragraph_metric(t), lambda r: "c4_paragraph:too_few_paragraphs"),
    ("fineweb_quality", FineWebQualityFilter, lambda t, r: [fineweb_metric(t, r)], lambda r: "fineweb_quality:" + r),
]
for name in sorted(texts):
    text = texts[name]
    for stage, make, metric, reason_name in filters:
        doc = Document(text=text, id=name)
        result = make().filter(doc)
        if result is True:
            rewritten = stage == "c4_quality" and doc.text != text
            verdict = '"rewrite"' if rewritten else "nil"
            print(f'("{name}", "{stage}", {verdict}, []),')
        else:
            _, reason = result
            ms = metric(text, reason) if metric else []
            mtxt = ", ".join(f'("{k}", {float(v)!r})' for k, v in ms)
            print(f'("{name}", "{stage}", "{reason_name(reason)}", [{mtxt}]),')
    if name.startswith("gutenberg") or name.startswith("wiki"):
        doc = Document(text=text, id=name)
        if C4QualityFilter().filter(doc) is True and doc.text != text:
            with open(os.path.join(out_dir, name + ".c4.txt"), "w", encoding="utf-8", newline="") as f:
                f.write(doc.text)
