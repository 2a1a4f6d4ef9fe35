/// A JSON syntax error at a byte offset of the parsed text.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// The 1-based line and column of `offset` in `text`.
    public func position(in text: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in text.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}

/// A strict JSON (RFC 8259) parser over UTF-8 bytes.
///
/// Besides whole values it offers the member-by-member calls that readers use to pull one
/// field out of a record as raw bytes without building a tree for it.
public struct JSONParser: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    public private(set) var position = 0
    private var depth = 0
    private static let maxDepth = 512

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses `bytes` as exactly one JSON value.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try restoringErrorType(JSONSyntaxError.self) {
            try bytes.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(buffer)
                let value = try parser.parseValue()
                try parser.expectEnd()
                return value
            }
        }
    }

    // MARK: Structure

    /// Fails unless only whitespace is left.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < bytes.count { throw fail("unexpected \(describeNext()) after the JSON value") }
    }

    /// Reads `{` and reports whether the object is empty (then `}` is read too).
    public mutating func beginObject() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw fail("expected an object, found \(describeNext())") }
        position += 1
        try enter()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return true
        }
        return false
    }

    /// Reads a member key and the colon after it.
    public mutating func memberKey() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key, found \(describeNext())") }
        let key = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after an object key, found \(describeNext())") }
        position += 1
        return key
    }

    /// After a member value: reads `,` (returns true: more members follow) or `}` (returns false).
    public mutating func nextMember() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","): position += 1; return true
        case UInt8(ascii: "}"): position += 1; depth -= 1; return false
        default: throw fail("expected ',' or '}' in an object, found \(describeNext())")
        }
    }

    /// Skips white space and returns the first byte of the next value without reading it.
    public mutating func peekValueStart() -> UInt8? {
        skipWhitespace()
        return peek()
    }

    // MARK: Values

    public mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            if try beginObject() { return .object(JSONObject()) }
            // A repeated key keeps its first place and takes the last value. Small objects
            // find keys by scanning; large ones (tokenizer vocabularies) through an index.
            var pairs: [(key: String, value: JSONValue)] = []
            var index: [String: Int]?
            repeat {
                let key = try memberKey()
                let value = try parseValue()
                if let i = index.map({ $0[key] }) ?? pairs.firstIndex(where: { $0.key == key }) {
                    pairs[i].value = value
                    continue
                }
                pairs.append((key, value))
                if index != nil {
                    index![key] = pairs.count - 1
                } else if pairs.count > 16 {
                    index = Dictionary(uniqueKeysWithValues: pairs.indices.map { (pairs[$0].key, $0) })
                }
            } while try nextMember()
            return .object(JSONObject(pairs))
        case UInt8(ascii: "["):
            position += 1
            try enter()
            var values: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .array(values)
            }
            while true {
                values.append(try parseValue())
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; depth -= 1; return .array(values)
                default: throw fail("expected ',' or ']' in an array, found \(describeNext())")
                }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw fail("unexpected \(describeNext()), expected a value")
        }
    }

    /// Parses a string value (the next non-space byte must be `"`) into a String;
    /// invalid UTF-8 becomes U+FFFD.
    public mutating func parseString() throws(JSONSyntaxError) -> String {
        var out: [UInt8] = []
        try parseStringBytes(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a string value into raw UTF-8 bytes with escapes decoded; invalid UTF-8 in the
    /// input is kept as it is, so that a later stage can count and repair it.
    public mutating func parseStringBytes(into out: inout [UInt8]) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string, found \(describeNext())") }
        position += 1
        while true {
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                position += 1
            }
            if position > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position])) }
            guard position < bytes.count else { throw fail("unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if b < 0x20 { throw fail("control character U+\(hex4(UInt32(b))) inside a string must be escaped") }
            position += 1
            guard position < bytes.count else { throw fail("unterminated string") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexEscape()
                if (0xD800...0xDBFF).contains(scalar) {
                    if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try hexEscape()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                UTF8Bytes.append(scalar: scalar, to: &out)
            default:
                position -= 1
                throw fail("invalid escape '\\\(describeByte(escape))' in a string")
            }
        }
    }

    // MARK: Private

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw fail("invalid number") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let d = peek(), isDigit(d) else { throw fail("invalid number: expected a digit after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), isDigit(d) else { throw fail("invalid number: expected a digit in the exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func skipDigits() {
        while let d = peek(), isDigit(d) { position += 1 }
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    private mutating func hexEscape() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = position + count <= bytes.count
            && (0..<count).allSatisfy { bytes[position + $0] == word.utf8Start[$0] }
        guard matches else { throw fail("unexpected \(describeNext()), expected a value") }
        position += count
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func describeNext() -> String {
        guard let b = peek() else { return "end of input" }
        return "'\(describeByte(b))'"
    }

    private func describeByte(_ b: UInt8) -> String {
        (0x21..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: true)
    }

    private func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    private func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }
}
