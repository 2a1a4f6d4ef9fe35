import CurateCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level matchers for the personal data that ``PIIMasker`` replaces. Each one is a
/// hand-written equivalent of a regular expression, found and replaced left to right without
/// overlaps as Python's `re.sub` does.
enum PIIPatterns {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    // MARK: e-mail addresses

    /// datatrove's e-mail pattern: `\b` + local part (`atext` runs joined by single dots) +
    /// `@` + either dotted labels of letters, digits and inner hyphens (at least two) or a
    /// bracketed IPv4 literal. Calls `found(start, end)` for each match.
    static func forEachEmail(in p: Bytes, _ found: (Int, Int) -> Void) {
        var previousEnd = 0
        var at = 0
        while let a = nextByte(UInt8(ascii: "@"), in: p, from: at) {
            at = a + 1
            guard let end = emailDomainEnd(p, a + 1), a - 1 >= previousEnd, isLocal(p[a - 1]) else { continue }
            var low = a - 1
            while low - 1 >= previousEnd {
                if isLocal(p[low - 1]) {
                    low -= 1
                } else if p[low - 1] == UInt8(ascii: "."), low - 2 >= previousEnd, isLocal(p[low - 2]) {
                    low -= 2
                } else {
                    break
                }
            }
            var start: Int? = nil
            var wordBefore = low == 0 ? false : isWordScalar(before: low, in: p)
            for s in low..<a {
                let isWord = isASCIIWord(p[s])
                if p[s] != UInt8(ascii: "."), isWord != wordBefore {
                    start = s
                    break
                }
                wordBefore = isWord
            }
            guard let start else { continue }
            found(start, end)
            previousEnd = end
            at = end
        }
    }

    /// The end of the e-mail domain that starts at `d`, or nil.
    private static func emailDomainEnd(_ p: Bytes, _ d: Int) -> Int? {
        guard d < p.count else { return nil }
        if p[d] == UInt8(ascii: "[") { return bracketedDomainEnd(p, d + 1) }
        var dotted = 0
        var previousRunEnd = 0
        var pos = d
        while pos < p.count, isAlnum(p[pos]) {
            var q = pos
            var lastAlnum = pos
            while q < p.count, isAlnum(p[q]) || p[q] == UInt8(ascii: "-") {
                if isAlnum(p[q]) { lastAlnum = q }
                q += 1
            }
            if q < p.count, p[q] == UInt8(ascii: "."), lastAlnum == q - 1 {
                dotted += 1
                previousRunEnd = q
                pos = q + 1
                continue
            }
            return dotted >= 1 ? lastAlnum + 1 : nil
        }
        return dotted >= 2 ? previousRunEnd : nil
    }

    /// `[` d.d.d.(d | word:) `]`, from after the bracket.
    private static func bracketedDomainEnd(_ p: Bytes, _ start: Int) -> Int? {
        var pos = start
        for _ in 0..<3 {
            guard let end = octetEnd(p, pos, followedBy: UInt8(ascii: ".")) else { return nil }
            pos = end + 1
        }
        if let end = octetEnd(p, pos, followedBy: UInt8(ascii: "]")) { return end + 1 }
        var q = pos
        while q < p.count, isAlnum(p[q]) || p[q] == UInt8(ascii: "-") { q += 1 }
        if q > pos, isAlnum(p[q - 1]), q + 1 < p.count, p[q] == UInt8(ascii: ":"), p[q + 1] == UInt8(ascii: "]") { return q + 2 }
        return nil
    }

    // MARK: IPv4

    /// datatrove's IPv4 pattern, `(?:OCTET\.){3}OCTET` with
    /// `OCTET = 25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?` and no boundaries. Calls
    /// `found(start, end)` for each match.
    static func forEachIPv4(in p: Bytes, _ found: (Int, Int) -> Void) {
        // A match's first octet is one to three digits followed by a dot, so only the three
        // positions before each dot can start one: the scan goes from dot to dot.
        var s = 0
        scan: while let dot = nextByte(UInt8(ascii: "."), in: p, from: s + 1) {
            for start in max(s, dot - 3)..<dot where isDigit(p[start]) {
                if let end = ipv4End(p, start) {
                    found(start, end)
                    s = end
                    continue scan
                }
            }
            s = dot + 1
        }
    }

