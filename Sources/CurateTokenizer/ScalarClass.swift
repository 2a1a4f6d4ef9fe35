import CurateCore

/// The Unicode classes the split patterns test, as bits of one byte per scalar.
///
/// `letter` is \p{L}, `number` \p{N}, `space` \s (White_Space); `upper` is o200k's
/// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and `lower` its [\p{Ll}\p{Lm}\p{Lo}\p{M}]; `newline` marks
/// \r and \n and `blank` the ASCII space, which the patterns name on their own.
enum ScalarClass {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let space: UInt8 = 4
    static let upper: UInt8 = 8
    static let lower: UInt8 = 16
    static let newline: UInt8 = 32
    static let blank: UInt8 = 64

    /// Scalars per block of the two-level table.
    static let blockBits = 8

    /// The classes of every scalar: `blocks[index[scalar >> 8] << 8 | scalar & 255]`.
    /// Identical blocks are stored once (about 300 distinct of 4,352).
    static let table: (index: [UInt16], blocks: [UInt8]) = build()

    private static func build() -> ([UInt16], [UInt8]) {
        let blockSize = 1 << blockBits
        var index = [UInt16](repeating: 0, count: 0x110000 >> blockBits)
        // Block 0 has no class: unassigned and private-use scalars all point to it.
        var blocks = [UInt8](repeating: 0, count: blockSize)
        var seen: [[UInt8]: UInt16] = [blocks: 0]
        var block = [UInt8](repeating: 0, count: blockSize)
        for b in 0..<index.count {
            let first = UInt32(b << blockBits)
            guard AssignedScalars.ranges.contains(where: { $0.contains(first) }) else {
                index[b] = 0
                continue
            }
            for k in 0..<blockSize {
                let value = UInt32(b << blockBits | k)
                block[k] = Unicode.Scalar(value).map(classes) ?? 0
            }
            if let known = seen[block] {
                index[b] = known
            } else {
                let id = UInt16(blocks.count >> blockBits)
                seen[block] = id
                index[b] = id
                blocks.append(contentsOf: block)
            }
        }
        return (index, blocks)
    }

    private static func classes(_ scalar: Unicode.Scalar) -> UInt8 {
        var bits: UInt8 = 0
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: bits = letter | upper
        case .lowercaseLetter: bits = letter | lower
        case .modifierLetter, .otherLetter: bits = letter | upper | lower
        case .nonspacingMark, .spacingMark, .enclosingMark: bits = upper | lower
        case .decimalNumber, .letterNumber, .otherNumber: bits = number
        default: break
        }
        if scalar.properties.isWhitespace { bits |= space }
        if scalar == "\r" || scalar == "\n" { bits |= newline }
        if scalar == " " { bits |= blank }
        return bits
    }

    /// The classes of ASCII bytes, for the common case without the two-level lookup.
    static let ascii: [UInt8] = (0..<128).map { lookup(UInt32($0)) }

    /// The classes of `scalar` (0 for surrogates and values past U+10FFFF).
    @inline(__always)
    static func lookup(_ scalar: UInt32) -> UInt8 {
        guard scalar < 0x110000 else { return 0 }
        let t = table
        return t.blocks[Int(t.index[Int(scalar >> UInt32(blockBits))]) << blockBits | Int(scalar & 0xFF)]
    }
}
