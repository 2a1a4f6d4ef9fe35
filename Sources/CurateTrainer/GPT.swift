import COpenBLAS

/// A GPT-2 language model in float32 with a hand-written backward pass: token and learned
/// position embeddings, pre-LayerNorm blocks (causal multi-head self-attention, GELU MLP),
/// a final LayerNorm and an LM head tied to the token embedding.
///
/// `forward` keeps the activations of its batch; `backward` adds the gradients of that
/// batch's mean loss (times a scale, for accumulation) into `gradients`.
public final class GPT {
    public let config: GPTConfig
    public let layout: ParameterLayout
    private let parameterStore: Buffer
    private let gradientStore: Buffer
    private var activations: Activations?

    /// All parameters, laid out as `layout` says.
    public var parameters: UnsafeMutableBufferPointer<Float> { parameterStore.buffer }
    /// Gradients, same layout.
    public var gradients: UnsafeMutableBufferPointer<Float> { gradientStore.buffer }

    /// A model with every parameter zero; call `initialize(seed:)` or load weights.
    public init(config: GPTConfig) {
        precondition(config.problem == nil, config.problem ?? "")
        self.config = config
        layout = ParameterLayout(config)
        parameterStore = Buffer(layout.count)
        gradientStore = Buffer(layout.count)
    }

    /// GPT-2's initialisation: weights and embeddings normal with std 0.02, the projections
    /// into the residual stream 0.02/√(2·layers), biases 0, LayerNorm weights 1.
    public func initialize(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let residualStd = 0.02 / (2 * Double(config.layers)).squareRoot()
        for tensor in layout.tensors {
            let p = parameterStore.pointer + tensor.offset
            if tensor.name.hasSuffix("ln_1.weight") || tensor.name.hasSuffix("ln_2.weight") || tensor.name.hasSuffix("ln_f.weight") {
                p.update(repeating: 1, count: tensor.count)
            } else if tensor.shape.count == 1 {
                p.update(repeating: 0, count: tensor.count)
            } else {
                let std = tensor.name.hasSuffix("c_proj.weight") ? residualStd : 0.02
                for i in 0..<tensor.count { p[i] = Float(generator.normal() * std) }
            }
        }
    }

    public func zeroGradients() { gradientStore.zero() }

    /// Runs the model on `batch` sequences of `time` tokens. With `targets`, returns the mean
    /// cross-entropy and leaves the probabilities for `backward`; without, returns nil and
    /// leaves the logits for `logits(row:)`.
    @discardableResult
    public func forward(tokens: [Int32], targets: [Int32]?, batch: Int, time: Int) -> Float? {
        precondition(time >= 1 && time <= config.context && tokens.count == batch * time)
        precondition(targets.map { $0.count == tokens.count } ?? true)
        let acts: Activations
        if let existing = activations, existing.batch == batch, existing.time == time {
            acts = existing
        } else {
            acts = Activations(config: config, batch: batch, time: time)
            activations = acts
        }
        let c = config.width, v = config.vocabSize, rows = batch * time
        let params = UnsafePointer(parameterStore.pointer)
        acts.tokens = tokens
        acts.hasTargets = targets != nil
        for (i, token) in tokens.enumerated() {
            precondition(token >= 0 && Int(token) < v, "token \(token) is outside the vocabulary of \(v)")
            let out = acts.encoded + i * c
            let te = params + layout.wte + Int(token) * c, pe = params + layout.wpe + (i % time) * c
            for j in 0..<c { out[j] = te[j] + pe[j] }
        }
        var residual = UnsafePointer(acts.encoded)
        for (l, block) in layout.blocks.enumerated() {
            let a = acts.layers[l]
            LayerNorm.forward(a.ln1, a.ln1Mean, a.ln1Rstd, residual, params + block.ln1w, params + block.ln1b, rows: rows, c: c)
            Linear.forward(a.qkv, a.ln1, params + block.qkvw, params + block.qkvb, rows: rows, inputs: c, outputs: 3 * c)
            Attention.forward(a.atty, a.att, a.qkv, batch: batch, time: time, c: c, heads: config.heads)
            Linear.forward(a.residual2, a.atty, params + block.projw, params + block.projb, rows: rows, inputs: c, outputs: c, residual: residual)
            LayerNorm.forward(a.ln2, a.ln2Mean, a.ln2Rstd, a.residual2, params + block.ln2w, params + block.ln2b, rows: rows, c: c)
            Linear.forward(a.fch, a.ln2, params + block.fcw, params + block.fcb, rows: rows, inputs: c, outputs: 4 * c)
            GELU.forward(a.fchGelu, a.fch, count: rows * 4 * c)
            Linear.forward(a.residual3, a.fchGelu, params + block.fcprojw, params + block.fcprojb, rows: rows, inputs: 4 * c, outputs: c,
                           residual: a.residual2)
            residual = UnsafePointer(a.residual3)
        }
        LayerNorm.forward(acts.lnf, acts.lnfMean, acts.lnfRstd, residual, params + layout.lnfw, params + layout.lnfb, rows: rows, c: c)
        matrixProduct(false, true, m: rows, n: v, k: c, acts.lnf, lda: c, params + layout.wte, ldb: c, beta: 0, acts.logits, ldc: v)
        guard let targets else { return nil }
        for (i, target) in targets.enumerated() {
            precondition(target >= 0 && Int(target) < v, "target \(target) is outside the vocabulary of \(v)")
            acts.targets[i] = target
        }
        CrossEntropy.forward(acts.logits, acts.losses, targets: acts.targets, rows: rows, v: v)
        var sum: Double = 0
        for i in 0..<rows { sum += Double(acts.losses[i]) }
        return Float(sum / Double(rows))
    }

