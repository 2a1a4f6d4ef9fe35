/// Punycode (RFC 3492), for the ASCII form of internationalised domain labels.
enum Punycode {
    /// The ACE form (`xn--…`) of a label holding non-ASCII scalars, or nil for an ASCII label.
    static func aceLabel(_ label: String) -> String? {
        let input = label.unicodeScalars.map(\.value)
        guard input.contains(where: { $0 >= 0x80 }) else { return nil }
        return "xn--" + encode(input)
    }

    private static let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26
    private static let skew: UInt32 = 38, damp: UInt32 = 700

    static func encode(_ input: [UInt32]) -> String {
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar($0)!) }
        let basicCount = UInt32(output.count)
        if basicCount > 0 { output.append("-") }
        var n: UInt32 = 0x80, delta: UInt32 = 0, bias: UInt32 = 72, handled = basicCount
        while handled < UInt32(input.count) {
            let m = input.filter { $0 >= n }.min()!
            delta += (m - n) * (handled + 1)
            n = m
            for c in input {
                if c < n { delta += 1 }
                guard c == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    private static func digit(_ d: UInt32) -> Character {
        Character(Unicode.Scalar(d < 26 ? 0x61 + d : 0x30 + d - 26)!)
    }

    private static func adapt(_ delta: UInt32, _ count: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
