import COpenBLAS

/// Causal multi-head self-attention over packed `[q | k | v]` rows, each head's products
/// through OpenBLAS, the (batch, head) pairs spread over the cores.
///
/// The products go by blocks of `block` query rows: a block's scores need only the keys up
/// to its last row, so the products above the diagonal's blocks are skipped (44% of the work
/// at 256 tokens with blocks of 32).
enum Attention {
    static let block = 32

    /// `out[B*T, C]` from `qkv[B*T, 3C]`; keeps the attention weights in `att[B, NH, T, T]`:
    /// each row's weights, zeros after them up to the end of its block, and past that what
    /// was there (the backward pass reads no further).
    static func forward(
        _ out: UnsafeMutablePointer<Float>, _ att: UnsafeMutablePointer<Float>, _ qkv: UnsafePointer<Float>,
        batch: Int, time: Int, c: Int, heads: Int
    ) {
        let hs = c / heads, t = time, ld = Int32(3 * c)
        let scale = 1 / Float(hs).squareRoot()
        let o = SharedPointer(out), a = SharedPointer(att)
        parallelRows(batch * heads, cost: 2 * t * t * hs) { range in
            for pair in range {
                let b = pair / heads, h = pair % heads
                let q = qkv + b * t * 3 * c + h * hs, k = q + c, v = q + 2 * c
                let p = a.base + pair * t * t, y = o.base + b * t * c + h * hs
                for first in stride(from: 0, to: t, by: block) {
                    let end = min(t, first + block), rows = Int32(end - first)
                    // S = scale · Q Kᵀ over keys 0..<end, softmax up to each row's own position.
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, Int32(end), Int32(hs),
                                scale, q + first * 3 * c, ld, k, ld, 0, p + first * t, Int32(t))
                    for row in first..<end {
                        let s = p + row * t
                        vk_softmax(s, row + 1)
                        (s + row + 1).update(repeating: 0, count: end - row - 1)
                    }
                    // Y = P V
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, Int32(hs), Int32(end),
                                1, p + first * t, Int32(t), v, ld, 0, y + first * c, Int32(c))
                }
            }
        }
    }

    /// Writes into `dqkv` the gradient for `dout`; `scratch` holds `B * NH * T * T` floats.
    static func backward(
        _ dqkv: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>, _ qkv: UnsafePointer<Float>, _ att: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, batch: Int, time: Int, c: Int, heads: Int
    ) {
        let hs = c / heads, t = time, ld = Int32(3 * c)
        let scale = 1 / Float(hs).squareRoot()
        let d = SharedPointer(dqkv), sc = SharedPointer(scratch)
        parallelRows(batch * heads, cost: 4 * t * t * hs) { range in
            for pair in range {
                let b = pair / heads, h = pair % heads
                let q = qkv + b * t * 3 * c + h * hs, k = q + c, v = q + 2 * c
                let dq = d.base + b * t * 3 * c + h * hs, dk = dq + c, dv = dq + 2 * c
                let dy = dout + b * t * c + h * hs
                let p = att + pair * t * t
                let ds = sc.base + pair * t * t
                // By query blocks: dP = dY Vᵀ, then dS = P ⊙ (dP - rowsum(P ⊙ dP)) · scale.
                for first in stride(from: 0, to: t, by: block) {
                    let end = min(t, first + block)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(end - first), Int32(end), Int32(hs),
                                1, dy + first * c, Int32(c), v, ld, 0, ds + first * t, Int32(t))
                    for row in first..<end {
                        vk_softmax_backward(ds + row * t, p + row * t, row + 1, scale)
                        (ds + row * t + row + 1).update(repeating: 0, count: end - row - 1)
                    }
                    // dQ = dS K
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(end - first), Int32(hs), Int32(end),
                                1, ds + first * t, Int32(t), k, ld, 0, dq + first * 3 * c, ld)
                }
                // By key blocks, over the queries at or after them: dV = Pᵀ dY, dK = dSᵀ Q.
                for first in stride(from: 0, to: t, by: block) {
                    let keys = Int32(min(t, first + block) - first), queries = Int32(t - first)
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, keys, Int32(hs), queries,
                                1, p + first * t + first, Int32(t), dy + first * c, Int32(c), 0, dv + first * 3 * c, ld)
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, keys, Int32(hs), queries,
                                1, ds + first * t + first, Int32(t), q + first * 3 * c, ld, 0, dk + first * 3 * c, ld)
                }
            }
        }
    }
}
