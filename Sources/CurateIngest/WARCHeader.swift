#if canImport(Glibc)
import Glibc
#endif

/// The header of a WARC record (or of an HTTP message): its first line and its named fields.
/// Fields are located once, as byte ranges; a value becomes a String only when looked up.
struct WARCHeader {
    /// `WARC/1.0`, `WARC/1.1`, `WARC/0.18`, or an HTTP status line.
    let firstLine: String
    private let bytes: [UInt8]
    /// Name and value (without surrounding white space) of each field, in order.
    private let fields: [(name: Range<Int>, value: Range<Int>)]
    /// Continuation lines (starting with a space or tab), by the index of the field they extend.
    private let continuations: [(field: Int, value: Range<Int>)]

    /// The first field called `name`, compared without regard to ASCII case.
    subscript(name: String) -> String? {
        bytes.withUnsafeBufferPointer { p in
            guard let index = fields.firstIndex(where: { Self.equalIgnoringCase(p, $0.name, name) }) else { return nil }
            var value = Self.text(p, fields[index].value)
            for continuation in continuations where continuation.field == index {
                value += " " + Self.text(p, continuation.value)
            }
            return value
        }
    }

    /// Parses header bytes (the blank line excluded): CRLF or LF line ends; continuation lines
    /// (starting with a space or tab) join the previous field; lines without a colon are
    /// ignored. Bytes are read as ISO-8859-1.
    init(_ p: UnsafeBufferPointer<UInt8>) {
        bytes = Array(p)
        var first: Range<Int>?
        var fields: [(name: Range<Int>, value: Range<Int>)] = []
        var continuations: [(field: Int, value: Range<Int>)] = []
        fields.reserveCapacity(24)
        var start = 0
        while start <= p.count {
            let end = p.baseAddress.flatMap { base in
                memchr(base + start, 0x0A, p.count - start).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
            } ?? p.count
            let lineEnd = end > start && p[end - 1] == 0x0D ? end - 1 : end
            if first == nil {
                first = Self.trimmed(p, start..<lineEnd)
            } else if lineEnd > start, p[start] == 0x20 || p[start] == 0x09 {
                if !fields.isEmpty { continuations.append((fields.count - 1, Self.trimmed(p, start..<lineEnd))) }
            } else if let colon = (start..<lineEnd).first(where: { p[$0] == 0x3A }) {
                fields.append((Self.trimmed(p, start..<colon), Self.trimmed(p, colon + 1..<lineEnd)))
            }
            start = end + 1
        }
        firstLine = first.map { Self.text(p, $0) } ?? ""
        self.fields = fields
        self.continuations = continuations
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// `range` without the white space around it.
    private static func trimmed(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isSpace(p[lower]) { lower += 1 }
        while upper > lower, isSpace(p[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Whether the bytes of `range` spell `name`, ignoring ASCII case.
    private static func equalIgnoringCase(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ name: String) -> Bool {
        guard range.count == name.utf8.count else { return false }
        var i = range.lowerBound
        for b in name.utf8 {
            if lowercased(p[i]) != lowercased(b) { return false }
            i += 1
        }
        return true
    }

    private static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// The bytes of `range`, read as ISO-8859-1.
    private static func text(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let bytes = UnsafeBufferPointer(rebasing: p[range])
        return bytes.allSatisfy { $0 < 0x80 }
            ? String(decoding: bytes, as: UTF8.self)
            : String(String.UnicodeScalarView(bytes.lazy.map { Unicode.Scalar($0) }))
    }

    /// The media type of a Content-Type value, lower-cased, without parameters.
    static func mediaType(_ contentType: String) -> String {
        var utf8 = Substring(contentType).utf8
        if let semicolon = utf8.firstIndex(of: 0x3B) { utf8 = utf8[..<semicolon] }
        return Substring(trimmedBytes(utf8, also: [])).lowercased()
    }

    /// `text` without surrounding white space (and without the ASCII characters of `also`).
    static func trim(_ text: some StringProtocol, also: String = "") -> String {
        String(Substring(trimmedBytes(Substring(text).utf8, also: Array(also.utf8))))
    }

    private static func trimmedBytes(_ utf8: Substring.UTF8View, also: [UInt8]) -> Substring.UTF8View {
        var s = utf8
        while let b = s.first, isSpace(b) || also.contains(b) { s = s.dropFirst() }
        while let b = s.last, isSpace(b) || also.contains(b) { s = s.dropLast() }
        return s
    }

    /// Whether `text` contains `word`, compared byte for byte.
    static func contains(_ text: some StringProtocol, _ word: String) -> Bool {
        let haystack = Array(text.utf8)
        let needle = Array(word.utf8)
        guard needle.count <= haystack.count else { return false }
        return (0...haystack.count - needle.count).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// The `charset` parameter of a Content-Type value, if any.
    static func charset(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, trim(pair[0]).lowercased() == "charset" {
                return trim(pair[1], also: "\"'")
            }
        }
        return nil
    }
}

/// Finds the end of a header: the offset just past the first blank line (CRLF CRLF or LF LF)
/// at or after `from`, and where the header bytes end.
func headerEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> (headerEnd: Int, bodyStart: Int)? {
    var i = from
    while i < p.count {
        if p[i] == 0x0A {
            if i + 1 < p.count, p[i + 1] == 0x0A { return (i, i + 2) }
            if i + 2 < p.count, p[i + 1] == 0x0D, p[i + 2] == 0x0A { return (i > from && p[i - 1] == 0x0D ? i - 1 : i, i + 3) }
        }
        i += 1
    }
    return nil
}
