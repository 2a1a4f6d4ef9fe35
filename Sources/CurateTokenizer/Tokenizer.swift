import Dispatch

/// Which special tokens an encode call may produce (`allowed`) or must refuse (`disallowed`).
public enum SpecialTokenSet: Sendable, Equatable {
    case none
    case all
    case only(Set<String>)

    func contains(_ token: String) -> Bool {
        switch self {
        case .none: false
        case .all: true
        case let .only(set): set.contains(token)
        }
    }
}

/// A byte-level BPE tokenizer: a split pattern, mergeable ranks and special tokens, with
/// tiktoken's encoding semantics.
public struct Tokenizer: Sendable {
    public let pattern: SplitPattern
    public let vocabulary: Vocabulary
    /// Special tokens and their ids, by text.
    public let specialTokens: [String: UInt32]
    let specials: SpecialTokenMatcher
    private let specialByID: [UInt32: [UInt8]]
    /// Made with the tokenizer, so that its one-time table building is part of loading.
    let preTokenizer: PreTokenizer

    public init(pattern: SplitPattern, vocabulary: Vocabulary, specialTokens: [String: UInt32] = [:]) throws(TokenizerError) {
        for (token, id) in specialTokens where vocabulary.bytes(of: id) != nil {
            throw .invalidVocabulary("special token \(token) has id \(id), which a mergeable token has")
        }
        self.pattern = pattern
        self.vocabulary = vocabulary
        self.specialTokens = specialTokens
        self.specials = SpecialTokenMatcher(specialTokens)
        self.specialByID = Dictionary(uniqueKeysWithValues: specialTokens.map { ($0.value, Array($0.key.utf8)) })
        self.preTokenizer = PreTokenizer(pattern)
    }

    /// Number of token ids: one more than the largest mergeable or special id.
    public var vocabularySize: Int {
        max(vocabulary.count, (specialTokens.values.max().map { Int($0) + 1 }) ?? 0)
    }

    /// A reusable encoder with its own chunk cache, for one thread.
    public func makeEncoder() -> TokenEncoder { TokenEncoder(self) }

    /// The tokens of `text`, reading special token text as plain text.
    public func encodeOrdinary(_ text: [UInt8]) -> [UInt32] {
        var encoder = makeEncoder()
        return encoder.encodeOrdinary(text)
    }

    /// The tokens of `text`. Special tokens in `allowed` become their ids; meeting one in
    /// `disallowed` (by default every special token not allowed) throws, as tiktoken does.
    public func encode(
        _ text: [UInt8], allowed: SpecialTokenSet = .none, disallowed: SpecialTokenSet = .all
    ) throws(TokenizerError) -> [UInt32] {
        var encoder = makeEncoder()
        return try encoder.encode(text, allowed: allowed, disallowed: disallowed)
    }

    /// The tokens of each text, encoded on `workers` threads; the result is in input order.
    public func encodeBatch(
        _ texts: [[UInt8]], workers: Int, allowed: SpecialTokenSet = .none, disallowed: SpecialTokenSet = .all
    ) throws(TokenizerError) -> [[UInt32]] {
        let results = UnsafeResults<Result<[UInt32], TokenizerError>>(count: texts.count)
        let threads = max(1, min(workers, texts.count))
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var encoder = makeEncoder()
            while true {
                let i = next.increment()
                guard i < texts.count else { return }
                results.set(i, Result { () throws(TokenizerError) in try encoder.encode(texts[i], allowed: allowed, disallowed: disallowed) })
            }
        }
        return try results.values.map { result throws(TokenizerError) in try result.get() }
    }

    /// The bytes of `tokens`, special tokens as their text.
    public func decodeBytes(_ tokens: [UInt32]) throws(TokenizerError) -> [UInt8] {
        var out: [UInt8] = []
        for token in tokens {
            if let bytes = vocabulary.bytes(of: token) {
                out.append(contentsOf: bytes)
            } else if let bytes = specialByID[token] {
                out.append(contentsOf: bytes)
            } else {
                throw .unknownToken(token)
            }
        }
        return out
    }

    /// The text of `tokens`; bytes that are not valid UTF-8 (a character cut between
    /// tokens) become U+FFFD.
    public func decode(_ tokens: [UInt32]) throws(TokenizerError) -> String {
        String(decoding: try decodeBytes(tokens), as: UTF8.self)
    }
}

