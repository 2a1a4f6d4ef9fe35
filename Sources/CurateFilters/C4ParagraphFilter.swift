import CurateCore
#if canImport(Glibc)
import Glibc
#endif

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
        var lines = 0, long = 0
        document.text.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else {
                lines = 1
                if minParagraphLength == 0 { long = 1 }
                return
            }
            var start = 0
            while true {
                let end = memchr(base + start, 0x0A, p.count - start).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? p.count
                lines += 1
                if isLong(UnsafeBufferPointer(rebasing: p[start..<end])) { long += 1 }
                if end == p.count { break }
                start = end + 1
            }
        }
        if lines < minParagraphs || long < minParagraphs {
            return .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", Double(lines)), Metric("long_lines", Double(long))])
        }
        return .keep
    }

    /// Whether `line` has at least `minParagraphLength` characters: a character takes one to
    /// four bytes, so only lines between those bounds are counted.
    @inline(__always)
    private func isLong(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if line.count < minParagraphLength { return false }
        if line.count >= 4 * minParagraphLength { return true }
        return UTF8Bytes.scalarCount(line) >= minParagraphLength
    }
}
