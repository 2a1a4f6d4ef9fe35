import Testing
@testable import CurateTrainer

/// Finite-difference checks of every layer's backward pass on tiny shapes. Each check takes
/// the loss `Σ out · w` for fixed random `w` (summed in Double), perturbs each input by ±ε in
/// float32 and compares the central difference with the analytic gradient.
@Suite struct GradientCheckTests {
    static let epsilon: Float = 1e-2

    /// Compares analytic and numeric gradients; returns the worst offending index or nil.
    static func mismatch(_ analytic: [Float], _ numeric: [Double], absolute: Double = 2e-3, relative: Double = 2e-2) -> String? {
        for i in analytic.indices {
            let a = Double(analytic[i]), n = numeric[i]
            if abs(a - n) > absolute + relative * abs(n) { return "element \(i): analytic \(a), numeric \(n)" }
        }
        return nil
    }

    static func random(_ count: Int, _ generator: inout SeededGenerator, scale: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(generator.normal() * scale) }
    }

    static func dot(_ a: [Float], _ w: [Float]) -> Double { zip(a, w).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

    /// Numeric gradient of `loss` with respect to every element of `values`.
    static func numeric(_ values: inout [Float], _ loss: ([Float]) -> Double) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        for i in values.indices {
            let saved = values[i]
            values[i] = saved + epsilon
            let plus = loss(values)
            values[i] = saved - epsilon
            let minus = loss(values)
            values[i] = saved
            out[i] = (plus - minus) / Double(2 * epsilon)
        }
        return out
    }

    @Test func linear() {
        var g = SeededGenerator(seed: 1)
        let rows = 3, inputs = 4, outputs = 5
        var x = Self.random(rows * inputs, &g), w = Self.random(inputs * outputs, &g), b = Self.random(outputs, &g)
        let dout = Self.random(rows * outputs, &g)
        func run(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            var out = [Float](repeating: 0, count: rows * outputs)
            Linear.forward(&out, x, w, b, rows: rows, inputs: inputs, outputs: outputs)
            return Self.dot(out, dout)
        }
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: b.count)
        Linear.backward(&dx, &dw, &db, dout, x, w, rows: rows, inputs: inputs, outputs: outputs)
        let (w0, b0, x0) = (w, b, x)
        #expect(Self.mismatch(dx, Self.numeric(&x) { run($0, w0, b0) }) == nil)
        #expect(Self.mismatch(dw, Self.numeric(&w) { run(x0, $0, b0) }) == nil)
        #expect(Self.mismatch(db, Self.numeric(&b) { run(x0, w0, $0) }) == nil)
    }

    @Test func layerNorm() {
        var g = SeededGenerator(seed: 2)
        let rows = 3, c = 6
        var x = Self.random(rows * c, &g), w = Self.random(c, &g), b = Self.random(c, &g)
        let dout = Self.random(rows * c, &g)
        var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
        func run(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            var out = [Float](repeating: 0, count: rows * c), m = mean, s = rstd
            LayerNorm.forward(&out, &m, &s, x, w, b, rows: rows, c: c)
            return Self.dot(out, dout)
        }
        var out = [Float](repeating: 0, count: rows * c)
        LayerNorm.forward(&out, &mean, &rstd, x, w, b, rows: rows, c: c)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: c), db = [Float](repeating: 0, count: c)
        var scratch = [Float](repeating: 0, count: rows * c)
        LayerNorm.backward(&dx, &dw, &db, dout, x, w, mean, rstd, rows: rows, c: c, scratch: &scratch)
        let (w0, b0, x0) = (w, b, x)
        #expect(Self.mismatch(dx, Self.numeric(&x) { run($0, w0, b0) }) == nil)
        #expect(Self.mismatch(dw, Self.numeric(&w) { run(x0, $0, b0) }) == nil)
        #expect(Self.mismatch(db, Self.numeric(&b) { run(x0, w0, $0) }) == nil)
    }

    @Test func gelu() {
        var g = SeededGenerator(seed: 3)
        var x = Self.random(40, &g, scale: 2)
        let dout = Self.random(40, &g)
        var dx = [Float](repeating: 0, count: 40)
        GELU.backward(&dx, x, dout, count: 40)
        #expect(Self.mismatch(dx, Self.numeric(&x) { x in
            var out = [Float](repeating: 0, count: 40)
            GELU.forward(&out, x, count: 40)
            return Self.dot(out, dout)
        }) == nil)
        // The tanh approximation itself, at a few points computed in Double.
        var out = [Float](repeating: 0, count: 3)
        GELU.forward(&out, [-1, 0.5, 3], count: 3)
        #expect(abs(out[0] - -0.158808) < 1e-5 && abs(out[1] - 0.345714) < 1e-5 && abs(out[2] - 2.996363) < 1e-5)
    }

    @Test func attention() {
        var g = SeededGenerator(seed: 4)
        let batch = 2, time = 4, c = 6, heads = 2
        var qkv = Self.random(batch * time * 3 * c, &g)
        let dout = Self.random(batch * time * c, &g)
        var att = [Float](repeating: 0, count: batch * heads * time * time)
        func run(_ qkv: [Float]) -> Double {
            var out = [Float](repeating: 0, count: batch * time * c), a = att
            Attention.forward(&out, &a, qkv, batch: batch, time: time, c: c, heads: heads)
            return Self.dot(out, dout)
        }
        var out = [Float](repeating: 0, count: batch * time * c)
        Attention.forward(&out, &att, qkv, batch: batch, time: time, c: c, heads: heads)
        // Causal: the first position attends only to itself.
        #expect(att[0] == 1 && att[1] == 0)
        var dqkv = [Float](repeating: 0, count: qkv.count), scratch = att
        Attention.backward(&dqkv, dout, qkv, att, scratch: &scratch, batch: batch, time: time, c: c, heads: heads)
        #expect(Self.mismatch(dqkv, Self.numeric(&qkv, run)) == nil)
    }

    @Test func crossEntropy() {
        var g = SeededGenerator(seed: 5)
        let rows = 3, v = 7
        var logits = Self.random(rows * v, &g)
        let targets: [Int32] = [0, 6, 3]
        func run(_ logits: [Float]) -> Double {
            var p = logits, losses = [Float](repeating: 0, count: rows)
            CrossEntropy.forward(&p, &losses, targets: targets, rows: rows, v: v)
            return losses.reduce(0) { $0 + Double($1) } * 0.5
        }
        var p = logits, losses = [Float](repeating: 0, count: rows)
        CrossEntropy.forward(&p, &losses, targets: targets, rows: rows, v: v)
        CrossEntropy.backward(&p, targets: targets, rows: rows, v: v, scale: 0.5)
        #expect(Self.mismatch(p, Self.numeric(&logits, run)) == nil)
    }

    /// The whole model, embeddings and tied head included: every parameter.
    @Test func model() {
        let config = GPTConfig(vocabSize: 11, context: 6, layers: 2, heads: 2, width: 8)
        let model = GPT(config: config)
        model.initialize(seed: 7)
        // Larger weights than GPT-2's init, so every path carries a visible gradient.
        var g = SeededGenerator(seed: 8)
        for i in model.parameters.indices { model.parameters[i] += Float(g.normal() * 0.3) }
        let batch = 2, time = 5
        let tokens: [Int32] = [1, 4, 4, 9, 0, 10, 3, 5, 2, 7]
        let targets: [Int32] = [4, 4, 9, 0, 10, 3, 5, 2, 7, 1]
        model.zeroGradients()
        let loss = model.forward(tokens: tokens, targets: targets, batch: batch, time: time)!
        #expect(abs(Double(loss) - 2.4) < 1.5)
        model.backward()
        let analytic = Array(model.gradients)
        for tensor in model.layout.tensors {
            var numeric: [Double] = []
            for i in tensor.range {
                let saved = model.parameters[i]
                model.parameters[i] = saved + Self.epsilon
                let plus = Double(model.forward(tokens: tokens, targets: targets, batch: batch, time: time)!)
                model.parameters[i] = saved - Self.epsilon
                let minus = Double(model.forward(tokens: tokens, targets: targets, batch: batch, time: time)!)
                model.parameters[i] = saved
                numeric.append((plus - minus) / Double(2 * Self.epsilon))
            }
            let problem = Self.mismatch(Array(analytic[tensor.range]), numeric, absolute: 1e-3, relative: 3e-2)
            #expect(problem == nil, "\(tensor.name): \(problem ?? "")")
        }
    }
}
