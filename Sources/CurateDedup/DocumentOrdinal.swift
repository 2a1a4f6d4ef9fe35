import CurateIO

/// A document's position in plan order: its part's index in the high 24 bits, its index
/// within the part in the low 40. Ordinals sort in plan order.
public struct DocumentOrdinal {
    public static func make(part: Int, index: Int) -> UInt64 {
        UInt64(part) << 40 | UInt64(index)
    }

    /// Most parts a barrier can number.
    public static let maxParts = 1 << 24

    /// Throws unless `count` parts can be numbered.
    static func check(parts count: Int, folder: String) throws(IOError) {
        if count > maxParts { throw IOError(path: folder, "\(count) parts; dedup numbers at most \(maxParts)") }
    }

    public static func part(_ ordinal: UInt64) -> Int { Int(ordinal >> 40) }
    public static func index(_ ordinal: UInt64) -> Int { Int(ordinal & (1 << 40 - 1)) }
}
