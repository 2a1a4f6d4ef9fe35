#if canImport(Glibc)
import Glibc
#endif

/// Finds special token text in bytes: the earliest occurrence, the longest token on a tie.
struct SpecialTokenMatcher: Sendable {
    private let tokens: [(bytes: [UInt8], text: String, id: UInt32)]
    /// firstBytes[b]: some token starts with byte b.
    private let firstBytes: [Bool]

    init(_ specials: [String: UInt32]) {
        tokens = specials.map { (Array($0.key.utf8), $0.key, $0.value) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.1 < $1.1 }
        var first = [Bool](repeating: false, count: 256)
        for token in tokens { first[Int(token.bytes[0])] = true }
        firstBytes = first
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// The first token at or after `from` for which `accept` holds.
    func first(
        in text: UnsafeBufferPointer<UInt8>, from: Int, where accept: (String) -> Bool
    ) -> (range: Range<Int>, token: String, id: UInt32)? {
        var i = from
        while i < text.count {
            if firstBytes[Int(text[i])] {
                for token in tokens where token.bytes.count <= text.count - i && accept(token.text) {
                    if token.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, text.baseAddress! + i, $0.count) == 0 }) {
                        return (i..<(i + token.bytes.count), token.text, token.id)
                    }
                }
            }
            i += 1
        }
        return nil
    }
}
