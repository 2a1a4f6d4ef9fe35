import CurateCore

/// Lower-casing and word characters of Unicode scalars, as Python defines them: `str.lower()`
/// (full lower-case mappings, so `İ` becomes `i` and U+0307) and the `\w` class of its `re`
/// module (letters, characters with a numeric value, and `_`; combining marks are not word
/// characters). The one rule left out is Greek final sigma, which `str.lower()` applies in
/// context: `Σ` always lower-cases to `σ` here.
public enum WordCharacters {
    /// One scalar's lower-case form and word class.
    public struct Folded {
        /// The lower-case scalars (one, or up to three for a full mapping).
        public var scalars: (UInt32, UInt32, UInt32)
        public var count: Int
        /// Whether each lower-case scalar is a word character (bit i for scalar i).
        public var wordBits: UInt8
    }

    /// Whether `scalar` is a word character as `\w` matches it in Python's `re`.
    @inline(__always)
    public static func isWord(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return asciiWord[Int(scalar)] }
        if scalar < 0x10000 { return table[Int(scalar)] & selfWordBit != 0 }
        return computeIsWord(scalar)
    }

    /// The lower-case form of `scalar` and the word class of each of its scalars.
    @inline(__always)
    public static func fold(_ scalar: UInt32) -> Folded {
        if scalar < 0x10000 {
            let entry = table[Int(scalar)]
            if entry & multipleBit == 0 {
                return Folded(scalars: (entry & scalarMask, 0, 0), count: 1, wordBits: entry & loweredWordBit != 0 ? 1 : 0)
            }
        }
        return computeFold(scalar)
    }

    /// Lower-cases valid UTF-8 `text` as Python's `str.lower()` does (see the type's note).
    public static func lowercased(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        text.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let length = UTF8Bytes.sequenceLength(p, at: i)
                let scalar = length == 0 ? 0xFFFD : UTF8Bytes.decode(p, at: i).scalar
                i += max(length, 1)
                let folded = fold(scalar)
                let all = [folded.scalars.0, folded.scalars.1, folded.scalars.2]
                for k in 0..<folded.count { UTF8Bytes.append(scalar: all[k], to: &out) }
            }
        }
        return out
    }

    private static let scalarMask: UInt32 = 0x1F_FFFF
    private static let selfWordBit: UInt32 = 1 << 29
    private static let multipleBit: UInt32 = 1 << 30
    private static let loweredWordBit: UInt32 = 1 << 31

    private static let asciiWord: [Bool] = (0..<128).map { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    /// For every BMP scalar: its single-scalar lower-case form, whether it and that form are
    /// word characters, or a flag saying the mapping has several scalars.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 0x10000)
        for value in 0..<UInt32(0x10000) {
            guard let scalar = Unicode.Scalar(value) else {
                table[Int(value)] = value
                continue
            }
            let selfWord = computeIsWord(value)
            var entry = value | (selfWord ? selfWordBit : 0)
            if scalar.properties.changesWhenLowercased {
                let mapping = Array(scalar.properties.lowercaseMapping.unicodeScalars)
                if mapping.count == 1 {
                    let lowered = mapping[0].value
                    entry = lowered | (computeIsWord(value) ? selfWordBit : 0)
                        | (computeIsWord(lowered) ? loweredWordBit : 0)
                } else {
                    entry = value | multipleBit | (selfWord ? selfWordBit : 0)
                }
            } else if selfWord {
                entry |= loweredWordBit
            }
            table[Int(value)] = entry
        }
        return table
    }()

    private static func computeIsWord(_ value: UInt32) -> Bool {
        if value == 0x5F { return true }
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }

    private static func computeFold(_ value: UInt32) -> Folded {
        guard let scalar = Unicode.Scalar(value) else {
            return Folded(scalars: (value, 0, 0), count: 1, wordBits: 0)
        }
        var mapped: [UInt32] = [value]
        if scalar.properties.changesWhenLowercased {
            mapped = scalar.properties.lowercaseMapping.unicodeScalars.map(\.value)
        }
        var folded = Folded(scalars: (0, 0, 0), count: min(mapped.count, 3), wordBits: 0)
        for (k, s) in mapped.prefix(3).enumerated() {
            switch k {
            case 0: folded.scalars.0 = s
            case 1: folded.scalars.1 = s
            default: folded.scalars.2 = s
            }
            if computeIsWord(s) { folded.wordBits |= 1 << UInt8(k) }
        }
        return folded
    }
}