    private static func ipv4End(_ p: Bytes, _ start: Int) -> Int? {
        var pos = start
        for _ in 0..<3 {
            guard let end = octetEnd(p, pos, followedBy: UInt8(ascii: ".")) else { return nil }
            pos = end + 1
        }
        return firstOctetEnd(p, pos)
    }

    /// The end of the octet at `pos` that the regex takes when nothing follows it: the first
    /// alternative that matches (25[0-5], then 2[0-4][0-9], then [01]?[0-9][0-9]? greedily).
    private static func firstOctetEnd(_ p: Bytes, _ pos: Int) -> Int? {
        guard pos < p.count, isDigit(p[pos]) else { return nil }
        let d1 = pos + 1 < p.count && isDigit(p[pos + 1]), d2 = d1 && pos + 2 < p.count && isDigit(p[pos + 2])
        if d2, threeDigitOctet(p[pos], p[pos + 1], p[pos + 2]) { return pos + 3 }
        return d1 ? pos + 2 : pos + 1
    }

    /// The end of an octet at `pos` followed by `next` (a non-digit), trying the alternatives
    /// in the regex's order. Only the one ending where the digits end can be followed by a
    /// non-digit, so it is the digit run of one to three digits, or three making 0–255.
    private static func octetEnd(_ p: Bytes, _ pos: Int, followedBy next: UInt8) -> Int? {
        var end = pos
        while end < p.count, end - pos < 4, isDigit(p[end]) { end += 1 }
        let length = end - pos
        guard length >= 1, length <= 3, end < p.count, p[end] == next else { return nil }
        if length == 3, !threeDigitOctet(p[pos], p[pos + 1], p[pos + 2]) { return nil }
        return end
    }

    /// Whether three digits make an octet of the pattern: 25[0-5], 2[0-4][0-9] or [01][0-9][0-9].
    @inline(__always)
    private static func threeDigitOctet(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        a == UInt8(ascii: "2") ? (b < UInt8(ascii: "5") || (b == UInt8(ascii: "5") && c <= UInt8(ascii: "5"))) : a <= UInt8(ascii: "1")
    }

