import CurateIO

/// Options of byte-level BPE training.
public struct BPETrainingOptions: Sendable, Equatable {
    /// Tokens in the result: 256 bytes, the merges and the special tokens.
    public var vocabularySize: Int
    public var pattern: SplitPattern
    /// Special tokens, given ids after the merged tokens in this order.
    public var specialTokens: [String]
    /// Pairs seen fewer times than this are not merged; training stops before them.
    public var minFrequency: Int
    /// Chunks longer than this many bytes are left out of the counts.
    public var maxChunkBytes: Int
    /// Memory for the chunk counts, in bytes; past it, counts spill to disk.
    public var memoryBytes: Int
    /// Threads that count chunks.
    public var workers: Int

    public init(
        vocabularySize: Int, pattern: SplitPattern, specialTokens: [String] = [], minFrequency: Int = 2,
        maxChunkBytes: Int = 128, memoryBytes: Int = 1 << 30, workers: Int = 1
    ) {
        self.vocabularySize = vocabularySize
        self.pattern = pattern
        self.specialTokens = specialTokens
        self.minFrequency = minFrequency
        self.maxChunkBytes = maxChunkBytes
        self.memoryBytes = memoryBytes
        self.workers = workers
    }
}

/// What training produced besides the tokenizer.
public struct BPETrainingSummary: Sendable, Equatable {
    /// Distinct chunks trained on, and their total count.
    public var distinctChunks: Int
    public var chunks: UInt64
    /// Chunks seen fewer times than this were left out to fit the memory (1: none).
    public var chunkCutoff: UInt64
    /// Sorted runs of chunk counts written to disk.
    public var spills: Int
    public var merges: Int
}

/// Trains a byte-level BPE vocabulary: documents are split with the pattern, distinct
/// chunks counted (in parallel, in bounded memory: see `ChunkCounter`), then the most
/// frequent adjacent pair of tokens over all chunks is merged into a new token, again and
/// again. Pair counts are updated only in the chunks a merge touches, and the next pair
/// comes from a priority queue.
///
/// Ties: among pairs with the same count, the one with the smaller left token id wins, then
/// the smaller right id (byte tokens have their byte value as id, merged tokens 256 up in
/// merge order). The result depends only on the documents and options, not on `workers`.
public final class BPETrainer {
    public let options: BPETrainingOptions
    private let counter: ChunkCounter

    /// `folder` receives spilled chunk counts (deleted when training ends).
    public init(_ options: BPETrainingOptions, folder: String) {
        self.options = options
        counter = ChunkCounter(
            pattern: options.pattern, maxChunkBytes: options.maxChunkBytes, memoryBytes: options.memoryBytes,
            workers: options.workers, folder: folder)
    }

    /// Counts the chunks of `documents`.
    public func add(_ documents: [[UInt8]]) throws(IOError) {
        try counter.add(documents)
    }

    /// Merges until the vocabulary is full or no pair is frequent enough.
    public func train() throws(IOError) -> (Tokenizer, BPETrainingSummary) {
        let counted = try counter.finish()
        var state = MergeState(counted.chunks)
        let target = max(0, options.vocabularySize - 256 - options.specialTokens.count)
        state.run(merges: target, minFrequency: UInt64(max(1, options.minFrequency)))
        let entries = state.tokenBytes.enumerated().map { ($0.element, UInt32($0.offset)) }
        let vocabulary = try! Vocabulary(entries)
        var specials: [String: UInt32] = [:]
        for token in options.specialTokens where specials[token] == nil {
            specials[token] = UInt32(vocabulary.count + specials.count)
        }
        let tokenizer = try! Tokenizer(pattern: options.pattern, vocabulary: vocabulary, specialTokens: specials)
        let summary = BPETrainingSummary(
            distinctChunks: counted.chunks.count, chunks: counted.chunks.reduce(0) { $0 + $1.count },
            chunkCutoff: counted.cutoff, spills: counted.spills, merges: state.tokenBytes.count - 256)
        return (tokenizer, summary)
    }
}

/// The chunks as token sequences, pair counts and where each pair occurs.
private struct MergeState {
    /// Symbols of all words (distinct chunks) back to back; word w is
    /// `symbols[starts[w]..<starts[w] + lengths[w]]`.
    var symbols: [UInt32] = []
    var starts: [Int] = []
    var lengths: [Int32] = []
    var counts: [UInt64] = []
    var pairCounts: [UInt64: UInt64] = [:]
    /// Words that held the pair at some point (a word may appear more than once, or no longer hold it).
    var pairWords: [UInt64: [Int32]] = [:]
    var heap = PairHeap()
    var tokenBytes: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    var tokenIDs: [[UInt8]: UInt32] = [:]

