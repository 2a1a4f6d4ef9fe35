import CZlib

/// One-shot decompression of an in-memory deflate body (HTTP Content-Encoding), with a cap
/// on the output so that a small body cannot expand without bound.
public enum Inflate {
    public enum Wrapping: Sendable {
        /// gzip (RFC 1952), as `Content-Encoding: gzip`.
        case gzip
        /// zlib (RFC 1950), as `Content-Encoding: deflate` should be.
        case zlib
        /// Raw deflate (RFC 1951), as some servers send for `deflate`.
        case raw

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            case .raw: -15
            }
        }
    }

    public enum Failure: Error, Equatable {
        case corrupt(String)
        case truncated
        case tooLarge(limit: Int)
    }

    public static func decompress(_ bytes: [UInt8], _ wrapping: Wrapping, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, wrapping.windowBits) == Z_OK else { throw .corrupt("cannot initialise zlib") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        return try input.withUnsafeMutableBufferPointer { source throws(Failure) -> [UInt8] in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let (status, count) = chunk.withUnsafeMutableBufferPointer { sink in
                    stream.next_out = sink.baseAddress
                    stream.avail_out = UInt32(sink.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, sink.count - Int(stream.avail_out))
                }
                out.append(contentsOf: chunk[..<count])
                if out.count > limit { throw .tooLarge(limit: limit) }
                switch status {
                case Z_STREAM_END: return out
                case Z_OK: continue
                case Z_BUF_ERROR: if stream.avail_in == 0 { throw .truncated } else { continue }
                default: throw .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                }
            }
        }
    }
}
