/// The header of a WARC record (or of an HTTP message): its first line and its named fields.
struct WARCHeader {
    /// `WARC/1.0`, `WARC/1.1`, `WARC/0.18`, or an HTTP status line.
    let firstLine: String
    /// Fields in order; names as written.
    let fields: [(name: String, value: String)]

    /// The first field called `name`, compared without regard to case.
    subscript(name: String) -> String? {
        fields.first { $0.name.utf8.count == name.utf8.count && $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Parses header bytes (the blank line excluded): CRLF or LF line ends; continuation lines
    /// (starting with a space or tab) join the previous field. Bytes are read as ISO-8859-1.
    init(_ p: UnsafeBufferPointer<UInt8>) {
        var lines: [String] = []
        var start = 0
        var i = 0
        while i <= p.count {
            if i == p.count || p[i] == 0x0A {
                var end = i
                if end > start, p[end - 1] == 0x0D { end -= 1 }
                let bytes = UnsafeBufferPointer(rebasing: p[start..<end])
                let line = bytes.allSatisfy { $0 < 0x80 }
                    ? String(decoding: bytes, as: UTF8.self)
                    : String(bytes.map { Character(Unicode.Scalar($0)) })
                if lines.count >= 2, line.first == " " || line.first == "\t" {
                    lines[lines.count - 1] += " " + Self.trim(line)
                } else {
                    lines.append(line)
                }
                start = i + 1
            }
            i += 1
        }
        firstLine = Self.trim(lines.first ?? "")
        fields = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (Self.trim(line[..<colon]), Self.trim(line[line.index(after: colon)...]))
        }
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
