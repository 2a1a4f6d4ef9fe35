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
            minParagraphLength >= 2 * Self.block - 1 ? countByBlocks(text) : countLineByLine(text)
        }
        // Lines are at least as many as long lines.
        if long >= minParagraphs { return .keep }
        return .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", Double(lines)), Metric("long_lines", Double(long))])
    }

    /// The bytes of a block of ``countByBlocks(_:)``.
    private static let block = 64

    /// The lines and the long lines of `text`, when a long line spans at least one whole block
    /// of 64 bytes (from the start of the text): newlines are counted a block at a time, and a
    /// line is measured only when it spans enough blocks without a newline. Counting stops
    /// once `minParagraphs` long lines are found (the lines counted then are not all).
    private func countByBlocks(_ text: UnsafeBufferPointer<UInt8>) -> (lines: Int, long: Int) {
        guard let base = text.baseAddress else { return (1, 0) }
        let raw = UnsafeRawPointer(base)
        let n = text.count, block = Self.block
        // A line of `minParagraphLength` bytes or more holds this many whole blocks.
        let wholeBlocks = (minParagraphLength - (block - 1)) / block
        var lines = 1, long = 0
        // Blocks without a newline in a row, up to the current one.
        var run = 0
        /// Whether the line holding the `run` blocks before `next` is long.
        func runIsLong(before next: Int) -> Bool {
            let first = next - run * block
            let start = first == 0 ? 0 : Self.lastNewline(base, from: first - block, to: first).map { $0 + 1 } ?? 0
            let end = Self.firstNewline(base, from: next, to: n) ?? n
            return isLong(base + start, end - start)
        }
        let newline = SIMD16<UInt8>(repeating: 0x0A)
        /// Per lane of 16 bytes, minus the newlines among the 64 bytes at `i` (a true lane of a
        /// compare is all ones): 0 in every lane exactly when there is none.
        @inline(__always) func scan(_ i: Int) -> SIMD16<UInt8> {
            let a = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== newline
            let b = raw.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self) .== newline
            let c = raw.loadUnaligned(fromByteOffset: i &+ 32, as: SIMD16<UInt8>.self) .== newline
            let d = raw.loadUnaligned(fromByteOffset: i &+ 48, as: SIMD16<UInt8>.self) .== newline
            return unsafeBitCast(a, to: SIMD16<UInt8>.self) &+ unsafeBitCast(b, to: SIMD16<UInt8>.self)
                &+ unsafeBitCast(c, to: SIMD16<UInt8>.self) &+ unsafeBitCast(d, to: SIMD16<UInt8>.self)
        }
        @inline(__always) func hasNewline(_ negated: SIMD16<UInt8>) -> Bool {
            let halves = unsafeBitCast(negated, to: SIMD2<UInt64>.self)
            return halves[0] | halves[1] != 0
        }
        /// Follows the run of blocks without a newline past the block at `i`; false when
        /// enough long lines are found.
        @inline(__always) func step(_ i: Int, newline found: Bool) -> Bool {
            guard found else {
                run &+= 1
                return true
            }
            if run >= wholeBlocks, runIsLong(before: i) {
                long += 1
                if long >= minParagraphs { return false }
            }
            run = 0
            return true
        }
        var i = 0
        while i &+ 2 &* block <= n {
            // Two blocks a step; per lane of 16 bytes, up to 8 newlines a step, 31 steps before
            // the lanes are added up.
            var lanes = SIMD16<UInt8>()
            let stop = min(n, i &+ 31 &* 2 &* block)
            while i &+ 2 &* block <= stop {
                let firstCount = scan(i), secondCount = scan(i &+ block)
                lanes &-= firstCount &+ secondCount
                let first = hasNewline(firstCount), second = hasNewline(secondCount)
                // Mostly both blocks end lines too short to count: nothing to follow.
                if first, second, run < wholeBlocks {
                    run = 0
                } else if !step(i, newline: first) || !step(i &+ block, newline: second) {
                    return (lines, long)
                }
                i &+= 2 &* block
            }
            let halves = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
            lines &+= Self.byteSum(halves[0]) &+ Self.byteSum(halves[1])
        }
        if i &+ block <= n {
            let count = scan(i)
            let found = hasNewline(count)
            let halves = unsafeBitCast(SIMD16<UInt8>() &- count, to: SIMD2<UInt64>.self)
            lines &+= Self.byteSum(halves[0]) &+ Self.byteSum(halves[1])
            if !step(i, newline: found) { return (lines, long) }
            i &+= block
        }
        // The last bytes: no line in them alone is long.
        if run >= wholeBlocks, runIsLong(before: i) { long += 1 }
        while i + 8 <= n {
            lines += Self.newlineBits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)).nonzeroBitCount
            i += 8
        }
        while i < n {
            if base[i] == 0x0A { lines += 1 }
            i += 1
        }
        return (lines, long)
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

    /// Bit 7 of each byte of `word` that is a newline, and no other bit.
    @inline(__always)
    private static func newlineBits(_ word: UInt64) -> UInt64 {
        let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
        // A byte's top bit ends up set exactly when the byte is zero: no carry crosses bytes.
        return ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
    }

    /// The offset of the last newline in `base[start..<end]`, or nil.
    private static func lastNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var j = end
        while j - start >= 8 {
            let bits = newlineBits(UnsafeRawPointer(base + j - 8).loadUnaligned(as: UInt64.self))
            if bits != 0 { return j - 8 + (63 - bits.leadingZeroBitCount) / 8 }
            j -= 8
        }
        while j > start {
            j -= 1
            if base[j] == 0x0A { return j }
        }
        return nil
    }

    /// The offset of the first newline in `base[start..<end]`, or nil.
    private static func firstNewline(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        memchr(base + start, 0x0A, end - start).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) }
    }

    /// The sum of the eight bytes of `word` (each at most 255): added in pairs, then the four
    /// pairs at once.
    @inline(__always)
    private static func byteSum(_ word: UInt64) -> Int {
        let pairs = (word & 0x00FF_00FF_00FF_00FF) &+ (word >> 8 & 0x00FF_00FF_00FF_00FF)
        return Int((pairs &* 0x0001_0001_0001_0001) >> 48)
    }
}
