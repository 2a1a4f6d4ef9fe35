#if canImport(Glibc)
import Glibc
#endif

/// A hash map from byte sequences to 32-bit values, with the keys packed in one buffer so
/// that lookups by pointer and length allocate nothing.
struct ByteSequenceMap: Sendable {
    private struct Slot {
        var hash: UInt32
        var value: UInt32
        var offset: UInt32
        var length: UInt32
    }

    private static let empty = UInt32.max
    private var keys: [UInt8] = []
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(hash: 0, value: 0, offset: 0, length: ByteSequenceMap.empty), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The value of the `n` bytes at `p`, if present.
    @inline(__always)
    func get(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32? {
        let h = ByteSequenceMap.hash(p, n)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                var i = Int(truncatingIfNeeded: h) & mask
                while true {
                    let slot = slots[i]
                    if slot.length == ByteSequenceMap.empty { return nil }
                    if slot.hash == tag, Int(slot.length) == n,
                        memcmp(keys.baseAddress! + Int(slot.offset), p, n) == 0
                    {
                        return slot.value
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func get(_ bytes: [UInt8]) -> UInt32? {
        bytes.withUnsafeBufferPointer { get($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    /// Sets the value of `bytes`; returns false if it was present (and leaves it).
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: UInt32) -> Bool {
        let p = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        if get(p, bytes.count) != nil { return false }
        if (count + 1) * 2 > slots.count { grow() }
        let h = ByteSequenceMap.hash(p, bytes.count)
        let slot = Slot(hash: UInt32(truncatingIfNeeded: h >> 32), value: value, offset: UInt32(keys.count), length: UInt32(bytes.count))
        keys.append(contentsOf: bytes)
        place(slot, hash: h)
        count += 1
        return true
    }

    mutating func insert(_ bytes: [UInt8], _ value: UInt32) -> Bool {
        bytes.withUnsafeBufferPointer { insert($0, value) }
    }

    /// Calls `body` with the bytes and value of every entry, in no particular order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UInt32) throws -> Void) rethrows {
        try keys.withUnsafeBufferPointer { keys in
            for slot in slots where slot.length != ByteSequenceMap.empty {
                try body(UnsafeBufferPointer(rebasing: keys[Int(slot.offset)..<Int(slot.offset + slot.length)]), slot.value)
            }
        }
    }

    /// Bytes of memory the map holds.
    var memoryBytes: Int { keys.capacity + slots.count * MemoryLayout<Slot>.stride }

    /// Removes every entry, keeping the capacity.
    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i].length = ByteSequenceMap.empty }
        count = 0
    }

    private mutating func place(_ slot: Slot, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].length != ByteSequenceMap.empty { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(hash: 0, value: 0, offset: 0, length: ByteSequenceMap.empty), count: old.count * 2)
        mask = slots.count - 1
        keys.withUnsafeBufferPointer { keys in
            for slot in old where slot.length != ByteSequenceMap.empty {
                let h = ByteSequenceMap.hash(keys.baseAddress! + Int(slot.offset), Int(slot.length))
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i].length != ByteSequenceMap.empty { i = (i + 1) & mask }
                slots[i] = slot
            }
        }
    }
}
