import CurateCore

/// Counts the occurrences of a set of terms in UTF-8 text, ignoring case, as whole words or
/// anywhere: the occurrences ``TermMatcher`` reports, found by a deterministic automaton that
/// reads each character of the text once.
///
/// Text and terms are lower-cased and classed as ``TermMatcher`` does them (Python's
/// `str.lower()` and `\w`; invalid bytes read as U+FFFD). Each lower-cased character becomes a
/// class: one per distinct character of the terms, one for other word characters and one for
/// the rest, so that a step is one read in a table of states by classes.
///
/// For whole words, a state is the longest end of the text read so far that began where a term
/// may begin (at the start of the text or after a non-word character) and begins a term; it
/// falls back, as in Aho-Corasick, to the next shorter such end, or to the state where only a
/// new start is possible, or to the one where none is (inside a word). The terms that end at a
/// state are counted when a non-word character or the end of the text follows. Anywhere, the
/// automaton is plain Aho-Corasick over the classes. Immutable once built; one counter serves
/// every thread.
public struct TermCounter: Sendable {
    /// The terms, as given.
    public let terms: [String]
    public let boundaries: TermMatcher.Boundaries
    private let classes: CharacterClasses
    /// Next state by (state × class count + class), the states numbered so that those where
    /// terms end come last; entries are the next state times the class count.
    private let delta: [Int32]
    /// The first state (times the class count) where terms end.
    private let firstEnding: Int
    /// The number of terms ending at each of those states, from `firstEnding` on.
    private let endingCounts: [Int32]
    /// The state where a term may start and none has begun (times the class count).
    private let start: Int
    /// The state inside a word where no term has begun (times the class count).
    private let inWord: Int
    /// Which ASCII word starts can begin a term.
    private let starts: WordStartScreen

    /// A counter for `terms`; terms that lower-case to nothing never match.
    public init(terms: [String], boundaries: TermMatcher.Boundaries = .words) {
        self.terms = terms
        self.boundaries = boundaries
        let folded = terms.map(Self.folded)
        let classes = CharacterClasses(termScalars: Set(folded.joined()))
        self.classes = classes
        let width = classes.count

        // The trie of the terms over classes; -1 marks a missing edge. Node 0 is the root.
        var trie = [Int32](repeating: -1, count: width)
        var own: [Int32] = [0]
        for term in folded where !term.isEmpty {
            var node = 0
            for scalar in term {
                let slot = node * width + Int(classes.ofLowercased(scalar))
                if trie[slot] < 0 {
                    trie[slot] = Int32(own.count)
                    own.append(0)
                    trie += repeatElement(-1, count: width)
                }
                node = Int(trie[slot])
            }
            own[node] += 1
        }

        // States: 0 is inside a word where no term can start (whole words; anywhere it is never
        // entered), 1 + n is trie node n, so 1 is the root, where a term may start.
        let stateCount = own.count + 1
        precondition(stateCount * width < Int(Int32.max), "too many terms for a term counter")
        var next = [Int32](repeating: 0, count: stateCount * width)
        var fallback = [Int32](repeating: 0, count: stateCount)
        var ending = [Int32](repeating: 0, count: stateCount)
        for c in 0..<width {
            next[c] = boundaries == .anywhere || !classes.isWord(c) ? 1 : 0
        }
        var queue: [Int32] = [1]
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            ending[state] = own[state - 1] + ending[Int(fallback[state])]
            let row = state * width, fallbackRow = Int(fallback[state]) * width
            for c in 0..<width {
                let child = trie[(state - 1) * width + c]
                if child < 0 {
                    next[row + c] = next[fallbackRow + c]
                } else {
                    next[row + c] = child + 1
                    fallback[Int(child) + 1] = next[fallbackRow + c]
                    queue.append(child + 1)
                }
            }
        }

