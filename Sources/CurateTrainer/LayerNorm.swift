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
            for r in range {
                let x = inp + r * c
                var sum: Float = 0
                for i in 0..<c { sum += x[i] }
                let mu = sum / Float(c)
                var variance: Float = 0
                for i in 0..<c {
                    let d = x[i] - mu
                    variance += d * d
                }
                let inv = 1 / (variance / Float(c) + epsilon).squareRoot()
                let y = o.base + r * c
                for i in 0..<c { y[i] = (x[i] - mu) * inv * weight[i] + bias[i] }
                m.base[r] = mu
                s.base[r] = inv
            }
        }
    }

    /// Adds the gradients of the input, weight and bias; `scratch` holds `rows * c` floats.
    static func backward(
        _ dinp: UnsafeMutablePointer<Float>, _ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>,
        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
        _ mean: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>, rows: Int, c: Int,
        scratch: UnsafeMutablePointer<Float>, ones: UnsafePointer<Float>
    ) {
        let di = SharedPointer(dinp), normed = SharedPointer(scratch)
        parallelRows(rows, cost: 6 * c) { range in
            for r in range {
                let x = inp + r * c, dy = dout + r * c, n = normed.base + r * c, dx = di.base + r * c
                let mu = mean[r], inv = rstd[r]
                var meanG: Float = 0, meanGN: Float = 0
                for i in 0..<c {
                    n[i] = (x[i] - mu) * inv
                    let g = weight[i] * dy[i]
                    meanG += g
                    meanGN += g * n[i]
                }
                meanG /= Float(c)
                meanGN /= Float(c)
                for i in 0..<c { dx[i] += (weight[i] * dy[i] - meanG - n[i] * meanGN) * inv }
                for i in 0..<c { n[i] *= dy[i] }
            }
        }
        // Column sums through BLAS: the same order on every run.
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(c), 1, scratch, Int32(c), ones, 1, 1, dweight, 1)
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(c), 1, dout, Int32(c), ones, 1, 1, dbias, 1)
    }
}
