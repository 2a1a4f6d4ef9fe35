/// A set of byte strings kept as 64-bit hashes, for block lists of millions of entries
/// (datatrove's domain list has about 4.6 million) in 8 bytes each plus table slack.
///
/// Two distinct strings share a hash with probability about 2^-64, so a lookup of a string
/// not in a set of n entries answers yes with probability about n × 2^-64.
struct HashedStringSet: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    let count: Int

    init(hashes: [UInt64]) {
        var capacity = 16
        while capacity < hashes.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        var count = 0
        let mask = capacity - 1
        for hash in hashes {
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 && slots[i] != hash { i = (i + 1) & mask }
            if slots[i] == 0 {
                slots[i] = hash
                count += 1
            }
        }
        self.slots = slots
        self.mask = mask
        self.count = count
    }

    /// Whether the string with hash `hash` (from ``hash(_:)``) is in the set.
    @inline(__always)
    func contains(hash: UInt64) -> Bool {
        slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot == hash { return true }
                if slot == 0 { return false }
                i = (i + 1) & mask
            }
        }
    }

    /// FNV-1a over bytes fed one at a time (for bytes transformed on the way, such as
    /// lower-cased labels), then the murmur3 finaliser so that low bits index well; never 0.
    struct Hasher {
        private var h: UInt64 = 0xCBF2_9CE4_8422_2325

        @inline(__always)
        mutating func add(_ byte: UInt8) {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }

        @inline(__always)
        func finish() -> UInt64 {
            var h = self.h
            h ^= h >> 33
            h &*= 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            h &*= 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 33
            return h == 0 ? 1 : h
        }
    }

    /// The hash of `bytes`: eight bytes at a time, each word mixed in by a multiply and
    /// shift, the length included, then the murmur3 finaliser; never 0.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h == 0 ? 1 : h
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBufferPointer { hash($0) } }
}
