/// A set of spans of a text, equal when their characters are equal; for counting repeated
/// lines and paragraphs.
struct ScalarSpanSet {
    private let text: ScalarText
    private var spans: [Range<Int>] = []
    private var table: PositionTable

    init(text: ScalarText, capacity: Int) {
        self.text = text
        spans.reserveCapacity(capacity)
        table = PositionTable(capacity: capacity)
    }

    /// Adds `span`; false when an equal span was already there.
    mutating func insert(_ span: Range<Int>) -> Bool {
        if spans.count == table.capacity { table.reserve(spans.count * 2) }
        let position = spans.count
        let found = spans.withUnsafeBufferPointer { spans in
            text.scalars.withUnsafeBufferPointer { s in
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(span.count)
                for i in span { h = (h &+ UInt64(s[i])) &* 0x100_0000_01B3 }
                return table.findOrInsert(PositionTable.mix(h), position) { k in
                    let other = spans[k]
                    guard other.count == span.count else { return false }
                    var a = other.lowerBound, b = span.lowerBound
                    while b < span.upperBound {
                        if s[a] != s[b] { return false }
                        a += 1
                        b += 1
                    }
                    return true
                }
            }
        }
        if found == nil { spans.append(span) }
        return found == nil
    }
}

/// The word n-gram measures of Gopher's repetition rules over one document's words.
///
/// Each word gets an id (the position of its first occurrence), so that n-grams compare as
/// sequences of ids; n-grams of words run together compare by a hash of their characters,
/// with the characters themselves compared when the words differ. One hash table, made for
/// the words, serves every measure in turn.
struct WordNGrams {
    private let text: ScalarText
    private let words: [Range<Int>]
    /// Per word, the position of the first equal word.
    private let ids: [Int32]
    /// Characters before each word in the words run together; `count + 1` entries.
    private let charStart: [Int]
    /// Polynomial hashes of the words run together, at each word boundary.
    private let runHash: [UInt64]
    /// `base` to the power of each length, up to the characters of the longest run of
    /// `longestN` words.
    private let powers: [UInt64]
    private var table: PositionTable
    private let longestN: Int
    private var count: Int { ids.count }

    private static let base: UInt64 = 0x100_0000_01B3

    /// The measures of `words`, for n-grams of words run together of up to `longestN` words.
    init(text: ScalarText, words: [Range<Int>], longestN: Int = .max) {
        self.text = text
        self.words = words
        self.longestN = longestN
        let count = words.count
        var ids = [Int32](repeating: 0, count: count)
        var charStart = [Int](repeating: 0, count: count + 1)
        var runHash = [UInt64](repeating: 0, count: count + 1)
        var table = PositionTable(capacity: count)
        var total = 0
        text.scalars.withUnsafeBufferPointer { s in
            words.withUnsafeBufferPointer { w in
                var run: UInt64 = 0
                for k in 0..<count {
                    let word = w[k]
                    var h: UInt64 = 0
                    for i in word {
                        h = h &* Self.base &+ UInt64(s[i]) &+ 1
                        run = run &* Self.base &+ UInt64(s[i]) &+ 1
                    }
                    total += word.count
                    charStart[k + 1] = total
                    runHash[k + 1] = run
                    let first = table.findOrInsert(PositionTable.mix(h &+ UInt64(word.count)), k) { j in
                        let other = w[j]
                        guard other.count == word.count else { return false }
                        var a = other.lowerBound, b = word.lowerBound
                        while b < word.upperBound {
                            if s[a] != s[b] { return false }
                            a += 1
                            b += 1
                        }
                        return true
                    }
                    ids[k] = Int32(first ?? k)
                }
            }
        }
        var longest = 0
        if longestN >= count {
            longest = total
        } else {
            for i in 0..<count - longestN { longest = max(longest, charStart[i + longestN] - charStart[i]) }
            longest = max(longest, total - charStart[count - longestN])
        }
        var powers = [UInt64](repeating: 1, count: longest + 1)
        powers.withUnsafeMutableBufferPointer { p in
            var i = 1
            while i <= longest {
                p[i] = p[i - 1] &* Self.base
                i += 1
            }
        }
        self.ids = ids
        self.charStart = charStart
        self.runHash = runHash
        self.powers = powers
        self.table = table
    }

    /// The characters of the most frequent n-gram (words joined by spaces) times its count;
    /// among equally frequent ones, the first to occur. Nil when there are fewer than n words.
    mutating func topNGramChars(_ n: Int) -> Int? {
        let count = self.count
        guard count >= n else { return nil }
        table.clear()
        var counts = [Int32](repeating: 0, count: count - n + 1)
        var best = 0, bestCount: Int32 = 0
        let ids = self.ids
        ids.withUnsafeBufferPointer { ids in
            counts.withUnsafeMutableBufferPointer { counts in
                for i in 0...(count - n) {
                    var h: UInt64 = 0
                    for k in i..<i + n { h = (h ^ UInt64(UInt32(bitPattern: ids[k]))) &* 0x9E37_79B9_7F4A_7C15 }
                    let first = table.findOrInsert(PositionTable.mix(h), i) { j in
                        for k in 0..<n where ids[j + k] != ids[i + k] { return false }
                        return true
                    } ?? i
                    counts[first] += 1
                    // Counts only grow, so a later n-gram wins only with a strictly higher count.
                    if counts[first] > bestCount || (counts[first] == bestCount && first < best) {
                        best = first
                        bestCount = counts[first]
                    }
                }
            }
        }
        let chars = charStart[best + n] - charStart[best] + n - 1
        return chars * Int(bestCount)
    }

