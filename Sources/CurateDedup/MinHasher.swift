import CurateCore
import CMinHash

/// MinHash signatures: for each of `count` permutations `h -> (a * h + b) mod (2^61 - 1)`,
/// the least permuted shingle hash. `a` and `b` are drawn from `seed` with SplitMix64, so
/// the same seed gives the same permutations everywhere.
public struct MinHasher: Sendable {
    /// The Mersenne prime 2^61 - 1.
    public static let prime: UInt64 = (1 << 61) - 1

    public let seed: UInt64
    public let a: [UInt64]
    public let b: [UInt64]

    public var count: Int { a.count }

    /// The permute-and-min kernel `signature` runs: the fastest this CPU supports.
    private let kernel = cminhash_best_kernel()

    public init(count: Int, seed: UInt64) {
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        var a: [UInt64] = [], b: [UInt64] = []
        for _ in 0..<count {
            a.append(1 + Self.below(Self.prime - 1, &generator))
            b.append(Self.below(Self.prime, &generator))
        }
        self.a = a
        self.b = b
    }

    /// Writes the signature of `shingles` into `signature` (`count` values). Without
    /// shingles every value is `prime`, which no permuted hash reaches. `shingles` is
    /// reduced modulo `prime` in place.
    public func signature(of shingles: inout [UInt64], into signature: UnsafeMutableBufferPointer<UInt64>) {
        precondition(signature.count == count)
        signature.update(repeating: Self.prime)
        shingles.withUnsafeMutableBufferPointer { x in
            for i in x.indices { x[i] = Self.reduce(x[i]) }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    cminhash_update(kernel, a.baseAddress, b.baseAddress, count, x.baseAddress, x.count, signature.baseAddress)
                }
            }
        }
    }

    /// `h mod prime`.
    @inline(__always)
    static func reduce(_ h: UInt64) -> UInt64 {
        let v = (h & prime) &+ (h >> 61)
        return v >= prime ? v &- prime : v
    }

    /// A uniform value below `bound` from a SplitMix64 stream (rejection sampling).
    private static func below(_ bound: UInt64, _ generator: inout SplitMix64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let z = generator.next()
            if z < limit { return z % bound }
        }
    }

    /// The share of positions where two signatures agree: the estimated Jaccard similarity.
    public static func similarity(_ x: UnsafeBufferPointer<UInt64>, _ y: UnsafeBufferPointer<UInt64>) -> Double {
        var equal = 0
        for k in 0..<x.count where x[k] == y[k] { equal += 1 }
        return x.isEmpty ? 0 : Double(equal) / Double(x.count)
    }
}