    /// The address of a dotted-quad IPv4 text as Python's `ipaddress` reads it (no leading
    /// zeros), or nil.
    static func ipv4Value(_ text: Bytes) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        for part in text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(isDigit), part.count == 1 || part.first != 0x30 else { return nil }
            let octet = part.reduce(0) { $0 * 10 + UInt32($1 - 0x30) }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
            parts += 1
        }
        return parts == 4 ? value : nil
    }

    /// Whether `address` is global by Python 3.11's `ipaddress.IPv4Address.is_global`.
    static func isGlobalIPv4(_ address: UInt32) -> Bool {
        !ipv4NonGlobal.contains { address & $0.mask == $0.network }
    }

    private static func net(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ bits: UInt32) -> (network: UInt32, mask: UInt32) {
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return (a << 24 | b << 16 | c << 8 | d, mask)
    }

    private static let ipv4NonGlobal = [
        net(0, 0, 0, 0, 8), net(10, 0, 0, 0, 8), net(100, 64, 0, 0, 10), net(127, 0, 0, 0, 8), net(169, 254, 0, 0, 16),
        net(172, 16, 0, 0, 12), net(192, 0, 0, 0, 29), net(192, 0, 0, 170, 31), net(192, 0, 2, 0, 24),
        net(192, 168, 0, 0, 16), net(198, 18, 0, 0, 15), net(198, 51, 100, 0, 24), net(203, 0, 113, 0, 24),
        net(240, 0, 0, 0, 4), net(255, 255, 255, 255, 32),
    ]

    // MARK: IPv6

    /// IPv6 addresses in global unicast space (2000::/3) that Python's `ipaddress` deems
    /// global: a run of hex digits, colons and dots not touching a word character, colon or
    /// dot (a final dot ends a sentence and is left out), read by RFC 4291's text forms.
    /// Calls `found(start, end)` for each.
    static func forEachIPv6(in p: Bytes, _ found: (Int, Int) -> Void) {
        @inline(__always) func inRun(_ b: UInt8) -> Bool { isHex(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") }
        var from = 0
        // Every address holds a colon: find one, then the run around it.
        while let colon = nextByte(UInt8(ascii: ":"), in: p, from: from) {
            var i = colon
            while i > from, inRun(p[i - 1]) { i -= 1 }
            var end = colon
            var colons = 0
            while end < p.count, inRun(p[end]) {
                if p[end] == UInt8(ascii: ":") { colons += 1 }
                end += 1
            }
            let runEnd = end
            from = runEnd
            guard colons >= 2 else { continue }
            while end > i, p[end - 1] == UInt8(ascii: ".") { end -= 1 }
            let before = i == 0 ? false : isWordScalar(before: i, in: p) || p[i - 1] == UInt8(ascii: ".")
            let after = runEnd < p.count && isWordScalar(at: runEnd, in: p)
            if !before, !after, let address = ipv6Value(UnsafeBufferPointer(rebasing: p[i..<end])), isGlobalUnicastIPv6(address) {
                found(i, end)
            }
        }
    }

    /// The 128-bit address of an IPv6 text (hex groups, at most one `::`, an optional dotted
    /// IPv4 tail), or nil.
    static func ipv6Value(_ text: Bytes) -> (high: UInt64, low: UInt64)? {
        var gap: Int? = nil
        for i in 0..<max(text.count - 1, 0) where text[i] == UInt8(ascii: ":") && text[i + 1] == UInt8(ascii: ":") {
            guard gap == nil else { return nil }
            gap = i
        }
        let groups: [UInt16]
        if let gap {
            guard let head = ipv6Groups(UnsafeBufferPointer(rebasing: text[..<gap]), last: false),
                  let tail = ipv6Groups(UnsafeBufferPointer(rebasing: text[(gap + 2)...]), last: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = ipv6Groups(text, last: true), all.count == 8 else { return nil }
            groups = all
        }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }

    /// The 16-bit groups of colon-separated hex `text` (empty for empty text); a dotted IPv4
    /// address may end it when `last`.
    private static func ipv6Groups(_ text: Bytes, last: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let pieces = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (k, piece) in pieces.enumerated() {
            if last, k == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
                guard let v4 = ipv4Value(UnsafeBufferPointer(rebasing: piece)) else { return nil }
                groups += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
            } else {
                guard !piece.isEmpty, piece.count <= 4, piece.allSatisfy(isHex) else { return nil }
                groups.append(UInt16(piece.reduce(0) { $0 << 4 | UInt32(hexValue($1)) }))
            }
        }
        return groups.count <= 8 ? groups : nil
    }

    /// Whether `address` is in 2000::/3 and outside the ranges Python 3.11's `ipaddress`
    /// lists as not global there (2001::/23, 2001:2::/48, 2001:db8::/32, 2001:10::/28).
    static func isGlobalUnicastIPv6(_ address: (high: UInt64, low: UInt64)) -> Bool {
        let h = address.high
        guard h >> 61 == 1 else { return false }
        let nonGlobal: [(prefix: UInt64, bits: UInt64)] = [
            (0x2001_0000_0000_0000, 23), (0x2001_0002_0000_0000, 48), (0x2001_0DB8_0000_0000, 32), (0x2001_0010_0000_0000, 28),
        ]
        return !nonGlobal.contains { h >> (64 - $0.bits) == $0.prefix >> (64 - $0.bits) }
    }

    // MARK: phone numbers

    /// Phone numbers written in one of two unambiguous forms:
    /// - international: `+`, a digit, then digits, single separators (space, `-`, `.`) and
    ///   digit groups in parentheses, ending with a digit, 9 to 15 digits in all (E.164);
    /// - North American: `NXX-NXX-XXXX`, `NXX.NXX.XXXX`, `(NXX) NXX-XXXX` or `(NXX)NXX-XXXX`,
    ///   N being 2–9.
    /// Neither may touch a word character, and neither may be followed by `-`, `.` or `/`
    /// plus a digit, nor preceded by `+`, `-`, `.` or `/` (dates, versions, identifiers).
    /// Calls `found(start, end)` for each.
    static func forEachPhone(in p: Bytes, _ found: (Int, Int) -> Void) {
        var i = 0
        while i < p.count {
            let b = p[i]
            guard b == UInt8(ascii: "+") || b == UInt8(ascii: "(") || isDigit(b) else {
                i += 1
                continue
            }
            if i > 0, isJoiner(p[i - 1]) || p[i - 1] == UInt8(ascii: "+") || isWordScalar(before: i, in: p) {
                i += 1
                continue
            }
            let end = b == UInt8(ascii: "+") ? internationalPhoneEnd(p, i + 1) : northAmericanPhoneEnd(p, i)
            if let end, end == p.count || !(isWordScalar(at: end, in: p) || followedByDigitAfterJoiner(p, end)) {
                found(i, end)
                i = end
            } else {
                i += 1
            }
        }
    }

    private static func followedByDigitAfterJoiner(_ p: Bytes, _ i: Int) -> Bool {
        isJoiner(p[i]) && i + 1 < p.count && isDigit(p[i + 1])
    }

    private static func internationalPhoneEnd(_ p: Bytes, _ start: Int) -> Int? {
        guard start < p.count, isDigit(p[start]) else { return nil }
        var digits = 0
        var pos = start
        var lastDigitEnd = start
        var previousWasSeparator = false
        while pos < p.count {
            let b = p[pos]
            if isDigit(b) {
                digits += 1
                pos += 1
                lastDigitEnd = pos
                previousWasSeparator = false
            } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") {
                if previousWasSeparator { break }
                previousWasSeparator = true
                pos += 1
            } else if b == UInt8(ascii: "(") {
                var q = pos + 1
                while q < p.count, isDigit(p[q]) { q += 1 }
                guard q > pos + 1, q - pos - 1 <= 4, q < p.count, p[q] == UInt8(ascii: ")") else { break }
                digits += q - pos - 1
                pos = q + 1
                lastDigitEnd = pos
                previousWasSeparator = false
            } else {
                break
            }
            if digits > 15 { return nil }
        }
        return digits >= 9 ? lastDigitEnd : nil
    }

    private static func northAmericanPhoneEnd(_ p: Bytes, _ start: Int) -> Int? {
        func digits(_ at: Int, _ count: Int, leading29: Bool) -> Bool {
            guard at + count <= p.count else { return false }
            for k in at..<at + count where !isDigit(p[k]) { return false }
            return !leading29 || p[at] >= UInt8(ascii: "2")
        }
        if p[start] == UInt8(ascii: "(") {
            guard digits(start + 1, 3, leading29: true), start + 4 < p.count, p[start + 4] == UInt8(ascii: ")") else { return nil }
            var pos = start + 5
            if pos < p.count, p[pos] == UInt8(ascii: " ") { pos += 1 }
            guard digits(pos, 3, leading29: true), pos + 3 < p.count, p[pos + 3] == UInt8(ascii: "-"), digits(pos + 4, 4, leading29: false) else { return nil }
            return pos + 8
        }
        guard digits(start, 3, leading29: true), start + 3 < p.count else { return nil }
        let separator = p[start + 3]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."), digits(start + 4, 3, leading29: true),
              start + 7 < p.count, p[start + 7] == separator, digits(start + 8, 4, leading29: false) else { return nil }
        return start + 12
    }

    // MARK: characters

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) private static func isJoiner(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/")
    }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    @inline(__always) static func isASCIIWord(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "_") }
    private static func hexValue(_ b: UInt8) -> UInt8 { isDigit(b) ? b - 0x30 : (b | 0x20) - 0x61 + 10 }

    /// The characters of an e-mail local part (RFC 5322 `atext`).
    @inline(__always) static func isLocal(_ b: UInt8) -> Bool { localTable[Int(b)] }
    private static let localTable: [Bool] = (0..<256).map { b in
        isAlnum(UInt8(b)) || "!#$%&'*+/=?^_`{|}~-".utf8.contains(UInt8(b))
    }

    /// Whether the scalar that ends just before `i` is a word character (Python's `\w`).
    static func isWordScalar(before i: Int, in p: Bytes) -> Bool {
        var start = i - 1
        while start > 0, i - start < 4, p[start] & 0xC0 == 0x80 { start -= 1 }
        return isWordScalar(at: start, in: p, ending: i)
    }

    /// Whether the scalar that starts at `i` is a word character.
    static func isWordScalar(at i: Int, in p: Bytes, ending: Int? = nil) -> Bool {
        if p[i] < 0x80 { return isASCIIWord(p[i]) }
        let length = UTF8Bytes.sequenceLength(p, at: i)
        guard length > 0, ending == nil || i + length == ending else { return false }
        return WordCharacters.isWord(UTF8Bytes.decode(p, at: i).scalar)
    }

    /// The index of the first `byte` in `p` at or after `from`, or nil.
    private static func nextByte(_ byte: UInt8, in p: Bytes, from: Int) -> Int? {
        guard from < p.count, let base = p.baseAddress,
              let found = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
