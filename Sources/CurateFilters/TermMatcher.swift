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
    private let lengths: [Int]
    private let ringMask: Int

    /// A matcher for `terms`; empty terms never match.
    public init(terms: [String], boundaries: Boundaries = .words) {
        self.terms = terms
        self.boundaries = boundaries
        let patterns = terms.map { WordCharacters.lowercased(Array($0.utf8)) }
        automaton = AhoCorasick(patterns: patterns)
        lengths = patterns.map(\.count)
        var ring = 16
        while ring < (lengths.max() ?? 0) + 8 { ring <<= 1 }
        ringMask = ring - 1
    }

    /// Calls `body` with the index in ``terms`` of every occurrence in `text`, in the order
    /// the occurrences end (longest first among those ending together); `body` returns false
    /// to stop. Overlapping occurrences of different terms are all reported.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        let wholeWords = boundaries == .words
        let lengths = self.lengths
        let mask = ringMask
        automaton.withStepper { stepper in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: mask + 1) { boundaryBefore in
                var stop = false
                var state = AhoCorasick.start
                var position = 0
                var previousIsWord = false
                var pending: Int32 = -1
                var pendingEnd = 0

                /// Reports the terms ending at `end` in `matchState` whose start is at a word boundary.
                func report(_ matchState: Int32, _ end: Int) {
                    automaton.forEachPattern(endingAt: matchState) { id in
                        guard !stop else { return }
                        let start = end - lengths[Int(id)]
                        if wholeWords && !boundaryBefore[start & mask] { return }
                        if !body(Int(id)) { stop = true }
                    }
                }

                /// Feeds one lower-cased scalar.
                @inline(__always)
                func feed(_ scalar: UInt32, isWord: Bool) {
                    if pending >= 0 {
                        if !isWord { report(pending, pendingEnd) }
                        pending = -1
                    }
                    boundaryBefore[position & mask] = !previousIsWord
                    previousIsWord = isWord
                    if scalar < 0x80 {
                        state = stepper.next(state, UInt8(scalar))
                        position &+= 1
                    } else if scalar < 0x800 {
                        state = stepper.next(state, UInt8(0xC0 | scalar >> 6))
                        state = stepper.next(state, UInt8(0x80 | scalar & 0x3F))
                        position &+= 2
                    } else if scalar < 0x10000 {
                        state = stepper.next(state, UInt8(0xE0 | scalar >> 12))
                        state = stepper.next(state, UInt8(0x80 | scalar >> 6 & 0x3F))
                        state = stepper.next(state, UInt8(0x80 | scalar & 0x3F))
                        position &+= 3
                    } else {
                        state = stepper.next(state, UInt8(0xF0 | scalar >> 18))
                        state = stepper.next(state, UInt8(0x80 | scalar >> 12 & 0x3F))
                        state = stepper.next(state, UInt8(0x80 | scalar >> 6 & 0x3F))
                        state = stepper.next(state, UInt8(0x80 | scalar & 0x3F))
                        position &+= 4
                    }
                    if stepper.hasMatch(state) {
                        if wholeWords {
                            pending = state
                            pendingEnd = position
                        } else {
                            report(state, position)
                        }
                    }
                }

                var i = 0
                let n = text.count
                while i < n && !stop {
                    let byte = text[i]
                    if byte < 0x80 {
                        i += 1
                        let lowered = byte &- 0x41 < 26 ? byte | 0x20 : byte
                        feed(UInt32(lowered), isWord: Self.asciiWord[Int(byte)])
                        continue
                    }
                    let length = UTF8Bytes.sequenceLength(text, at: i)
                    let scalar = length == 0 ? 0xFFFD : UTF8Bytes.decode(text, at: i).scalar
                    i += max(length, 1)
                    let folded = WordCharacters.fold(scalar)
                    feed(folded.scalars.0, isWord: folded.wordBits & 1 != 0)
                    if folded.count > 1 { feed(folded.scalars.1, isWord: folded.wordBits & 2 != 0) }
                    if folded.count > 2 { feed(folded.scalars.2, isWord: folded.wordBits & 4 != 0) }
                }
                if pending >= 0 && !stop { report(pending, pendingEnd) }
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

    private static let asciiWord: [Bool] = (0..<128).map { WordCharacters.isWord(UInt32($0)) }
}
