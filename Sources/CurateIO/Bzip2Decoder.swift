import CBzip2

/// Decompresses bzip2, including multi-stream files (as pbzip2 writes them).
public final class Bzip2Decoder: ByteStream {
    private let input: CompressedInput
    private var stream = bz_stream()
    private var inStream = false

    init(_ source: any ByteStream, path: String) throws(IOError) {
        input = CompressedInput(source, path: path)
        guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else { throw IOError(path: path, "cannot initialise bzip2") }
    }

    deinit { BZ2_bzDecompressEnd(&stream) }

    public var bytesRead: Int64 { input.consumed }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            guard try input.fill() else {
                if inStream { throw input.truncated("bzip2") }
                return 0
            }
            let available = input.available
            stream.next_in = UnsafeMutableRawPointer(input.pointer).assumingMemoryBound(to: CChar.self)
            stream.avail_in = UInt32(available)
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            stream.avail_out = UInt32(buffer.count)
            let status = BZ2_bzDecompress(&stream)
            input.consume(available - Int(stream.avail_in))
            inStream = true
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case BZ_STREAM_END:
                inStream = false
                BZ2_bzDecompressEnd(&stream)
                stream = bz_stream()
                BZ2_bzDecompressInit(&stream, 0, 0)
            case BZ_OK:
                break
            default:
                throw input.corrupt("bzip2", "libbz2 error \(status)")
            }
            if produced > 0 { return produced }
        }
    }
}
