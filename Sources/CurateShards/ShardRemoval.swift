import CurateIO
import Foundation

/// Removes documents from a shard set: every shard holding one of them is written again
/// without it under a new name for the set's next version (`shard-00003.v2.tok.zst`), then
/// `manifest.json` is replaced, then the replaced files are deleted. Shards without such a
/// document keep their files, byte for byte, and every shard keeps its number.
///
/// The new manifest is the commit point: until it is renamed into place the old set is whole,
/// and afterwards the new one is.
public struct ShardRemoval {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// A document to remove: its shard, its first token there and its id (checked against
    /// the shard's index, so that a stale position never removes the wrong document).
    public struct Target: Sendable, Hashable {
        public var shard: Int
        public var firstToken: Int64
        public var documentID: String

        public init(shard: Int, firstToken: Int64, documentID: String) {
            self.shard = shard
            self.firstToken = firstToken
            self.documentID = documentID
        }
    }

    /// One rewritten shard.
    public struct Rewrite: Sendable, Equatable {
        public var shard: Int
        public var before: ShardInfo
        public var after: ShardInfo
        public var removedDocuments: Int
        public var removedTokens: Int
        /// The new first token of each remaining document, by its first token before.
        public var moved: [Int64: Int64]
    }

    /// What a removal changed.
    public struct Outcome: Sendable, Equatable {
        public var version: Int
        public var rewrites: [Rewrite]
        public var manifest: ShardManifest
    }

    /// Writes the set's next version without `targets`. Throws, changing nothing, when a
    /// target is not a document start of its shard or names another document.
    public func remove(_ targets: [Target], level: Int32 = ShardWriter.Options.defaultLevel) throws(ShardError) -> Outcome {
        let manifestPath = directory + "/" + ShardManifest.fileName
        var manifest = try ShardManifest.decode(try ShardSet.readFile(manifestPath), path: manifestPath)
        let version = manifest.version + 1
        let byShard = Dictionary(grouping: targets, by: \.shard)
        var rewrites: [Rewrite] = []
        var written: [String] = []
        do throws(ShardError) {
            for shard in byShard.keys.sorted() {
                guard manifest.shards.indices.contains(shard) else {
                    throw ShardError(path: manifestPath, "has no shard \(shard) (it lists \(manifest.shards.count))")
                }
                let rewrite = try rewriteShard(shard, of: manifest, removing: byShard[shard]!, version: version, level: level)
                written += [rewrite.after.file, rewrite.after.docsFile]
                rewrites.append(rewrite)
                manifest.shards[shard] = rewrite.after
            }
            manifest.version = version
            try wrap { try DurableFile.write(manifest.encoded(), to: manifestPath) }
        } catch {
            for name in written { unlink(directory + "/" + name) }
            throw error
        }
        for rewrite in rewrites {
            unlink(directory + "/" + rewrite.before.file)
            unlink(directory + "/" + rewrite.before.docsFile)
        }
        return Outcome(version: version, rewrites: rewrites, manifest: manifest)
    }

    /// Writes shard `shard` without the targets' documents as the files of `version`.
    private func rewriteShard(
        _ shard: Int, of manifest: ShardManifest, removing targets: [Target], version: Int, level: Int32
    ) throws(ShardError) -> Rewrite {
        let info = manifest.shards[shard]
        let docsPath = directory + "/" + info.docsFile
        let index = try DocumentIndex.decode(try ShardSet.readFile(docsPath), path: docsPath)
        var removed = Set<UInt64>()
        for target in targets {
            guard target.firstToken >= 0, let i = index.document(at: UInt64(target.firstToken)),
                  index.starts[i] == UInt64(target.firstToken), index.id(i) == target.documentID else {
                throw ShardError(path: docsPath, "no document \(target.documentID) starts at token \(target.firstToken) of shard \(shard); "
                    + "the provenance database and the shards disagree (see curate audit verify)")
            }
            removed.insert(UInt64(target.firstToken))
        }
        let reader = try ShardReader(path: directory + "/" + info.file, dtype: manifest.dtype, cacheFrames: 1)
        let staging = directory + "/.rewrite-\(ShardWriter.padded(shard)).v\(version)"
        try wrap { if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) } }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let writer = try ShardWriter(directory: staging, options: ShardWriter.Options(
            vocabSize: manifest.vocabSize, endOfDocument: manifest.eodID, shardTokens: Int.max, frameTokens: manifest.frameTokens,
            level: level, tokenizer: manifest.tokenizer))
        var moved: [Int64: Int64] = [:]
        var removedTokens = 0
        var tokens: [UInt32] = []
        for i in 0..<index.count {
            let range = index.range(i)
            if removed.contains(range.lowerBound) {
                removedTokens += range.count
                continue
            }
            tokens = try reader.tokens(Int(range.lowerBound)..<Int(range.upperBound) - 1)
            let span = try tokens.withUnsafeBufferPointer { buffer throws(ShardError) in try writer.append(documentID: index.id(i), tokens: buffer) }
            moved[Int64(range.lowerBound)] = Int64(span.firstToken)
        }
        let kept = try writer.finish()
        let file = ShardWriter.shardFile(shard, version: version)
        let docsFile = ShardWriter.docsFile(shard, version: version)
        var after: ShardInfo
        if let written = kept.first {
            try move(staging + "/" + written.file, to: file)
            try move(staging + "/" + written.docsFile, to: docsFile)
            after = written
        } else {
            let empty = try writeEmptyShard(file: file, docsFile: docsFile)
            after = empty
        }
        after.file = file
        after.docsFile = docsFile
        return Rewrite(shard: shard, before: info, after: after, removedDocuments: removed.count, removedTokens: removedTokens, moved: moved)
    }

    /// A shard with no documents: a seek table of no frames and an index of no documents.
    private func writeEmptyShard(file: String, docsFile: String) throws(ShardError) -> ShardInfo {
        let table = SeekTable().encoded()
        let docs = DocumentIndex().encoded()
        try wrap {
            try DurableFile.write(table, to: directory + "/" + file)
            try DurableFile.write(docs, to: directory + "/" + docsFile)
        }
        return ShardInfo(file: file, sha256: SHA256.hex(table), docsFile: docsFile, docsSHA256: SHA256.hex(docs),
                         tokens: 0, documents: 0, frames: 0)
    }

    private func move(_ path: String, to name: String) throws(ShardError) {
        guard rename(path, directory + "/" + name) == 0 else {
            throw ShardError(path: path, "cannot rename to \(name): \(String(cString: strerror(errno)))")
        }
    }
}
