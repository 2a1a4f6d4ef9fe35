/// A set of spans of a text, equal when their characters are equal; for counting repeated
/// lines and paragraphs.
struct ScalarSpanSet {
    private var table: SliceTable

    init(text: ScalarText, capacity: Int) {
        table = SliceTable(stream: text.scalars, capacity: capacity)
    }

    /// Adds `span`; false when an equal span was already there.
    mutating func insert(_ span: Range<Int>) -> Bool {
        table.find(span.lowerBound, span.upperBound).inserted
    }
}

/// The word n-gram measures of Gopher's repetition rules over one document's words.
struct WordNGrams {
    /// The words, each followed by a separator that no character equals: n-grams compare
    /// as word sequences (Python's `" ".join`).
    private let joined: [UInt32]
    private let joinedStart: [Int]
    /// The words run together with nothing between (Python's `"".join`): "ab c" and "a bc"
    /// are the same 2-gram here.
    private let concatenated: [UInt32]
    private let concatenatedStart: [Int]
    private let count: Int
    private let joinedHashes: PrefixHashes
    private let concatenatedHashes: PrefixHashes

    private static let separator: UInt32 = 0x11_0000

    init(text: ScalarText, words: [Range<Int>]) {
        count = words.count
        var joined: [UInt32] = [], concatenated: [UInt32] = []
        var joinedStart: [Int] = [], concatenatedStart: [Int] = []
        joined.reserveCapacity(text.count + count)
        concatenated.reserveCapacity(text.count)
        joinedStart.reserveCapacity(count + 1)
        concatenatedStart.reserveCapacity(count + 1)
        text.scalars.withUnsafeBufferPointer { s in
            for w in words {
                joinedStart.append(joined.count)
                concatenatedStart.append(concatenated.count)
                for i in w {
                    joined.append(s[i])
                    concatenated.append(s[i])
                }
                joined.append(Self.separator)
            }
        }
        joinedStart.append(joined.count)
        concatenatedStart.append(concatenated.count)
        self.joined = joined
        self.joinedStart = joinedStart
        self.concatenated = concatenated
        self.concatenatedStart = concatenatedStart
        joinedHashes = PrefixHashes(joined)
        concatenatedHashes = PrefixHashes(concatenated)
    }

    /// The characters of the most frequent n-gram (words joined by spaces) times its count;
    /// among equally frequent ones, the first to occur. Nil when there are fewer than n words.
    func topNGramChars(_ n: Int) -> Int? {
        guard count >= n else { return nil }
        var table = SliceTable(stream: joined, hashes: joinedHashes, capacity: count - n + 1)
        var counts: [Int] = []
        var firstAt: [Int] = []
        counts.reserveCapacity(count - n + 1)
        for i in 0...(count - n) {
            let found = table.find(joinedStart[i], joinedStart[i + n])
            if found.inserted {
                counts.append(1)
                firstAt.append(i)
            } else {
                counts[found.id] += 1
            }
        }
        var best = 0
        for id in 1..<counts.count where counts[id] > counts[best] { best = id }
        let i = firstAt[best]
        let chars = joinedStart[i + n] - joinedStart[i] - 1
        return chars * counts[best]
    }

    /// The characters of n-grams (words run together) that repeat an earlier one, scanning
    /// left to right and jumping past each repeat.
    func repeatedNGramChars(_ n: Int) -> Int {
        guard count >= n else { return 0 }
        var table = SliceTable(stream: concatenated, hashes: concatenatedHashes, capacity: count - n + 1)
        var repeated = 0
        var i = 0
        while i < count - n + 1 {
            let lo = concatenatedStart[i], hi = concatenatedStart[i + n]
            if table.find(lo, hi).inserted {
                i += 1
            } else {
                repeated += hi - lo
                i += n
            }
        }
        return repeated
    }
}

/// Polynomial hashes of every prefix of a stream, so that any slice hashes in constant time.
struct PrefixHashes {
    private let prefix: [UInt64]
    private let powers: [UInt64]
    private static let base: UInt64 = 0x100_0000_01B3

    init(_ stream: [UInt32]) {
        var prefix = [UInt64](repeating: 0, count: stream.count + 1)
        var powers = [UInt64](repeating: 1, count: stream.count + 1)
        for (i, c) in stream.enumerated() {
            prefix[i + 1] = prefix[i] &* Self.base &+ UInt64(c) &+ 1
            powers[i + 1] = powers[i] &* Self.base
        }
        self.prefix = prefix
        self.powers = powers
    }

    @inline(__always) func hash(_ lo: Int, _ hi: Int) -> UInt64 {
        let h = prefix[hi] &- prefix[lo] &* powers[hi - lo]
        return (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
    }
}

/// An open-addressing hash set of slices of one stream of values, compared by content;
/// each distinct slice gets an id in insertion order.
struct SliceTable {
    private let stream: [UInt32]
    private let prefixHashes: PrefixHashes?
    private var slots: [Int32]
    private struct Entry {
        let hash: UInt64
        let start: Int
        let end: Int
    }

    private var entries: [Entry] = []
    private let mask: Int

    init(stream: [UInt32], hashes: PrefixHashes? = nil, capacity: Int) {
        self.stream = stream
        prefixHashes = hashes
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        entries.reserveCapacity(capacity)
    }

    private func hash(_ lo: Int, _ hi: Int) -> UInt64 {
        if let prefixHashes { return prefixHashes.hash(lo, hi) }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(hi - lo)
        stream.withUnsafeBufferPointer { s in
            for i in lo..<hi {
                h = (h ^ UInt64(s[i])) &* 0x100_0000_01B3
                h ^= h >> 29
            }
        }
        return h &* 0xBF58_476D_1CE4_E5B9
    }

    private func equal(_ id: Int, _ lo: Int, _ hi: Int) -> Bool {
        let a = entries[id].start, b = entries[id].end
        guard b - a == hi - lo else { return false }
        return stream.withUnsafeBufferPointer { s in
            var k = 0
            while k < hi - lo {
                if s[a + k] != s[lo + k] { return false }
                k += 1
            }
            return true
        }
    }

    private func slot(_ h: UInt64, _ lo: Int, _ hi: Int) -> (index: Int, id: Int?) {
        var index = Int(truncatingIfNeeded: h >> 20) & mask
        while true {
            let id = Int(slots[index])
            if id < 0 { return (index, nil) }
            if entries[id].hash == h, equal(id, lo, hi) { return (index, id) }
            index = (index + 1) & mask
        }
    }

    /// The id of the slice equal to `stream[lo..<hi]`, adding it when new.
    mutating func find(_ lo: Int, _ hi: Int) -> (id: Int, inserted: Bool) {
        let h = hash(lo, hi)
        let (index, id) = slot(h, lo, hi)
        if let id { return (id, false) }
        let new = entries.count
        if new * 2 >= slots.count {
            grow()
            return find(lo, hi)
        }
        slots[index] = Int32(new)
        entries.append(Entry(hash: h, start: lo, end: hi))
        return (new, true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for id in 0..<entries.count {
            var index = Int(truncatingIfNeeded: entries[id].hash >> 20) & mask
            while slots[index] >= 0 { index = (index + 1) & mask }
            slots[index] = Int32(id)
        }
        self = SliceTable(rebuilt: self, slots: slots, mask: mask)
    }

    private init(rebuilt old: SliceTable, slots: [Int32], mask: Int) {
        stream = old.stream
        prefixHashes = old.prefixHashes
        self.slots = slots
        self.mask = mask
        entries = old.entries
    }
}
