import COpenBLAS

/// A Conv1D layer, `out = inp · weight + bias` with `weight` stored `[in, out]`, through
/// OpenBLAS.
enum Linear {
    /// `out[rows, outputs] = inp[rows, inputs] · weight[inputs, outputs] + bias`, plus
    /// `residual[rows, outputs]` when given.
    static func forward(
        _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, residual: UnsafePointer<Float>? = nil
    ) {
        let o = SharedPointer(out)
        parallelRows(rows, cost: outputs) { range in
            vk_bias_rows(o.base + range.lowerBound * outputs, residual.map { $0 + range.lowerBound * outputs }, bias, range.count, outputs)
        }
        matrixProduct(false, false, m: rows, n: outputs, k: inputs, inp, lda: inputs, weight, ldb: outputs, beta: 1, out, ldc: outputs)
    }

    /// Writes the gradient for output gradient `dout` into `dinp` and adds those of the
    /// weight and bias to `dweight` and `dbias`.
    static func backward(
        _ dinp: UnsafeMutablePointer<Float>, _ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>,
        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int
    ) {
        // The two products have the same size: they run side by side, each on its share of the cores.
        concurrently({ workers in
            matrixProduct(false, true, m: rows, n: inputs, k: outputs, dout, lda: outputs, weight, ldb: outputs, beta: 0, dinp, ldc: inputs,
                          workers: workers)
        }, { workers in
            matrixProduct(true, false, m: inputs, n: outputs, k: rows, inp, lda: inputs, dout, ldb: outputs, beta: 1, dweight, ldc: outputs,
                          workers: workers)
            ColumnSums.add(dout, rows: rows, c: outputs, into: dbias, workers: workers)
        })
    }
}
