import CurateCore
import CurateIO

/// The `.tiktoken` ranks format: one line per token, its bytes in base64, a space and its
/// rank. It names neither the split pattern nor the special tokens, so curate writes them
/// beside it in a sidecar, `NAME.tiktoken.json`:
///
///     {"pattern": "cl100k", "pat_str": "<the regex>", "special_tokens": {"<|endoftext|>": 100257}}
///
/// `pattern` is the `SplitPattern` name; `pat_str` the regex, as tiktoken's `Encoding`
/// takes it.
public enum TiktokenFile {
    /// The sidecar's path for a ranks file.
    public static func sidecarPath(for path: String) -> String { path + ".json" }

    /// The ranks in `bytes`, the content of the file at `path` (named in errors).
    public static func parseRanks(_ bytes: [UInt8], path: String) throws(TokenizerError) -> Vocabulary {
        var entries: [(bytes: [UInt8], rank: UInt32)] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            defer { start = end + 1 }
            var line = bytes[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else {
                throw .invalidFile(path: path, line: lineNumber, message: "expected base64 token, a space and a rank")
            }
            guard let token = Base64.decode(line[line.startIndex..<space]) else {
                throw .invalidFile(path: path, line: lineNumber, message: "token is not base64")
            }
            guard let rank = UInt32(String(decoding: line[(space + 1)...], as: UTF8.self)), rank < UInt32.max else {
                throw .invalidFile(path: path, line: lineNumber, message: "rank is not a non-negative integer")
            }
            entries.append((token, rank))
        }
        do {
            return try Vocabulary(entries)
        } catch {
            throw .invalidFile(path: path, line: 0, message: error.description)
        }
    }

    /// The ranks file of `vocabulary`, in rank order.
    public static func ranksBytes(_ vocabulary: Vocabulary) -> [UInt8] {
        var out: [UInt8] = []
        for (bytes, rank) in vocabulary.entries {
            out.append(contentsOf: Base64.encode(bytes))
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: String(rank).utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The sidecar of `tokenizer`.
    public static func sidecarBytes(_ tokenizer: Tokenizer) -> [UInt8] {
        let specials = tokenizer.specialTokens.sorted { $0.value < $1.value }
        let value = JSONValue.object(JSONObject([
            ("pattern", .string(tokenizer.pattern.rawValue)),
            ("pat_str", .string(tokenizer.pattern.regex)),
            ("special_tokens", .object(JSONObject(specials.map { ($0.key, JSONValue.integer(Int($0.value))) }))),
        ]))
        return Array((JSONWriter.serialize(value, pretty: true) + "\n").utf8)
    }

    /// Writes the ranks to `path` and the sidecar beside it.
    public static func write(_ tokenizer: Tokenizer, to path: String) throws(IOError) {
        try DurableFile.write(ranksBytes(tokenizer.vocabulary), to: path)
        try DurableFile.write(sidecarBytes(tokenizer), to: sidecarPath(for: path))
    }

    /// The tokenizer of the ranks file at `path`. The pattern is `pattern` if given, else
    /// the sidecar's; special tokens are the sidecar's, or without one tiktoken's for the
    /// pattern (so that `gpt2.tiktoken` with `.gpt2` is tiktoken's gpt2 encoding).
    public static func load(_ path: String, pattern: SplitPattern? = nil) throws(TokenizerError) -> Tokenizer {
        let vocabulary = try parseRanks(try read(path), path: path)
        let sidecar = sidecarPath(for: path)
        var chosen = pattern
        var specials: [String: UInt32]? = nil
        if let bytes = try? readFileBytes(sidecar) {
            let (sidecarPattern, sidecarSpecials) = try parseSidecar(bytes, path: sidecar)
            chosen = chosen ?? sidecarPattern
            specials = sidecarSpecials
        }
        guard let chosen else {
            throw .invalidFile(path: path, line: 0, message: "no split pattern: give one (gpt2, cl100k, o200k) or put a sidecar at \(sidecar)")
        }
        return try Tokenizer(pattern: chosen, vocabulary: vocabulary, specialTokens: specials ?? chosen.tiktokenSpecialTokens)
    }

    static func parseSidecar(_ bytes: [UInt8], path: String) throws(TokenizerError) -> (SplitPattern, [String: UInt32]) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .invalidFile(path: path, line: error.position(in: bytes).line, message: error.message)
        }
        guard case let .object(object) = value else { throw .invalidFile(path: path, line: 0, message: "expected an object") }
        let pattern: SplitPattern?
        switch (object["pattern"], object["pat_str"]) {
        case let (.string(name)?, _): pattern = SplitPattern(name: name)
        case let (nil, .string(regex)?): pattern = SplitPattern(name: regex)
        default: pattern = nil
        }
        guard let pattern else {
            throw .invalidFile(path: path, line: 0, message: "pattern: expected one of gpt2, cl100k, o200k")
        }
        var specials: [String: UInt32] = [:]
        if case let .object(tokens)? = object["special_tokens"] {
            for (token, id) in tokens {
                guard case let .number(text) = id, let id = UInt32(text) else {
                    throw .invalidFile(path: path, line: 0, message: "special_tokens.\(token): expected a non-negative integer id")
                }
                specials[token] = id
            }
        }
        return (pattern, specials)
    }

    static func read(_ path: String) throws(TokenizerError) -> [UInt8] {
        do {
            return try readFileBytes(path)
        } catch {
            throw .invalidFile(path: path, line: 0, message: error.message)
        }
    }
}
