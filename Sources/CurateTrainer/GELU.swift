import COpenBLAS

/// GPT-2's GELU, the tanh approximation `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`,
/// computed as the equal `x σ(2u)` (see `vk_gelu_forward`).
enum GELU {
    static func forward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
        let o = SharedPointer(out)
        parallelRows(count, cost: 4) { range in
            vk_gelu_forward(o.base + range.lowerBound, inp + range.lowerBound, range.count)
        }
    }

    /// Writes `dout · gelu'(inp)` into `dinp`, which may be `dout`.
    static func backward(_ dinp: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ dout: UnsafePointer<Float>, count: Int) {
        let d = SharedPointer(dinp)
        parallelRows(count, cost: 4) { range in
            vk_gelu_backward(d.base + range.lowerBound, inp + range.lowerBound, dout + range.lowerBound, range.count)
        }
    }
}
