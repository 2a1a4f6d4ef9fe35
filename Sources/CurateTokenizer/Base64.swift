/// Standard base64 (RFC 4648, with padding), for .tiktoken files.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var it = bytes.makeIterator()
        while let a = it.next() {
            let b = it.next()
            let c = it.next()
            let v = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(v >> 6 & 63)])
            out.append(c == nil ? UInt8(ascii: "=") : alphabet[Int(v & 63)])
        }
        return out
    }

    /// The bytes `text` encodes, or nil if it is not base64.
    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var i = text.startIndex
        while i < text.endIndex {
            let last = i + 4 == text.endIndex
            var v: UInt32 = 0
            var padding = 0
            for k in 0..<4 {
                let c = text[i + k]
                if c == UInt8(ascii: "="), last, k >= 2 {
                    padding += 1
                    v <<= 6
                    continue
                }
                let d = values[Int(c)]
                guard d >= 0, padding == 0 else { return nil }
                v = v << 6 | UInt32(d)
            }
            out.append(UInt8(v >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(v >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return out
    }
}
