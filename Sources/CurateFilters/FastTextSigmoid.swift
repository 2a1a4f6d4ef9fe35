import Foundation

/// fastText's sigmoid for one-vs-all and negative-sampling models: a 513-entry table over
/// [-8, 8], 0 below and 1 above.
struct FastTextSigmoid: Sendable {
    private static let size = 512
    private static let limit: Float = 8
    private let table: [Float]

    init() {
        table = (0...Self.size).map { i in
            let x = Float(i * 2 * 8) / Float(Self.size) - Self.limit
            return Float(1.0 / (1.0 + Double(expf(-x))))
        }
    }

    func callAsFunction(_ x: Float) -> Float {
        if x < -Self.limit { return 0 }
        if x > Self.limit { return 1 }
        return table[Int((x + Self.limit) * Float(Self.size) / Self.limit / 2)]
    }
}
