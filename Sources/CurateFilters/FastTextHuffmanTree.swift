import Foundation

/// The binary tree of a hierarchical-softmax model, built from the label counts as fastText
/// builds it (a Huffman tree: the two least frequent nodes are joined first). Internal node
/// `n` scores with output row `n - labels`.
struct FastTextHuffmanTree: Sendable {
    let leaves: Int
    private let left: [Int32]
    private let right: [Int32]

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
    }

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
                    let dot = output.dotRow(node - leaves, hidden)
                    let f = Float(1.0 / Double(1 + expf(-dot)))
                    visit(Int(left[node]), score + FastTextModel.logProbability(Float(1.0 - Double(f))))
                    visit(Int(right[node]), score + FastTextModel.logProbability(f))
                }
                visit(2 * leaves - 2, 0)
            }
        }
    }
}
