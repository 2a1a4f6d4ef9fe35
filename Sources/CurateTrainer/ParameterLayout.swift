/// One named tensor inside a flat parameter buffer.
public struct ParameterTensor: Sendable, Equatable {
    /// The Hugging Face GPT-2 name, e.g. `transformer.h.0.attn.c_attn.weight`.
    public var name: String
    public var shape: [Int]
    /// The first element in the flat buffer.
    public var offset: Int
    /// Whether AdamW decays it: matrices and embeddings, not biases or LayerNorm.
    public var decays: Bool

    public var count: Int { shape.reduce(1, *) }
    public var range: Range<Int> { offset..<(offset + count) }
}

/// Where each GPT-2 parameter lives in one flat float32 buffer, in Hugging Face names and
/// shapes (linear weights in Conv1D layout, `[in, out]`). The LM head is the token embedding.
public struct ParameterLayout: Sendable {
    public let config: GPTConfig
    public let tensors: [ParameterTensor]
    public let count: Int

    /// Offsets of one block's tensors.
    struct Block: Sendable {
        var ln1w = 0, ln1b = 0, qkvw = 0, qkvb = 0, projw = 0, projb = 0
        var ln2w = 0, ln2b = 0, fcw = 0, fcb = 0, fcprojw = 0, fcprojb = 0
    }

    let wte: Int
    let wpe: Int
    let blocks: [Block]
    let lnfw: Int
    let lnfb: Int

    public init(_ config: GPTConfig) {
        self.config = config
        let c = config.width
        var tensors: [ParameterTensor] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int], decays: Bool) -> Int {
            let tensor = ParameterTensor(name: name, shape: shape, offset: offset, decays: decays)
            tensors.append(tensor)
            offset += tensor.count
            return tensor.offset
        }
        wte = add("transformer.wte.weight", [config.vocabSize, c], decays: true)
        wpe = add("transformer.wpe.weight", [config.context, c], decays: true)
        var blocks: [Block] = []
        for l in 0..<config.layers {
            let p = "transformer.h.\(l)."
            var b = Block()
            b.ln1w = add(p + "ln_1.weight", [c], decays: false)
            b.ln1b = add(p + "ln_1.bias", [c], decays: false)
            b.qkvw = add(p + "attn.c_attn.weight", [c, 3 * c], decays: true)
            b.qkvb = add(p + "attn.c_attn.bias", [3 * c], decays: false)
            b.projw = add(p + "attn.c_proj.weight", [c, c], decays: true)
            b.projb = add(p + "attn.c_proj.bias", [c], decays: false)
            b.ln2w = add(p + "ln_2.weight", [c], decays: false)
            b.ln2b = add(p + "ln_2.bias", [c], decays: false)
            b.fcw = add(p + "mlp.c_fc.weight", [c, 4 * c], decays: true)
            b.fcb = add(p + "mlp.c_fc.bias", [4 * c], decays: false)
            b.fcprojw = add(p + "mlp.c_proj.weight", [4 * c, c], decays: true)
            b.fcprojb = add(p + "mlp.c_proj.bias", [c], decays: false)
            blocks.append(b)
        }
        self.blocks = blocks
        lnfw = add("transformer.ln_f.weight", [c], decays: false)
        lnfb = add("transformer.ln_f.bias", [c], decays: false)
        self.tensors = tensors
        count = offset
    }

    public func tensor(named name: String) -> ParameterTensor? { tensors.first { $0.name == name } }
}
