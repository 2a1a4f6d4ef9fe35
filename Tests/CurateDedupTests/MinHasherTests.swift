import CurateCore
import CMinHash
import Testing
@testable import CurateDedup

/// MinHash permutations and every permute-and-min kernel this CPU runs, against exact
/// arithmetic modulo 2^61 - 1.
@Suite struct MinHasherTests {
    static let p = MinHasher.prime

    /// `(a * h + b) mod p` by full-width division, independent of the kernels' folding.
    static func permuted(_ h: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let (_, remainder) = p.dividingFullWidth(a.multipliedFullWidth(by: h))
        return (remainder + b) % p
    }

    static let kernels = [CMINHASH_PORTABLE, CMINHASH_AVX2, CMINHASH_AVX512].filter { cminhash_supports($0) != 0 }

    @Test func kernelsGiveHandCheckedValues() {
        let p = Self.p
        // (a, b, h, (a * h + b) mod p)
        let cases: [(UInt64, UInt64, UInt64, UInt64)] = [
            (1, 2, 3, 5),
            (1, p - 1, 1, 0),  // exactly p
            (p - 1, p - 1, p - 1, 0),  // (-1)(-1) - 1
            (p - 1, 2, 2, 0),  // -2 + 2
            (3, 1, p - 1, p - 2),  // -3 + 1
            (2, 0, 1 << 60, 1),  // 2^61
            (1 << 31, 5, 1 << 31, 7),  // 2^62 + 5
            (1 << 32, 0, 1 << 32, 8),  // 2^64
            ((1 << 60) + 1, 0, 1 << 60, 3 << 59),  // 2^120 + 2^60 = 2^59 + 2^60
            (p - 1, p - 1, (1 << 31) - 1, p - (1 << 31)),  // -(2^31 - 1) - 1
        ]
        #expect(Self.kernels.contains(CMINHASH_PORTABLE))
        for kernel in Self.kernels {
            for (a, b, h, expected) in cases {
                #expect(Self.permuted(h, a, b) == expected)
                var signature = [p]
                cminhash_update(kernel, [a], [b], 1, [h], 1, &signature)
                #expect(signature == [expected], "kernel \(kernel.rawValue): a \(a), b \(b), h \(h)")
            }
        }
    }

    @Test func kernelsLowerSignaturesToTheLeastPermutedHash() {
        let p = Self.p
        var random = SplitMix64(seed: 42)
        let edges: [UInt64] = [0, 1, 2, (1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, 1 << 60, p - (1 << 31), p - 2, p - 1]
        // A third of the values are edge values, the rest uniform below p.
        func value() -> UInt64 {
            random.next() % 3 == 0 ? edges[Int(random.next() % UInt64(edges.count))] : random.next() % p
        }
        for count in [1, 3, 4, 5, 8, 9, 16, 55, 56, 57, 112, 113, 130] {
            for _ in 0..<10 {
                let a = (0..<count).map { _ in value() }, b = (0..<count).map { _ in value() }
                let hashes = (0..<Int(random.next() % 40)).map { _ in value() }
                // Signatures start from arbitrary values, so some stay as they are.
                let start = (0..<count).map { _ in random.next() % 2 == 0 ? p : value() }
                let expected = (0..<count).map { k in hashes.reduce(start[k]) { min($0, Self.permuted($1, a[k], b[k])) } }
                for kernel in Self.kernels {
                    var signature = start
                    cminhash_update(kernel, a, b, count, hashes, hashes.count, &signature)
                    #expect(signature == expected, "kernel \(kernel.rawValue), \(count) permutations, \(hashes.count) hashes")
                }
            }
        }
    }

    @Test func signatureIsTheLeastPermutedShingleModuloThePrime() {
        let p = Self.p
        let hasher = MinHasher(count: 64, seed: 7)
        #expect(hasher.a.allSatisfy { $0 >= 1 && $0 < p } && hasher.b.allSatisfy { $0 < p })
        var signature = [UInt64](repeating: 0, count: 64)
        let values: [UInt64] = [0, 1, p - 1, p, p + 1, UInt64.max, 0x0123_4567_89AB_CDEF]
        for h in values {
            var shingles = [h]
            signature.withUnsafeMutableBufferPointer { hasher.signature(of: &shingles, into: $0) }
            #expect(shingles == [h % p])
            #expect(signature == (0..<64).map { Self.permuted(h % p, hasher.a[$0], hasher.b[$0]) })
        }
        var shingles = values
        signature.withUnsafeMutableBufferPointer { hasher.signature(of: &shingles, into: $0) }
        #expect(shingles == values.map { $0 % p })
        #expect(signature == (0..<64).map { k in values.map { Self.permuted($0 % p, hasher.a[k], hasher.b[k]) }.min()! })
        shingles = []
        signature.withUnsafeMutableBufferPointer { hasher.signature(of: &shingles, into: $0) }
        #expect(signature == [UInt64](repeating: p, count: 64))
    }
}
