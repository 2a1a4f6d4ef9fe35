import CurateCore
import CZstd
#if canImport(Glibc)
import Glibc
#endif

/// Writes a zstd-compressed file durably: bytes go to a temporary file beside the target,
/// which `commit` fsyncs and renames into place, so the target is either absent or whole.
public final class ZstdFileWriter {
    public let path: String
    private let file: DurableFile
    private let context: OpaquePointer
    private var out: [UInt8]

    /// Starts a new file at `path` (replacing any earlier temporary file).
    public init(path: String, level: Int32 = 3) throws(IOError) {
        self.path = path
        file = try DurableFile(path: path)
        guard let context = ZSTD_createCCtx() else { throw IOError(path: path, "cannot create a zstd context") }
        self.context = context
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        out = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
    }

    deinit { ZSTD_freeCCtx(context) }

    public func write(_ bytes: [UInt8]) throws(IOError) {
        try restoringErrorType(IOError.self) { try bytes.withUnsafeBytes { try compress($0, end: false) } }
    }

    /// Ends the zstd frame, then makes the file durable under its final name; returns the
    /// sha256 of the compressed file.
    @discardableResult
    public func commit() throws(IOError) -> String {
        try compress(UnsafeRawBufferPointer(start: nil, count: 0), end: true)
        return try file.commit()
    }

    private func compress(_ raw: UnsafeRawBufferPointer, end: Bool) throws(IOError) {
        var source = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
        let capacity = out.count
        while true {
            let (remaining, produced) = out.withUnsafeMutableBytes { buffer in
                var sink = ZSTD_outBuffer(dst: buffer.baseAddress, size: capacity, pos: 0)
                let r = ZSTD_compressStream2(context, &sink, &source, end ? ZSTD_e_end : ZSTD_e_continue)
                return (r, sink.pos)
            }
            if ZSTD_isError(remaining) != 0 {
                throw IOError(path: path, "zstd compression failed: \(String(cString: ZSTD_getErrorName(remaining)))")
            }
            if produced > 0 { try restoringErrorType(IOError.self) { try out.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[..<produced])) } } }
            if end ? remaining == 0 : source.pos == source.size { return }
        }
    }
}
