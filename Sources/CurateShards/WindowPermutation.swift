/// A pseudo-random permutation of `0..<count`, computed one index at a time in constant
/// memory: a four-round Feistel network over the smallest even number of bits covering
/// `count`, walked until it lands inside the range. Keys come from the seed and the epoch.
struct WindowPermutation: Sendable {
    let count: Int
    private let halfBits: Int
    private let keys: (UInt64, UInt64, UInt64, UInt64)

    init(count: Int, seed: UInt64, epoch: Int) {
        self.count = count
        var bits = 2
        while bits < 64, (UInt64(1) << UInt64(bits)) < UInt64(count) { bits += 2 }
        halfBits = bits / 2
        var state = seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15)
        keys = (splitMix(&state), splitMix(&state), splitMix(&state), splitMix(&state))
    }

    func callAsFunction(_ i: Int) -> Int {
        var x = UInt64(i)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    private func encrypt(_ x: UInt64) -> UInt64 {
        let mask = (UInt64(1) << UInt64(halfBits)) - 1
        var left = x >> UInt64(halfBits)
        var right = x & mask
        for key in [keys.0, keys.1, keys.2, keys.3] {
            let mixed = (left ^ mix(right ^ key)) & mask
            left = right
            right = mixed
        }
        return (left << UInt64(halfBits)) | right
    }
}

/// SplitMix64's output function.
private func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The next value of a SplitMix64 generator.
private func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
}
