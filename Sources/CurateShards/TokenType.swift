/// The stored width of a token id: two bytes when every id of the vocabulary fits, else four.
public enum TokenType: String, Sendable, Equatable {
    case uint16
    case uint32

    /// The narrowest type holding every id below `vocabSize`.
    public init(vocabSize: Int) {
        self = vocabSize <= 65_536 ? .uint16 : .uint32
    }

    /// Bytes per token.
    public var width: Int { self == .uint16 ? 2 : 4 }
}

extension TokenType {
    /// Copies `count` little-endian ids of this type from `source` into `destination`.
    func decode(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<UInt32>) {
        switch self {
        case .uint16:
            for i in 0..<count { destination[i] = UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
        case .uint32:
            for i in 0..<count { destination[i] = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
        }
    }

    /// Stores `count` ids from `source` as little-endian values of this type at `destination`.
    func encode(_ source: UnsafePointer<UInt32>, count: Int, into destination: UnsafeMutableRawPointer) {
        switch self {
        case .uint16:
            for i in 0..<count { destination.storeBytes(of: UInt16(truncatingIfNeeded: source[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .uint32:
            for i in 0..<count { destination.storeBytes(of: source[i].littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        }
    }
}
