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
    /// listed in the rank order of the tokens they make. Special tokens are listed in
    /// `model.vocab` as well as in `added_tokens`: `tokenizers` keeps an added token's id only
    /// when the model knows it, and numbers the others from the vocabulary size on, which
    /// would move ids past a gap (cl100k_base has no token 100256).
    public static func bytes(_ tokenizer: Tokenizer) -> [UInt8] {
        let vocabulary = tokenizer.vocabulary
        let entries = vocabulary.entries
        let specials = tokenizer.specialTokens.sorted { $0.value < $1.value }
        var vocab: [(key: String, value: JSONValue)] = []
        vocab.reserveCapacity(entries.count + specials.count)
        var merges: [JSONValue] = []
        for (bytes, rank) in entries {
            vocab.append((ByteLevelAlphabet.encode(bytes), .integer(Int(rank))))
            if let (left, right) = vocabulary.mergeParts(of: rank) {
                let l = ByteLevelAlphabet.encode(vocabulary.bytes(of: left)!)
                let r = ByteLevelAlphabet.encode(vocabulary.bytes(of: right)!)
                merges.append(.string(l + " " + r))
            }
        }
        vocab += specials.map { ($0.key, .integer(Int($0.value))) }
        let added: [JSONValue] = specials.map { token, id in
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
                        ("type", .string("Split")), ("pattern", .object(JSONObject([("Regex", .string(tokenizer.pattern.onigurumaRegex))]))),
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
        let file: Members
        do {
            file = try restoringErrorType(JSONSyntaxError.self) {
                try text.withUnsafeBufferPointer { buffer in
                    var parser = JSONParser(buffer)
                    let members = try Members.read(&parser)
                    try parser.expectEnd()
                    return members
                }
            }
        } catch {
            throw .invalidFile(path: path, line: error.position(in: text).line, message: error.message)
        }
        guard let modelType = file.modelType else { throw fail("no \"model\" object") }
        guard modelType == .string("BPE") else { throw fail("model.type: only BPE models are supported") }
        guard let vocab = file.vocab else { throw fail("model.vocab: expected an object") }
        // Special added tokens are special tokens even when model.vocab lists them too, as HF
        // files usually do; other added tokens already in the vocabulary stay mergeable.
        var added: [(content: String, id: UInt32, special: Bool)] = []
        if case let .array(list)? = file.root["added_tokens"] {
            for case let .object(token) in list {
                guard case let .string(content)? = token["content"], case let .number(number)? = token["id"], let id = UInt32(number) else {
                    throw fail("added_tokens: expected objects with content and id")
                }
                added.append((content, id, token["special"] == .bool(true)))
            }
        }
        let specialContents = Set(added.filter(\.special).map(\.content))
        var entries: [(bytes: [UInt8], rank: UInt32)] = []
        entries.reserveCapacity(vocab.count)
        for (token, id) in vocab where !specialContents.contains(token) {
            guard case let .number(number) = id, let rank = UInt32(number) else { throw fail("model.vocab.\(token): expected an integer id") }
            guard let bytes = ByteLevelAlphabet.decode(token) else {
                throw fail("model.vocab: token \(token) is not in the ByteLevel alphabet (not a byte-level BPE)")
            }
            entries.append((bytes, rank))
        }
        let pattern = if let override { override } else { try detectPattern(file.root["pre_tokenizer"], fail) }
        let ranks = Set(entries.map(\.rank))
        var specials: [String: UInt32] = [:]
        for token in added where token.special || !ranks.contains(token.id) {
            specials[token.content] = token.id
        }
        let specialIDs = Set(specials.values)
        entries.removeAll { specialIDs.contains($0.rank) }
        do {
            return try Tokenizer(pattern: pattern, vocabulary: try Vocabulary(entries), specialTokens: specials)
        } catch {
            throw fail(error.description)
        }
    }

    /// The parts of a tokenizer.json the loader uses, read member by member: the vocabulary
    /// has a member per token, too many to gather into a `JSONObject`.
    private struct Members {
        /// The top-level members other than `model`.
        var root = JSONObject()
        var modelType: JSONValue?
        var vocab: [(token: String, id: JSONValue)]?

        static func read(_ parser: inout JSONParser) throws(JSONSyntaxError) -> Members {
            var members = Members()
            try forEachMember(&parser) { (parser: inout JSONParser, key: String) throws(JSONSyntaxError) in
                guard key == "model", parser.peekValueStart() == UInt8(ascii: "{") else {
                    members.root[key] = try parser.parseValue()
                    return
                }
                members.modelType = .null
                try forEachMember(&parser) { (parser: inout JSONParser, key: String) throws(JSONSyntaxError) in
                    switch key {
                    case "type":
                        members.modelType = try parser.parseValue()
                    case "vocab" where parser.peekValueStart() == UInt8(ascii: "{"):
                        var vocab: [(token: String, id: JSONValue)] = []
                        try forEachMember(&parser) { (parser: inout JSONParser, token: String) throws(JSONSyntaxError) in
                            vocab.append((token, try parser.parseValue()))
                        }
                        members.vocab = vocab
                    default:
                        _ = try parser.parseValue()
                    }
                }
            }
            return members
        }

        /// Calls `body` with each member key of the object that comes next; `body` reads
        /// the member's value.
        private static func forEachMember(
            _ parser: inout JSONParser, _ body: (inout JSONParser, String) throws(JSONSyntaxError) -> Void
        ) throws(JSONSyntaxError) {
            if try parser.beginObject() { return }
            repeat {
                let key = try parser.memberKey()
                try body(&parser, key)
            } while try parser.nextMember()
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
