/// One predicted label of a fastText model.
public struct FastTextPrediction: Sendable, Equatable {
    /// The label's index in ``FastTextDictionary/labels``.
    public var label: Int
    /// The probability as fastText reports it: `exp(log(p + 1e-5))` in 32-bit floats.
    public var probability: Float

    public init(label: Int, probability: Float) {
        self.label = label
        self.probability = probability
    }
}
