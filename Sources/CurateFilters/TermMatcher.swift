import CurateCore

/// Finds occurrences of a set of terms in UTF-8 text in one pass, ignoring case, either as
/// whole words or anywhere.
///
/// Text and terms are lower-cased as Python's `str.lower()` does (see ``WordCharacters``).
/// A whole-word occurrence is one whose neighbours, in the lower-cased text, are not word
/// characters (Python's `\w`) or are the start or end of the text; this is the rule of the
/// pattern `(?:\W|^)(term)(?:\W|$)` that datatrove and C4 use for bad words. Invalid UTF-8
/// bytes read as U+FFFD. Immutable once built, so one matcher serves every thread.
public struct TermMatcher: Sendable {
    /// Where an occurrence may sit.
    public enum Boundaries: Sendable {
        /// Between non-word characters (or the ends of the text).
        case words
        /// Anywhere, for languages written without spaces (Japanese, Thai, Chinese).
        case anywhere
    }

    /// The terms, as given.
    public let terms: [String]
    public let boundaries: Boundaries
    private let automaton: AhoCorasick
    /// Bit (a << 7 | b) is set when a term is the ASCII bytes a, b or the byte a alone
    /// (lower-cased); then bit ``asciiPairBits`` + (hash of a, b, c) is set when a longer term
    /// starts with the ASCII bytes a, b, c: the starts where a whole-word walk can succeed.
    private let asciiStarts: [UInt64]
    private static let asciiPairBits = 128 * 128
    private static let tripleHashBits = 15

    /// A matcher for `terms`; empty terms never match.
    public init(terms: [String], boundaries: Boundaries = .words) {
        self.terms = terms
        self.boundaries = boundaries
        let patterns = terms.map { WordCharacters.lowercased(Array($0.utf8)) }
        automaton = AhoCorasick(patterns: patterns)
        var starts = [UInt64](repeating: 0, count: (Self.asciiPairBits + 1 << Self.tripleHashBits) / 64)
        func set(_ index: Int) { starts[index >> 6] |= 1 << UInt64(index & 63) }
        for pattern in patterns where !pattern.isEmpty && pattern[0] < 0x80 {
            let first = Int(pattern[0]) << 7
            if pattern.count == 1 {
                for next in 0..<128 { set(first | next) }
            } else if pattern.count == 2, pattern[1] < 0x80 {
                set(first | Int(pattern[1]))
            } else if pattern[1] < 0x80, pattern[2] < 0x80 {
                set(Self.asciiPairBits + Self.tripleHash(pattern[0], pattern[1], pattern[2]))
            }
        }
        asciiStarts = starts
    }

    @inline(__always)
    private static func tripleHash(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        let key = UInt32(a) << 14 | UInt32(b) << 7 | UInt32(c)
        return Int((key &* 0x9E37_79B1) >> UInt32(32 - tripleHashBits))
    }

