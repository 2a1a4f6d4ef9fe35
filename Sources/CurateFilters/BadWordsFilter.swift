import CurateCore

/// Drops documents that contain a word of the bad-word list of their language, as C4 and
/// datatrove's `C4BadWordsFilter` do.
///
/// The document's `metadata.language` (else `default_language`) selects the list. Words match
/// whole (between non-word characters) and ignoring case, except for Japanese, Thai and
/// Chinese, which are written without spaces and match anywhere. With `keep_fraction` above
/// 0, a document with bad words is kept when `u < keep_fraction`, where `u` in [0, 1) comes
/// from a hash of the document id and `seed` (the top 53 bits of a splitmix64 finalisation of
/// the FNV-1a hash of the id, xor the seed): the same documents are kept whatever the number
/// of workers and the order of the input.
///
/// Where it differs from datatrove: list entries are lower-cased too (datatrove lower-cases
/// only the text, so its entries with capitals, 61 in the Spanish list and a few in de, fr,
/// tr, zh, tlh, never match); a language without a list drops the document with reason
/// `badwords:missing_language` where datatrove raises an error and stops (set
/// `fail_on_missing_language` false to keep such documents, as datatrove then does); the
/// metric counts every whole-word occurrence of every entry.
public struct BadWordsFilter: Stage {
    /// The languages whose words match anywhere rather than whole.
    public static let unspacedLanguages: Set<String> = ["ja", "th", "zh"]

    /// The bundled LDNOOBW lists, by language code (the ones datatrove uses).
    public static let bundledLanguages = [
        "ar", "cs", "da", "de", "en", "eo", "es", "fa", "fi", "fil", "fr", "fr-CA-u-sd-caqc", "hi", "hu", "it",
        "ja", "kab", "ko", "nl", "no", "pl", "pt", "ru", "sv", "th", "tlh", "tr", "zh",
    ]

    /// Words left out of every list: common parts of Japanese and Chinese words that would
    /// each remove more than 10% of the documents of their language (datatrove's allow-list).
    public static let defaultAllowed = ["sm", "グロ", "女の子", "性"]

    /// The counter of each language's words.
    public let counters: [String: TermCounter]
    public let keepFraction: Double
    public let seed: UInt64
    public let failOnMissingLanguage: Bool
    public let defaultLanguage: String

    /// A filter with `words` by language code.
    public init(
        words: [String: [String]], keepFraction: Double = 0, seed: UInt64 = 0,
        failOnMissingLanguage: Bool = true, defaultLanguage: String = "en"
    ) {
        counters = Dictionary(uniqueKeysWithValues: words.map { language, list in
            (language, TermCounter(terms: list, boundaries: Self.unspacedLanguages.contains(language) ? .anywhere : .words))
        })
        self.keepFraction = keepFraction
        self.seed = seed
        self.failOnMissingLanguage = failOnMissingLanguage
        self.defaultLanguage = defaultLanguage
    }

    public static let definition = StageDefinition(
        type: "badwords",
        summary: "Drop documents containing words of their language's bad-word list (C4, LDNOOBW).",
        parameters: [
            Parameter("lists", .stringList, default: .array(bundledLanguages.map { .string("\($0)=resource:wordlists/ldnoobw/\($0)") }),
                      "Word lists as \"LANG=PATH\" (one word or phrase per line); several files for one language are merged. Replaces the bundled LDNOOBW lists."),
            Parameter("allow", .stringList, default: .array(defaultAllowed.map { .string($0) }), "Words removed from every list."),
            Parameter("keep_fraction", .number(min: 0, max: 1), default: .integer(0), "Share of documents with bad words that are kept anyway."),
            Parameter("seed", .integer(min: 0), default: .integer(0), "Seed of the per-document draw for keep_fraction."),
            Parameter("fail_on_missing_language", .boolean, default: .bool(true),
                      "Drop documents whose language has no list (reason badwords:missing_language); when false they are kept."),
            Parameter("default_language", .string, default: .string("en"), "Language of documents without metadata.language."),
        ]
    ) { options throws(OptionError) in
        var words: [String: Set<String>] = [:]
        for entry in options.strings("lists") ?? [] {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
                throw OptionError(key: "lists", "expected \"LANG=PATH\", got \"\(entry)\"")
            }
            let language = String(entry[..<equals])
            let path = Resources.resolve(String(entry[entry.index(after: equals)...]), base: options.base)
            for line in try WordListFile.lines(path, option: "lists") {
                let word = WordListFile.stripped(line)
                if !word.isEmpty { words[language, default: []].insert(String(word)) }
            }
        }
        let allowed = Set(options.strings("allow") ?? [])
        return BadWordsFilter(
            words: words.mapValues { $0.subtracting(allowed).sorted() },
            keepFraction: options.double("keep_fraction") ?? 0, seed: UInt64(options.int("seed") ?? 0),
            failOnMissingLanguage: options.bool("fail_on_missing_language") ?? true,
            defaultLanguage: options.string("default_language") ?? "en")
    }

    public func process(_ document: inout Document) -> Verdict {
        let language: String
        if case let .string(value)? = document.metadata["language"] { language = value } else { language = defaultLanguage }
        guard let counter = counters[language] else {
            if failOnMissingLanguage {
                return .drop(reason: "badwords:missing_language", metrics: [], detail: "no bad-word list for language \"\(language)\"")
            }
            return .keep
        }
        let count = document.text.withUnsafeBufferPointer { counter.count(in: $0) }
        if count == 0 { return .keep }
        if keepFraction > 0 && Self.draw(id: document.id, seed: seed) < keepFraction { return .keep }
        return .drop(reason: "badwords:\(language)", metrics: [Metric("badwords", Double(count))])
    }

    /// The document's uniform draw in [0, 1) for `keep_fraction`.
    public static func draw(id: String, seed: UInt64) -> Double {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var z = (hash ^ seed) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}
