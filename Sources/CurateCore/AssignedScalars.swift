/// Where Unicode assigns scalars other than private-use ones: planes 0 to 3, and the tags and
/// variation selectors of plane 14 (U+E0000 to U+E01FF); planes 4 to 13 and the rest of 14 are
/// unassigned, 15 and 16 private use. Tables built from scalar properties skip the rest, where
/// every property is the default.
public enum AssignedScalars {
    public static let ranges: [Range<UInt32>] = [0..<0x40000, 0xE0000..<0xE0200]
}
