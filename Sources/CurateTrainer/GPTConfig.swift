/// The shape of a GPT-2 model: vocabulary, context, depth, heads and width.
public struct GPTConfig: Sendable, Equatable {
    public var vocabSize: Int
    /// The longest sequence the position embedding covers (`n_positions`).
    public var context: Int
    public var layers: Int
    public var heads: Int
    /// The embedding width (`n_embd`); a multiple of `heads`.
    public var width: Int

    public init(vocabSize: Int, context: Int, layers: Int, heads: Int, width: Int) {
        self.vocabSize = vocabSize
        self.context = context
        self.layers = layers
        self.heads = heads
        self.width = width
    }

    /// Width of one attention head.
    public var headSize: Int { width / heads }

    /// Why the shape cannot make a model, or nil.
    public var problem: String? {
        if vocabSize < 1 { return "the vocabulary size \(vocabSize) must be positive" }
        if context < 1 { return "the context \(context) must be positive" }
        if layers < 1 { return "the number of layers \(layers) must be positive" }
        if heads < 1 || width < 1 { return "heads \(heads) and width \(width) must be positive" }
        if width % heads != 0 { return "the width \(width) is not a multiple of the \(heads) heads" }
        return nil
    }
}
