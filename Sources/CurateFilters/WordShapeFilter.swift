/// A quick "no" for most words not in a word list, before the word is hashed: a bit set over
/// each listed word's shape (its first two bytes, low six bits of each, and its length up to
/// 15). A word whose shape has no bit set is not in the list; one whose shape has its bit
/// set may be. 8 KB, whatever the size of the list.
struct WordShapeFilter: Sendable {
    private let bits: [UInt64]

    init(words: [[UInt8]]) {
        var bits = [UInt64](repeating: 0, count: 1 << 16 / 64)
        for word in words {
            word.withUnsafeBufferPointer { word in
                let shape = Self.shape(word, 0, word.count)
                bits[shape >> 6] |= 1 << UInt64(shape & 63)
            }
        }
        self.bits = bits
    }

    /// Whether the word `text[start..<end]` may be in the list.
    @inline(__always)
    func mayContain(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        withShapes { $0.mayContain(text, start, end) }
    }

    /// Runs `body` with a view of the bit set for many words at a time.
    @inline(__always)
    func withShapes<R>(_ body: (Shapes) -> R) -> R {
        bits.withUnsafeBufferPointer { body(Shapes(bits: $0)) }
    }

    /// The bit set, valid only inside ``withShapes(_:)``.
    struct Shapes {
        fileprivate let bits: UnsafeBufferPointer<UInt64>

        /// Whether the word `text[start..<end]` may be in the list.
        @inline(__always)
        func mayContain(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            let shape = WordShapeFilter.shape(text, start, end)
            return bits[shape &>> 6] & (1 &<< UInt64(shape & 63)) != 0
        }
    }

    @inline(__always)
    fileprivate static func shape(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        let length = end &- start
        let first = length > 0 ? Int(text[start] & 0x3F) : 0
        let second = length > 1 ? Int(text[start &+ 1] & 0x3F) : 0
        return first << 10 | second << 4 | min(length, 15)
    }
}