/// Encodes texts with one `Tokenizer`, keeping split buffers and a cache of the tokens of
/// recent multi-token chunks. Not for use from several threads at once.
public struct TokenEncoder {
    public let tokenizer: Tokenizer
    private let preTokenizer: PreTokenizer
    private var scratch = SplitScratch()
    private var ends: [Int] = []
    private var merger = BytePairMerge()
    private var cache = ByteSequenceMap(capacity: 1 << 12)
    /// Cached token lists: at a cache value `v`, `cached[v]` tokens follow.
    private var cached: [UInt32] = []
    private static let cacheLimit = 1 << 16

    init(_ tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
        self.preTokenizer = tokenizer.preTokenizer
    }

    /// The tokens of `text`, reading special token text as plain text.
    public mutating func encodeOrdinary(_ text: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        text.withUnsafeBufferPointer { encodeOrdinary($0, into: &out) }
        return out
    }

    /// The tokens of `text` (see `Tokenizer.encode`).
    public mutating func encode(
        _ text: [UInt8], allowed: SpecialTokenSet = .none, disallowed: SpecialTokenSet = .all
    ) throws(TokenizerError) -> [UInt32] {
        var out: [UInt32] = []
        try text.withUnsafeBufferPointer { (p) throws(TokenizerError) in try encode(p, allowed: allowed, disallowed: disallowed, into: &out) }
        return out
    }

    /// Appends the tokens of `text` to `out` (see `Tokenizer.encode`).
    public mutating func encode(
        _ text: UnsafeBufferPointer<UInt8>, allowed: SpecialTokenSet = .none, disallowed: SpecialTokenSet = .all,
        into out: inout [UInt32]
    ) throws(TokenizerError) {
        let specials = tokenizer.specials
        guard !specials.isEmpty else { return encodeOrdinary(text, into: &out) }
        let isDisallowed: (String) -> Bool = { token in
            disallowed == .all ? !allowed.contains(token) : disallowed.contains(token)
        }
        if let found = specials.first(in: text, from: 0, where: isDisallowed) {
            throw .disallowedSpecialToken(found.token)
        }
        var start = 0
        var from = 0
        while true {
            let found = specials.first(in: text, from: from, where: { allowed.contains($0) })
            let end = found?.range.lowerBound ?? text.count
            encodeOrdinary(UnsafeBufferPointer(rebasing: text[start..<end]), into: &out)
            guard let found else { break }
            out.append(found.id)
            start = found.range.upperBound
            from = start
        }
    }

    /// Appends the tokens of `text` to `out`, reading special token text as plain text.
    public mutating func encodeOrdinary(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        ends.removeAll(keepingCapacity: true)
        preTokenizer.split(text, scratch: &scratch, into: &ends)
        let vocabulary = tokenizer.vocabulary
        var start = 0
        for end in ends {
            let p = base + start
            let n = end - start
            start = end
            if let rank = vocabulary.map.get(p, n) {
                out.append(rank)
                continue
            }
            if let at = cache.get(p, n) {
                let k = Int(at)
                out.append(contentsOf: cached[(k + 1)..<(k + 1 + Int(cached[k]))])
                continue
            }
            let before = out.count
            merger.merge(p, n, vocabulary: vocabulary, into: &out)
            if n <= 64 {
                if cache.count >= TokenEncoder.cacheLimit {
                    cache.removeAll()
                    cached.removeAll(keepingCapacity: true)
                }
                cache.insert(UnsafeBufferPointer(start: p, count: n), UInt32(cached.count))
                cached.append(UInt32(out.count - before))
                cached.append(contentsOf: out[before...])
            }
        }
    }
}
