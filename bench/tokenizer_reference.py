#!/usr/bin/env python3
"""Reference trainers and compression for bench/tokenizer.sh.

usage: tokenizer_reference.py train-hf DOCS.jsonl VOCAB OUT.json
       tokenizer_reference.py train-spm DOCS.jsonl VOCAB OUT_PREFIX THREADS [SENTENCES]
       tokenizer_reference.py bytes-per-token (hf FILE.json | spm FILE.model) DOCS.jsonl...

train-hf: Hugging Face tokenizers, byte-level BPE (ByteLevel pre-tokenizer with its GPT-2
regex, the 256 byte symbols as the initial alphabet), min_frequency 2, <|endoftext|>.
train-spm: sentencepiece BPE with byte fallback over the lines of the documents (it
trains on sentences and skips those over 4,192 bytes; whole books would be skipped);
SENTENCES > 0 samples that many lines (its input_sentence_size), else all lines are used.
No normalization and white space kept, so that it encodes text losslessly like the others.
bytes-per-token: UTF-8 bytes of the documents' text over their token count, per file."""
import json, sys

def texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]

def lines(path):
    for text in texts(path):
        for line in text.splitlines():
            if line.strip():
                yield line

def train_hf(path, vocab, out):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=2, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(texts(path), trainer)
    tokenizer.save(out)

def train_spm(path, vocab, prefix, threads, sentences=0):
    import sentencepiece as spm
    spm.SentencePieceTrainer.train(sentence_iterator=lines(path), model_prefix=prefix, vocab_size=vocab,
                                   model_type="bpe", byte_fallback=True, normalization_rule_name="identity",
                                   remove_extra_whitespaces=False, input_sentence_size=sentences,
                                   shuffle_input_sentence=sentences > 0, train_extremely_large_corpus=True,
                                   num_threads=threads, minloglevel=2)

def bytes_per_token(kind, model, paths):
    if kind == "hf":
        from tokenizers import Tokenizer
        tokenizer = Tokenizer.from_file(model)
        count = lambda batch: sum(len(e.ids) for e in tokenizer.encode_batch(batch, add_special_tokens=False))
    else:
        import sentencepiece as spm
        processor = spm.SentencePieceProcessor(model_file=model)
        count = lambda batch: sum(map(len, processor.encode(batch)))
    figures = []
    for path in paths:
        docs = list(texts(path))
        size = sum(len(t.encode("utf-8")) for t in docs)
        figures.append(f"{size / count(docs):.3f}")
    print(" ".join(figures))

if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "train-hf":
        train_hf(args[0], int(args[1]), args[2])
    elif command == "train-spm":
        train_spm(args[0], int(args[1]), args[2], int(args[3]), int(args[4]) if len(args) > 4 else 0)
    else:
        bytes_per_token(args[0], args[1], args[2:])
