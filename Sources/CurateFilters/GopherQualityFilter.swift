import CurateCore

/// Gopher's quality rules (Rae et al. 2021, as datatrove's `GopherQualityFilter`): word count,
/// mean word length, `#` and ellipsis to word ratios, bullet and ellipsis-ended lines,
/// words with a letter, and English stop words. Words are the English tokenizer's
/// (``EnglishWordTokenizer``); a threshold that is unset or zero is not checked.
///
/// Drop reasons: `gopher_quality:` + `short_doc`, `long_doc`, `below_avg_threshold`,
/// `above_avg_threshold`, `too_many_hashes`, `too_many_ellipsis`, `too_many_bullets`,
/// `too_many_end_ellipsis`, `below_alpha_threshold`, `enough_stop_words` (datatrove's
/// `gopher_*` reasons).
public struct GopherQualityFilter: Stage {
    public var minDocWords: Int? = 50
    public var maxDocWords: Int? = 100_000
    public var minAvgWordLength: Double? = 3
    public var maxAvgWordLength: Double? = 10
    public var maxSymbolWordRatio: Double? = 0.1
    public var maxBulletLinesRatio: Double? = 0.9
    public var maxEllipsisLinesRatio: Double? = 0.3
    public var minAlphaWordsRatio: Double? = 0.8
    public var minStopWords: Int? = 2
    public var stopWords: [String] = Self.defaultStopWords {
        didSet { wantedStopWords = Self.distinctScalars(stopWords) }
    }
    /// The distinct stop words as scalars.
    private var wantedStopWords = Self.distinctScalars(Self.defaultStopWords)

    private static let defaultStopWords = ["the", "be", "to", "of", "and", "that", "have", "with"]

    private let tokenizer = EnglishWordTokenizer()

    public init() {}

    public static let definition = StageDefinition(
        type: "gopher_quality",
        summary: "Drop documents failing Gopher's quality rules (length, word length, symbols, bullets, stop words).",
        parameters: [
            Parameter("min_doc_words", .integer(min: 0), default: .integer(50), "Fewest words (not counting pure-symbol words) a kept document has; 0 or null: no check."),
            Parameter("max_doc_words", .integer(min: 0), default: .integer(100_000), "Most words a kept document has; 0 or null: no check."),
            Parameter("min_avg_word_length", .number(min: 0), default: .number("3"), "Smallest mean word length in characters; 0 or null: no check."),
            Parameter("max_avg_word_length", .number(min: 0), default: .number("10"), "Largest mean word length in characters; 0 or null: no check."),
            Parameter("max_symbol_word_ratio", .number(min: 0), default: .number("0.1"), "Largest ratio of `#` (and of `...`/`…`) to words; 0 or null: no check."),
            Parameter("max_bullet_lines_ratio", .number(min: 0), default: .number("0.9"), "Largest share of lines starting with `•` or `-`; 0 or null: no check."),
            Parameter("max_ellipsis_lines_ratio", .number(min: 0), default: .number("0.3"), "Largest share of lines ending with `...` or `…`; 0 or null: no check."),
            Parameter("max_non_alpha_words_ratio", .number(min: 0), default: .number("0.8"), "Smallest share of words with a letter (datatrove's name); 0 or null: no check."),
            Parameter("min_stop_words", .integer(min: 0), default: .integer(2), "Fewest distinct stop words a kept document has; 0 or null: no check."),
            Parameter("stop_words", .stringList, default: .array(defaultStopWords.map { .string($0) }), "The stop words (matched case-sensitively against whole words)."),
        ]
    ) { options throws(OptionError) in
        var f = GopherQualityFilter()
        f.minDocWords = options.int("min_doc_words")
        f.maxDocWords = options.int("max_doc_words")
        f.minAvgWordLength = options.double("min_avg_word_length")
        f.maxAvgWordLength = options.double("max_avg_word_length")
        f.maxSymbolWordRatio = options.double("max_symbol_word_ratio")
        f.maxBulletLinesRatio = options.double("max_bullet_lines_ratio")
        f.maxEllipsisLinesRatio = options.double("max_ellipsis_lines_ratio")
        f.minAlphaWordsRatio = options.double("max_non_alpha_words_ratio")
        f.minStopWords = options.int("min_stop_words")
        f.stopWords = options.strings("stop_words") ?? f.stopWords
        return f
    }

    private static func on(_ x: Int?) -> Int? { x.flatMap { $0 == 0 ? nil : $0 } }
    private static func on(_ x: Double?) -> Double? { x.flatMap { $0 == 0 ? nil : $0 } }

