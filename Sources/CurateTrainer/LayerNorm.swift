import COpenBLAS

/// Layer normalisation over the last dimension, with GPT-2's epsilon 1e-5.
enum LayerNorm {
    static let epsilon: Float = 1e-5

    /// Normalises each of `rows` rows of width `c`; keeps each row's mean and 1/std for
    /// the backward pass.
    static func forward(
        _ out: UnsafeMutablePointer<Float>, _ mean: UnsafeMutablePointer<Float>, _ rstd: UnsafeMutablePointer<Float>,
        _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, c: Int
    ) {
        let o = SharedPointer(out), m = SharedPointer(mean), s = SharedPointer(rstd)
        parallelRows(rows, cost: 6 * c) { range in
            let first = range.lowerBound
            vk_layer_norm_forward(o.base + first * c, m.base + first, s.base + first, inp + first * c, weight, bias, range.count, c, epsilon)
        }
    }

    /// Adds the gradients of the input, weight and bias; `scratch` holds `rows * c` floats.
    static func backward(
        _ dinp: UnsafeMutablePointer<Float>, _ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>,
        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
        _ mean: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>, rows: Int, c: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let di = SharedPointer(dinp), weighted = SharedPointer(scratch)
        parallelRows(rows, cost: 6 * c) { range in
            let first = range.lowerBound
            vk_layer_norm_backward(di.base + first * c, weighted.base + first * c, dout + first * c, inp + first * c, weight,
                                   mean + first, rstd + first, range.count, c)
        }
        ColumnSums.add(scratch, rows: rows, c: c, into: dweight)
        ColumnSums.add(dout, rows: rows, c: c, into: dbias)
    }
}
