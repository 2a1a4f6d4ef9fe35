import CurateCore

/// Gopher's repetition rules (Rae et al. 2021, as datatrove's `GopherRepetitionFilter`):
/// the share of duplicated paragraphs and lines (by count and by characters), the
/// characters covered by the most frequent 2-, 3- and 4-gram of words, and the characters
/// covered by repeated 5- to 10-grams. Character shares are over the whole text's length.
///
/// Drop reasons: `gopher_repetition:` + `empty`, `dup_para_frac`, `dup_para_char_frac`,
/// `dup_line_frac`, `dup_line_char_frac`, `top_N_gram`, `duplicated_N_n_grams`.
public struct GopherRepetitionFilter: Stage {
    public var dupLineFrac: Double? = 0.3
    public var dupParaFrac: Double? = 0.3
    public var dupLineCharFrac: Double? = 0.2
    public var dupParaCharFrac: Double? = 0.2
    public var topNGrams: [(n: Int, fraction: Double)] = [(2, 0.2), (3, 0.18), (4, 0.16)]
    public var dupNGrams: [(n: Int, fraction: Double)] = [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)]

    private let tokenizer = EnglishWordTokenizer()

    public init() {}

    public static let definition = StageDefinition(
        type: "gopher_repetition",
        summary: "Drop documents with repeated lines, paragraphs or word n-grams (Gopher's repetition rules).",
        parameters: [
            Parameter("dup_line_frac", .number(min: 0), default: .number("0.3"), "Largest share of lines that repeat an earlier line; 0 or null: no check."),
            Parameter("dup_para_frac", .number(min: 0), default: .number("0.3"), "Largest share of paragraphs that repeat an earlier one; 0 or null: no check."),
            Parameter("dup_line_char_frac", .number(min: 0), default: .number("0.2"), "Largest share of characters in repeated lines; 0 or null: no check."),
            Parameter("dup_para_char_frac", .number(min: 0), default: .number("0.2"), "Largest share of characters in repeated paragraphs; 0 or null: no check."),
            Parameter("top_2_gram_frac", .number(min: 0), default: .number("0.2"), "Largest share of characters in the most frequent word 2-gram; null: no check."),
            Parameter("top_3_gram_frac", .number(min: 0), default: .number("0.18"), "The same for 3-grams."),
            Parameter("top_4_gram_frac", .number(min: 0), default: .number("0.16"), "The same for 4-grams."),
            Parameter("dup_5_gram_frac", .number(min: 0), default: .number("0.15"), "Largest share of characters in repeated word 5-grams; null: no check."),
            Parameter("dup_6_gram_frac", .number(min: 0), default: .number("0.14"), "The same for 6-grams."),
            Parameter("dup_7_gram_frac", .number(min: 0), default: .number("0.13"), "The same for 7-grams."),
            Parameter("dup_8_gram_frac", .number(min: 0), default: .number("0.12"), "The same for 8-grams."),
            Parameter("dup_9_gram_frac", .number(min: 0), default: .number("0.11"), "The same for 9-grams."),
            Parameter("dup_10_gram_frac", .number(min: 0), default: .number("0.10"), "The same for 10-grams."),
        ]
    ) { options throws(OptionError) in
        var f = GopherRepetitionFilter()
        f.dupLineFrac = options.double("dup_line_frac")
        f.dupParaFrac = options.double("dup_para_frac")
        f.dupLineCharFrac = options.double("dup_line_char_frac")
        f.dupParaCharFrac = options.double("dup_para_char_frac")
        f.topNGrams = (2...4).compactMap { n in options.double("top_\(n)_gram_frac").map { (n, $0) } }
        f.dupNGrams = (5...10).compactMap { n in options.double("dup_\(n)_gram_frac").map { (n, $0) } }
        return f
    }

    private static func on(_ x: Double?) -> Double? { x.flatMap { $0 == 0 ? nil : $0 } }

    public func process(_ document: inout Document) -> Verdict {
        let text = ScalarText(document.text)
        let length = Double(text.count)
        guard text.count > 0 else { return drop("empty", [Metric("chars", 0)]) }

        let paragraphs = splitRuns(text, text.strip(0..<text.count), minimum: 2)
        let (dupParagraphs, dupParagraphChars) = duplicates(text, paragraphs)
        if let max = Self.on(dupParaFrac), Double(dupParagraphs) / Double(paragraphs.count) > max {
            return drop("dup_para_frac", [Metric("dup_para_frac", Double(dupParagraphs) / Double(paragraphs.count))])
        }
        if let max = Self.on(dupParaCharFrac), Double(dupParagraphChars) / length > max {
            return drop("dup_para_char_frac", [Metric("dup_para_char_frac", Double(dupParagraphChars) / length)])
        }
        let lines = splitRuns(text, 0..<text.count, minimum: 1)
        let (dupLines, dupLineChars) = duplicates(text, lines)
        if let max = Self.on(dupLineFrac), Double(dupLines) / Double(lines.count) > max {
            return drop("dup_line_frac", [Metric("dup_line_frac", Double(dupLines) / Double(lines.count))])
        }
        if let max = Self.on(dupLineCharFrac), Double(dupLineChars) / length > max {
            return drop("dup_line_char_frac", [Metric("dup_line_char_frac", Double(dupLineChars) / length)])
        }
        if topNGrams.isEmpty && dupNGrams.isEmpty { return .keep }
        var grams = WordNGrams(text: text, words: tokenizer.words(text), longestN: dupNGrams.map(\.n).max() ?? 0)
        for (n, fraction) in topNGrams {
            guard let top = grams.topNGramChars(n) else { continue }
            let share = Double(top) / length
            if share > fraction { return drop("top_\(n)_gram", [Metric("top_\(n)_gram_frac", share)]) }
        }
        for (n, fraction) in dupNGrams {
            let share = Double(grams.repeatedNGramChars(n)) / length
            if share > fraction { return drop("duplicated_\(n)_n_grams", [Metric("dup_\(n)_gram_frac", share)]) }
        }
        return .keep
    }

    /// `range` split at runs of at least `minimum` newlines.
    private func splitRuns(_ text: ScalarText, _ range: Range<Int>, minimum: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = range.lowerBound, i = range.lowerBound
        while i < range.upperBound {
            if text.scalars[i] == 0x0A {
                var j = i + 1
                while j < range.upperBound, text.scalars[j] == 0x0A { j += 1 }
                if j - i >= minimum {
                    pieces.append(start..<i)
                    start = j
                }
                i = j
            } else {
                i += 1
            }
        }
        pieces.append(start..<range.upperBound)
        return pieces
    }

    /// How many pieces repeat an earlier piece, and their characters.
    private func duplicates(_ text: ScalarText, _ pieces: [Range<Int>]) -> (count: Int, chars: Int) {
        var seen = ScalarSpanSet(text: text, capacity: pieces.count)
        var count = 0, chars = 0
        for piece in pieces where !seen.insert(piece) {
            count += 1
            chars += piece.count
        }
        return (count, chars)
    }

    private func drop(_ reason: String, _ metrics: [Metric]) -> Verdict {
        .drop(reason: "gopher_repetition:" + reason, metrics: metrics)
    }
}
