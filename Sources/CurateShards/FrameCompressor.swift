import CXXHash
import CZstd

/// Compresses one seekable frame at a time: an independent zstd frame with its content size
/// and checksum in the frame, plus the seek table entry describing it.
///
/// Below level 16 (whose strategies already go down to 3 bytes) matches are allowed down to
/// 4 bytes, two uint16 ids or one uint32 id, where the level's tables ask for 5 or 6 for
/// frames over 16 KiB: on GPT-2 ids this makes 32K- and 64K-token frames 4 to 5% smaller
/// (schemas/shards.md, "Frame size").
final class FrameCompressor {
    private let context: OpaquePointer
    private(set) var output: [UInt8] = []

    init(level: Int32) {
        context = ZSTD_createCCtx()!
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
        if level < 16 { ZSTD_CCtx_setParameter(context, ZSTD_c_minMatch, 4) }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `raw` into `output` and returns its seek table entry.
    func compress(_ raw: UnsafeRawBufferPointer) -> SeekTable.Entry {
        let bound = ZSTD_compressBound(raw.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let size = output.withUnsafeMutableBytes { out in
            ZSTD_compress2(context, out.baseAddress, out.count, raw.baseAddress, raw.count)
        }
        precondition(ZSTD_isError(size) == 0, "zstd cannot fail on a buffer of its compress bound: \(String(cString: ZSTD_getErrorName(size)))")
        return SeekTable.Entry(
            compressedSize: UInt32(size), decompressedSize: UInt32(raw.count),
            checksum: FrameCompressor.checksum(raw))
    }

    /// The seekable format's frame checksum: the low 32 bits of XXH64 (seed 0).
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: XXH64(raw.baseAddress, raw.count, 0))
    }
}
