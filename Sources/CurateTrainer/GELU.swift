/// GPT-2's GELU, the tanh approximation `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`,
/// computed as the equal `x σ(2u)` with `u = √(2/π) (x + 0.044715 x³)`, which needs one
/// `exp` and loses nothing to cancellation where tanh(u) is near -1.
enum GELU {
    static let scale = Float((2 / Double.pi).squareRoot())

    /// σ(2u) for eight inputs, and u's derivative in x.
    @inline(__always)
    private static func gate(_ x: SIMD8<Float>) -> (sigmoid: SIMD8<Float>, du: SIMD8<Float>) {
        let x2 = x * x
        let u = scale * (x + 0.044715 * x2 * x)
        let sigmoid = 1 / (1 + exp8(-2 * u))
        return (sigmoid, scale * (1 + 3 * 0.044715 * x2))
    }

    static func forward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
        let o = SharedPointer(out)
        parallelRows(count, cost: 4) { range in
            forEachLanes(range) { i, n in
                let x = SIMD8(loading: inp + i, count: n)
                (x * gate(x).sigmoid).store(to: o.base + i, count: n)
            }
        }
    }

    /// Adds `dout · gelu'(inp)` to `dinp`.
    static func backward(_ dinp: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ dout: UnsafePointer<Float>, count: Int) {
        let d = SharedPointer(dinp)
        parallelRows(count, cost: 4) { range in
            forEachLanes(range) { i, n in
                let x = SIMD8(loading: inp + i, count: n)
                let (s, du) = gate(x)
                // d/dx x σ(2u) = σ + x σ (1 - σ) 2 u'
                let local = s + x * s * (1 - s) * 2 * du
                let sum = SIMD8(loading: d.base + i, count: n) + local * SIMD8(loading: dout + i, count: n)
                sum.store(to: d.base + i, count: n)
            }
        }
    }
}
