/// UTF-8 helpers over raw bytes: encoding scalars, validation, repair and counting.
public enum UTF8Bytes {
    /// The bytes of U+FFFD REPLACEMENT CHARACTER.
    public static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Appends the UTF-8 encoding of `scalar` (which must be a valid scalar value).
    @inlinable @inline(__always)
    public static func append(scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if the bytes there are
    /// not a valid sequence (overlong forms, surrogates and values above U+10FFFF included).
    @inlinable @inline(__always)
    public static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        let n = p.count
        @inline(__always) func cont(_ j: Int) -> Bool { j < n && p[j] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0...0xEF:
            guard i + 2 < n, cont(i + 2) else { return 0 }
            let b1 = p[i + 1]
            let ok = switch b0 {
            case 0xE0: b1 >= 0xA0 && b1 <= 0xBF
            case 0xED: b1 >= 0x80 && b1 <= 0x9F
            default: b1 & 0xC0 == 0x80
            }
            return ok ? 3 : 0
        case 0xF0...0xF4:
            guard i + 3 < n, cont(i + 2), cont(i + 3) else { return 0 }
            let b1 = p[i + 1]
            let ok = switch b0 {
            case 0xF0: b1 >= 0x90 && b1 <= 0xBF
            case 0xF4: b1 >= 0x80 && b1 <= 0x8F
            default: b1 & 0xC0 == 0x80
            }
            return ok ? 4 : 0
        default:
            return 0
        }
    }

    /// Whether `bytes` is entirely valid UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        validate(bytes) != .invalid
    }

    /// What a byte string is, as far as UTF-8 goes.
    public enum Validity: Sendable, Equatable {
        case ascii, utf8, invalid
    }

    /// Whether `bytes` are all ASCII, valid UTF-8 with some non-ASCII, or not valid UTF-8: one pass,
    /// 32 bytes at a time through ASCII runs.
    public static func validate(_ bytes: [UInt8]) -> Validity {
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return .ascii }
            let raw = UnsafeRawPointer(base)
            let count = p.count
            let high: UInt64 = 0x8080_8080_8080_8080
            var ascii = true
            var i = 0
            while i < count {
                if i + 32 <= count {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                        | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                    if word & high == 0 {
                        i += 32
                        continue
                    }
                }
                if i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & high == 0 {
                    i += 8
                    continue
                }
                if p[i] < 0x80 { i += 1; continue }
                let length = sequenceLength(p, at: i)
                if length == 0 { return .invalid }
                ascii = false
                i += length
            }
            return ascii ? .ascii : .utf8
        }
    }

    /// Replaces each maximal invalid subsequence with U+FFFD (the "substitution of maximal
    /// subparts" practice of the Unicode standard, as Python and Swift do) and returns how many
    /// replacements were made; valid input is left untouched.
    @discardableResult
    public static func repair(_ bytes: inout [UInt8]) -> Int {
        if isValid(bytes) { return 0 }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var replacements = 0
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let length = sequenceLength(p, at: i)
                if length > 0 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<i + length]))
                    i += length
                } else {
                    out.append(contentsOf: replacement)
                    replacements += 1
                    i += maximalSubpartLength(p, at: i)
                }
            }
        }
        bytes = out
        return replacements
    }

    /// The number of Unicode scalars in valid UTF-8 `bytes`.
    public static func scalarCount(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = p.baseAddress else { return 0 }
        // Eight bytes at a time: a continuation byte has its top bit set and the next one clear.
        var continuations = 0
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= p.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            continuations &+= (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < p.count {
            if p[i] & 0xC0 == 0x80 { continuations &+= 1 }
            i += 1
        }
        return p.count - continuations
    }

    /// The length of the invalid prefix at `i` that one U+FFFD stands for: a lead byte plus
    /// the continuation bytes that could still have completed it.
    private static func maximalSubpartLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b0 = p[i]
        let (needed, low, high): (Int, UInt8, UInt8) = switch b0 {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: (0, 0, 0)
        }
        guard needed > 0, i + 1 < p.count, p[i + 1] >= low, p[i + 1] <= high else { return 1 }
        var j = i + 2
        while j < p.count, j < i + needed, p[j] & 0xC0 == 0x80 { j += 1 }
        return j - i
    }
}

extension UTF8Bytes {
    /// Decodes the scalar of the valid sequence at `i` and its length.
    @inlinable @inline(__always)
    public static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        switch b0 {
        case ..<0x80: return (b0, 1)
        case ..<0xE0: return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2)
        case ..<0xF0: return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
        default:
            return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                | UInt32(p[i + 3] & 0x3F), 4)
        }
    }

    /// Whether `scalar` is white space as Python's `str.split()` sees it.
    @inline(__always)
    public static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// The number of maximal runs of non-white-space scalars in valid UTF-8 `p`.
    public static func wordCount(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var words = 0
        var inWord = false
        var i = 0
        while i < p.count {
            let b = p[i]
            let space: Bool
            if b < 0x80 {
                space = (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20)
                i += 1
            } else {
                let (scalar, length) = decode(p, at: i)
                space = isWhitespace(scalar)
                i += length
            }
            if !space, !inWord { words += 1 }
            inWord = !space
        }
        return words
    }
}
