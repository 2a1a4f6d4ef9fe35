/// A table from short ASCII names to values: each name of at most 8 bytes is packed
/// little-endian into an integer and found by open addressing over at least twice as many
/// slots as names, with a multiplicative hash, so that a lookup (one per element of every
/// page) is a multiply and a load or two instead of a `Dictionary`'s hashing.
struct PackedNames<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value]
    private let absent: Value
    /// log2 of the number of slots.
    private let bits: Int

    /// A table of `names` (at most 8 bytes each), answering `absent` for any other.
    init(_ names: [(String, Value)], absent: Value) {
        var bits = 8
        while 1 << bits < 2 * names.count { bits += 1 }
        self.bits = bits
        self.absent = absent
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [Value](repeating: absent, count: 1 << bits)
        for (name, value) in names {
            let bytes = Array(name.utf8)
            precondition(!bytes.isEmpty && bytes.count <= 8, "\(name) is not 1 to 8 bytes")
            let key = bytes.withUnsafeBufferPointer { Self.key($0.baseAddress!, count: $0.count) }
            var slot = slot(key)
            while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = key
            values[slot] = value
        }
    }

    /// The key of the `count` bytes at `name` (1 to 8 of them).
    static func key(_ name: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var key: UInt64 = 0
        for i in 0..<count { key |= UInt64(name[i]) << (8 * UInt64(i)) }
        return key
    }

    private func slot(_ key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits)) }

    /// The value of the packed name `key`; `absent` for names not in the table.
    func value(_ key: UInt64) -> Value {
        keys.withUnsafeBufferPointer { keys in
            var slot = slot(key)
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == 0 { return absent }
                slot = (slot + 1) & (keys.count - 1)
            }
        }
    }
}
