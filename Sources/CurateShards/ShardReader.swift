import CZstd

/// Random access to the tokens of one shard file: reads tokens `[a, b)` by decompressing only
/// the frames holding them, keeping the few most recently used frames decompressed.
public final class ShardReader {
    public let path: String
    public let dtype: TokenType
    /// The seek table as stored.
    public let seekTable: SeekTable
    /// Tokens in the shard.
    public let tokenCount: Int
    /// Byte offset of each frame in the file, and one past the last frame.
    let frameOffsets: [Int64]
    /// First token of each frame, and the token count at the end.
    let frameTokens: [Int]
    let file: RandomAccessFile
    private let context: OpaquePointer
    private var compressed: [UInt8] = []
    private var cache: [(frame: Int, bytes: [UInt8])] = []
    private let cacheFrames: Int

    /// Opens `path` and reads its seek table; `cacheFrames` decompressed frames are kept.
    public init(path: String, dtype: TokenType, cacheFrames: Int = 4) throws(ShardError) {
        self.path = path
        self.dtype = dtype
        self.cacheFrames = max(1, cacheFrames)
        file = try RandomAccessFile(path: path)
        let (table, _) = try SeekTable.read(from: file)
        seekTable = table
        var offsets = [Int64(0)]
        var tokens = [0]
        offsets.reserveCapacity(table.entries.count + 1)
        tokens.reserveCapacity(table.entries.count + 1)
        let entryBase = file.size - Int64(table.entries.count * SeekTable.entrySize + SeekTable.footerSize)
        for (i, entry) in table.entries.enumerated() {
            guard Int(entry.decompressedSize) % dtype.width == 0 else {
                throw ShardError(path: path, offset: entryBase + Int64(i * SeekTable.entrySize + 4), "frame \(i) decompresses to \(entry.decompressedSize) bytes, not a whole number of \(dtype.rawValue) tokens")
            }
            offsets.append(offsets[i] + Int64(entry.compressedSize))
            tokens.append(tokens[i] + Int(entry.decompressedSize) / dtype.width)
        }
        guard offsets[offsets.count - 1] <= entryBase - 8 else { throw ShardError(path: path, offset: entryBase, "the seek table's frames take \(offsets[offsets.count - 1]) bytes, more than the \(entryBase - 8) before it") }
        frameOffsets = offsets
        frameTokens = tokens
        tokenCount = tokens[tokens.count - 1]
        context = ZSTD_createDCtx()!
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Bytes in the shard file.
    public var fileSize: Int64 { file.size }

    /// The frame holding token `position`.
    public func frame(containing position: Int) -> Int { frameTokens.span(containing: position) }

    /// Copies tokens `range` into `destination`, which holds at least `range.count` ids.
    public func read(_ range: Range<Int>, into destination: UnsafeMutablePointer<UInt32>) throws(ShardError) {
        guard range.lowerBound >= 0, range.upperBound <= tokenCount else {
            throw ShardError(path: path, "tokens \(range.lowerBound)..<\(range.upperBound) are outside the shard's \(tokenCount) tokens")
        }
        var position = range.lowerBound
        var out = destination
        while position < range.upperBound {
            let f = frame(containing: position)
            let end = min(range.upperBound, frameTokens[f + 1])
            let bytes = try decompressedFrame(f)
            let skip = position - frameTokens[f]
            bytes.withUnsafeBytes { dtype.decode($0.baseAddress! + skip * dtype.width, count: end - position, into: out) }
            out += end - position
            position = end
        }
    }

    /// Tokens `range` as an array.
    public func tokens(_ range: Range<Int>) throws(ShardError) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: range.count)
        try wrap { try out.withUnsafeMutableBufferPointer { try read(range, into: $0.baseAddress!) } }
        return out
    }

    /// The decompressed bytes of frame `f`, from the cache or the file.
    func decompressedFrame(_ f: Int) throws(ShardError) -> [UInt8] {
        if let hit = cache.firstIndex(where: { $0.frame == f }) {
            let entry = cache.remove(at: hit)
            cache.append(entry)
            return entry.bytes
        }
        let bytes = try decompress(frame: f)
        if cache.count == cacheFrames { cache.removeFirst() }
        cache.append((f, bytes))
        return bytes
    }

    /// Reads and decompresses frame `f`, checking that it decodes to exactly its table size;
    /// the zstd frame's own checksum is checked by the decoder.
    func decompress(frame f: Int) throws(ShardError) -> [UInt8] {
        let entry = seekTable.entries[f]
        let offset = frameOffsets[f]
        if compressed.count < Int(entry.compressedSize) { compressed = [UInt8](repeating: 0, count: Int(entry.compressedSize)) }
        try wrap { try compressed.withUnsafeMutableBytes { try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<Int(entry.compressedSize)])) } }
        let expected = Int(entry.decompressedSize)
        let frame = "frame \(f) (bytes \(offset)..<\(offset + Int64(entry.compressedSize)))"
        guard compressed.withUnsafeBytes({ ZSTD_getFrameContentSize($0.baseAddress, Int(entry.compressedSize)) }) == UInt64(expected) else {
            throw ShardError(path: path, offset: offset, "\(frame) does not declare in its header the \(expected) bytes the seek table says")
        }
        var frameSize = 0
        var written = 0
        let out = [UInt8](unsafeUninitializedCapacity: expected) { destination, count in
            compressed.withUnsafeBytes { source in
                frameSize = ZSTD_findFrameCompressedSize(source.baseAddress, Int(entry.compressedSize))
                if ZSTD_isError(frameSize) == 0 {
                    written = ZSTD_decompressDCtx(context, destination.baseAddress, expected, source.baseAddress, Int(entry.compressedSize))
                }
            }
            count = ZSTD_isError(frameSize) == 0 && ZSTD_isError(written) == 0 ? written : 0
        }
        if ZSTD_isError(frameSize) != 0 {
            throw ShardError(path: path, offset: offset, "\(frame) is not a zstd frame of \(entry.compressedSize) bytes: \(String(cString: ZSTD_getErrorName(frameSize)))")
        }
        guard frameSize == Int(entry.compressedSize) else {
            throw ShardError(path: path, offset: offset, "\(frame) is \(frameSize) bytes but the seek table says \(entry.compressedSize)")
        }
        if ZSTD_isError(written) != 0 {
            throw ShardError(path: path, offset: offset, "\(frame) does not decompress: \(String(cString: ZSTD_getErrorName(written)))")
        }
        guard written == expected else {
            throw ShardError(path: path, offset: offset, "\(frame) decompresses to \(written) bytes but the seek table says \(expected)")
        }
        return out
    }
}