    /// Calls `body` with the index in ``terms`` of every occurrence in `text`; `body` returns
    /// false to stop. Whole-word occurrences come in the order of their start, longer after
    /// shorter among those starting together; occurrences anywhere come in the order of their
    /// end. Overlapping occurrences of different terms are all reported.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        switch boundaries {
        case .words: forEachWholeWordMatch(in: text, body)
        case .anywhere: forEachMatchAnywhere(in: text, body)
        }
    }

    /// Whole words: a term can only start where the previous character is not a word
    /// character, so the trie of the terms is walked from those places only (about once per
    /// word), and a term that ends there is reported if the next character is not a word
    /// character either.
    private func forEachWholeWordMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        Self.byteKinds.withUnsafeBufferPointer { kinds in
            asciiStarts.withUnsafeBufferPointer { starts in
                automaton.withStepper { stepper in
                    var stop = false

                    /// Walks the trie from the scalar `start` reads next, reporting terms that end before
                    /// a non-word character.
                    func walk(_ start: FoldedScalarReader, from initial: Int32 = AhoCorasick.start) {
                        var walker = start
                        var state = initial
                        while !stop, let (scalar, _) = walker.next() {
                            guard let next = Self.trieStep(stepper, state, scalar) else { return }
                            state = next
                            guard stepper.isPattern(state) else { continue }
                            var after = walker
                            if let (_, followedByWord) = after.next(), followedByWord { continue }
                            automaton.forEachPattern(at: state) { id in
                                if !stop && !body(Int(id)) { stop = true }
                            }
                        }
                    }

                    /// The same walk from ASCII byte `start`, reading bytes directly while they are ASCII.
                    func walkASCII(_ start: Int) {
                        var state = AhoCorasick.start
                        var j = start
                        while j < text.count {
                            let byte = text[j]
                            if byte >= 0x80 { return walk(FoldedScalarReader(text: text, at: j), from: state) }
                            guard let next = stepper.child(state, byte &- 0x41 < 26 ? byte | 0x20 : byte) else { return }
                            state = next
                            j += 1
                            guard stepper.isPattern(state) else { continue }
                            if j < text.count {
                                let after = text[j]
                                if after < 0x80 {
                                    if kinds[Int(after)] == Self.asciiWord { continue }
                                } else {
                                    var reader = FoldedScalarReader(text: text, at: j)
                                    if let (_, followedByWord) = reader.next(), followedByWord { continue }
                                }
                            }
                            automaton.forEachPattern(at: state) { id in
                                if !stop && !body(Int(id)) { stop = true }
                            }
                            if stop { return }
                        }
                    }

                    var i = 0
                    var previousIsWord = false
                    while i < text.count && !stop {
                        let byte = text[i]
                        let kind = kinds[Int(byte)]
                        if kind != Self.nonASCII {
                            if !previousIsWord && Self.mayStart(byte, i + 1 < text.count ? text[i + 1] : 0x20, i + 2 < text.count ? text[i + 2] : 0x20, starts) {
                                walkASCII(i)
                            }
                            i += 1
                            previousIsWord = kind == Self.asciiWord
                            if previousIsWord {
                                // The rest of an ASCII word cannot start a term.
                                while i < text.count, kinds[Int(text[i])] == Self.asciiWord { i += 1 }
                            }
                            continue
                        }
                        let length = UTF8Bytes.sequenceLength(text, at: i)
                        let folded = WordCharacters.fold(length == 0 ? 0xFFFD : UTF8Bytes.decode(text, at: i).scalar)
                        for k in 0..<folded.count where !stop {
                            let scalar = k == 0 ? folded.scalars.0 : k == 1 ? folded.scalars.1 : folded.scalars.2
                            if !previousIsWord && stepper.child(AhoCorasick.start, ScalarBytes(scalar).first) != nil {
                                walk(FoldedScalarReader(text: text, at: i, skipping: k))
                            }
                            previousIsWord = folded.wordBits & (1 << UInt8(k)) != 0
                        }
                        i += max(length, 1)
                    }
                }
            }
        }
    }

    private static let asciiOther: UInt8 = 0, asciiWord: UInt8 = 1, nonASCII: UInt8 = 2
    /// Each byte: an ASCII word character, another ASCII character, or part of a non-ASCII one.
    private static let byteKinds: [UInt8] = (0..<256).map { b in
        b >= 0x80 ? nonASCII : FoldedScalarReader.isASCIIWord(UInt8(b)) ? asciiWord : asciiOther
    }

    /// Whether a term may start with ASCII `byte` followed by `next` and `third` (compared
    /// lower-cased): a term is that one byte or those two, or starts with the three (up to
    /// hash collisions), or a byte that is not ASCII comes first.
    @inline(__always)
    private static func mayStart(_ byte: UInt8, _ next: UInt8, _ third: UInt8, _ starts: UnsafeBufferPointer<UInt64>) -> Bool {
        guard next < 0x80 else { return true }
        let a = byte &- 0x41 < 26 ? byte | 0x20 : byte, b = next &- 0x41 < 26 ? next | 0x20 : next
        let pair = Int(a) << 7 | Int(b)
        if starts[pair >> 6] & (1 << UInt64(pair & 63)) != 0 { return true }
        guard third < 0x80 else { return true }
        let triple = asciiPairBits + tripleHash(a, b, third &- 0x41 < 26 ? third | 0x20 : third)
        return starts[triple >> 6] & (1 << UInt64(triple & 63)) != 0
    }

    /// The trie state after the UTF-8 bytes of `scalar`, or nil when no term continues so.
    @inline(__always)
    private static func trieStep(_ stepper: AhoCorasick.Stepper, _ state: Int32, _ scalar: UInt32) -> Int32? {
        if scalar < 0x80 { return stepper.child(state, UInt8(scalar)) }
        var state = state
        var bytes = ScalarBytes(scalar)
        for _ in 0..<bytes.count {
            guard let next = stepper.child(state, bytes.first) else { return nil }
            state = next
            bytes.advance()
        }
        return state
    }

    /// Anywhere: one pass of the Aho-Corasick automaton over the lower-cased text.
    private func forEachMatchAnywhere(in text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        automaton.withStepper { stepper in
            var stop = false
            var reader = FoldedScalarReader(text: text)
            var state = AhoCorasick.start
            while !stop, let (scalar, _) = reader.next() {
                if scalar < 0x80 {
                    state = stepper.next(state, UInt8(scalar))
                } else {
                    var bytes = ScalarBytes(scalar)
                    for _ in 0..<bytes.count {
                        state = stepper.next(state, bytes.first)
                        bytes.advance()
                    }
                }
                if stepper.hasMatch(state) {
                    automaton.forEachPattern(endingAt: state) { id in
                        if !stop && !body(Int(id)) { stop = true }
                    }
                }
            }
        }
    }

    /// The number of occurrences in `text`.
    public func count(in text: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        forEachMatch(in: text) { _ in
            count += 1
            return true
        }
        return count
    }

    /// Whether any term occurs in `text`.
    public func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        forEachMatch(in: text) { _ in
            found = true
            return false
        }
        return found
    }
}

