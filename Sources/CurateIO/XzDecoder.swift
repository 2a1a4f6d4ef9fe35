import CLzma

/// Decompresses xz (and concatenated xz streams).
public final class XzDecoder: ByteStream {
    private let input: CompressedInput
    private var stream = lzma_stream()
    /// liblzma's LZMA_CONCATENATED flag (a macro Swift cannot import): decode every stream of the file.
    private let concatenated: UInt32 = 0x08

    init(_ source: any ByteStream, path: String) throws(IOError) {
        input = CompressedInput(source, path: path)
        guard lzma_stream_decoder(&stream, UInt64.max, concatenated) == LZMA_OK else {
            throw IOError(path: path, "cannot initialise liblzma")
        }
    }

    deinit { lzma_end(&stream) }

    public var bytesRead: Int64 { input.consumed }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            let more = try input.fill()
            stream.next_in = UnsafePointer(input.pointer)
            stream.avail_in = input.available
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = buffer.count
            let status = lzma_code(&stream, more ? LZMA_RUN : LZMA_FINISH)
            input.consume(input.available - stream.avail_in)
            let produced = buffer.count - stream.avail_out
            switch status {
            case LZMA_OK:
                break
            case LZMA_STREAM_END:
                return produced
            case LZMA_BUF_ERROR where !more:
                throw input.truncated("xz")
            default:
                throw input.corrupt("xz", "liblzma error \(status.rawValue)")
            }
            if produced > 0 { return produced }
            if !more { throw input.truncated("xz") }
        }
    }
}
