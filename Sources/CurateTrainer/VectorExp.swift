/// `exp` of eight floats at once, within 1e-7 relative error of the exact value over
/// [-87, 88] (inputs outside are clamped to it).
///
/// libm's scalar `expf`/`tanhf` cost GELU a third of a training step; this is the same
/// computation in SIMD lanes: x = k ln 2 + r with |r| <= ln 2 / 2, e^r by its degree-7
/// Taylor polynomial (truncation error below 6e-9), and 2^k built in the exponent bits.
@inline(__always)
func exp8(_ input: SIMD8<Float>) -> SIMD8<Float> {
    var x = input
    x.replace(with: SIMD8(repeating: -87), where: x .< -87)
    x.replace(with: SIMD8(repeating: 88), where: x .> 88)
    // Adding 1.5 * 2^23 rounds x / ln 2 to an integer k, which then sits in the low mantissa bits.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = x * 1.442_695_040_888_963_4 + magic
    let k = shifted - magic
    // ln 2 in two parts, so that k * ln2High is exact.
    let r = x - k * 0.693_145_751_953_125 - k * 1.428_606_765_330_187e-6
    var p = SIMD8<Float>(repeating: 1.0 / 5040)
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(exponent, to: SIMD8<Float>.self)
}

/// Applies `body` to `count` floats eight at a time, the last partial group padded with
/// zeros, so every element is computed by the same lanes however the range is sliced.
@inline(__always)
func forEachLanes(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
    var i = range.lowerBound
    while i < range.upperBound {
        body(i, min(8, range.upperBound - i))
        i += 8
    }
}

extension SIMD8 where Scalar == Float {
    /// The first `count` floats at `p`, zeros after.
    @inline(__always)
    init(loading p: UnsafePointer<Float>, count: Int) {
        if count == 8 {
            self = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        } else {
            self.init()
            for lane in 0..<count { self[lane] = p[lane] }
        }
    }

    /// Writes the first `count` lanes to `p`.
    @inline(__always)
    func store(to p: UnsafeMutablePointer<Float>, count: Int) {
        if count == 8 {
            UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<count { p[lane] = self[lane] }
        }
    }
}
