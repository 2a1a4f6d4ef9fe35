/// The banned sub-words of ``URLFilter``: whether one occurs in a URL's lower-cased ASCII
/// letters and digits, joined.
///
/// When every sub-word has three characters or more, only the places whose first three
/// characters begin a sub-word (by a bit set over a hash of the three, so a few others pass
/// too) are followed in the trie of the sub-words; shorter sub-words make every place a
/// candidate, read by the Aho-Corasick automaton in one pass.
struct URLFilterSubwords: Sendable {
    private let automaton: AhoCorasick
    /// Bit (hash of a, b, c) is set when a sub-word begins with a, b, c; empty when a sub-word
    /// is shorter than three.
    private let starts: [UInt64]
    private static let hashBits = 14

    /// The sub-words, each lower-cased letters and digits; empty ones are left out.
    init(_ subwords: [[UInt8]]) {
        let subwords = subwords.filter { !$0.isEmpty }
        automaton = AhoCorasick(patterns: subwords)
        if subwords.allSatisfy({ $0.count >= 3 }) {
            var starts = [UInt64](repeating: 0, count: 1 << Self.hashBits / 64)
            for word in subwords {
                let h = Self.hash(word[0], word[1], word[2])
                starts[h >> 6] |= 1 << UInt64(h & 63)
            }
            self.starts = starts
        } else {
            starts = []
        }
    }

    /// Whether there are sub-words at all.
    var isEmpty: Bool { automaton.stateCount <= 1 }

    @inline(__always)
    private static func hash(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        Int(((UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)) &* 0x9E37_79B1) >> UInt32(32 - hashBits))
    }

    /// Whether a sub-word occurs in `text` (lower-cased letters and digits).
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        if starts.isEmpty { return automaton.occurs(in: text) }
        guard text.count >= 3 else { return false }
        return starts.withUnsafeBufferPointer { starts in
            automaton.withStepper { stepper in
                for i in 0..<(text.count - 2) {
                    let h = Self.hash(text[i], text[i + 1], text[i + 2])
                    guard starts[h >> 6] & (1 << UInt64(h & 63)) != 0 else { continue }
                    var state = AhoCorasick.start
                    var j = i
                    while j < text.count, let next = stepper.child(state, text[j]) {
                        if stepper.isPattern(next) { return true }
                        state = next
                        j += 1
                    }
                }
                return false
            }
        }
    }
}
