#if canImport(Glibc)
import Glibc
#endif

/// A set of byte strings kept as 64-bit hashes, for block lists of millions of entries
/// (datatrove's domain list has about 4.6 million) in 8 bytes each plus table slack.
///
/// Two distinct strings share a hash with probability about 2^-64, so a lookup of a string
/// not in a set of n entries answers yes with probability about n × 2^-64.
///
/// In front of the table, a bit per hash prefix (at least 8 bits an entry, a sixteenth of the
/// table's size) turns away most absent strings without touching the table: the bit array
/// of a 20,000-entry list (32 KB) stays in cache where the table (512 KB) would not.
struct HashedStringSet: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    /// Bit `hash >> prefixShift` is set for every hash in the set.
    private let prefixBits: [UInt64]
    private let prefixShift: UInt64
    let count: Int

    init(hashes: [UInt64]) {
        var capacity = 16
        while capacity < hashes.count * 2 { capacity <<= 1 }
        var slots = [UInt64](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            Self.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: 0)
            initialized = capacity
        }
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

        let prefixBitCount = capacity * 4
        let prefixShift = UInt64(64 - prefixBitCount.trailingZeroBitCount)
        var prefixBits = [UInt64](unsafeUninitializedCapacity: prefixBitCount / 64) { buffer, initialized in
            Self.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: 0)
            initialized = prefixBitCount / 64
        }
        for hash in slots where hash != 0 {
            let bit = Int(truncatingIfNeeded: hash >> prefixShift)
            prefixBits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.prefixBits = prefixBits
        self.prefixShift = prefixShift
    }

    /// Asks the kernel to back `memory` with 2 MB pages where it can, before it is first
    /// written: a lookup in a table of 128 MB (datatrove's domain list) then finds its page
    /// in the TLB instead of walking the page tables.
    private static func adviseHugePages(_ memory: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let hugePage = 2 << 20
        guard let base = memory.baseAddress, memory.count >= 2 * hugePage else { return }
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + memory.count) & ~(hugePage - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }

    /// Whether the string with hash `hash` (from ``hash(_:)``) is in the set.
    @inline(__always)
    func contains(hash: UInt64) -> Bool {
        let bit = Int(truncatingIfNeeded: hash >> prefixShift)
        guard prefixBits.withUnsafeBufferPointer({ $0[bit >> 6] }) & (1 << UInt64(bit & 63)) != 0 else { return false }
        return slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot == hash { return true }
                if slot == 0 { return false }
                i = (i + 1) & mask
            }
        }
    }

    /// The hash of `bytes`: eight bytes at a time, each word mixed in by a multiply and
    /// shift, the length included, then the murmur3 finaliser; never 0. The last bytes that do
    /// not fill a word are read with one load of eight bytes where the buffer allows it
    /// (`bytes` may be a slice of a larger buffer; nothing outside `bytes` changes the hash).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(bytes, readableEnd: bytes.count)
    }

    /// ``hash(_:)`` of `bytes`, which may read up to `readableEnd` (at least `bytes.count`)
    /// bytes from `bytes.baseAddress` to take the last bytes in one load.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, readableEnd: Int) -> UInt64 {
        hash(bytes, readableEnd: readableEnd) { $0 }
    }

    /// ``hash(_:)`` of `bytes` with ASCII letters lower-cased, eight at a time.
    @inline(__always)
    static func hash(lowercasingASCII bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(lowercasingASCII: bytes, readableEnd: bytes.count)
    }

    /// ``hash(lowercasingASCII:)`` of `bytes`, which may read up to `readableEnd` bytes as
    /// ``hash(_:readableEnd:)`` does.
    @inline(__always)
    static func hash(lowercasingASCII bytes: UnsafeBufferPointer<UInt8>, readableEnd: Int) -> UInt64 {
        hash(bytes, readableEnd: readableEnd, transform: lowercasedASCII)
    }

    /// ``hash(lowercasingASCII:)`` of the `count` bytes at `bytes`, fewer than eight, from
    /// which eight bytes are readable: one load, no loop.
    @inline(__always)
    static func hash(lowercasingASCIIShort bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        if count > 0 {
            let tail = bytes.loadUnaligned(as: UInt64.self) & (UInt64.max >> UInt64(64 &- 8 &* count))
            h = (h ^ lowercasedASCII(tail)) &* 0xC4CE_B9FE_1A85_EC53
        }
        return finalized(h)
    }

    /// The eight bytes of `word` with ASCII letters lower-cased.
    @inline(__always)
    private static func lowercasedASCII(_ word: UInt64) -> UInt64 {
        // Per byte, on its low seven bits (no carry crosses a byte): at least "A", and
        // above "Z"; only bytes with the top bit clear are letters.
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        let upper = (low &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(low &+ 0x2525_2525_2525_2525) & ~word & 0x8080_8080_8080_8080
        return word | upper >> 2
    }

    /// ``hash(_:readableEnd:)`` of the bytes as `transform` changes each little-endian word of
    /// eight of them (the last one with zeros after the bytes, which it must keep zero).
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, readableEnd: Int, transform: (UInt64) -> UInt64) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 {
            let count = bytes.count
            var i = 0
            while i &+ 8 <= count {
                h = (h ^ transform(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i &+= 8
            }
            let rest = count &- i
            if rest > 0 {
                // The `rest` bytes as a little-endian number: from a load at i with the bytes
                // after masked off, or a load ending at `count` shifted down.
                let tail: UInt64
                if i &+ 8 <= readableEnd {
                    tail = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & (UInt64.max >> UInt64(64 &- 8 &* rest))
                } else if count >= 8 {
                    tail = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self) >> UInt64(64 &- 8 &* rest)
                } else {
                    var bytesTail: UInt64 = 0
                    for k in 0..<rest { bytesTail |= UInt64(base[i &+ k]) << UInt64(8 &* k) }
                    tail = bytesTail
                }
                h = (h ^ transform(tail)) &* 0xC4CE_B9FE_1A85_EC53
            }
        }
        return finalized(h)
    }

    /// The murmur3 finaliser of `h`, never 0.
    @inline(__always)
    private static func finalized(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h == 0 ? 1 : h
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBufferPointer { hash($0) } }
}
