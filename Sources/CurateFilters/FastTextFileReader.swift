/// Reads the little-endian fields of a fastText model file in order, checking every read
/// against the end of the file.
struct FastTextFileReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int, _ what: String) throws(FastTextModelError) -> Int {
        guard count >= 0, count <= bytes.count - offset else {
            throw FastTextModelError("file ends at byte \(bytes.count) inside \(what) (at byte \(offset), \(count) bytes needed)")
        }
        defer { offset += count }
        return offset
    }

    mutating func uint8(_ what: String) throws(FastTextModelError) -> UInt8 {
        bytes[try take(1, what)]
    }

    mutating func bool(_ what: String) throws(FastTextModelError) -> Bool {
        let at = offset
        switch try uint8(what) {
        case 0: return false
        case 1: return true
        case let other: throw FastTextModelError("\(what) at byte \(at) is \(other), not a boolean (0 or 1)")
        }
    }

    mutating func int32(_ what: String) throws(FastTextModelError) -> Int32 {
        let start = try take(4, what)
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[start + i]) << (8 * i) }
        return Int32(bitPattern: value)
    }

    mutating func int64(_ what: String) throws(FastTextModelError) -> Int64 {
        let start = try take(8, what)
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[start + i]) << (8 * i) }
        return Int64(bitPattern: value)
    }

    mutating func double(_ what: String) throws(FastTextModelError) -> Double {
        Double(bitPattern: UInt64(bitPattern: try int64(what)))
    }

    /// `count` 32-bit floats.
    mutating func floats(_ count: Int, _ what: String) throws(FastTextModelError) -> [Float] {
        guard count <= (bytes.count - offset) / 4 else {
            throw FastTextModelError("file ends at byte \(bytes.count) inside \(what) (at byte \(offset), \(count) floats needed)")
        }
        let start = try take(count * 4, what)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                }
            }
            initialized = count
        }
    }

    /// `count` raw bytes.
    mutating func byteArray(_ count: Int, _ what: String) throws(FastTextModelError) -> [UInt8] {
        let start = try take(count, what)
        return Array(bytes[start..<start + count])
    }

    /// The bytes up to the next NUL, which is consumed.
    mutating func cString(_ what: String) throws(FastTextModelError) -> ArraySlice<UInt8> {
        guard let end = bytes[offset...].firstIndex(of: 0) else {
            throw FastTextModelError("file ends at byte \(bytes.count) inside \(what) (at byte \(offset), no terminating NUL)")
        }
        defer { offset = end + 1 }
        return bytes[offset..<end]
    }

    /// A count that must lie in `range`, read as a 32-bit integer.
    mutating func count32(_ what: String, in range: ClosedRange<Int>) throws(FastTextModelError) -> Int {
        let at = offset
        let value = Int(try int32(what))
        guard range.contains(value) else { throw FastTextModelError("\(what) at byte \(at) is \(value), expected \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    /// A count that must lie in `range`, read as a 64-bit integer.
    mutating func count64(_ what: String, in range: ClosedRange<Int>) throws(FastTextModelError) -> Int {
        let at = offset
        let value = try int64(what)
        guard value >= Int64(range.lowerBound), value <= Int64(range.upperBound) else {
            throw FastTextModelError("\(what) at byte \(at) is \(value), expected \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(value)
    }
}
