/// The n-gram buckets a pruned (`.ftz`) model kept, each mapped to its row among the kept
/// ones: an open-addressing table from bucket to row.
struct FastTextBucketMap: Sendable {
    private var keys: [Int32]
    private var values: [Int32]
    private let mask: Int

    init(capacityFor count: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        keys = Array(repeating: -1, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private func slot(_ key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt32(bitPattern: key) &* 0x9E37_79B1) >> 7) & mask
    }

    /// Maps `key` (≥ 0) to `value`, replacing an earlier value for the same key.
    mutating func set(_ key: Int32, _ value: Int32) {
        var i = slot(key)
        while keys[i] != -1, keys[i] != key { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
    }

    /// The value of `key`, or -1 when the bucket was pruned away.
    @inline(__always)
    func value(_ key: Int32) -> Int32 {
        keys.withUnsafeBufferPointer { keys in
            var i = slot(key)
            while true {
                let k = keys[i]
                if k == key { return values.withUnsafeBufferPointer { $0[i] } }
                if k == -1 { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// Every value, for validation.
    var allValues: some Sequence<Int32> { zip(keys, values).lazy.filter { $0.0 != -1 }.map(\.1) }
}
