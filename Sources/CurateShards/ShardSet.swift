import CurateIO

/// A whole shard set, opened through its `manifest.json`: one token stream over all shards
/// in order, with the document each token belongs to.
public final class ShardSet {
    public let directory: String
    public let manifest: ShardManifest
    /// The readers of the shards, in manifest order.
    public let shards: [ShardReader]
    /// The first global token of each shard, and the total at the end.
    public let shardStarts: [Int]
    private var indexes: [DocumentIndex?]

    /// Opens the set in `directory`; `cacheFrames` decompressed frames are kept per shard.
    public init(directory: String, cacheFrames: Int = 4) throws(ShardError) {
        self.directory = directory
        let manifestPath = directory + "/" + ShardManifest.fileName
        let bytes = try ShardSet.readFile(manifestPath)
        manifest = try ShardManifest.decode(bytes, path: manifestPath)
        var readers: [ShardReader] = []
        var starts = [0]
        for info in manifest.shards {
            let reader = try ShardReader(path: directory + "/" + info.file, dtype: manifest.dtype, cacheFrames: cacheFrames)
            guard reader.tokenCount == info.tokens else {
                throw ShardError(path: reader.path, "holds \(reader.tokenCount) tokens but the manifest says \(info.tokens)")
            }
            readers.append(reader)
            starts.append(starts[starts.count - 1] + info.tokens)
        }
        shards = readers
        shardStarts = starts
        indexes = Array(repeating: nil, count: readers.count)
    }

    /// Tokens in the set.
    public var tokenCount: Int { shardStarts[shardStarts.count - 1] }

    /// The shard holding global token `position`.
    public func shard(containing position: Int) -> Int { shardStarts.span(containing: position) }

    /// Copies global tokens `range` into `destination`, across shard boundaries.
    public func read(_ range: Range<Int>, into destination: UnsafeMutablePointer<UInt32>) throws(ShardError) {
        guard range.lowerBound >= 0, range.upperBound <= tokenCount else {
            throw ShardError(path: directory, "tokens \(range.lowerBound)..<\(range.upperBound) are outside the set's \(tokenCount) tokens")
        }
        var position = range.lowerBound
        var out = destination
        while position < range.upperBound {
            let s = shard(containing: position)
            let end = min(range.upperBound, shardStarts[s + 1])
            try shards[s].read((position - shardStarts[s])..<(end - shardStarts[s]), into: out)
            out += end - position
            position = end
        }
    }

    /// Global tokens `range` as an array.
    public func tokens(_ range: Range<Int>) throws(ShardError) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: range.count)
        try wrap { try out.withUnsafeMutableBufferPointer { try read(range, into: $0.baseAddress!) } }
        return out
    }

    /// The document index of shard `s`, read on first use.
    public func documentIndex(_ s: Int) throws(ShardError) -> DocumentIndex {
        if let index = indexes[s] { return index }
        let path = directory + "/" + manifest.shards[s].docsFile
        let index = try DocumentIndex.decode(try ShardSet.readFile(path), path: path)
        guard index.tokenCount == UInt64(manifest.shards[s].tokens), index.count == manifest.shards[s].documents else {
            throw ShardError(path: path, "indexes \(index.count) documents over \(index.tokenCount) tokens but the manifest says \(manifest.shards[s].documents) over \(manifest.shards[s].tokens)")
        }
        indexes[s] = index
        return index
    }

    /// A document located in the set.
    public struct DocumentLocation: Sendable, Equatable {
        public var id: String
        public var shard: Int
        /// Its number within the shard.
        public var index: Int
        /// Its tokens, end-of-document id included, as global positions.
        public var tokens: Range<Int>
    }

    /// The document holding global token `position`.
    public func document(at position: Int) throws(ShardError) -> DocumentLocation {
        guard position >= 0, position < tokenCount else {
            throw ShardError(path: directory, "token \(position) is outside the set's \(tokenCount) tokens")
        }
        let s = shard(containing: position)
        let index = try documentIndex(s)
        let i = index.document(at: UInt64(position - shardStarts[s]))!
        return location(shard: s, index: index, i)
    }

    /// The first document with id `id`, or nil.
    public func document(id: String) throws(ShardError) -> DocumentLocation? {
        for s in shards.indices {
            let index = try documentIndex(s)
            for i in 0..<index.count where index.id(i) == id { return location(shard: s, index: index, i) }
        }
        return nil
    }

    /// Calls `body` with every document in order: its location and its tokens (the
    /// end-of-document id included); stops when `body` returns false.
    public func forEachDocument(_ body: (DocumentLocation, [UInt32]) throws -> Bool) throws {
        for s in shards.indices {
            let index = try documentIndex(s)
            for i in 0..<index.count {
                let place = location(shard: s, index: index, i)
                if try !body(place, try tokens(place.tokens)) { return }
            }
        }
    }

    private func location(shard s: Int, index: DocumentIndex, _ i: Int) -> DocumentLocation {
        let range = index.range(i)
        return DocumentLocation(id: index.id(i), shard: s, index: i, tokens: (shardStarts[s] + Int(range.lowerBound))..<(shardStarts[s] + Int(range.upperBound)))
    }

    /// The whole file at `path`.
    public static func readFile(_ path: String) throws(ShardError) -> [UInt8] {
        let file = try RandomAccessFile(path: path)
        return try file.bytes(at: 0, count: Int(file.size))
    }
}