        // Renumber so that the states where terms end come last.
        var order = (0..<stateCount).filter { ending[$0] == 0 }
        let firstEnding = order.count
        order += (0..<stateCount).filter { ending[$0] != 0 }
        var number = [Int32](repeating: 0, count: stateCount)
        for (new, old) in order.enumerated() { number[old] = Int32(new) }
        var delta = [Int32](repeating: 0, count: stateCount * width)
        for (new, old) in order.enumerated() {
            for c in 0..<width { delta[new * width + c] = number[Int(next[old * width + c])] * Int32(width) }
        }
        self.delta = delta
        self.firstEnding = firstEnding * width
        endingCounts = order[firstEnding...].map { ending[$0] }
        start = Int(number[1]) * width
        inWord = Int(number[0]) * width
        starts = WordStartScreen(terms: folded)
    }

    /// The lower-cased scalars of `term`.
    private static func folded(_ term: String) -> [UInt32] {
        var out: [UInt32] = []
        for scalar in term.unicodeScalars {
            let folded = WordCharacters.fold(scalar.value)
            out.append(folded.scalars.0)
            if folded.count > 1 { out.append(folded.scalars.1) }
            if folded.count > 2 { out.append(folded.scalars.2) }
        }
        return out
    }

    /// The number of occurrences of the terms in `text`, every term counted at every place it
    /// occurs (overlapping occurrences of different terms included).
    public func count(in text: UnsafeBufferPointer<UInt8>) -> Int {
        delta.withUnsafeBufferPointer { delta in
            endingCounts.withUnsafeBufferPointer { endingCounts in
                classes.withTables { tables in
                    let scan = Scan(
                        delta: delta, endingCounts: endingCounts, tables: tables, classes: classes, firstEnding: firstEnding,
                        width: classes.count, start: start, inWord: inWord, starts: starts)
                    return boundaries == .words ? scan.countWholeWords(text) : scan.countAnywhere(text)
                }
            }
        }
    }

    /// The tables of a counter, read over one text.
    private struct Scan {
        let delta: UnsafeBufferPointer<Int32>
        let endingCounts: UnsafeBufferPointer<Int32>
        let tables: CharacterClasses.Tables
        let classes: CharacterClasses
        let firstEnding: Int
        let width: Int
        let start: Int
        let inWord: Int
        let starts: WordStartScreen

        /// The class of the character at `i` (not ASCII) and its length in bytes, or
        /// ``CharacterClasses/several`` and the scalar's length when it lower-cases to several
        /// scalars or lies beyond the tables.
        @inline(__always)
        func nonASCII(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (class: UInt16, length: Int, scalar: UInt32) {
            let byte = text[i]
            let length = UTF8Bytes.sequenceLength(text, at: i)
            let scalar: UInt32
            switch length {
            case 2:
                scalar = UInt32(byte & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F)
            case 3:
                scalar = UInt32(byte & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F)
            case 4:
                scalar = UInt32(byte & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                    | UInt32(text[i + 3] & 0x3F)
            default:
                scalar = 0xFFFD
            }
            return (tables.of(scalar), max(length, 1), scalar)
        }

        /// The classes of the lower-case scalars of `scalar`, a character that lower-cases to
        /// several or lies beyond the tables.
        func folded(_ scalar: UInt32) -> (count: Int, classes: (Int, Int, Int)) {
            let folded = WordCharacters.fold(scalar)
            return (folded.count, (Int(classes.ofLowercased(folded.scalars.0)), Int(classes.ofLowercased(folded.scalars.1)),
                                   Int(classes.ofLowercased(folded.scalars.2))))
        }

        /// Whole words: terms ending at a state count when a non-word character follows or the
        /// text ends. The rest of an ASCII word where no term has begun, and a whole ASCII word
        /// that no term can begin, are skipped.
        func countWholeWords(_ text: UnsafeBufferPointer<UInt8>) -> Int {
            var state = start
            var count = 0
            @inline(__always) func read(_ c: Int) {
                if state >= firstEnding && !tables.isWord(c) { count += Int(endingCounts[(state - firstEnding) / width]) }
                state = Int(delta[state &+ c])
            }
            var i = 0
            let n = text.count
            while i < n {
                // Where no term has begun, eight ASCII bytes at a time: only their word starts
                // that may begin a term need the automaton.
                if (state == inWord || state == start) && i + 8 <= n && starts.blocksAreScreened {
                    let block = UInt64(littleEndian: UnsafeRawPointer(text.baseAddress! + i).loadUnaligned(as: UInt64.self))
                    if block & WordStartScreen.high == 0 {
                        let words = WordStartScreen.wordBytes(block)
                        let lowered = WordStartScreen.lowered(block: block)
                        var wordStarts = words & ~(words << 8 | (state == inWord ? 0x80 : 0))
                        var begin = -1
                        while wordStarts != 0 {
                            let k = wordStarts.trailingZeroBitCount >> 3
                            if k < 6 ? starts.mayBegin(key: UInt32(truncatingIfNeeded: lowered >> UInt64(8 * k)) & 0xFF_FFFF)
                                : starts.mayBegin(text, at: i + k) {
                                begin = k
                                break
                            }
                            wordStarts &= wordStarts &- 1
                        }
                        if begin < 0 {
                            state = words >> 63 != 0 ? inWord : start
                            i += 8
                            continue
                        }
                        // The byte before a word start is not a word character.
                        if begin > 0 { state = start }
                        i += begin
                    }
                }
                let byte = text[i]
                if byte < 0x80 {
                    if (state == inWord || state == start) && WordStartScreen.isWord(byte)
                        && (state == inWord || !starts.mayBegin(text, at: i)) {
                        i = WordStartScreen.endOfWord(text, from: i + 1)
                        state = inWord
                        continue
                    }
                    read(Int(tables.ascii[Int(byte)]))
                    i += 1
                    continue
                }
                let (c, length, scalar) = nonASCII(text, at: i)
                i += length
                if c != CharacterClasses.several {
                    read(Int(c))
                } else {
                    let (k, cs) = folded(scalar)
                    read(cs.0)
                    if k > 1 { read(cs.1) }
                    if k > 2 { read(cs.2) }
                }
            }
            if state >= firstEnding { count += Int(endingCounts[(state - firstEnding) / width]) }
            return count
        }

        /// Anywhere: terms ending at a state count as it is entered.
        ///
        /// Its non-ASCII step repeats `countWholeWords`'s on purpose: sharing it through a
        /// helper that takes `read` as a closure boxes the captured state and made badwords
        /// 4.7x slower (0.17 s -> 0.82 s on the safety bench's 6,718 documents).
        func countAnywhere(_ text: UnsafeBufferPointer<UInt8>) -> Int {
            var state = start
            var count = 0
            @inline(__always) func read(_ c: Int) {
                state = Int(delta[state &+ c])
                if state >= firstEnding { count += Int(endingCounts[(state - firstEnding) / width]) }
            }
            var i = 0
            let n = text.count
            while i < n {
                let byte = text[i]
                if byte < 0x80 {
                    read(Int(tables.ascii[Int(byte)]))
                    i += 1
                    continue
                }
                let (c, length, scalar) = nonASCII(text, at: i)
                i += length
                if c != CharacterClasses.several {
                    read(Int(c))
                } else {
                    let (k, cs) = folded(scalar)
                    read(cs.0)
                    if k > 1 { read(cs.1) }
                    if k > 2 { read(cs.2) }
                }
            }
            return count
        }
    }
}

/// Which places of a text, at an ASCII word character after a non-word one, can begin a term,
/// by their first three bytes (compared lower-cased): a term is the first one or the first two,
/// or begins with all three (up to collisions of a hash of the three), or a byte outside ASCII
/// comes among them.
struct WordStartScreen: Sendable {
    /// Bit (a | b << 8) for ASCII a, b: a term is a, or a and b; then bit `pairBits` + (hash
    /// of a, b, c): a term begins with a, b, c.
    private let bits: [UInt64]
    private static let pairBits = 1 << 15
    private static let tripleHashBits = 15

    /// The screen for terms of lower-cased scalars.
    init(terms: [[UInt32]]) {
        var bits = [UInt64](repeating: 0, count: (Self.pairBits + 1 << Self.tripleHashBits) / 64)
        func set(_ index: Int) { bits[index >> 6] |= 1 << UInt64(index & 63) }
        for term in terms where !term.isEmpty && term[0] < 0x80 {
            let first = Int(term[0])
            if term.count == 1 {
                for next in 0..<128 { set(first | next << 8) }
            } else if term.count == 2, term[1] < 0x80 {
                set(first | Int(term[1]) << 8)
            } else if term.count > 2, term[1] < 0x80, term[2] < 0x80 {
                set(Self.pairBits + Self.tripleHash(term[0] | term[1] << 8 | term[2] << 16))
            }
        }
        self.bits = bits
        blocksAreScreened = !terms.contains { !$0.isEmpty && $0[0] < 0x80 && !Self.isWord(UInt8($0[0])) }
    }

    @inline(__always)
    private static func tripleHash(_ key: UInt32) -> Int {
        Int((key &* 0x9E37_79B1) >> UInt32(32 - tripleHashBits))
    }

    /// Whether a term may begin with the lower-cased ASCII bytes of `key` (first byte lowest;
    /// three bytes).
    @inline(__always)
    func mayBegin(key: UInt32) -> Bool {
        let pair = Int(key & 0xFFFF), triple = Self.pairBits + Self.tripleHash(key)
        return bits.withUnsafeBufferPointer { bits in
            (bits[pair >> 6] >> UInt64(pair & 63) | bits[triple >> 6] >> UInt64(triple & 63)) & 1 != 0
        }
    }

    /// `x` (eight ASCII bytes) with its capital letters lower-cased.
    @inline(__always)
    static func lowered(block x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let capital = (x &+ 0x3F &* ones) & ~(x &+ 0x25 &* ones) & high
        return x | capital >> 2
    }

    /// Whether ASCII `byte` is a word character (a letter, a digit or `_`).
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x5F }

    /// Whether no term begins with an ASCII non-word character, so that from the state where no
    /// term has begun only word starts can lead elsewhere.
    let blocksAreScreened: Bool

    static let high: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `x` (first byte lowest) that is an ASCII word character,
    /// computed a byte at a time in parallel with each byte kept below 0x80 so that no sum
    /// carries into the next.
    @inline(__always)
    static func wordBytes(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low = x & ~high
        let lower = low | 0x20 &* ones
        // The high bit of low + (0x80 - k) says low >= k.
        let letter = (lower &+ 0x1F &* ones) & ~(lower &+ 0x05 &* ones)
        let digit = (low &+ 0x50 &* ones) & ~(low &+ 0x46 &* ones)
        let underscore = ~((low ^ 0x5F &* ones) &+ 0x7F &* ones)
        return (letter | digit | underscore) & ~x & high
    }

    /// The index of the first byte from `i` on that is not an ASCII word character (or the
    /// end of `text`), eight bytes at a time.
    @inline(__always)
    static func endOfWord(_ text: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var i = i
        if let base = text.baseAddress {
            while i + 8 <= text.count {
                let length = wordPrefixLength(UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += length
                if length < 8 { return i }
            }
        }
        while i < text.count && isWord(text[i]) { i += 1 }
        return i
    }

    /// The number of ASCII word characters that the eight bytes of `x` (first byte lowest)
    /// start with.
    @inline(__always)
    static func wordPrefixLength(_ x: UInt64) -> Int {
        let other = ~wordBytes(x) & high
        return other == 0 ? 8 : other.trailingZeroBitCount >> 3
    }

    /// Whether a term may begin at ASCII byte `i` of `text`; a space stands for the bytes
    /// after the end.
    @inline(__always)
    func mayBegin(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let next = i + 1 < text.count ? text[i + 1] : 0x20
        let third = i + 2 < text.count ? text[i + 2] : 0x20
        guard next < 0x80 && third < 0x80 else { return true }
        let key = UInt32(text[i]) | UInt32(next) << 8 | UInt32(third) << 16
        return mayBegin(key: UInt32(truncatingIfNeeded: Self.lowered(block: UInt64(key))))
    }
}

/// The classes of the characters of a text for a ``TermCounter``: 0 for non-word characters
/// and 1 for word characters that no term holds, then one class per character of the terms.
/// Text characters are classed by their lower-case form.
struct CharacterClasses: Sendable {
    /// The class of a character that lower-cases to several characters, which are classed one
    /// by one.
    static let several: UInt16 = .max
    static let nonWord: UInt16 = 0, word: UInt16 = 1

    /// The number of classes.
    let count: Int
    /// The class of each ASCII byte.
    private let ascii: [UInt16]
    /// The block of 64 classes of each scalar below ``BaseClasses/limit`` by `scalar >> 6`.
    private let blockIndex: [UInt16]
    private let blocks: [UInt16]
    /// Whether each class is one of word characters.
    private let wordClasses: [Bool]
    /// The classes of the terms' characters outside ASCII.
    private let termClasses: [UInt32: UInt16]

    /// Classes for terms made of the lower-cased scalars `termScalars`.
    init(termScalars: Set<UInt32>) {
        let base = BaseClasses.shared
        var ascii = (0..<128).map { WordCharacters.isWord(UInt32($0)) ? Self.word : Self.nonWord }
        var blockIndex = base.blockIndex
        var blocks = base.blocks
        var wordClasses = [false, true]
        var termClasses: [UInt32: UInt16] = [:]
        for scalar in termScalars.sorted() {
            let c = UInt16(wordClasses.count)
            precondition(c < Self.several, "too many distinct characters in the terms")
            wordClasses.append(WordCharacters.isWord(scalar))
            if scalar >= 0x80 { termClasses[scalar] = c }
            // Every scalar that lower-cases to this one alone (itself included) reads as it.
            for source in base.sources(of: scalar) where source < BaseClasses.limit {
                if source < 0x80 {
                    ascii[Int(source)] = c
                    continue
                }
                let block = Int(source >> 6)
                if Int(blockIndex[block]) < base.blockCount {
                    // The block is still the shared one: copy it first.
                    let shared = Int(blockIndex[block]) * 64
                    blockIndex[block] = UInt16(blocks.count / 64)
                    blocks += blocks[shared..<shared + 64]
                }
                blocks[Int(blockIndex[block]) * 64 + Int(source & 63)] = c
            }
        }
        count = wordClasses.count
        self.ascii = ascii
        self.blockIndex = blockIndex
        self.blocks = blocks
        self.wordClasses = wordClasses
        self.termClasses = termClasses
    }

    /// Whether class `c` is one of word characters.
    func isWord(_ c: Int) -> Bool { wordClasses[c] }

    /// The class of `scalar`, a lower-case form: a character of the terms, or a word or non-word
    /// character.
    func ofLowercased(_ scalar: UInt32) -> UInt16 {
        if scalar < 0x80 { return ascii[Int(scalar)] }
        return termClasses[scalar] ?? (WordCharacters.isWord(scalar) ? Self.word : Self.nonWord)
    }

    /// Views of the tables for reading a text; valid only inside ``withTables(_:)``.
    struct Tables {
        let ascii: UnsafeBufferPointer<UInt16>
        let blockIndex: UnsafeBufferPointer<UInt16>
        let blocks: UnsafeBufferPointer<UInt16>
        let wordClasses: UnsafeBufferPointer<Bool>

        /// The class of text scalar `scalar` (not ASCII), or ``CharacterClasses/several``
        /// when it lower-cases to several scalars or lies beyond the tables.
        @inline(__always)
        func of(_ scalar: UInt32) -> UInt16 {
            guard scalar < BaseClasses.limit else { return CharacterClasses.several }
            return blocks[Int(blockIndex[Int(scalar >> 6)]) &<< 6 | Int(scalar & 63)]
        }

        @inline(__always)
        func isWord(_ c: Int) -> Bool { wordClasses[c] }
    }

    @inline(__always)
    func withTables<R>(_ body: (Tables) -> R) -> R {
        ascii.withUnsafeBufferPointer { ascii in
            blockIndex.withUnsafeBufferPointer { blockIndex in
                blocks.withUnsafeBufferPointer { blocks in
                    wordClasses.withUnsafeBufferPointer { wordClasses in
                        body(Tables(ascii: ascii, blockIndex: blockIndex, blocks: blocks, wordClasses: wordClasses))
                    }
                }
            }
        }
    }
}

/// The classes every ``CharacterClasses`` starts from, built once: for each scalar below
/// `limit` (the first two planes), word or non-word by its lower-case form, or
/// ``CharacterClasses/several``; and which scalars lower-case to a given one.
struct BaseClasses: Sendable {
    /// Scalars from here on are classed as they are read.
    static let limit: UInt32 = 0x20000
    static let shared = BaseClasses()

    /// The block of each `scalar >> 6`; identical blocks are stored once.
    let blockIndex: [UInt16]
    let blocks: [UInt16]
    let blockCount: Int
    /// The scalars below `limit` that lower-case to a single other scalar, by that scalar.
    private let uppercase: [UInt32: [UInt32]]

    private init() {
        var blockIndex = [UInt16](repeating: 0, count: Int(Self.limit >> 6))
        var blocks: [UInt16] = []
        var seen: [[UInt16]: UInt16] = [:]
        var uppercase: [UInt32: [UInt32]] = [:]
        var block = [UInt16](repeating: 0, count: 64)
        for high in 0..<Int(Self.limit >> 6) {
            for low in 0..<64 {
                let scalar = UInt32(high << 6 | low)
                let folded = WordCharacters.fold(scalar)
                if folded.count > 1 {
                    block[low] = CharacterClasses.several
                } else {
                    block[low] = folded.wordBits & 1 != 0 ? CharacterClasses.word : CharacterClasses.nonWord
                    if folded.scalars.0 != scalar { uppercase[folded.scalars.0, default: []].append(scalar) }
                }
            }
            if let index = seen[block] {
                blockIndex[high] = index
            } else {
                let index = UInt16(blocks.count / 64)
                seen[block] = index
                blockIndex[high] = index
                blocks += block
            }
        }
        self.blockIndex = blockIndex
        self.blocks = blocks
        blockCount = blocks.count / 64
        self.uppercase = uppercase
    }

    /// The scalars that read as `scalar` when lower-cased alone: itself when it is its own
    /// lower-case form, and those that lower-case to it.
    func sources(of scalar: UInt32) -> [UInt32] {
        let folded = WordCharacters.fold(scalar)
        let own = folded.count == 1 && folded.scalars.0 == scalar ? [scalar] : []
        return own + (uppercase[scalar] ?? [])
    }
}