    /// The logits of row `row` (sequence-major) of the last forward without targets.
    public func logits(row: Int) -> [Float] {
        guard let acts = activations, !acts.hasTargets else { preconditionFailure("logits(row:) needs a forward without targets") }
        let v = config.vocabSize
        return Array(UnsafeBufferPointer(start: acts.logits + row * v, count: v))
    }

    /// Adds `scale ×` the gradient of the last forward's mean loss to `gradients`.
    public func backward(scale: Float = 1) {
        guard let acts = activations, acts.hasTargets else { preconditionFailure("backward needs a forward with targets") }
        let c = config.width, v = config.vocabSize, rows = acts.batch * acts.time
        let params = UnsafePointer(parameterStore.pointer), grads = gradientStore.pointer
        CrossEntropy.backward(acts.logits, targets: acts.targets, rows: rows, v: v, scale: scale / Float(rows))
        let dresidual = acts.dresidual
        let dln = acts.dln
        let logits = UnsafePointer(acts.logits), lnf = UnsafePointer(acts.lnf), headGradient = SharedPointer(grads + layout.wte)
        concurrently({ workers in
            matrixProduct(false, false, m: rows, n: c, k: v, logits, lda: v, params + self.layout.wte, ldb: c, beta: 0, dln, ldc: c, workers: workers)
        }, { workers in
            matrixProduct(true, false, m: v, n: c, k: rows, logits, lda: v, lnf, ldb: c, beta: 1, headGradient.base, ldc: c, workers: workers)
        })
        dresidual.update(repeating: 0, count: rows * c)
        let last = config.layers == 0 ? UnsafePointer(acts.encoded) : UnsafePointer(acts.layers[config.layers - 1].residual3)
        LayerNorm.backward(dresidual, grads + layout.lnfw, grads + layout.lnfb, dln, last, params + layout.lnfw,
                           acts.lnfMean, acts.lnfRstd, rows: rows, c: c, scratch: acts.scratch)
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let a = acts.layers[l], block = layout.blocks[l]
            let residual = l == 0 ? UnsafePointer(acts.encoded) : UnsafePointer(acts.layers[l - 1].residual3)
            // MLP: dresidual is the gradient of residual3 and, once the branch is added, of residual2.
            Linear.backward(acts.dwide, grads + block.fcprojw, grads + block.fcprojb, dresidual, a.fchGelu, params + block.fcprojw,
                            rows: rows, inputs: 4 * c, outputs: c)
            GELU.backward(acts.dwide, a.fch, acts.dwide, count: rows * 4 * c)
            Linear.backward(dln, grads + block.fcw, grads + block.fcb, acts.dwide, a.ln2, params + block.fcw,
                            rows: rows, inputs: c, outputs: 4 * c)
            LayerNorm.backward(dresidual, grads + block.ln2w, grads + block.ln2b, dln, a.residual2, params + block.ln2w,
                               a.ln2Mean, a.ln2Rstd, rows: rows, c: c, scratch: acts.scratch)
            // Attention.
            Linear.backward(acts.datty, grads + block.projw, grads + block.projb, dresidual, a.atty, params + block.projw,
                            rows: rows, inputs: c, outputs: c)
            Attention.backward(acts.dwide, acts.datty, a.qkv, a.att, scratch: acts.dattScratch,
                               batch: acts.batch, time: acts.time, c: c, heads: config.heads)
            Linear.backward(dln, grads + block.qkvw, grads + block.qkvb, acts.dwide, a.ln1, params + block.qkvw,
                            rows: rows, inputs: c, outputs: 3 * c)
            LayerNorm.backward(dresidual, grads + block.ln1w, grads + block.ln1b, dln, residual, params + block.ln1w,
                               a.ln1Mean, a.ln1Rstd, rows: rows, c: c, scratch: acts.scratch)
        }
        let dwte = grads + layout.wte, dwpe = grads + layout.wpe
        for i in 0..<rows {
            let d = dresidual + i * c
            let te = dwte + Int(acts.tokens[i]) * c, pe = dwpe + (i % acts.time) * c
            for j in 0..<c {
                te[j] += d[j]
                pe[j] += d[j]
            }
        }
    }
}

