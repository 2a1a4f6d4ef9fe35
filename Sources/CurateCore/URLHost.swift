/// The host part of URLs, for grouping documents by domain.
public enum URLHost {
    /// The lower-cased host of an absolute URL (`https://User@Example.org:8080/a` gives
    /// `example.org`; IPv6 literals keep their brackets), or nil when there is none.
    public static func of(_ url: String) -> String? {
        var utf8 = Array(url.utf8)
        guard let scheme = find(utf8, [0x3A, 0x2F, 0x2F]) else { return nil }
        var start = scheme + 3
        var end = start
        while end < utf8.count, utf8[end] != 0x2F, utf8[end] != 0x3F, utf8[end] != 0x23 { end += 1 }
        if let at = utf8[start..<end].lastIndex(of: 0x40) { start = at + 1 }
        if start < end, utf8[start] == 0x5B {
            guard let close = utf8[start..<end].firstIndex(of: 0x5D) else { return nil }
            end = close + 1
        } else if let colon = utf8[start..<end].firstIndex(of: 0x3A) {
            end = colon
        }
        guard start < end else { return nil }
        for i in start..<end where utf8[i] >= 0x41 && utf8[i] <= 0x5A { utf8[i] += 0x20 }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    private static func find(_ bytes: [UInt8], _ needle: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { i in needle.indices.allSatisfy { bytes[i + $0] == needle[$0] } }
    }
}
