import CurateCore
import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// Writes token shards: documents' token ids, each followed by the end-of-document id, into
/// `shard-NNNNN.tok.zst` files in the Zstandard seekable format, each with its `.docs` index,
/// and `manifest.json` at the end. The same documents in the same order give byte-identical
/// files. Every file is written under a temporary name, fsynced and renamed into place.
///
/// A document never spans two shards: a shard is closed before a document that would take it
/// past `shardTokens` (a document longer than that gets a shard of its own), so that every
/// shard and its index stand alone.
public final class ShardWriter {
    public struct Options: Sendable {
        /// Ids are below this; it decides the stored width (uint16 up to 65,536).
        public var vocabSize: Int
        /// Appended after every document.
        public var endOfDocument: UInt32
        /// Upper bound on tokens per shard (see the type's note on long documents).
        public var shardTokens: Int
        /// Tokens per seekable frame: a reader decompresses this many to reach any token.
        public var frameTokens: Int
        public var level: Int32
        /// Recorded in the manifest.
        public var tokenizer: TokenizerReference?

        public static let defaultShardTokens = 100_000_000
        public static let defaultFrameTokens = 65_536
        public static let defaultLevel: Int32 = 3

        public init(
            vocabSize: Int, endOfDocument: UInt32, shardTokens: Int = defaultShardTokens,
            frameTokens: Int = defaultFrameTokens, level: Int32 = defaultLevel, tokenizer: TokenizerReference? = nil
        ) {
            self.vocabSize = vocabSize
            self.endOfDocument = endOfDocument
            self.shardTokens = shardTokens
            self.frameTokens = frameTokens
            self.level = level
            self.tokenizer = tokenizer
        }
    }

    public let directory: String
    public let options: Options
    public let dtype: TokenType
    private let compressor: FrameCompressor
    private var frame: UnsafeMutableRawBufferPointer
    private var frameFill = 0
    private var file: DurableFile?
    private var table = SeekTable()
    private var index = DocumentIndex()
    private var shards: [ShardInfo] = []

    /// Starts a shard set in `directory` (created if missing).
    public init(directory: String, options: Options) throws(ShardError) {
        guard options.vocabSize > 0, options.vocabSize <= 1 << 32 else { throw ShardError(path: directory, "vocabulary size \(options.vocabSize) is out of range 1...2^32") }
        guard Int(options.endOfDocument) < options.vocabSize else { throw ShardError(path: directory, "end-of-document id \(options.endOfDocument) is not below the vocabulary size \(options.vocabSize)") }
        guard options.shardTokens > 0 else { throw ShardError(path: directory, "shard size \(options.shardTokens) must be positive") }
        let dtype = TokenType(vocabSize: options.vocabSize)
        guard options.frameTokens > 0, options.frameTokens * dtype.width <= 1 << 30 else { throw ShardError(path: directory, "frame size \(options.frameTokens) tokens is out of range (1 GiB at most)") }
        guard (1...22).contains(options.level) else { throw ShardError(path: directory, "zstd level \(options.level) is out of range 1...22") }
        if mkdir(directory, 0o755) != 0, errno != EEXIST { throw ShardError(path: directory, "cannot create the folder: \(String(cString: strerror(errno)))") }
        self.directory = directory
        self.options = options
        self.dtype = dtype
        compressor = FrameCompressor(level: options.level)
        frame = .allocate(byteCount: options.frameTokens * dtype.width, alignment: 16)
    }

    deinit { frame.deallocate() }

    /// The shard files' names.
    public static func shardFile(_ number: Int) -> String { "shard-\(padded(number)).tok.zst" }
    public static func docsFile(_ number: Int) -> String { "shard-\(padded(number)).docs" }
    /// The names of shard `number` as a takedown rewrote it for the set's `version`.
    public static func shardFile(_ number: Int, version: Int) -> String { "shard-\(padded(number)).v\(version).tok.zst" }
    public static func docsFile(_ number: Int, version: Int) -> String { "shard-\(padded(number)).v\(version).docs" }
    static func padded(_ n: Int) -> String {
        let digits = String(n)
        return digits.count >= 5 ? digits : String(repeating: "0", count: 5 - digits.count) + digits
    }