    public func process(_ document: inout Document) -> Verdict {
        let text = ScalarText(document.text)
        let words = tokenizer.words(text)
        let s = text.scalars
        var contentWords = 0, contentChars = 0, alphaWords = 0
        for w in words {
            var symbolOnly = true, alpha = false
            for i in w {
                let c = s[i]
                if symbolOnly, !FilterPunctuation.isSymbol(c) { symbolOnly = false }
                if !alpha, ScalarText.isAlpha(c) { alpha = true }
                if !symbolOnly && alpha { break }
            }
            if !symbolOnly { contentWords += 1; contentChars += w.count }
            if alpha { alphaWords += 1 }
        }
        if let min = Self.on(minDocWords), contentWords < min {
            return drop("short_doc", "words", Double(contentWords))
        }
        if let max = Self.on(maxDocWords), contentWords > max {
            return drop("long_doc", "words", Double(contentWords))
        }
        let meanLength = Double(contentChars) / Double(contentWords)
        if let min = Self.on(minAvgWordLength), meanLength < min {
            return drop("below_avg_threshold", "avg_word_length", meanLength)
        }
        if let max = Self.on(maxAvgWordLength), meanLength > max {
            return drop("above_avg_threshold", "avg_word_length", meanLength)
        }
        let n = Double(words.count)
        if let max = Self.on(maxSymbolWordRatio) {
            let symbols = Self.symbolCounts(text)
            let hashes = Double(symbols.hashes) / n
            if hashes > max { return drop("too_many_hashes", "hash_word_ratio", hashes) }
            let ellipses = Double(symbols.ellipses) / n
            if ellipses > max { return drop("too_many_ellipsis", "ellipsis_word_ratio", ellipses) }
        }
        let lines = text.splitLines()
        if let max = Self.on(maxBulletLinesRatio) {
            var bullets = 0
            for line in lines {
                let body = text.strip(line)
                if !body.isEmpty, s[body.lowerBound] == 0x2022 || s[body.lowerBound] == 0x2D { bullets += 1 }
            }
            let ratio = Double(bullets) / Double(lines.count)
            if ratio > max { return drop("too_many_bullets", "bullet_lines_ratio", ratio) }
        }
        if let max = Self.on(maxEllipsisLinesRatio) {
            var ended = 0
            for line in lines {
                let body = text.strip(line)
                if text.hasSuffix("...", in: body) || (!body.isEmpty && s[body.upperBound - 1] == 0x2026) { ended += 1 }
            }
            let ratio = Double(ended) / Double(lines.count)
            if ratio > max { return drop("too_many_end_ellipsis", "ellipsis_lines_ratio", ratio) }
        }
        if let min = Self.on(minAlphaWordsRatio) {
            let ratio = Double(alphaWords) / n
            if ratio < min { return drop("below_alpha_threshold", "alpha_words_ratio", ratio) }
        }
        if let min = Self.on(minStopWords) {
            let found = stopWordsFound(text, words)
            if found < min { return drop("enough_stop_words", "stop_words", Double(found)) }
        }
        return .keep
    }

    /// The number of `#`, and of `...` (not overlapping, as Python's `str.count`) and `…`
    /// together, in one pass that skips eight characters at a time where none is `#`, `.` or `…`.
    static func symbolCounts(_ text: ScalarText) -> (hashes: Int, ellipses: Int) {
        text.scalars.withUnsafeBufferPointer { s in
            var hashes = 0, ellipses = 0, i = 0
            let n = s.count
            while i < n {
                if let base = s.baseAddress, i + 8 <= n {
                    let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<UInt32>.self)
                    let hash = v .== SIMD8<UInt32>(repeating: 0x23)
                    let dot = v .== SIMD8<UInt32>(repeating: 0x2E)
                    let ellipsis = v .== SIMD8<UInt32>(repeating: 0x2026)
                    let lanes = unsafeBitCast(hash .| dot .| ellipsis, to: SIMD4<UInt64>.self)
                    if lanes[0] | lanes[1] | lanes[2] | lanes[3] == 0 {
                        i += 8
                        continue
                    }
                }
                switch s[i] {
                case 0x23: hashes += 1
                case 0x2026: ellipses += 1
                case 0x2E where i + 2 < n && s[i + 1] == 0x2E && s[i + 2] == 0x2E:
                    ellipses += 1
                    i += 2
                default: break
                }
                i += 1
            }
            return (hashes, ellipses)
        }
    }

    private static func distinctScalars(_ words: [String]) -> [[UInt32]] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }.map { $0.unicodeScalars.map(\.value) }
    }

    private func stopWordsFound(_ text: ScalarText, _ words: [Range<Int>]) -> Int {
        let wanted = wantedStopWords
        // Bit n set when a stop word not yet seen has n characters: most words need no compare.
        var lengths: UInt64 = 0
        for stop in wanted where stop.count < 64 { lengths |= 1 << UInt64(stop.count) }
        var seen = [Bool](repeating: false, count: wanted.count)
        var found = 0
        let long = wanted.contains { $0.count >= 64 }
        text.scalars.withUnsafeBufferPointer { s in
            for w in words where long || (w.count < 64 && lengths >> UInt64(w.count) & 1 != 0) {
                for (k, stop) in wanted.enumerated() where !seen[k] && stop.count == w.count {
                    if stop.elementsEqual(s[w]) {
                        seen[k] = true
                        found += 1
                    }
                }
                if found == wanted.count { break }
            }
        }
        return found
    }

    private func drop(_ reason: String, _ metric: String, _ value: Double) -> Verdict {
        .drop(reason: "gopher_quality:" + reason, metrics: [Metric(metric, value)])
    }
}
