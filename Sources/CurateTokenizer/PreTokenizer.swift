/// Splits UTF-8 text into the chunks a `SplitPattern` regex would match, exactly as
/// tiktoken's fancy-regex `find_iter` does: alternatives are tried in order at each
/// position, possessive quantifiers never give back, `\s+(?!\S)` leaves the last white
/// space of a run to the next chunk, and contractions are case-insensitive in cl100k and
/// o200k (where `s` also matches U+017F, as Unicode case folding has it).
///
/// Bytes that are not valid UTF-8 count as one character each that is neither letter,
/// number nor space.
public struct PreTokenizer: Sendable {
    public let pattern: SplitPattern

    /// Builds the Unicode class table on first use (a one-time cost of a few hundred
    /// milliseconds), so that splitting never pays it.
    public init(_ pattern: SplitPattern) {
        self.pattern = pattern
        _ = ScalarClass.table
    }

    /// Appends the end offset of each chunk of `text` to `ends` (chunks cover the text).
    public func split(_ text: UnsafeBufferPointer<UInt8>, into ends: inout [Int]) {
        var scratch = SplitScratch()
        split(text, scratch: &scratch, into: &ends)
    }

    /// The chunks of `text` as byte ranges.
    public func chunks(_ text: [UInt8]) -> [Range<Int>] {
        var ends: [Int] = []
        text.withUnsafeBufferPointer { split($0, into: &ends) }
        var start = 0
        return ends.map { end in
            defer { start = end }
            return start..<end
        }
    }

    func split(_ text: UnsafeBufferPointer<UInt8>, scratch: inout SplitScratch, into ends: inout [Int]) {
        guard text.count > 0 else { return }
        let count = scratch.decode(text)
        scratch.classes.withUnsafeBufferPointer { classes in
            scratch.offsets.withUnsafeBufferPointer { offsets in
                let matcher = Matcher(text: text.baseAddress!, classes: classes.baseAddress!, offsets: offsets.baseAddress!, count: count)
                var i = 0
                while i < count {
                    switch pattern {
                    case .gpt2: i = matcher.gpt2(i)
                    case .cl100k: i = matcher.cl100k(i)
                    case .o200k: i = matcher.o200k(i)
                    }
                    ends.append(Int(offsets[i]))
                }
            }
        }
    }
}

/// Per-character classes and byte offsets of the text being split, kept between calls.
struct SplitScratch {
    var classes: [UInt8] = []
    /// The byte offset of each character, and the text's length after the last.
    var offsets: [Int32] = []