    /// Where a document's tokens went.
    public struct Span: Sendable, Equatable {
        /// The shard's number (its position in the manifest).
        public var shard: Int
        /// The document's first token within the shard.
        public var firstToken: Int
        /// Its tokens, the end-of-document id included.
        public var tokens: Int

        public init(shard: Int, firstToken: Int, tokens: Int) {
            self.shard = shard
            self.firstToken = firstToken
            self.tokens = tokens
        }
    }

    /// Appends one document's tokens followed by the end-of-document id and says where they
    /// went. Ids must be below the vocabulary size and must not be the end-of-document id.
    @discardableResult
    public func append(documentID: String, tokens: UnsafeBufferPointer<UInt32>) throws(ShardError) -> Span {
        let eod = options.endOfDocument
        let vocab = UInt64(options.vocabSize)
        for (i, id) in tokens.enumerated() where UInt64(id) >= vocab || id == eod {
            throw ShardError(path: directory, "document \(documentID): token \(i) is \(id == eod ? "the end-of-document id \(id)" : "id \(id), not below the vocabulary size \(vocab)")")
        }
        let length = tokens.count + 1
        if index.tokenCount > 0, Int(index.tokenCount) + length > options.shardTokens { try closeShard() }
        if file == nil { file = try wrap { try DurableFile(path: path(ShardWriter.shardFile(shards.count))) } }
        let span = Span(shard: shards.count, firstToken: Int(index.tokenCount), tokens: length)
        index.append(id: documentID, tokens: UInt64(length))
        var done = 0
        while done < tokens.count {
            let n = min(tokens.count - done, options.frameTokens - frameFill)
            dtype.encode(tokens.baseAddress! + done, count: n, into: frame.baseAddress! + frameFill * dtype.width)
            frameFill += n
            done += n
            if frameFill == options.frameTokens { try flushFrame() }
        }
        withUnsafePointer(to: eod) { dtype.encode($0, count: 1, into: frame.baseAddress! + frameFill * dtype.width) }
        frameFill += 1
        if frameFill == options.frameTokens { try flushFrame() }
        return span
    }

    /// Closes the last shard and writes `manifest.json`; returns the shards written.
    @discardableResult
    public func finish() throws(ShardError) -> [ShardInfo] {
        if index.tokenCount > 0 { try closeShard() }
        let manifest = ShardManifest(
            tokenizer: options.tokenizer, dtype: dtype, vocabSize: options.vocabSize,
            eodID: options.endOfDocument, frameTokens: options.frameTokens, shards: shards)
        try wrap { try DurableFile.write(manifest.encoded(), to: path(ShardManifest.fileName)) }
        return shards
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    private func flushFrame() throws(ShardError) {
        guard frameFill > 0, let file else { return }
        let entry = compressor.compress(UnsafeRawBufferPointer(rebasing: frame[..<(frameFill * dtype.width)]))
        table.entries.append(entry)
        try wrap { try compressor.output.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[..<Int(entry.compressedSize)])) } }
        frameFill = 0
    }

    private func closeShard() throws(ShardError) {
        try flushFrame()
        guard let file else { return }
        try wrap { try file.write(table.encoded()) }
        let sha = try wrap { try file.commit() }
        let number = shards.count
        let docsPath = path(ShardWriter.docsFile(number))
        let docsSHA = try wrap { () throws -> String in
            let docs = try DurableFile(path: docsPath)
            try docs.write(index.encoded())
            return try docs.commit()
        }
        shards.append(ShardInfo(
            file: ShardWriter.shardFile(number), sha256: sha, docsFile: ShardWriter.docsFile(number), docsSHA256: docsSHA,
            tokens: Int(index.tokenCount), documents: index.count, frames: table.entries.count))
        self.file = nil
        table = SeekTable()
        index = DocumentIndex()
    }
}

/// Runs a call that throws `IOError` or `ShardError` through APIs that erase the error type,
/// and throws it as a `ShardError`.
func wrap<T>(_ body: () throws -> T) throws(ShardError) -> T {
    do {
        return try body()
    } catch let error as IOError {
        throw ShardError(error)
    } catch let error as ShardError {
        throw error
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
}
