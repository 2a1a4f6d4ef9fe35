/// The header of a WARC record (or of an HTTP message): its first line and its named fields.
struct WARCHeader {
    /// `WARC/1.0`, `WARC/1.1`, `WARC/0.18`, or an HTTP status line.
    let firstLine: String
    /// Fields in order; names as written, and lower-cased for lookups.
    let fields: [(name: String, key: String, value: String)]

    /// The first field called `name`, compared without regard to case.
    subscript(name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.key == key }?.value
    }

    /// Parses header bytes (the blank line excluded): CRLF or LF line ends; continuation lines
    /// (starting with a space or tab) join the previous field; lines without a colon are
    /// ignored. Bytes are read as ISO-8859-1.
    init(_ p: UnsafeBufferPointer<UInt8>) {
        var first: String?
        var fields: [(name: String, key: String, value: String)] = []
        var start = 0
        while start <= p.count {
            var end = start
            while end < p.count, p[end] != 0x0A { end += 1 }
            let lineEnd = end > start && p[end - 1] == 0x0D ? end - 1 : end
            if first == nil {
                first = Self.text(p, start..<lineEnd)
            } else if lineEnd > start, p[start] == 0x20 || p[start] == 0x09 {
                if !fields.isEmpty { fields[fields.count - 1].value += " " + Self.text(p, start..<lineEnd) }
            } else if let colon = (start..<lineEnd).first(where: { p[$0] == 0x3A }) {
                let name = Self.text(p, start..<colon)
                fields.append((name, name.lowercased(), Self.text(p, colon + 1..<lineEnd)))
            }
            start = end + 1
        }
        firstLine = first ?? ""
        self.fields = fields
    }

    /// The bytes of `range` without surrounding white space, read as ISO-8859-1.
    private static func text(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var lower = range.lowerBound
        var upper = range.upperBound
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        while lower < upper, isSpace(p[lower]) { lower += 1 }
        while upper > lower, isSpace(p[upper - 1]) { upper -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: p[lower..<upper])
        return bytes.allSatisfy { $0 < 0x80 }
            ? String(decoding: bytes, as: UTF8.self)
            : String(String.UnicodeScalarView(bytes.lazy.map { Unicode.Scalar($0) }))
    }

    /// The media type of a Content-Type value, lower-cased, without parameters.
    static func mediaType(_ contentType: String) -> String {
        trim(contentType.split(separator: ";", maxSplits: 1).first ?? "").lowercased()
    }

    /// `text` without surrounding white space (and without the characters of `also`).
    static func trim(_ text: some StringProtocol, also: String = "") -> String {
        let drop = Set(" \t\r\n" + also)
        var s = Substring(text)
        while let c = s.first, drop.contains(c) { s = s.dropFirst() }
        while let c = s.last, drop.contains(c) { s = s.dropLast() }
        return String(s)
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
