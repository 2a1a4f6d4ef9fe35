import CZlib

/// Decompresses gzip, including files made of many gzip members (one per WARC record).
public final class GzipDecoder: ByteStream {
    private let input: CompressedInput
    private var stream = z_stream()
    private var inMember = false

    init(_ source: any ByteStream, path: String) throws(IOError) {
        input = CompressedInput(source, path: path)
        guard czlib_inflateInit2(&stream, 15 + 16) == Z_OK else { throw IOError(path: path, "cannot initialise zlib") }
    }

    deinit { inflateEnd(&stream) }

    public var bytesRead: Int64 { input.consumed }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            guard try input.fill() else {
                if inMember { throw input.truncated("gzip") }
                return 0
            }
            stream.next_in = input.pointer
            stream.avail_in = UInt32(input.available)
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(buffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            input.consume(input.available - Int(stream.avail_in))
            inMember = true
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                inMember = false
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw input.corrupt("gzip", detail)
            }
            if produced > 0 { return produced }
        }
    }
}
