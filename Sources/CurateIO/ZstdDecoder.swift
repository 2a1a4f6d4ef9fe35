import CZstd

/// Decompresses zstd, including concatenated frames.
public final class ZstdDecoder: ByteStream {
    private let input: CompressedInput
    private let context: OpaquePointer
    private var inFrame = false

    init(_ source: any ByteStream, path: String) throws(IOError) {
        input = CompressedInput(source, path: path)
        guard let context = ZSTD_createDCtx() else { throw IOError(path: path, "cannot create a zstd context") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    public var bytesRead: Int64 { input.consumed }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            guard try input.fill() else {
                if inFrame { throw input.truncated("zstd") }
                return 0
            }
            var source = ZSTD_inBuffer(src: input.pointer, size: input.available, pos: 0)
            var sink = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let hint = ZSTD_decompressStream(context, &sink, &source)
            input.consume(source.pos)
            if ZSTD_isError(hint) != 0 { throw input.corrupt("zstd", String(cString: ZSTD_getErrorName(hint))) }
            inFrame = hint != 0
            if sink.pos > 0 { return sink.pos }
        }
    }
}
