/// Byte-pair merging of one chunk: repeatedly joins the adjacent pair of parts whose joined
/// bytes have the lowest rank (the leftmost on a tie) until no pair is a token, as tiktoken
/// does. Short chunks use tiktoken's scan of all pairs; long ones a heap over a linked list,
/// so that `"a" * 100000` takes O(n log n) instead of O(n²).
struct BytePairMerge {
    /// Chunks longer than this merge with the heap.
    static let heapThreshold = 128

    private var starts: [Int] = []
    private var ranks: [UInt32] = []
    private var next: [Int32] = []
    private var prev: [Int32] = []
    private var heap: [UInt64] = []

    /// Appends the tokens of the `n` bytes at `p` to `out`.
    mutating func merge(_ p: UnsafePointer<UInt8>, _ n: Int, vocabulary: Vocabulary, into out: inout [UInt32]) {
        if n == 1 {
            out.append(vocabulary.byteRanks[Int(p[0])])
        } else if n <= BytePairMerge.heapThreshold {
            scan(p, n, vocabulary.map, into: &out)
        } else {
            heapMerge(p, n, vocabulary.map, into: &out)
        }
    }

    private mutating func scan(_ p: UnsafePointer<UInt8>, _ n: Int, _ map: ByteSequenceMap, into out: inout [UInt32]) {
        let none = UInt32.max
        starts.removeAll(keepingCapacity: true)
        ranks.removeAll(keepingCapacity: true)
        for i in 0...n { starts.append(i) }
        for i in 0..<(n - 1) { ranks.append(map.get(p + i, 2) ?? none) }
        ranks.append(none)
        // ranks[k]: rank of parts k and k+1 joined; the last entry stays `none`.
        func pairRank(_ k: Int) -> UInt32 {
            guard k + 2 < starts.count else { return none }
            return map.get(p + starts[k], starts[k + 2] - starts[k]) ?? none
        }
        while true {
            var best = none
            var at = -1
            for k in 0..<(ranks.count - 1) where ranks[k] < best {
                best = ranks[k]
                at = k
            }
            if at < 0 { break }
            starts.remove(at: at + 1)
            ranks.remove(at: at + 1)
            ranks[at] = pairRank(at)
            if at > 0 { ranks[at - 1] = pairRank(at - 1) }
        }
        for k in 0..<(starts.count - 1) {
            out.append(map.get(p + starts[k], starts[k + 1] - starts[k])!)
        }
    }

    private mutating func heapMerge(_ p: UnsafePointer<UInt8>, _ n: Int, _ map: ByteSequenceMap, into out: inout [UInt32]) {
        let none = UInt32.max
        // Node i is the part starting at byte i; next[i] is the following part's start (n
        // at the end), prev[i] the preceding one (-1), ranks[i] the rank of the part joined
        // with its successor.
        next = (0..<Int32(n)).map { $0 + 1 }
        prev = (0..<Int32(n)).map { $0 - 1 }
        ranks = [UInt32](repeating: none, count: n)
        heap.removeAll(keepingCapacity: true)
        func pairRank(_ i: Int) -> UInt32 {
            let j = Int(next[i])
            guard j < n else { return none }
            let end = Int(next[j])
            return map.get(p + i, end - i) ?? none
        }
        for i in 0..<(n - 1) {
            ranks[i] = pairRank(i)
            if ranks[i] != none { heap.append(UInt64(ranks[i]) << 32 | UInt64(i)) }
        }
        heapify()
        while let top = popMin() {
            let i = Int(top & 0xFFFF_FFFF)
            let rank = UInt32(top >> 32)
            // Stale entries: the node was merged into its predecessor, or its pair changed.
            // A rank names one byte sequence, so an equal rank means the same pair.
            guard ranks[i] == rank else { continue }
            let j = Int(next[i])
            ranks[j] = none
            next[i] = next[j]
            if Int(next[j]) < n { prev[Int(next[j])] = Int32(i) }
            ranks[i] = pairRank(i)
            if ranks[i] != none { push(UInt64(ranks[i]) << 32 | UInt64(i)) }
            let h = Int(prev[i])
            if h >= 0 {
                ranks[h] = pairRank(h)
                if ranks[h] != none { push(UInt64(ranks[h]) << 32 | UInt64(h)) }
            }
        }
        var i = 0
        while i < n {
            let j = Int(next[i])
            out.append(map.get(p + i, j - i)!)
            i = j
        }
    }

    private mutating func heapify() {
        var k = heap.count / 2 - 1
        while k >= 0 {
            siftDown(k)
            k -= 1
        }
    }

    private mutating func push(_ value: UInt64) {
        heap.append(value)
        heap.withUnsafeMutableBufferPointer { h in
            var k = h.count - 1
            while k > 0 {
                let parent = (k - 1) / 2
                guard h[parent] > value else { break }
                h[k] = h[parent]
                k = parent
            }
            h[k] = value
        }
    }

    private mutating func popMin() -> UInt64? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return first
    }

    /// Moves the entry at `start` down to its place: children smaller than it move up.
    private mutating func siftDown(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { h in
            let count = h.count
            let value = h[start]
            var k = start
            while true {
                let l = 2 * k + 1
                guard l < count else { break }
                var m = l
                if l + 1 < count, h[l + 1] < h[l] { m = l + 1 }
                guard h[m] < value else { break }
                h[k] = h[m]
                k = m
            }
            h[k] = value
        }
    }
}