/// The buffers of one forward and backward pass for a fixed batch and time.
private final class Activations {
    struct Layer {
        var ln1, ln1Mean, ln1Rstd, qkv, att, atty, residual2, ln2, ln2Mean, ln2Rstd, fch, fchGelu, residual3: UnsafeMutablePointer<Float>
    }

    let batch: Int
    let time: Int
    var tokens: [Int32] = []
    var hasTargets = false
    let targets: UnsafeMutablePointer<Int32>
    let encoded, lnf, lnfMean, lnfRstd, logits, losses, scratch: UnsafeMutablePointer<Float>
    let dresidual, dln, datty, dwide, dattScratch: UnsafeMutablePointer<Float>
    let layers: [Layer]
    private var allocations: [UnsafeMutablePointer<Float>] = []

    init(config: GPTConfig, batch: Int, time: Int) {
        self.batch = batch
        self.time = time
        let rows = batch * time, c = config.width
        var allocations: [UnsafeMutablePointer<Float>] = []
        func make(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            allocations.append(p)
            return p
        }
        let attention = batch * config.heads * time * time
        layers = (0..<config.layers).map { _ in
            Layer(ln1: make(rows * c), ln1Mean: make(rows), ln1Rstd: make(rows), qkv: make(rows * 3 * c), att: make(attention),
                  atty: make(rows * c), residual2: make(rows * c), ln2: make(rows * c), ln2Mean: make(rows), ln2Rstd: make(rows),
                  fch: make(rows * 4 * c), fchGelu: make(rows * 4 * c), residual3: make(rows * c))
        }
        encoded = make(rows * c)
        lnf = make(rows * c)
        lnfMean = make(rows)
        lnfRstd = make(rows)
        logits = make(rows * config.vocabSize)
        losses = make(rows)
        scratch = make(rows * c)
        dresidual = make(rows * c)
        dln = make(rows * c)
        datty = make(rows * c)
        dwide = make(rows * 4 * c)
        dattScratch = make(attention)
        targets = .allocate(capacity: rows)
        targets.initialize(repeating: 0, count: rows)
        self.allocations = allocations
    }

    deinit {
        for p in allocations { p.deallocate() }
        targets.deallocate()
    }
}
