/// Mergeable ranks: the byte sequences of a byte-level BPE vocabulary and their token ids.
/// Merging always joins the adjacent pair whose bytes have the lowest rank.
public struct Vocabulary: Sendable {
    let map: ByteSequenceMap
    /// The bytes of every rank: `bytes[offsets[r]..<offsets[r + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    /// Ranks that have no bytes (ids past gaps) have `present[r] == false`.
    private let present: [Bool]
    /// The rank of each single byte.
    let byteRanks: [UInt32]

    /// The most ids (largest rank + 1) a vocabulary may have.
    public static let maxRanks = 1 << 22

    /// Number of ranks, counting gaps: one more than the largest.
    public var count: Int { present.count }

    /// Builds a vocabulary from byte sequences and their ranks; every single byte needs one.
    public init(_ entries: [(bytes: [UInt8], rank: UInt32)]) throws(TokenizerError) {
        var map = ByteSequenceMap(capacity: entries.count)
        let size = (entries.map(\.rank).max().map { Int($0) + 1 }) ?? 0
        // Tables are sized by the largest rank: a file claiming a rank in the billions (hostile
        // or corrupt) would make them gigabytes. Real vocabularies stay far below 2^22 ids.
        guard size <= max(Self.maxRanks, 2 * entries.count) else {
            throw TokenizerError.invalidVocabulary("rank \(size - 1) is beyond the \(Self.maxRanks) ids a vocabulary may have")
        }
        var lengths = [Int](repeating: -1, count: size)
        var byRank = [[UInt8]](repeating: [], count: size)
        for (bytes, rank) in entries {
            guard lengths[Int(rank)] < 0 else { throw TokenizerError.invalidVocabulary("rank \(rank) is given twice") }
            guard map.insert(bytes, rank) else {
                throw TokenizerError.invalidVocabulary("the bytes of rank \(rank) are given twice")
            }
            lengths[Int(rank)] = bytes.count
            byRank[Int(rank)] = bytes
        }
        var byteRanks = [UInt32](repeating: 0, count: 256)
        for b in 0..<256 {
            guard let rank = map.get([UInt8(b)]) else {
                throw TokenizerError.invalidVocabulary("byte \(b) has no rank; byte-level BPE needs all 256")
            }
            byteRanks[b] = rank
        }
        var offsets = [0]
        offsets.reserveCapacity(size + 1)
        var all: [UInt8] = []
        for bytes in byRank {
            all.append(contentsOf: bytes)
            offsets.append(all.count)
        }
        self.map = map
        self.bytes = all
        self.offsets = offsets
        self.present = lengths.map { $0 >= 0 }
        self.byteRanks = byteRanks
    }

    /// The rank of `bytes`, if it is a token.
    public func rank(of bytes: [UInt8]) -> UInt32? { map.get(bytes) }

    /// The bytes of token `rank`, if there is one.
    public func bytes(of rank: UInt32) -> ArraySlice<UInt8>? {
        let r = Int(rank)
        guard r < present.count, present[r] else { return nil }
        return bytes[offsets[r]..<offsets[r + 1]]
    }

    /// Every token and its rank, in rank order.
    public var entries: [(bytes: [UInt8], rank: UInt32)] {
        present.indices.compactMap { r in
            present[r] ? (Array(bytes[offsets[r]..<offsets[r + 1]]), UInt32(r)) : nil
        }
    }
}

extension Vocabulary {
    /// The two tokens whose merge makes token `rank`: its bytes merged by rank with only
    /// ranks below `rank`, as tiktoken-to-Hugging-Face conversions derive merges. Nil for
    /// single bytes, and for tokens that merging does not reach in two parts.
    func mergeParts(of rank: UInt32) -> (UInt32, UInt32)? {
        guard let bytes = bytes(of: rank), bytes.count >= 2 else { return nil }
        var parts = bytes.indices.map { $0..<($0 + 1) }
        func pairRank(_ k: Int) -> UInt32? {
            guard let r = map.get(Array(bytes[parts[k].lowerBound..<parts[k + 1].upperBound])), r < rank else { return nil }
            return r
        }
        while parts.count > 2 {
            var best: (rank: UInt32, at: Int)? = nil
            for k in 0..<(parts.count - 1) {
                if let r = pairRank(k), best == nil || r < best!.rank { best = (r, k) }
            }
            guard let (_, at) = best else { return nil }
            parts[at] = parts[at].lowerBound..<parts[at + 1].upperBound
            parts.remove(at: at + 1)
        }
        guard parts.count == 2, let left = map.get(Array(bytes[parts[0]])), let right = map.get(Array(bytes[parts[1]])),
            left < rank, right < rank
        else { return nil }
        return (left, right)
    }
}