    init(_ chunks: [(bytes: [UInt8], count: UInt64)]) {
        for b in 0..<256 { tokenIDs[[UInt8(b)]] = UInt32(b) }
        for (w, chunk) in chunks.enumerated() {
            starts.append(symbols.count)
            lengths.append(Int32(chunk.bytes.count))
            counts.append(chunk.count)
            symbols.append(contentsOf: chunk.bytes.map(UInt32.init))
            for k in 0..<(chunk.bytes.count - 1) {
                let pair = MergeState.key(UInt32(chunk.bytes[k]), UInt32(chunk.bytes[k + 1]))
                pairCounts[pair, default: 0] += chunk.count
                pairWords[pair, default: []].append(Int32(w))
            }
        }
        for (pair, count) in pairCounts { heap.push(count: count, pair: pair) }
    }

    static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    mutating func run(merges target: Int, minFrequency: UInt64) {
        var merged = 0
        var step: Int32 = 0
        var seen = [Int32](repeating: -1, count: counts.count)
        while merged < target, let (count, pair) = heap.pop() {
            let current = pairCounts[pair] ?? 0
            if count != current {
                if count > current, current > 0 { heap.push(count: current, pair: pair) }
                continue
            }
            if count < minFrequency { break }
            let a = UInt32(pair >> 32)
            let b = UInt32(pair & 0xFFFF_FFFF)
            let bytes = tokenBytes[Int(a)] + tokenBytes[Int(b)]
            let id: UInt32
            if let existing = tokenIDs[bytes] {
                id = existing
            } else {
                id = UInt32(tokenBytes.count)
                tokenBytes.append(bytes)
                tokenIDs[bytes] = id
                merged += 1
            }
            var changed: [UInt64: Int64] = [:]
            step += 1
            for w in pairWords.removeValue(forKey: pair) ?? [] where seen[Int(w)] != step {
                seen[Int(w)] = step
                apply(a, b, id, word: Int(w), into: &changed)
            }
            for (p, delta) in changed where delta != 0 {
                let updated = UInt64(Int64(pairCounts[p] ?? 0) + delta)
                if updated == 0 {
                    pairCounts.removeValue(forKey: p)
                } else {
                    pairCounts[p] = updated
                }
                if delta > 0 { heap.push(count: updated, pair: p) }
            }
        }
    }

    /// Replaces each a,b in word `w` by `id`, adding the changes of pair counts to `changed`.
    mutating func apply(_ a: UInt32, _ b: UInt32, _ id: UInt32, word w: Int, into changed: inout [UInt64: Int64]) {
        let start = starts[w]
        let n = Int(lengths[w])
        let count = Int64(counts[w])
        var found = false
        for k in 0..<(n - 1) where symbols[start + k] == a && symbols[start + k + 1] == b {
            found = true
            break
        }
        guard found else { return }
        for k in 0..<(n - 1) { changed[MergeState.key(symbols[start + k], symbols[start + k + 1]), default: 0] -= count }
        var read = 0
        var write = 0
        while read < n {
            if read + 1 < n, symbols[start + read] == a, symbols[start + read + 1] == b {
                symbols[start + write] = id
                read += 2
            } else {
                symbols[start + write] = symbols[start + read]
                read += 1
            }
            write += 1
        }
        lengths[w] = Int32(write)
        for k in 0..<(write - 1) {
            let x = symbols[start + k]
            let y = symbols[start + k + 1]
            let pair = MergeState.key(x, y)
            changed[pair, default: 0] += count
            if x == id || y == id { pairWords[pair, default: []].append(Int32(w)) }
        }
    }
}

/// A max-heap of pair counts: the highest count first, then the smaller pair key (left
/// id, then right id).
private struct PairHeap {
    private var items: [(count: UInt64, pair: UInt64)] = []

    private static func before(_ x: (count: UInt64, pair: UInt64), _ y: (count: UInt64, pair: UInt64)) -> Bool {
        x.count != y.count ? x.count > y.count : x.pair < y.pair
    }

    mutating func push(count: UInt64, pair: UInt64) {
        items.append((count, pair))
        var k = items.count - 1
        while k > 0 {
            let parent = (k - 1) / 2
            guard PairHeap.before(items[k], items[parent]) else { break }
            items.swapAt(k, parent)
            k = parent
        }
    }

    mutating func pop() -> (UInt64, UInt64)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var k = 0
            while true {
                let l = 2 * k + 1
                guard l < items.count else { break }
                var m = l
                if l + 1 < items.count, PairHeap.before(items[l + 1], items[l]) { m = l + 1 }
                guard PairHeap.before(items[m], items[k]) else { break }
                items.swapAt(m, k)
                k = m
            }
        }
        return (top.count, top.pair)
    }
}
