import COpenBLAS
import Foundation

/// Causal multi-head self-attention over packed `[q | k | v]` rows, each head's products
/// through OpenBLAS, the (batch, head) pairs spread over the cores.
enum Attention {
    /// `out[B*T, C]` from `qkv[B*T, 3C]`; keeps the attention weights in `att[B, NH, T, T]`
    /// (zero above the diagonal).
    static func forward(
        _ out: UnsafeMutablePointer<Float>, _ att: UnsafeMutablePointer<Float>, _ qkv: UnsafePointer<Float>,
        batch: Int, time: Int, c: Int, heads: Int
    ) {
        let hs = c / heads, t = time
        let scale = 1 / Float(hs).squareRoot()
        let o = SharedPointer(out), a = SharedPointer(att)
        parallelRows(batch * heads, cost: 4 * t * t * hs) { range in
            for pair in range {
                let b = pair / heads, h = pair % heads
                let q = qkv + b * t * 3 * c + h * hs
                let p = a.base + pair * t * t
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(t), Int32(hs),
                            scale, q, Int32(3 * c), q + c, Int32(3 * c), 0, p, Int32(t))
                for row in 0..<t {
                    let s = p + row * t
                    var maximum = -Float.infinity
                    for j in 0...row { maximum = max(maximum, s[j]) }
                    var sum: Float = 0
                    for j in 0...row {
                        let e = expf(s[j] - maximum)
                        s[j] = e
                        sum += e
                    }
                    let inv = 1 / sum
                    for j in 0...row { s[j] *= inv }
                    for j in (row + 1)..<t { s[j] = 0 }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(hs), Int32(t),
                            1, p, Int32(t), q + 2 * c, Int32(3 * c), 0, o.base + b * t * c + h * hs, Int32(c))
            }
        }
    }

    /// Adds to `dqkv` the gradient for `dout`; `scratch` holds `B * NH * T * T` floats.
    static func backward(
        _ dqkv: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>, _ qkv: UnsafePointer<Float>, _ att: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, batch: Int, time: Int, c: Int, heads: Int
    ) {
        let hs = c / heads, t = time
        let scale = 1 / Float(hs).squareRoot()
        let d = SharedPointer(dqkv), sc = SharedPointer(scratch)
        parallelRows(batch * heads, cost: 4 * t * t * hs) { range in
            for pair in range {
                let b = pair / heads, h = pair % heads
                let q = qkv + b * t * 3 * c + h * hs
                let dq = d.base + b * t * 3 * c + h * hs
                let dy = dout + b * t * c + h * hs
                let p = att + pair * t * t
                let ds = sc.base + pair * t * t
                // dP = dY · Vᵀ, dV += Pᵀ · dY
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(t), Int32(hs),
                            1, dy, Int32(c), q + 2 * c, Int32(3 * c), 0, ds, Int32(t))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t), Int32(hs), Int32(t),
                            1, p, Int32(t), dy, Int32(c), 1, dq + 2 * c, Int32(3 * c))
                for row in 0..<t {
                    let pr = p + row * t, g = ds + row * t
                    var dot: Float = 0
                    for j in 0...row { dot += pr[j] * g[j] }
                    for j in 0...row { g[j] = pr[j] * (g[j] - dot) * scale }
                    for j in (row + 1)..<t { g[j] = 0 }
                }
                // dQ += dS · K, dK += dSᵀ · Q
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(hs), Int32(t),
                            1, ds, Int32(t), q + c, Int32(3 * c), 1, dq, Int32(3 * c))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t), Int32(hs), Int32(t),
                            1, ds, Int32(t), q, Int32(3 * c), 1, dq + c, Int32(3 * c))
            }
        }
    }
}
