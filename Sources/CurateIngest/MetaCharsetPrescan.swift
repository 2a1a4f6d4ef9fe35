/// The WHATWG "prescan a byte stream to determine its encoding": the first `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="...charset=...">` in the head of an HTML page,
/// skipping comments and the attributes of other tags.
struct MetaCharsetPrescan {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// How far into a page the declaration is looked for.
    static let limit = 4096

    /// The encoding declared in the first `limit` bytes, if any (UTF-16 declarations mean UTF-8,
    /// x-user-defined means windows-1252).
    static func encoding(in page: [UInt8]) -> Charset.Encoding? {
        page.withUnsafeBufferPointer { p in
            var scan = MetaCharsetPrescan(UnsafeBufferPointer(rebasing: p[..<min(limit, p.count)]))
            return scan.run()
        }
    }

    private mutating func run() -> Charset.Encoding? {
        while position < bytes.count {
            if matches("<!--") {
                position = find("-->", from: position + 2).map { $0 + 2 } ?? bytes.count
            } else if matches("<meta"), position + 5 < bytes.count, isSpaceOrSlash(bytes[position + 5]) {
                position += 6
                if let encoding = metaEncoding() { return encoding }
            } else if matches("<"), position + 1 < bytes.count, isLetter(bytes[position + 1])
                || (bytes[position + 1] == 0x2F && position + 2 < bytes.count && isLetter(bytes[position + 2]))
            {
                while position < bytes.count, !isSpace(bytes[position]), bytes[position] != 0x3E { position += 1 }
                while attribute() != nil {}
            } else if matches("<!") || matches("</") || matches("<?") {
                while position < bytes.count, bytes[position] != 0x3E { position += 1 }
            }
            position += 1
        }
        return nil
    }

    /// Reads the attributes of a meta tag and returns the encoding it declares, if any.
    private mutating func metaEncoding() -> Charset.Encoding? {
        var seen: Set<[UInt8]> = []
        var gotPragma = false
        var needPragma: Bool?
        var charset: [UInt8]?
        while let (name, value) = attribute() {
            guard seen.insert(name).inserted else { continue }
            switch String(decoding: name, as: UTF8.self) {
            case "http-equiv":
                if value == Array("content-type".utf8) { gotPragma = true }
            case "content":
                if charset == nil, let found = Self.charsetInContent(value) {
                    charset = found
                    needPragma = true
                }
            case "charset":
                charset = value
                needPragma = false
            default:
                break
            }
        }
        guard let needPragma, !needPragma || gotPragma, let charset, let encoding = Charset.Encoding(label: charset)
        else { return nil }
        switch encoding.name {
        case "UTF-16BE", "UTF-16LE": return .utf8
        case "x-user-defined": return .windows1252
        default: return encoding
        }
    }

    /// The WHATWG "get an attribute": the next attribute's name and value, lowercased, or nil at
    /// the end of the tag.
    private mutating func attribute() -> ([UInt8], [UInt8])? {
        while position < bytes.count, isSpaceOrSlash(bytes[position]) { position += 1 }
        guard position < bytes.count, bytes[position] != 0x3E else { return nil }
        var name: [UInt8] = []
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else { return nil }
            let b = bytes[position]
            if b == 0x3D, !name.isEmpty {
                position += 1
                break
            }
            if isSpace(b) {
                while position < bytes.count, isSpace(bytes[position]) { position += 1 }
                guard position < bytes.count else { return nil }
                if bytes[position] != 0x3D { return (name, value) }
                position += 1
                break
            }
            if b == 0x2F || b == 0x3E { return (name, value) }
            name.append(lower(b))
            position += 1
        }
        while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return nil }
        let first = bytes[position]
        if first == 0x22 || first == 0x27 {
            position += 1
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                if b == first { return (name, value) }
                value.append(lower(b))
            }
            return nil
        }
        if first == 0x3E { return (name, value) }
        while position < bytes.count {
            let b = bytes[position]
            if isSpace(b) || b == 0x3E { return (name, value) }
            value.append(lower(b))
            position += 1
        }
        return nil
    }

    /// The WHATWG "extract a character encoding from a meta element" from a lowercased
    /// content attribute.
    private static func charsetInContent(_ content: [UInt8]) -> [UInt8]? {
        let key = Array("charset".utf8)
        var i = 0
        while i + key.count <= content.count {
            guard content[i..<i + key.count].elementsEqual(key) else {
                i += 1
                continue
            }
            var j = i + key.count
            while j < content.count, isSpace(content[j]) { j += 1 }
            guard j < content.count, content[j] == 0x3D else {
                i += key.count
                continue
            }
            j += 1
            while j < content.count, isSpace(content[j]) { j += 1 }
            guard j < content.count else { return nil }
            let quote = content[j]
            if quote == 0x22 || quote == 0x27 {
                guard let end = content[(j + 1)...].firstIndex(of: quote) else { return nil }
                return Array(content[(j + 1)..<end])
            }
            let end = content[j...].firstIndex { isSpace($0) || $0 == 0x3B } ?? content.count
            return Array(content[j..<end])
        }
        return nil
    }

    /// Whether the bytes at the position are `literal`, ASCII case ignored.
    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let start = literal.utf8Start
        for k in 0..<count where lower(bytes[position + k]) != start[k] { return false }
        return true
    }

    private func find(_ literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        var i = start
        while i + count <= bytes.count {
            if (0..<count).allSatisfy({ bytes[i + $0] == literal.utf8Start[$0] }) { return i }
            i += 1
        }
        return nil
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D || b == 0x20 }
    private func isSpace(_ b: UInt8) -> Bool { Self.isSpace(b) }
    private func isSpaceOrSlash(_ b: UInt8) -> Bool { isSpace(b) || b == 0x2F }
    private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}