/// Reads the lower-cased scalars of UTF-8 text (see ``WordCharacters``) with their word class;
/// invalid bytes read as U+FFFD. A copy reads on from where the original stood.
struct FoldedScalarReader {
    let text: UnsafeBufferPointer<UInt8>
    /// The byte offset of the next scalar to decode.
    private(set) var index: Int
    /// Scalars still to give of a lower-case mapping of several scalars.
    private var pending: WordCharacters.Folded? = nil
    private var pendingIndex = 0

    /// A reader at byte `index`, after the first `skipping` scalars of that character's
    /// lower-case mapping.
    init(text: UnsafeBufferPointer<UInt8>, at index: Int = 0, skipping: Int = 0) {
        self.text = text
        self.index = index
        for _ in 0..<skipping { _ = next() }
    }

    /// Whether scalars of a lower-case mapping of several scalars remain to be read.
    var isInsideMapping: Bool { pending != nil }

    @inline(__always)
    static func isASCIIWord(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x5F }

    @inline(__always)
    mutating func next() -> (scalar: UInt32, isWord: Bool)? {
        if let folded = pending {
            let k = pendingIndex
            pendingIndex += 1
            if pendingIndex == folded.count { pending = nil }
            let scalar = k == 1 ? folded.scalars.1 : folded.scalars.2
            return (scalar, folded.wordBits & (1 << UInt8(k)) != 0)
        }
        guard index < text.count else { return nil }
        let byte = text[index]
        if byte < 0x80 {
            index += 1
            return (UInt32(byte &- 0x41 < 26 ? byte | 0x20 : byte), Self.isASCIIWord(byte))
        }
        let length = UTF8Bytes.sequenceLength(text, at: index)
        let scalar = length == 0 ? 0xFFFD : UTF8Bytes.decode(text, at: index).scalar
        index += max(length, 1)
        let folded = WordCharacters.fold(scalar)
        if folded.count > 1 {
            pending = folded
            pendingIndex = 1
        }
        return (folded.scalars.0, folded.wordBits & 1 != 0)
    }
}

/// The UTF-8 bytes of one scalar, read first to last.
private struct ScalarBytes {
    private var packed: UInt32
    let count: Int

    @inline(__always)
    init(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            packed = scalar
            count = 1
        case ..<0x800:
            packed = (0xC0 | scalar >> 6) | (0x80 | scalar & 0x3F) << 8
            count = 2
        case ..<0x10000:
            packed = (0xE0 | scalar >> 12) | (0x80 | scalar >> 6 & 0x3F) << 8 | (0x80 | scalar & 0x3F) << 16
            count = 3
        default:
            packed = (0xF0 | scalar >> 18) | (0x80 | scalar >> 12 & 0x3F) << 8 | (0x80 | scalar >> 6 & 0x3F) << 16
                | (0x80 | scalar & 0x3F) << 24
            count = 4
        }
    }

    /// The next byte.
    @inline(__always)
    var first: UInt8 { UInt8(truncatingIfNeeded: packed) }

    @inline(__always)
    mutating func advance() { packed >>= 8 }
}
