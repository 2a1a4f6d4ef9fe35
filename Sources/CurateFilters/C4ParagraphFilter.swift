import CParagraph
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
        let (lines, long) = document.text.withUnsafeBufferPointer { text in
            minParagraphLength >= 64 ? countByBlocks(text) : countLineByLine(text)
        }
        // Lines are at least as many as long lines.
        if long >= minParagraphs { return .keep }
        return .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", Double(lines)), Metric("long_lines", Double(long))])
    }

    /// The line-counting kernel for this CPU.
    private let kernel = cparagraph_best_kernel()

    /// The lines and the long lines of `text`, 64 bytes at a time (by the C kernel, whose
    /// vectors this CPU has), when `minParagraphLength` is at least 64. Counting stops once
    /// `minParagraphs` long lines are found (the lines counted then are not all).
    private func countByBlocks(_ text: UnsafeBufferPointer<UInt8>) -> (lines: Int, long: Int) {
        guard let base = text.baseAddress else { return (1, 0) }
        let counts = cparagraph_count(kernel, base, text.count, minParagraphLength, minParagraphs)
        return (counts.lines, counts.long_lines)
    }

    /// The lines and the long lines of `text`, one line at a time. Counting stops once
    /// `minParagraphs` long lines are found (the lines counted then are not all).
    private func countLineByLine(_ text: UnsafeBufferPointer<UInt8>) -> (lines: Int, long: Int) {
        guard let base = text.baseAddress else { return (1, minParagraphLength == 0 ? 1 : 0) }
        var lines = 0, long = 0, start = 0
        while true {
            let end = Self.firstNewline(base, from: start, to: text.count) ?? text.count
            lines += 1
            if isLong(base + start, end - start) {
                long += 1
                if long >= minParagraphs { break }
            }
            if end == text.count { break }
            start = end + 1
        }
        return (lines, long)
    }

    /// Whether the `count` bytes at `line` hold at least `minParagraphLength` characters:
    /// bytes that are not UTF-8 continuation bytes, counted 16 at a time until there are
    /// enough.
    @inline(__always)
    private func isLong(_ line: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count < minParagraphLength { return false }
        if count >= 4 * minParagraphLength { return true }
        let raw = UnsafeRawPointer(line)
        var chars = 0, i = 0
        while i &+ 16 <= count {
            // A continuation byte, 10xxxxxx, is below -64 as a signed byte; its lane is all ones.
            let continuation = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: -64)
            let halves = unsafeBitCast(continuation, to: SIMD2<UInt64>.self)
            chars &+= 16 &- (halves[0].nonzeroBitCount &+ halves[1].nonzeroBitCount) &>> 3
            if chars >= minParagraphLength { return true }
            i &+= 16
        }
        while i < count {
            if line[i] & 0xC0 != 0x80 { chars &+= 1 }
            i &+= 1
        }
        return chars >= minParagraphLength
    }

    /// The offset of the first newline in `base[start..<end]`, or nil.
    private static func firstNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        memchr(base + start, 0x0A, end - start).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) }
    }
}
