import CurateCore
import CurateIO

/// Hugging Face `tokenizer.json` for byte-level BPE, written so that
/// `tokenizers.Tokenizer.from_file` encodes as curate does: a `Split` pre-tokenizer with
/// the pattern (isolated matches) then `ByteLevel` without its own regex, a BPE model whose
/// vocabulary and merges are in the ByteLevel alphabet with `ignore_merges` (a chunk that
/// is a token stays whole, as in tiktoken), a ByteLevel decoder and the special tokens as
/// added tokens.
public enum HFTokenizerFile {
    /// The tokenizer.json of `tokenizer`. Merges are derived from ranks: the merge making a
    /// token joins the two parts its bytes merge into with lower ranks only, and merges are
    /// listed in the rank order of the tokens they make.
    public static func bytes(_ tokenizer: Tokenizer) -> [UInt8] {
        let vocabulary = tokenizer.vocabulary
        let entries = vocabulary.entries
        var vocab: [(key: String, value: JSONValue)] = []
        vocab.reserveCapacity(entries.count)
        var merges: [JSONValue] = []
        for (bytes, rank) in entries {
            vocab.append((ByteLevelAlphabet.encode(bytes), .integer(Int(rank))))
            if let (left, right) = vocabulary.mergeParts(of: rank) {
                let l = ByteLevelAlphabet.encode(vocabulary.bytes(of: left)!)
                let r = ByteLevelAlphabet.encode(vocabulary.bytes(of: right)!)
                merges.append(.string(l + " " + r))
            }
        }
        let added: [JSONValue] = tokenizer.specialTokens.sorted { $0.value < $1.value }.map { token, id in
            .object(JSONObject([
                ("id", .integer(Int(id))), ("content", .string(token)), ("single_word", .bool(false)),
                ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)), ("special", .bool(true)),
            ]))
        }
        let byteLevel = JSONObject([
            ("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(true)),
            ("use_regex", .bool(false)),
        ])
        let root = JSONObject([
            ("version", .string("1.0")),
            ("truncation", .null),
            ("padding", .null),
            ("added_tokens", .array(added)),
            ("normalizer", .null),
            ("pre_tokenizer", .object(JSONObject([
                ("type", .string("Sequence")),
                ("pretokenizers", .array([
                    .object(JSONObject([
                        ("type", .string("Split")), ("pattern", .object(JSONObject([("Regex", .string(tokenizer.pattern.regex))]))),
                        ("behavior", .string("Isolated")), ("invert", .bool(false)),
                    ])),
                    .object(byteLevel),
                ])),
            ]))),
            ("post_processor", .null),
            ("decoder", .object(byteLevel)),
            ("model", .object(JSONObject([
                ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null), ("continuing_subword_prefix", .null),
                ("end_of_word_suffix", .null), ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)),
                ("ignore_merges", .bool(true)), ("vocab", .object(JSONObject(vocab))), ("merges", .array(merges)),
            ]))),
        ])
        return Array((JSONWriter.serialize(.object(root)) + "\n").utf8)
    }

    public static func write(_ tokenizer: Tokenizer, to path: String) throws(IOError) {
        try DurableFile.write(bytes(tokenizer), to: path)
    }

    /// The tokenizer in a tokenizer.json: a BPE model in the ByteLevel alphabet, and a
    /// `Split` pre-tokenizer with one of curate's patterns (or ByteLevel with its own
    /// regex, which splits as gpt2). Token ids are taken as ranks: merging joins the pair
    /// whose bytes have the lowest id, which is the merge order for files whose merged
    /// tokens are numbered in merge order (those curate writes, and tiktoken conversions).
    public static func load(_ path: String, pattern override: SplitPattern? = nil) throws(TokenizerError) -> Tokenizer {
        let text = try TiktokenFile.read(path)
        func fail(_ message: String) -> TokenizerError { .invalidFile(path: path, line: 0, message: message) }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw .invalidFile(path: path, line: error.position(in: text).line, message: error.message)
        }
        guard case let .object(root) = value, case let .object(model)? = root["model"] else { throw fail("no \"model\" object") }
        guard case .string("BPE")? = model["type"] else { throw fail("model.type: only BPE models are supported") }
        guard case let .object(vocab)? = model["vocab"] else { throw fail("model.vocab: expected an object") }
        var entries: [(bytes: [UInt8], rank: UInt32)] = []
        entries.reserveCapacity(vocab.pairs.count)
        for (token, id) in vocab {
            guard case let .number(number) = id, let rank = UInt32(number) else { throw fail("model.vocab.\(token): expected an integer id") }
            guard let bytes = ByteLevelAlphabet.decode(token) else {
                throw fail("model.vocab: token \(token) is not in the ByteLevel alphabet (not a byte-level BPE)")
            }
            entries.append((bytes, rank))
        }
        let pattern = if let override { override } else { try detectPattern(root["pre_tokenizer"], fail) }
        // Special added tokens are special tokens even when model.vocab lists them too, as HF
        // files usually do; other added tokens already in the vocabulary stay mergeable.
        let ranks = Set(entries.map(\.rank))
        var specials: [String: UInt32] = [:]
        if case let .array(added)? = root["added_tokens"] {
            for case let .object(token) in added {
                guard case let .string(content)? = token["content"], case let .number(number)? = token["id"], let id = UInt32(number) else {
                    throw fail("added_tokens: expected objects with content and id")
                }
                let special = if case .bool(true)? = token["special"] { true } else { false }
                if ranks.contains(id), !special { continue }
                specials[content] = id
            }
        }
        let specialIDs = Set(specials.values)
        entries.removeAll { specialIDs.contains($0.rank) }
        do {
            return try Tokenizer(pattern: pattern, vocabulary: try Vocabulary(entries), specialTokens: specials)
        } catch {
            throw fail(error.description)
        }
    }

    private static func detectPattern(_ value: JSONValue?, _ fail: (String) -> TokenizerError) throws(TokenizerError) -> SplitPattern {
        guard case let .object(pre)? = value else { throw fail("pre_tokenizer: expected an object") }
        var steps = [pre]
        if case .string("Sequence")? = pre["type"], case let .array(list)? = pre["pretokenizers"] {
            steps = list.compactMap { if case let .object(o) = $0 { o } else { nil } }
        }
        for step in steps {
            switch step["type"] {
            case .string("Split")?:
                if case let .object(pattern)? = step["pattern"], case let .string(regex)? = pattern["Regex"],
                    let known = SplitPattern(name: regex)
                {
                    return known
                }
                throw fail("pre_tokenizer: the Split pattern is none of gpt2, cl100k, o200k; give the pattern")
            case .string("ByteLevel")?:
                if case .bool(false)? = step["use_regex"] { continue }
                return .gpt2
            default: continue
            }
        }
        throw fail("pre_tokenizer: no Split or ByteLevel step names the split pattern; give the pattern")
    }
}
