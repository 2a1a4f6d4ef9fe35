import CXXHash
import CurateCore

/// What a shingle is made of.
public enum ShingleUnit: String, Sendable, CaseIterable {
    /// `n` consecutive words of the simplified text, joined by single spaces.
    case word
    /// `n` consecutive bytes of the simplified text (spaces included).
    case char
}

/// Turns a document's text into the 64-bit XXH3 hashes of its shingles.
///
/// A text with fewer than `n` units has one shingle, the whole simplified text; an empty
/// simplified text has none.
public struct Shingler: Sendable {
    public let unit: ShingleUnit
    public let n: Int
    private var simplifier = TextSimplifier()

    public init(unit: ShingleUnit = .word, n: Int = 5) {
        precondition(n >= 1)
        self.unit = unit
        self.n = n
    }

    /// Replaces `hashes` with the hashes of the shingles of `text`, in text order (with
    /// repeats).
    public mutating func shingles(of text: [UInt8], into hashes: inout [UInt64]) {
        hashes.removeAll(keepingCapacity: true)
        text.withUnsafeBufferPointer { simplifier.simplify($0) }
        let simplified = simplifier.text
        guard !simplified.isEmpty else { return }
        simplified.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            switch unit {
            case .word:
                let starts = simplifier.wordStarts, ends = simplifier.wordEnds
                if starts.count < n {
                    hashes.append(XXH3_64bits(base, raw.count))
                    return
                }
                for i in 0...(starts.count - n) {
                    let start = starts[i]
                    hashes.append(XXH3_64bits(base + start, ends[i + n - 1] - start))
                }
            case .char:
                if raw.count < n {
                    hashes.append(XXH3_64bits(base, raw.count))
                    return
                }
                for start in 0...(raw.count - n) {
                    hashes.append(XXH3_64bits(base + start, n))
                }
            }
        }
    }

    /// The 128-bit XXH3 hash of the simplified text, for exact matching.
    public mutating func textHash(of text: [UInt8]) -> (high: UInt64, low: UInt64) {
        text.withUnsafeBufferPointer { simplifier.simplify($0) }
        let hash = simplifier.text.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return (hash.high64, hash.low64)
    }
}

extension Shingler {
    /// The 128-bit XXH3 hash of `text` as it is.
    public static func rawHash(of text: [UInt8]) -> (high: UInt64, low: UInt64) {
        let hash = text.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return (hash.high64, hash.low64)
    }
}
