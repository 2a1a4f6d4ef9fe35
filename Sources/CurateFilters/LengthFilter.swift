import CurateCore

/// Drops documents whose length in characters (Unicode scalars, as Python's `len`) or in
/// words (runs of non-space characters, as Python's `str.split()`) is out of bounds.
public struct LengthFilter: Stage {
    public let minChars: Int
    public let maxChars: Int?
    public let minWords: Int
    public let maxWords: Int?

    public init(minChars: Int = 0, maxChars: Int? = nil, minWords: Int = 0, maxWords: Int? = nil) {
        self.minChars = minChars
        self.maxChars = maxChars
        self.minWords = minWords
        self.maxWords = maxWords
    }

    public static let definition = StageDefinition(
        type: "length",
        summary: "Drop documents with too few or too many characters or words.",
        parameters: [
            Parameter("min_chars", .integer(min: 0), default: .integer(0), "Fewest characters (Unicode scalars) a kept document has."),
            Parameter("max_chars", .integer(min: 0), "Most characters a kept document has; unset for no limit."),
            Parameter("min_words", .integer(min: 0), default: .integer(0), "Fewest words (white-space separated) a kept document has."),
            Parameter("max_words", .integer(min: 0), "Most words a kept document has; unset for no limit."),
        ]
    ) { options throws(OptionError) in
        let filter = LengthFilter(
            minChars: options.int("min_chars") ?? 0, maxChars: options.int("max_chars"),
            minWords: options.int("min_words") ?? 0, maxWords: options.int("max_words"))
        if let max = filter.maxChars, max < filter.minChars {
            throw OptionError(key: "max_chars", "must be at least min_chars (\(filter.minChars)), got \(max)")
        }
        if let max = filter.maxWords, max < filter.minWords {
            throw OptionError(key: "max_words", "must be at least min_words (\(filter.minWords)), got \(max)")
        }
        return filter
    }

    public func process(_ document: inout Document) -> Verdict {
        let (chars, words) = document.text.withUnsafeBufferPointer { p in
            (UTF8Bytes.scalarCount(p), minWords > 0 || maxWords != nil ? UTF8Bytes.wordCount(p) : 0)
        }
        let metrics = [Metric("chars", Double(chars))] + (minWords > 0 || maxWords != nil ? [Metric("words", Double(words))] : [])
        if chars < minChars { return .drop(reason: "too_few_chars", metrics: metrics) }
        if let maxChars, chars > maxChars { return .drop(reason: "too_many_chars", metrics: metrics) }
        if words < minWords { return .drop(reason: "too_few_words", metrics: metrics) }
        if let maxWords, words > maxWords { return .drop(reason: "too_many_words", metrics: metrics) }
        return .keep
    }
}
