import CurateCore

/// A document's text decoded to Unicode scalars, with the character classes that Python's
/// `str` methods use (`isspace`, `isalpha`, `splitlines`), so that lengths, splits and strips
/// count characters exactly as datatrove's filters do.
public struct ScalarText: Sendable {
    /// The scalars; each maximal invalid UTF-8 subsequence becomes one U+FFFD.
    public let scalars: [UInt32]

    public init(_ bytes: [UInt8]) {
        scalars = bytes.withUnsafeBufferPointer(Self.decode)
    }

    public init(scalars: [UInt32]) {
        self.scalars = scalars
    }

    public var count: Int { scalars.count }

    private static func decode(_ p: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        [UInt32](unsafeUninitializedCapacity: p.count) { out, written in
            guard let base = p.baseAddress else {
                written = 0
                return
            }
            var i = 0, n = 0
            while i < p.count {
                let b = p[i]
                if b < 0x80 {
                    // Eight ASCII bytes at a time where they are.
                    if i + 8 <= p.count, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                        for k in 0..<8 { out[n + k] = UInt32(p[i + k]) }
                        i += 8
                        n += 8
                        continue
                    }
                    out[n] = UInt32(b)
                    i += 1
                } else {
                    let length = UTF8Bytes.sequenceLength(p, at: i)
                    if length == 0 {
                        out[n] = 0xFFFD
                        i += 1
                        while i < p.count, p[i] & 0xC0 == 0x80 { i += 1 }
                    } else {
                        out[n] = UTF8Bytes.decode(p, at: i).scalar
                        i += length
                    }
                }
                n += 1
            }
            written = n
        }
    }

    /// The UTF-8 bytes of `scalars[range]`.
    public func utf8(_ range: Range<Int>) -> [UInt8] {
        scalars.withUnsafeBufferPointer { s in
            // The bytes beyond one a character, counted without branches.
            var extra = 0
            for i in range {
                let c = s[i]
                extra &+= (c >= 0x80 ? 1 : 0) &+ (c >= 0x800 ? 1 : 0) &+ (c >= 0x10000 ? 1 : 0)
            }
            return [UInt8](unsafeUninitializedCapacity: range.count + extra) { out, written in
                if extra == 0 {
                    for i in range { out[i &- range.lowerBound] = UInt8(truncatingIfNeeded: s[i]) }
                    written = range.count
                    return
                }
                var n = 0
                for i in range {
                    let c = s[i]
                    if c < 0x80 {
                        out[n] = UInt8(c)
                        n += 1
                    } else if c < 0x800 {
                        out[n] = UInt8(0xC0 | c >> 6)
                        out[n + 1] = UInt8(0x80 | c & 0x3F)
                        n += 2
                    } else if c < 0x10000 {
                        out[n] = UInt8(0xE0 | c >> 12)
                        out[n + 1] = UInt8(0x80 | c >> 6 & 0x3F)
                        out[n + 2] = UInt8(0x80 | c & 0x3F)
                        n += 3
                    } else {
                        out[n] = UInt8(0xF0 | c >> 18)
                        out[n + 1] = UInt8(0x80 | c >> 12 & 0x3F)
                        out[n + 2] = UInt8(0x80 | c >> 6 & 0x3F)
                        out[n + 3] = UInt8(0x80 | c & 0x3F)
                        n += 4
                    }
                }
                written = n
            }
        }
    }

    /// Python's `str.isspace` for one character.
    @inline(__always)
    public static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20) }
        switch c {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `str.isalpha` for one character: general category L.
    @inline(__always)
    public static func isAlpha(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        guard let scalar = Unicode.Scalar(c) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// A line boundary for Python's `str.splitlines` (`\r\n` counts once).
    @inline(__always)
    public static func isLineBreak(_ c: UInt32) -> Bool {
        switch c {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// The lines of `str.splitlines()`: ranges without their line breaks.
    public func splitLines() -> [Range<Int>] {
        var lines: [Range<Int>] = []
        scalars.withUnsafeBufferPointer { s in
            var start = 0, i = 0
            let n = s.count
            while i < n {
                // Eight characters at a time while none is a control character, U+0085 or
                // U+2028/9 (every line boundary is one of those).
                if let base = s.baseAddress, i + 8 <= n {
                    let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<UInt32>.self)
                    let control = v .< SIMD8<UInt32>(repeating: 0x20)
                    let nextLine = v .== SIMD8<UInt32>(repeating: 0x85)
                    let separator = (v & SIMD8<UInt32>(repeating: ~1)) .== SIMD8<UInt32>(repeating: 0x2028)
                    let lanes = unsafeBitCast(control .| nextLine .| separator, to: SIMD4<UInt64>.self)
                    if lanes[0] | lanes[1] | lanes[2] | lanes[3] == 0 {
                        i += 8
                        continue
                    }
                }
                let c = s[i]
                // Printable ASCII and most other characters first: no line break among them.
                if (c >= 0x20 && c < 0x85) || (c > 0x85 && c < 0x2028) || !Self.isLineBreak(c) {
                    i += 1
                    continue
                }
                lines.append(start..<i)
                i += (c == 0x0D && i + 1 < n && s[i + 1] == 0x0A) ? 2 : 1
                start = i
            }
            if start < n { lines.append(start..<n) }
        }
        return lines
    }

    /// The pieces of `str.split(sep)` for a one-character separator.
    public func split(on separator: UInt32) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = 0
        for i in 0..<scalars.count where scalars[i] == separator {
            pieces.append(start..<i)
            start = i + 1
        }
        pieces.append(start..<scalars.count)
        return pieces
    }

    /// `range` without Python white space at either end (`str.strip()`).
    public func strip(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, Self.isSpace(scalars[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(scalars[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// The number of white-space separated words in `range` (`len(str.split())`), and the
    /// length of the longest.
    public func whitespaceWords(_ range: Range<Int>) -> (count: Int, longest: Int) {
        var count = 0, longest = 0, current = 0
        for i in range {
            if Self.isSpace(scalars[i]) {
                if current > 0 { count += 1; longest = max(longest, current); current = 0 }
            } else {
                current += 1
            }
        }
        if current > 0 { count += 1; longest = max(longest, current) }
        return (count, longest)
    }

    /// The number of white-space separated words in `range`, counted up to `limit`.
    public func wordCount(_ range: Range<Int>, upTo limit: Int) -> Int {
        var count = 0, inWord = false
        for i in range {
            let space = Self.isSpace(scalars[i])
            if !space, !inWord {
                count += 1
                if count >= limit { break }
            }
            inWord = !space
        }
        return count
    }

    /// Whether `range` ends with `suffix` (ASCII).
    public func hasSuffix(_ suffix: StaticString, in range: Range<Int>) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard range.count >= n else { return false }
        let p = suffix.utf8Start
        let base = range.upperBound - n
        for k in 0..<n where scalars[base + k] != UInt32(p[k]) { return false }
        return true
    }

    /// Occurrences of one character in the whole text.
    public func occurrences(of c: UInt32) -> Int {
        var count = 0
        for s in scalars where s == c { count += 1 }
        return count
    }

    /// Whether `range` contains `needle` (ASCII lower case) with ASCII letters compared
    /// case-insensitively.
    public func containsCaseInsensitive(_ needle: StaticString, in range: Range<Int>) -> Bool {
        let n = needle.utf8CodeUnitCount, p = needle.utf8Start
        guard range.count >= n else { return false }
        var i = range.lowerBound
        let end = range.upperBound - n
        while i <= end {
            var k = 0
            while k < n {
                var c = scalars[i + k]
                if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                if c != UInt32(p[k]) { break }
                k += 1
            }
            if k == n { return true }
            i += 1
        }
        return false
    }
}
