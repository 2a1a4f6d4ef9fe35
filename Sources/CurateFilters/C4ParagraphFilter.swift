import CurateCore

/// mC4's paragraph rule (as datatrove's `C4ParagraphFilter`): keep a page only when it has
/// at least `min_paragraphs` lines of at least `min_paragraph_len` characters.
///
/// Drop reason: `c4_paragraph:too_few_paragraphs` (datatrove's `< 3 paragraphs`).
public struct C4ParagraphFilter: Stage {
    public var minParagraphs = 3
    public var minParagraphLength = 200

    public init(minParagraphs: Int = 3, minParagraphLength: Int = 200) {
        self.minParagraphs = minParagraphs
        self.minParagraphLength = minParagraphLength
    }

    public static let definition = StageDefinition(
        type: "c4_paragraph",
        summary: "Drop pages without enough long lines (mC4's paragraph rule).",
        parameters: [
            Parameter("min_paragraphs", .integer(min: 1), default: .integer(3), "Fewest long lines (`\\n`-separated) a kept page has."),
            Parameter("min_paragraph_len", .integer(min: 0), default: .integer(200), "Characters a line needs to count as long."),
        ]
    ) { options throws(OptionError) in
        C4ParagraphFilter(minParagraphs: options.int("min_paragraphs") ?? 3, minParagraphLength: options.int("min_paragraph_len") ?? 200)
    }

    public func process(_ document: inout Document) -> Verdict {
        var lines = 0, long = 0, current = 0
        document.text.withUnsafeBufferPointer { p in
            for b in p {
                if b == 0x0A {
                    lines += 1
                    if current >= minParagraphLength { long += 1 }
                    current = 0
                } else if b & 0xC0 != 0x80 {
                    current += 1
                }
            }
        }
        lines += 1
        if current >= minParagraphLength { long += 1 }
        if lines < minParagraphs || long < minParagraphs {
            return .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", Double(lines)), Metric("long_lines", Double(long))])
        }
        return .keep
    }
}
