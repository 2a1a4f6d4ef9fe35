import CurateCore

/// FineWeb's own rules (Penedo et al. 2024, as datatrove's `FineWebQualityFilter`), over the
/// non-blank `\n`-separated lines: the share ending in terminal punctuation, the share of
/// short lines, the characters in repeated lines, and newlines per word.
///
/// Drop reasons: `fineweb_quality:` + `empty`, `line_punct_ratio`, `short_line_ratio`,
/// `char_dup_ratio`, `list_ratio` (datatrove's reasons).
public struct FineWebQualityFilter: Stage {
    public var linePunctThreshold = 0.12
    public var linePunctExcludeZero = false
    /// Line endings that count as terminal punctuation; nil: every sentence terminal.
    public var stopChars: Set<UInt32>?
    public var shortLineThreshold = 0.67
    public var shortLineLength = 30
    public var charDuplicatesRatio = 0.01
    public var newLineRatio = 0.3

    private let tokenizer = EnglishWordTokenizer()

    public init() {}

    public static let definition = StageDefinition(
        type: "fineweb_quality",
        summary: "Drop documents failing FineWeb's line rules (punctuation, short lines, repeated lines, list-like text).",
        parameters: [
            Parameter("line_punct_thr", .number(min: 0), default: .number("0.12"), "Smallest share of lines ending in terminal punctuation."),
            Parameter("line_punct_exclude_zero", .boolean, default: .bool(false), "Keep documents where no line ends in terminal punctuation."),
            Parameter("stop_chars", .stringList, "The characters that end a line with punctuation; unset: every Unicode sentence terminal."),
            Parameter("short_line_thr", .number(min: 0), default: .number("0.67"), "Largest share of short lines."),
            Parameter("short_line_length", .integer(min: 0), default: .integer(30), "Characters at most for a line to be short."),
            Parameter("char_duplicates_ratio", .number(min: 0), default: .number("0.01"), "Largest share of characters (newlines aside) in lines repeating an earlier line."),
            Parameter("new_line_ratio", .number(min: 0), default: .number("0.3"), "Largest ratio of newlines to words."),
        ]
    ) { options throws(OptionError) in
        var f = FineWebQualityFilter()
        f.linePunctThreshold = options.double("line_punct_thr") ?? 0.12
        f.linePunctExcludeZero = options.bool("line_punct_exclude_zero") ?? false
        if let chars = options.strings("stop_chars") {
            var set = Set<UInt32>()
            for c in chars {
                guard c.unicodeScalars.count == 1 else {
                    throw OptionError(key: "stop_chars", "each entry must be one character, got \"\(c)\"")
                }
                set.insert(c.unicodeScalars.first!.value)
            }
            f.stopChars = set
        }
        f.shortLineThreshold = options.double("short_line_thr") ?? 0.67
        f.shortLineLength = options.int("short_line_length") ?? 30
        f.charDuplicatesRatio = options.double("char_duplicates_ratio") ?? 0.01
        f.newLineRatio = options.double("new_line_ratio") ?? 0.3
        return f
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = ScalarText(document.text)
        let lines = text.split(on: 0x0A).filter { !text.strip($0).isEmpty }
        guard !lines.isEmpty else { return .drop(reason: "fineweb_quality:empty", metrics: []) }
        let n = Double(lines.count)
        var punctuated = 0
        for line in lines {
            let last = text.scalars[line.upperBound - 1]
            if let stopChars { if stopChars.contains(last) { punctuated += 1 } }
            else if FilterPunctuation.isSentenceTerminal(last) { punctuated += 1 }
        }
        let punctRatio = Double(punctuated) / n
        if punctRatio < linePunctThreshold, !(punctRatio == 0 && linePunctExcludeZero) {
            return .drop(reason: "fineweb_quality:line_punct_ratio", metrics: [Metric("line_punct_ratio", punctRatio)])
        }
        let shortRatio = Double(lines.count { $0.count <= shortLineLength }) / n
        if shortRatio > shortLineThreshold {
            return .drop(reason: "fineweb_quality:short_line_ratio", metrics: [Metric("short_line_ratio", shortRatio)])
        }
        let newlines = text.occurrences(of: 0x0A)
        var seen = ScalarSpanSet(text: text, capacity: lines.count)
        var duplicateChars = 0
        for line in lines where !seen.insert(line) { duplicateChars += line.count }
        let dupRatio = Double(duplicateChars) / Double(text.count - newlines)
        if dupRatio > charDuplicatesRatio {
            return .drop(reason: "fineweb_quality:char_dup_ratio", metrics: [Metric("char_dup_ratio", dupRatio)])
        }
        let words = tokenizer.wordCount(text)
        let listRatio = Double(newlines) / Double(words)
        if listRatio > newLineRatio {
            return .drop(reason: "fineweb_quality:list_ratio", metrics: [Metric("list_ratio", listRatio)])
        }
        return .keep
    }
}
