/// Writes compact JSON into a byte buffer, deterministically: object keys in their stored
/// order, numbers as their literal text, strings with the minimal escapes and invalid UTF-8
/// replaced by U+FFFD so that the output is always valid.
public struct JSONWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text of `value`: compact, or indented by two spaces per level.
    public static func serialize(_ value: JSONValue, pretty: Bool = false) -> String {
        var writer = JSONWriter()
        if pretty { writer.writePretty(value, indent: 0) } else { writer.write(value) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private mutating func writePretty(_ value: JSONValue, indent: Int) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch value {
        case let .array(values) where !values.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writePretty(v, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case let .object(object) where !object.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            for (i, pair) in object.pairs.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(string: pair.key)
                raw(": ")
                writePretty(pair.value, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            write(value)
        }
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case let .bool(b): raw(b ? "true" : "false")
        case let .number(text): bytes.append(contentsOf: text.utf8)
        case let .string(s): write(string: s)
        case let .array(values):
            bytes.append(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(v)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .object(object):
            bytes.append(UInt8(ascii: "{"))
            for (i, pair) in object.pairs.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(string: pair.key)
                bytes.append(UInt8(ascii: ":"))
                write(pair.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends literal ASCII text as it is.
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `"key":`.
    public mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    public mutating func write(integer: Int64) {
        bytes.append(contentsOf: String(integer).utf8)
    }

    public mutating func write(string: String) {
        var s = string
        s.withUTF8 { write(utf8: $0) }
    }

    public mutating func write(utf8 string: [UInt8]) {
        string.withUnsafeBufferPointer { write(utf8: $0) }
    }

    /// Appends `p` as a JSON string.
    public mutating func write(utf8 p: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var i = 0
        var runStart = 0
        while i < p.count {
            let b = p[i]
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if b >= 0x80 {
                let length = UTF8Bytes.sequenceLength(p, at: i)
                if length > 0 {
                    i += length
                    continue
                }
            }
            if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i])) }
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case ..<0x20:
                raw("\\u00")
                bytes.append(Self.hexDigits[Int(b >> 4)])
                bytes.append(Self.hexDigits[Int(b & 0xF)])
            default:
                bytes.append(contentsOf: UTF8Bytes.replacement)
            }
            i += 1
            runStart = i
        }
        if p.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<p.count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