    /// The characters of n-grams (words run together) that repeat an earlier one, scanning
    /// left to right and jumping past each repeat.
    mutating func repeatedNGramChars(_ n: Int) -> Int {
        precondition(n <= longestN, "n-grams of \(n) words, measures made for \(longestN)")
        let count = self.count
        guard count >= n else { return 0 }
        table.clear()
        var repeated = 0
        let (text, words, ids, charStart, runHash, powers) = (self.text, self.words, self.ids, self.charStart, self.runHash, self.powers)
        ids.withUnsafeBufferPointer { ids in
            charStart.withUnsafeBufferPointer { start in
                runHash.withUnsafeBufferPointer { run in
                    powers.withUnsafeBufferPointer { powers in
                        var i = 0
                        while i < count - n + 1 {
                            let length = start[i + n] - start[i]
                            let h = run[i + n] &- run[i] &* powers[length]
                            let found = table.findOrInsert(PositionTable.mix(h), i) { j in
                                guard start[j + n] - start[j] == length else { return false }
                                var k = 0
                                while k < n, ids[j + k] == ids[i + k] { k += 1 }
                                return k == n || Self.sameCharacters(text, words, j, i, n)
                            }
                            if found == nil {
                                i += 1
                            } else {
                                repeated += length
                                i += n
                            }
                        }
                    }
                }
            }
        }
        return repeated
    }

    /// Whether the `n` words from `a` and from `b`, run together, have the same characters.
    private static func sameCharacters(_ text: ScalarText, _ words: [Range<Int>], _ a: Int, _ b: Int, _ n: Int) -> Bool {
        var left = WordRunReader(text: text, words: words[a..<a + n])
        var right = WordRunReader(text: text, words: words[b..<b + n])
        while let c = left.next() {
            if c != right.next() { return false }
        }
        return right.next() == nil
    }
}

/// Reads the characters of consecutive words run together.
private struct WordRunReader {
    let text: ScalarText
    let words: ArraySlice<Range<Int>>
    private var word: Int
    private var at: Int

    init(text: ScalarText, words: ArraySlice<Range<Int>>) {
        self.text = text
        self.words = words
        word = words.startIndex
        at = words.first?.lowerBound ?? 0
    }

    mutating func next() -> UInt32? {
        while word < words.endIndex {
            if at < words[word].upperBound {
                defer { at += 1 }
                return text.scalars[at]
            }
            word += 1
            if word < words.endIndex { at = words[word].lowerBound }
        }
        return nil
    }
}

/// An open-addressing hash table of positions (indices into the caller's items), keyed by
/// 64-bit hashes; the caller says when two items are equal. A slot holds the pass that wrote
/// it, 28 bits of the hash (which also place it) and the position plus one (0: empty), so that
/// most probes need no item comparison, and ``clear()`` empties the table for the next pass
/// without writing it: slots of earlier passes count as empty.
struct PositionTable {
    private var slots: [UInt64]
    private var mask: Int
    /// The pass, in the top four bits of the slots it writes (1 to 15).
    private var pass: UInt64 = 1
    /// The number of entries the table takes before it must grow.
    private(set) var capacity: Int

    private static let passShift: UInt64 = 60
    private static let tagMask: UInt64 = 0x0FFF_FFFF_0000_0000

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        self.capacity = size / 2
    }

    /// Mixes the bits of a hash so that both halves are usable.
    @inline(__always)
    static func mix(_ h: UInt64) -> UInt64 {
        var z = h ^ (h >> 31)
        z = z &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 29)
    }

    /// Empties the table.
    mutating func clear() {
        if pass == 15 {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            pass = 1
        } else {
            pass += 1
        }
    }

    /// The position of an entry with hash `hash` for which `same` is true; when there is
    /// none, stores `position` and returns nil. At most ``capacity`` positions can be stored.
    @inline(__always)
    mutating func findOrInsert(_ hash: UInt64, _ position: Int, same: (Int) -> Bool) -> Int? {
        let passBits = pass << Self.passShift
        let key = passBits | (hash & Self.tagMask)
        let mask = self.mask
        return slots.withUnsafeMutableBufferPointer { slots in
            var index = Int(truncatingIfNeeded: hash >> 32) & mask
            while true {
                let slot = slots[index]
                if slot & (0xF << Self.passShift) != passBits {
                    slots[index] = key | UInt64(position + 1)
                    return nil
                }
                if slot & 0xFFFF_FFFF_0000_0000 == key {
                    let other = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if same(other) { return other }
                }
                index = (index + 1) & mask
            }
        }
    }

    /// Makes room for `capacity` entries, keeping those of the current pass.
    mutating func reserve(_ capacity: Int) {
        guard capacity > self.capacity else { return }
        var grown = PositionTable(capacity: capacity)
        grown.pass = pass
        let current = pass << Self.passShift
        for slot in slots where slot & (0xF << Self.passShift) == current {
            // The slot's index bits are the low bits of its hash's top half, as in findOrInsert.
            var index = Int(truncatingIfNeeded: slot >> 32) & grown.mask
            while grown.slots[index] != 0 { index = (index + 1) & grown.mask }
            grown.slots[index] = slot
        }
        self = grown
    }
}
