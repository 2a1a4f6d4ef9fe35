import CurateTokenizer

/// Text that every loaded tokenizer encodes and decodes, with a special token in it.
private let sample = Array("Hello, wörld! 12345 <|endoftext|> ümlaut\n\n  tabs\tand 日本語".utf8)

/// Encodes and decodes `sample`; the ids must decode back to the text.
private func roundTrip(_ tokenizer: Tokenizer) {
    let ids = tokenizer.encodeOrdinary(sample)
    if let decoded = try? tokenizer.decodeBytes(ids) {
        precondition(decoded == sample, "decode(encode(text)) != text")
    }
}

extension FuzzTarget {
    /// The tiktoken ranks file parser; a vocabulary that loads must encode.
    static let tiktoken = FuzzTarget(name: "tiktoken") { input in
        guard let vocabulary = try? TiktokenFile.parseRanks(input, path: "fuzz.tiktoken"),
              let tokenizer = try? Tokenizer(pattern: .cl100k, vocabulary: vocabulary, specialTokens: ["<|endoftext|>": 1 << 20])
        else { return }
        roundTrip(tokenizer)
    }

    /// The tokenizer.json loader; a tokenizer that loads must encode.
    static let hfTokenizer = FuzzTarget(name: "hf_tokenizer") { input in
        let path = FuzzScratch.write(input, as: "tokenizer.json")
        guard let tokenizer = try? HFTokenizerFile.load(path) else { return }
        roundTrip(tokenizer)
    }
}
