import COpenBLAS

/// A Conv1D layer, `out = inp · weight + bias` with `weight` stored `[in, out]`, through
/// OpenBLAS.
enum Linear {
    /// `out[rows, outputs] = inp[rows, inputs] · weight[inputs, outputs] + bias`.
    static func forward(
        _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
        rows: Int, inputs: Int, outputs: Int
    ) {
        if let bias {
            parallelRows(rows, cost: outputs) { range in
                for r in range { (out + r * outputs).update(from: bias, count: outputs) }
            }
        }
        matrixProduct(false, false, m: rows, n: outputs, k: inputs, inp, lda: inputs, weight, ldb: outputs, beta: bias == nil ? 0 : 1, out, ldc: outputs)
    }

    /// Adds to `dinp`, `dweight` and `dbias` the gradients for output gradient `dout`.
    static func backward(
        _ dinp: UnsafeMutablePointer<Float>, _ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>?,
        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, ones: UnsafePointer<Float>
    ) {
        matrixProduct(false, true, m: rows, n: inputs, k: outputs, dout, lda: outputs, weight, ldb: outputs, beta: 1, dinp, ldc: inputs)
        matrixProduct(true, false, m: inputs, n: outputs, k: rows, inp, lda: inputs, dout, ldb: outputs, beta: 1, dweight, ldc: outputs)
        if let dbias {
            cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(outputs), 1, dout, Int32(outputs), ones, 1, 1, dbias, 1)
        }
    }
}