    /// Fills `classes` and `offsets` for `text`; returns the number of characters.
    mutating func decode(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        if classes.count < text.count { classes = [UInt8](repeating: 0, count: text.count) }
        if offsets.count < text.count + 1 { offsets = [Int32](repeating: 0, count: text.count + 1) }
        let table = ScalarClass.table
        let ascii = ScalarClass.ascii
        var count = 0
        classes.withUnsafeMutableBufferPointer { classes in
            offsets.withUnsafeMutableBufferPointer { offsets in
                table.index.withUnsafeBufferPointer { index in
                    table.blocks.withUnsafeBufferPointer { blocks in
                        ascii.withUnsafeBufferPointer { ascii in
                            let n = text.count
                            var i = 0
                            while i < n {
                                let b0 = text[i]
                                offsets[count] = Int32(i)
                                if b0 < 0x80 {
                                    classes[count] = ascii[Int(b0)]
                                    i += 1
                                } else {
                                    let (scalar, length) = UTF8Decoding.scalar(text, at: i)
                                    if let scalar {
                                        classes[count] = blocks[Int(index[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
                                    } else {
                                        classes[count] = 0
                                    }
                                    i += length
                                }
                                count += 1
                            }
                            offsets[count] = Int32(n)
                        }
                    }
                }
            }
        }
        return count
    }
}

/// UTF-8 decoding of one scalar.
enum UTF8Decoding {
    /// The scalar starting at `i` (not ASCII) and its length, or nil and 1 for a byte that
    /// does not start a well-formed sequence.
    @inline(__always)
    static func scalar(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32?, Int) {
        let b0 = UInt32(p[i])
        let n = p.count
        func cont(_ k: Int) -> UInt32? {
            guard k < n, p[k] & 0xC0 == 0x80 else { return nil }
            return UInt32(p[k] & 0x3F)
        }
        if b0 >= 0xC2, b0 <= 0xDF {
            guard let c1 = cont(i + 1) else { return (nil, 1) }
            return ((b0 & 0x1F) << 6 | c1, 2)
        }
        if b0 >= 0xE0, b0 <= 0xEF {
            guard let c1 = cont(i + 1), let c2 = cont(i + 2) else { return (nil, 1) }
            let v = (b0 & 0x0F) << 12 | c1 << 6 | c2
            guard v >= 0x800, v < 0xD800 || v > 0xDFFF else { return (nil, 1) }
            return (v, 3)
        }
        if b0 >= 0xF0, b0 <= 0xF4 {
            guard let c1 = cont(i + 1), let c2 = cont(i + 2), let c3 = cont(i + 3) else { return (nil, 1) }
            let v = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard v >= 0x10000, v <= 0x10FFFF else { return (nil, 1) }
            return (v, 4)
        }
        return (nil, 1)
    }
}

/// The three patterns' alternatives over character indices; each function returns the
/// end of the match starting at `i`.
private struct Matcher {
    let text: UnsafePointer<UInt8>
    let classes: UnsafePointer<UInt8>
    let offsets: UnsafePointer<Int32>
    let count: Int

    typealias C = ScalarClass

    @inline(__always) func has(_ i: Int, _ bits: UInt8) -> Bool { i < count && classes[i] & bits != 0 }
    /// Neither letter, number nor white space: [^\s\p{L}\p{N}].
    @inline(__always) func isOther(_ i: Int) -> Bool { i < count && classes[i] & (C.letter | C.number | C.space) == 0 }
    /// [^\r\n\p{L}\p{N}]
    @inline(__always) func isPrefix(_ i: Int) -> Bool { i < count && classes[i] & (C.letter | C.number | C.newline) == 0 }
    @inline(__always) func run(_ i: Int, _ bits: UInt8) -> Int {
        var j = i
        while j < count, classes[j] & bits != 0 { j += 1 }
        return j
    }
    @inline(__always) func otherRun(_ i: Int) -> Int {
        var j = i
        while isOther(j) { j += 1 }
        return j
    }
    @inline(__always) func byte(_ i: Int) -> UInt8 { text[Int(offsets[i])] }
    /// Up to three numbers: \p{N}{1,3}.
    @inline(__always) func numbers(_ i: Int) -> Int {
        var j = i + 1
        while j < i + 3, has(j, C.number) { j += 1 }
        return j
    }

    /// The ASCII letter at `i` lower-cased, U+017F (long s) as `s`, else 0.
    @inline(__always) func folded(_ i: Int) -> UInt8 {
        guard i < count else { return 0 }
        let b = byte(i)
        if b < 0x80 { return b | 0x20 }
        let start = Int(offsets[i])
        if b == 0xC5, offsets[i + 1] - offsets[i] == 2, text[start + 1] == 0xBF { return UInt8(ascii: "s") }
        return 0
    }

    /// The end of a contraction `'s|'t|'re|'ve|'m|'ll|'d` at `i`, or nil.
    @inline(__always) func contraction(_ i: Int, caseInsensitive: Bool) -> Int? {
        guard i + 1 < count, byte(i) == UInt8(ascii: "'") else { return nil }
        let first = caseInsensitive ? folded(i + 1) : byte(i + 1)
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"): return i + 2
        case UInt8(ascii: "l"), UInt8(ascii: "v"), UInt8(ascii: "r"):
            let second = caseInsensitive ? folded(i + 2) : (i + 2 < count ? byte(i + 2) : 0)
            let expected = first == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
            return second == expected ? i + 3 : nil
        default: return nil
        }
    }

    /// The end of the white space alternatives at `i`: the whole run at the end of the
    /// text, up to the last newline of the run when `newlines`, else all but the last
    /// white space of the run, else one.
    @inline(__always) func whitespace(_ i: Int, newlines: Bool) -> Int {
        let end = run(i, C.space)
        if newlines {
            var k = end - 1
            while k >= i {
                if classes[k] & C.newline != 0 { return k + 1 }
                k -= 1
            }
        }
        if end == count { return end }
        return end - i >= 2 ? end - 1 : i + 1
    }

    func gpt2(_ i: Int) -> Int {
        if let end = contraction(i, caseInsensitive: false) { return end }
        let s = has(i, C.blank) && i + 1 < count ? i + 1 : i
        if has(s, C.letter) { return run(s, C.letter) }
        if has(s, C.number) { return run(s, C.number) }
        if isOther(s) { return otherRun(s) }
        return whitespace(i, newlines: false)
    }

    func cl100k(_ i: Int) -> Int {
        if let end = contraction(i, caseInsensitive: true) { return end }
        if has(i, C.letter) { return run(i, C.letter) }
        if isPrefix(i), has(i + 1, C.letter) { return run(i + 1, C.letter) }
        if has(i, C.number) { return numbers(i) }
        let s = has(i, C.blank) && i + 1 < count ? i + 1 : i
        if isOther(s) {
            var end = otherRun(s)
            while has(end, C.newline) { end += 1 }
            return end
        }
        // `\s++$` before `\s*[\r\n]`: a run reaching the end is one chunk.
        let end = run(i, C.space)
        if end == count { return end }
        return whitespace(i, newlines: true)
    }

    func o200k(_ i: Int) -> Int {
        for prefixed in [true, false] {
            let j = prefixed ? i + 1 : i
            if prefixed, !isPrefix(i) { continue }
            // [upper]*[lower]+: the upper run, then lower from its end, else backtrack to
            // the last character of the run that is also lower.
            let k = run(j, C.upper)
            var end: Int? = nil
            if has(k, C.lower) {
                end = run(k, C.lower)
            } else {
                var m = k - 1
                while m >= j {
                    if classes[m] & C.lower != 0 {
                        end = m + 1
                        break
                    }
                    m -= 1
                }
            }
            if let end { return contraction(end, caseInsensitive: true) ?? end }
        }
        for prefixed in [true, false] {
            let j = prefixed ? i + 1 : i
            if prefixed, !isPrefix(i) { continue }
            if has(j, C.upper) {
                let end = run(run(j, C.upper), C.lower)
                return contraction(end, caseInsensitive: true) ?? end
            }
        }
        if has(i, C.number) { return numbers(i) }
        let s = has(i, C.blank) && i + 1 < count ? i + 1 : i
        if isOther(s) {
            var end = otherRun(s)
            while has(end, C.newline) || (end < count && byte(end) == UInt8(ascii: "/")) { end += 1 }
            return end
        }
        return whitespace(i, newlines: true)
    }
}
