import Foundation

/// The binary tree of a hierarchical-softmax model, built from the label counts as fastText
/// builds it (a Huffman tree: the two least frequent nodes are joined first). Internal node
/// `n` scores with output row `n - labels`.
struct FastTextHuffmanTree: Sendable {
    let leaves: Int
    private let left: [Int32]
    private let right: [Int32]
    /// For each leaf, the internal nodes from the root down to it, and whether the path
    /// turns right below each.
    private let paths: [[(node: Int32, right: Bool)]]

    init(counts: [Int64]) {
        let n = counts.count
        var left = [Int32](repeating: -1, count: max(0, 2 * n - 1))
        var right = left
        var count = [Int64](repeating: 1_000_000_000_000_000, count: max(0, 2 * n - 1))
        for i in 0..<n { count[i] = counts[i] }
        var leaf = n - 1
        var node = n
        for i in stride(from: n, to: 2 * n - 1, by: 1) {
            var pair = (0, 0)
            for j in 0..<2 {
                let chosen: Int
                if leaf >= 0, count[leaf] < count[node] {
                    chosen = leaf
                    leaf -= 1
                } else {
                    chosen = node
                    node += 1
                }
                if j == 0 { pair.0 = chosen } else { pair.1 = chosen }
            }
            left[i] = Int32(pair.0)
            right[i] = Int32(pair.1)
            count[i] = count[pair.0] &+ count[pair.1]
        }
        leaves = n
        self.left = left
        self.right = right
        var parent = [Int32](repeating: -1, count: left.count)
        for node in stride(from: n, to: left.count, by: 1) {
            parent[Int(left[node])] = Int32(node)
            parent[Int(right[node])] = Int32(node)
        }
        paths = (0..<n).map { leaf in
            var path: [(node: Int32, right: Bool)] = []
            var child = leaf
            while parent[child] != -1 {
                path.append((parent[child], right[Int(parent[child])] == Int32(child)))
                child = Int(parent[child])
            }
            return path.reversed()
        }
    }

    /// The log-probability of `leaf` that ``predict(hidden:output:floor:into:)`` finds when
    /// it keeps every leaf, computed along the leaf's path alone; nil when the search would
    /// prune it (a partial score below `floor`).
    func score(leaf: Int, hidden: UnsafePointer<Float>, output: some FastTextMatrix, floor: Float) -> Float? {
        var score: Float = 0
        for step in paths[leaf] {
            if score < floor { return nil }
            let f = Self.probabilityOfRight(output.dotRow(Int(step.node) - leaves, hidden))
            score += FastTextModel.logProbability(step.right ? f : Float(1.0 - Double(f)))
        }
        return score < floor ? nil : score
    }

    /// The probability of turning right at a node whose output row dotted with the hidden
    /// layer gives `dot`: a sigmoid computed as fastText does (float exp, double division).
    @inline(__always)
    static func probabilityOfRight(_ dot: Float) -> Float { Float(1.0 / Double(1 + expf(-dot))) }

    /// Walks the tree from the root, depth first, left before right, keeping in `top` the
    /// leaves whose path log-probability is at least `floor`, as fastText's `dfs` does.
    func predict(hidden: UnsafePointer<Float>, output: some FastTextMatrix, floor: Float, into top: inout FastTextTopK) {
        left.withUnsafeBufferPointer { left in
            right.withUnsafeBufferPointer { right in
                func visit(_ node: Int, _ score: Float) {
                    if score < floor { return }
                    if top.isFull, score < top.smallest { return }
                    if left[node] == -1, right[node] == -1 {
                        top.push(score, Int32(node))
                        return
                    }
                    let f = Self.probabilityOfRight(output.dotRow(node - leaves, hidden))
                    visit(Int(left[node]), score + FastTextModel.logProbability(Float(1.0 - Double(f))))
                    visit(Int(right[node]), score + FastTextModel.logProbability(f))
                }
                visit(2 * leaves - 2, 0)
            }
        }
    }
}
