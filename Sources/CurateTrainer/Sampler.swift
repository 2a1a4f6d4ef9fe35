import Foundation

/// Generates tokens from a model: softmax at a temperature over the `topK` most likely
/// tokens (all when nil), drawn with a seeded generator. The context slides once it is full.
public struct Sampler {
    public var temperature: Double
    public var topK: Int?
    public var seed: UInt64

    public init(temperature: Double = 1, topK: Int? = nil, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.seed = seed
    }

    /// `count` tokens following `prompt` (which must not be empty); stops early after `stop`.
    public func generate(_ model: GPT, prompt: [Int32], count: Int, stop: Int32? = nil) -> [Int32] {
        precondition(!prompt.isEmpty)
        var generator = SeededGenerator(seed: seed)
        var sequence = prompt
        var out: [Int32] = []
        for _ in 0..<count {
            let window = Array(sequence.suffix(model.config.context))
            model.forward(tokens: window, targets: nil, batch: 1, time: window.count)
            let next = pick(model.logits(row: window.count - 1), &generator)
            out.append(next)
            sequence.append(next)
            if next == stop { break }
        }
        return out
    }

    /// One token from `logits`.
    func pick(_ logits: [Float], _ generator: inout SeededGenerator) -> Int32 {
        if temperature == 0 { return Int32(logits.indices.max { logits[$0] < logits[$1] }!) }
        var order = Array(logits.indices)
        if let topK, topK < logits.count {
            order.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
            order.removeLast(logits.count - max(1, topK))
        }
        let maximum = order.map { logits[$0] }.max()!
        let weights = order.map { exp(Double(logits[$0] - maximum) / temperature) }
        var r = generator.uniform() * weights.reduce(0, +)
        for (k, w) in weights.enumerated() {
            r -= w
            if r < 0 { return Int32(order[k]) }
        }
        return Int32(order[order.count - 1])
    }
}
