import CurateCore
import CurateIO

/// An HTTP response as a WARC `response` record stores it: status, headers, and the payload
/// with chunked transfer-encoding and gzip/deflate content-encoding undone.
struct HTTPResponse {
    let status: Int
    let header: WARCHeader
    let payload: [UInt8]

    /// Parses `p`; a payload that would decompress beyond `limit` bytes is an error.
    init(_ p: UnsafeBufferPointer<UInt8>, limit: Int) throws(RecordError) {
        guard let (end, bodyStart) = headerEnd(p, from: 0) else { throw RecordError("HTTP response without a complete header") }
        header = WARCHeader(UnsafeBufferPointer(rebasing: p[..<end]))
        let parts = header.firstLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
            throw RecordError("invalid HTTP status line \"\(header.firstLine.prefix(80))\"")
        }
        status = code
        var body = Array(p[bodyStart...])
        if let coding = header["Transfer-Encoding"], WARCHeader.contains(coding.lowercased(), "chunked") {
            body = try Self.dechunk(body)
        }
        switch header["Content-Encoding"]?.lowercased() {
        case nil, "", "identity", "none":
            break
        case "gzip", "x-gzip":
            body = try Self.inflate(body, [.gzip], limit: limit, name: "gzip")
        case "deflate":
            body = try Self.inflate(body, [.zlib, .raw], limit: limit, name: "deflate")
        case let other?:
            throw RecordError("unsupported Content-Encoding \"\(other)\"")
        }
        payload = body
    }

    /// Undoes chunked transfer-encoding; a body that is not validly chunked is returned as it is
    /// (crawlers often store bodies already dechunked but keep the header).
    static func dechunk(_ body: [UInt8]) throws(RecordError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            var size = 0
            var digits = 0
            while i < body.count, let digit = hexValue(body[i]) {
                size = size &* 16 &+ digit
                digits += 1
                i += 1
            }
            guard digits > 0, digits <= 12 else { return body }
            while i < body.count, body[i] != 0x0A { i += 1 }  // chunk extensions and CRLF
            i += 1
            if size == 0 { return out }
            guard i + size <= body.count else {
                throw RecordError("chunked body ends inside a chunk (\(body.count - i) of \(size) bytes)")
            }
            out.append(contentsOf: body[i..<i + size])
            i += size
            if i < body.count, body[i] == 0x0D { i += 1 }
            if i < body.count, body[i] == 0x0A { i += 1 }
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Tries each wrapping in turn; the first that decodes wins.
    private static func inflate(_ body: [UInt8], _ wrappings: [Inflate.Wrapping], limit: Int, name: String) throws(RecordError) -> [UInt8] {
        var failure = Inflate.Failure.truncated
        for wrapping in wrappings {
            do {
                return try Inflate.decompress(body, wrapping, limit: limit)
            } catch {
                failure = error
            }
        }
        switch failure {
        case let .corrupt(message): throw RecordError("invalid \(name) Content-Encoding: \(message)")
        case .truncated: throw RecordError("truncated \(name) Content-Encoding")
        case let .tooLarge(limit): throw RecordError("\(name) payload expands beyond \(limit) bytes")
        }
    }
}
