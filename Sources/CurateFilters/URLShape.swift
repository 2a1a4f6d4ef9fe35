/// Whether a white-space free piece of text is a URL the English tokenizer keeps whole: an
/// optional `scheme://`, optional `user:password@`, then a host name with a lower-case
/// top-level domain of two letters or more (or a public IPv4 address), an optional port
/// and an optional path, query or fragment.
enum URLShape {
    static func matches(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
        var dot = false
        for i in lo..<hi where s[i] == 0x2E { dot = true; break }
        guard dot else { return false }
        var start = lo
        if let scheme = schemeEnd(s, lo, hi) { start = scheme }
        if hostPortPath(s, start, hi) { return true }
        var at = start
        while at < hi {
            if s[at] == 0x40, at > start, hostPortPath(s, at + 1, hi) { return true }
            at += 1
        }
        return false
    }

    /// The index after `scheme://` when the piece starts with one (two or more word
    /// characters, `+`, `-` or `.`).
    private static func schemeEnd(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Int? {
        var i = lo
        while i < hi, isSchemeChar(s[i]) { i += 1 }
        guard i - lo >= 2, i + 2 < hi, s[i] == 0x3A, s[i + 1] == 0x2F, s[i + 2] == 0x2F else { return nil }
        return i + 3
    }

    private static func isSchemeChar(_ c: UInt32) -> Bool {
        c == 0x2B || c == 0x2D || c == 0x2E || c == 0x5F || CharClass.isDigit(c) || CharClass.isAlpha(c)
    }

    @inline(__always) private static func isHostChar(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || (c >= 0xA1 && c <= 0xFFFF)
    }

    private static func hostPortPath(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
        var end = lo
        while end < hi, s[end] != 0x3A, s[end] != 0x2F, s[end] != 0x3F, s[end] != 0x23 { end += 1 }
        guard isDomain(s, lo, end) || isPublicIPv4(s, lo, end) else { return false }
        var i = end
        if i < hi, s[i] == 0x3A {
            var j = i + 1
            while j < hi, CharClass.isDigit(s[j]) { j += 1 }
            guard j - i - 1 >= 2, j - i - 1 <= 5 else { return false }
            i = j
        }
        return i == hi || s[i] == 0x2F || s[i] == 0x3F || s[i] == 0x23
    }

    /// Labels of host characters, `_` and `-` (starting and ending with a host character,
    /// at most 64 long), each followed by a dot, then 2 to 63 lower-case letters.
    private static func isDomain(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
        var lastDot = -1
        for i in lo..<hi where s[i] == 0x2E { lastDot = i }
        guard lastDot > lo else { return false }
        let tld = hi - lastDot - 1
        guard tld >= 2, tld <= 63 else { return false }
        for i in lastDot + 1..<hi where !CharClass.isLower(s[i]) { return false }
        var labelStart = lo
        for i in lo...lastDot where s[i] == 0x2E {
            let length = i - labelStart
            guard length >= 1, length <= 64, isHostChar(s[labelStart]), isHostChar(s[i - 1]) else { return false }
            for j in labelStart..<i where !(isHostChar(s[j]) || s[j] == 0x5F || s[j] == 0x2D) { return false }
            labelStart = i + 1
        }
        return true
    }

    /// A dotted IPv4 address outside the private, loopback and link-local ranges.
    private static func isPublicIPv4(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
        var parts: [Int] = []
        var value = 0, digits = 0
        for i in lo...hi {
            if i == hi || s[i] == 0x2E {
                guard digits >= 1, digits <= 3 else { return false }
                parts.append(value)
                value = 0
                digits = 0
            } else if CharClass.isDigit(s[i]) {
                value = value * 10 + Int(s[i] - 0x30)
                digits += 1
            } else {
                return false
            }
        }
        guard parts.count == 4, parts[0] >= 1, parts[0] <= 223, parts[1] <= 255, parts[2] <= 255, parts[3] >= 1, parts[3] <= 254 else {
            return false
        }
        if parts[0] == 10 || parts[0] == 127 { return false }
        if (parts[0] == 169 && parts[1] == 254) || (parts[0] == 192 && parts[1] == 168) { return false }
        if parts[0] == 172 && parts[1] >= 16 && parts[1] <= 31 { return false }
        return true
    }
}
