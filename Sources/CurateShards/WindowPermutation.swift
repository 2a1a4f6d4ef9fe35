import CurateCore

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
        var generator = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
        keys = (generator.next(), generator.next(), generator.next(), generator.next())
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
            let mixed = (left ^ SplitMix64.mix(right ^ key)) & mask
            left = right
            right = mixed
        }
        return (left << UInt64(halfBits)) | right
    }
}
