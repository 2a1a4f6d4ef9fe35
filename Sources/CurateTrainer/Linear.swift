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
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outputs), Int32(inputs),
                    1, inp, Int32(inputs), weight, Int32(outputs), bias == nil ? 0 : 1, out, Int32(outputs))
    }

    /// Adds to `dinp`, `dweight` and `dbias` the gradients for output gradient `dout`.
    static func backward(
        _ dinp: UnsafeMutablePointer<Float>, _ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>?,
        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, ones: UnsafePointer<Float>
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(inputs), Int32(outputs),
                    1, dout, Int32(outputs), weight, Int32(outputs), 1, dinp, Int32(inputs))
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(inputs), Int32(outputs), Int32(rows),
                    1, inp, Int32(inputs), dout, Int32(outputs), 1, dweight, Int32(outputs))
        if let dbias {
            cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(outputs), 1, dout, Int32(outputs), ones, 1, 1, dbias, 1)
        }
    }
}
