/// The n-gram buckets a pruned (`.ftz`) model kept, each mapped to its row among the kept
/// ones: an open-addressing table from bucket to row, each key next to its value so that a
/// lookup reads one cache line, behind one bit per bucket. A pruned model keeps few buckets
/// (lid.176.ftz: 42,765 of 2,000,000), so most lookups are of buckets it dropped; the bits
/// (256 KB for 2M buckets) answer those without probing the table.
struct FastTextBucketMap: Sendable {
    /// Slots of a key (low 32 bits; -1 when empty) and its value (high 32 bits).
    private var slots: [UInt64]
    private let mask: Int
    /// Bit `k` set when key `k` (below `bitCount`) is in the table.
    private var present: [UInt64]
    private let bitCount: Int
    private static let empty = UInt64(UInt32(bitPattern: -1))
    /// The most keys looked up through bits (8 MB of them); a model with more buckets probes
    /// the table for the rest.
    static let bitLimit = 1 << 26

    /// A map for `count` keys; keys below `keyLimit` are looked up through the bits.
    init(capacityFor count: Int, keyLimit: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
        bitCount = max(0, keyLimit)
        present = Array(repeating: 0, count: (bitCount + 63) / 64)
    }

    @inline(__always)
    private func slot(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt32(bitPattern: key) &* 0x9E37_79B1) >> 7) & mask
    }

    @inline(__always)
    private static func key(_ slot: UInt64) -> Int32 { Int32(truncatingIfNeeded: slot) }

    /// Maps `key` (≥ 0) to `value`, replacing an earlier value for the same key.
    mutating func set(_ key: Int32, _ value: Int32) {
        var i = slot(key)
        while slots[i] != Self.empty, Self.key(slots[i]) != key { i = (i + 1) & mask }
        slots[i] = UInt64(UInt32(bitPattern: key)) | UInt64(UInt32(bitPattern: value)) << 32
        let k = Int(key)
        if k < bitCount { present[k >> 6] |= 1 << UInt64(k & 63) }
    }

    /// The value of `key`, or -1 when the bucket was pruned away.
    @inline(__always)
    func value(_ key: Int32) -> Int32 {
        let k = Int(key)
        if k < bitCount {
            let word = present.withUnsafeBufferPointer { $0[k >> 6] }
            if word & (1 << UInt64(k & 63)) == 0 { return -1 }
        }
        return slots.withUnsafeBufferPointer { slots in
            var i = slot(key)
            while true {
                let s = slots[i]
                if Self.key(s) == key { return Int32(truncatingIfNeeded: s >> 32) }
                if s == Self.empty { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// Every value, for validation.
    var allValues: some Sequence<Int32> {
        slots.lazy.filter { $0 != Self.empty }.map { Int32(truncatingIfNeeded: $0 >> 32) }
    }
}
