import Foundation

/// The k best (log-probability, label) pairs, kept in a binary heap with the smallest on top
/// and sifted exactly as the C++ standard library's `push_heap`, `pop_heap` and `sort_heap`
/// do in fastText, so that labels with equal scores come out in fastText's order.
struct FastTextTopK {
    private(set) var scores: UnsafeMutablePointer<Float>
    private(set) var labels: UnsafeMutablePointer<Int32>
    private(set) var count = 0
    let k: Int

    /// Works in `scores` and `labels`, which hold `k + 1` entries each.
    init(k: Int, scores: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) {
        self.k = k
        self.scores = scores
        self.labels = labels
    }

    var isFull: Bool { count == k }
    /// The smallest score kept.
    var smallest: Float { scores[0] }

    /// The heap's order: `a` comes below `b` when its score is greater.
    @inline(__always)
    private func below(_ a: Int, _ score: Float) -> Bool { scores[a] > score }

    /// Moves (score, label) up from the hole at `hole` towards `top`.
    @inline(__always)
    private mutating func siftUp(hole start: Int, top: Int, _ score: Float, _ label: Int32) {
        var hole = start
        var parent = (hole - 1) / 2
        while hole > top, below(parent, score) {
            scores[hole] = scores[parent]
            labels[hole] = labels[parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        scores[hole] = score
        labels[hole] = label
    }

    /// Removes the top of the first `length` pairs into position `length - 1`.
    private mutating func popTop(length: Int) {
        let last = length - 1
        let score = scores[last], label = labels[last]
        scores[last] = scores[0]
        labels[last] = labels[0]
        // Sift the hole at the root down to a leaf along the child that belongs on top, then
        // the saved pair back up, on the first `last` pairs.
        var hole = 0
        var child = 0
        while child < (last - 1) / 2 {
            child = 2 * (child + 1)
            if scores[child] > scores[child - 1] { child -= 1 }
            scores[hole] = scores[child]
            labels[hole] = labels[child]
            hole = child
        }
        if last & 1 == 0, child == (last - 2) / 2 {
            child = 2 * (child + 1)
            scores[hole] = scores[child - 1]
            labels[hole] = labels[child - 1]
            hole = child - 1
        }
        siftUp(hole: hole, top: 0, score, label)
    }

    /// Adds a pair, then drops the smallest when more than k are kept.
    @inline(__always)
    mutating func push(_ score: Float, _ label: Int32) {
        count += 1
        siftUp(hole: count - 1, top: 0, score, label)
        if count > k {
            popTop(length: count)
            count -= 1
        }
    }

    /// The kept pairs, best first, as probabilities `exp(score)`.
    mutating func sorted() -> [FastTextPrediction] {
        var length = count
        while length > 1 {
            popTop(length: length)
            length -= 1
        }
        return (0..<count).map { FastTextPrediction(label: Int(labels[$0]), probability: expf(scores[$0])) }
    }
}
