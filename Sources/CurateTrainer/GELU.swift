import Foundation

/// GPT-2's GELU, the tanh approximation `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
enum GELU {
    static let scale = Float((2 / Double.pi).squareRoot())

    static func forward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
        let o = SharedPointer(out)
        parallelRows(count, cost: 20) { range in
            for i in range {
                let x = inp[i]
                o.base[i] = 0.5 * x * (1 + tanhf(scale * (x + 0.044715 * x * x * x)))
            }
        }
    }

    /// Adds `dout · gelu'(inp)` to `dinp`.
    static func backward(_ dinp: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ dout: UnsafePointer<Float>, count: Int) {
        let d = SharedPointer(dinp)
        parallelRows(count, cost: 20) { range in
            for i in range {
                let x = inp[i]
                let u = scale * (x + 0.044715 * x * x * x)
                let t = tanhf(u)
                let sech2 = 1 - t * t
                let local = 0.5 * (1 + t) + 0.5 * x * sech2 * scale * (1 + 3 * 0.044715 * x * x)
                d.base[i] += local * dout[i]
            }
        }
    }
}
