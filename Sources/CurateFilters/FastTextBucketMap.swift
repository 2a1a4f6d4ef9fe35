/// The n-gram buckets a pruned (`.ftz`) model kept, each mapped to its row among the kept
/// ones: an open-addressing table from bucket to row, each key next to its value so that a
/// lookup reads one cache line.
struct FastTextBucketMap: Sendable {
    /// Slots of a key (low 32 bits; -1 when empty) and its value (high 32 bits).
    private var slots: [UInt64]
    private let mask: Int
    private static let empty = UInt64(UInt32(bitPattern: -1))

    init(capacityFor count: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
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
    }

    /// The value of `key`, or -1 when the bucket was pruned away.
    @inline(__always)
    func value(_ key: Int32) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
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
