import CurateIO

/// Checks a shard set against its manifest: the manifest's fields, the tokenizer's sha256,
/// every shard's seek table, every frame (zstd framing, sizes, XXH64 checksum), every token
/// id, the document index (each document ends with the end-of-document id, which occurs
/// nowhere else) and the sha256 of every file. Problems name the file and, where a byte is at
/// fault, its offset.
public struct ShardVerifier {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// What was checked and what was wrong.
    public struct Report: Sendable {
        public var shards = 0
        public var frames = 0
        public var tokens = 0
        public var documents = 0
        public var problems: [ShardError] = []
    }

    public func verify() -> Report {
        var report = Report()
        let manifestPath = directory + "/" + ShardManifest.fileName
        let manifest: ShardManifest
        do {
            manifest = try ShardManifest.decode(try ShardSet.readFile(manifestPath), path: manifestPath)
        } catch {
            report.problems.append(error)
            return report
        }
        if let tokenizer = manifest.tokenizer {
            let path = tokenizer.file.hasPrefix("/") ? tokenizer.file : directory + "/" + tokenizer.file
            do {
                let sha = try wrap { try SHA256.hex(ofFile: path) }
                if sha != tokenizer.sha256 { report.problems.append(ShardError(path: path, "sha256 \(sha) does not match the manifest's \(tokenizer.sha256)")) }
            } catch {
                report.problems.append(ShardError(path: manifestPath, "tokenizer file \(tokenizer.file) cannot be read: \(error.message)"))
            }
        }
        for (s, info) in manifest.shards.enumerated() {
            report.shards += 1
            let docsPath = directory + "/" + info.docsFile
            var index: DocumentIndex?
            do {
                let parsed = try DocumentIndex.decode(try ShardSet.readFile(docsPath), path: docsPath)
                if parsed.count != info.documents || parsed.tokenCount != UInt64(info.tokens) {
                    report.problems.append(ShardError(path: docsPath, "indexes \(parsed.count) documents over \(parsed.tokenCount) tokens but the manifest says \(info.documents) over \(info.tokens) (shard \(s))"))
                } else {
                    index = parsed
                }
                report.documents += parsed.count
            } catch {
                report.problems.append(error)
            }
            checkTokens(info, manifest: manifest, index: index, into: &report)
            for (file, expected) in [(info.file, info.sha256), (info.docsFile, info.docsSHA256)] {
                let path = directory + "/" + file
                if let sha = try? SHA256.hex(ofFile: path), sha != expected {
                    report.problems.append(ShardError(path: path, "sha256 \(sha) does not match the manifest's \(expected)"))
                }
            }
        }
        return report
    }

    /// Decompresses every frame of a shard and checks sizes, checksums, ids and document ends.
    private func checkTokens(_ info: ShardInfo, manifest: ShardManifest, index: DocumentIndex?, into report: inout Report) {
        let path = directory + "/" + info.file
        let reader: ShardReader
        do { reader = try ShardReader(path: path, dtype: manifest.dtype, cacheFrames: 1) } catch {
            report.problems.append(error)
            return
        }
        let entries = reader.seekTable.entries
        let entryBase = reader.file.size - Int64(entries.count * SeekTable.entrySize + SeekTable.footerSize)
        func entryOffset(_ f: Int, field: Int) -> Int64 { entryBase + Int64(f * SeekTable.entrySize + field) }
        guard entries.count == info.frames, reader.tokenCount == info.tokens else {
            report.problems.append(ShardError(path: path, offset: entryBase - 8, "seek table lists \(entries.count) frames of \(reader.tokenCount) tokens but the manifest says \(info.frames) frames of \(info.tokens)"))
            return
        }
        let width = manifest.dtype.width
        let frameBytes = manifest.frameTokens * width
        var documentEnds = index.map { index in (0..<index.count).map { Int(index.range($0).upperBound) - 1 } } ?? []
        documentEnds.reverse()
        let vocab = UInt32(truncatingIfNeeded: manifest.vocabSize)
        let checkIDs = manifest.vocabSize < 1 << 32
        var decoded = [UInt32](repeating: 0, count: manifest.frameTokens)
        for (f, entry) in entries.enumerated() {
            report.frames += 1
            let isLast = f == entries.count - 1
            let size = Int(entry.decompressedSize)
            guard isLast ? (size > 0 && size <= frameBytes) : size == frameBytes else {
                report.problems.append(ShardError(path: path, offset: entryOffset(f, field: 4), "seek table entry \(f): frame decompresses to \(size) bytes, frames hold \(frameBytes) bytes (\(manifest.frameTokens) tokens)\(isLast ? " at most" : "")"))
                return
            }
            let bytes: [UInt8]
            do { bytes = try reader.decompress(frame: f) } catch {
                report.problems.append(error)
                return
            }
            let checksum = bytes.withUnsafeBytes { FrameCompressor.checksum($0) }
            if checksum != entry.checksum {
                report.problems.append(ShardError(path: path, offset: entryOffset(f, field: 8), "seek table entry \(f): checksum 0x\(String(entry.checksum, radix: 16)) does not match frame \(f) at byte \(reader.frameOffsets[f]), whose data hashes to 0x\(String(checksum, radix: 16))"))
                return
            }
            let count = size / width
            let first = reader.frameTokens[f]
            bytes.withUnsafeBytes { raw in decoded.withUnsafeMutableBufferPointer { manifest.dtype.decode(raw.baseAddress!, count: count, into: $0.baseAddress!) } }
            for i in 0..<count {
                let token = decoded[i]
                let position = first + i
                if checkIDs, token >= vocab {
                    report.problems.append(ShardError(path: path, offset: reader.frameOffsets[f], "token \(position) (frame \(f)) is \(token), not below vocab_size \(manifest.vocabSize)"))
                    return
                }
                guard index != nil else { continue }
                let isEnd = documentEnds.last == position
                if isEnd { documentEnds.removeLast() }
                if isEnd != (token == manifest.eodID), let index {
                    // The frames passed their checksums, so the index is the likelier culprit: name
                    // the start entry of the document that should begin right after `position`.
                    let next = index.document(at: UInt64(position))! + 1
                    let what = isEnd
                        ? "ends a document but is \(token), not the end-of-document id \(manifest.eodID)"
                        : "is the end-of-document id but no document ends there"
                    report.problems.append(ShardError(path: directory + "/" + info.docsFile, offset: Int64(DocumentIndex.headerSize + 8 * next),
                        "token \(position) of \(info.file) (frame \(f), at byte \(reader.frameOffsets[f])) \(what); document \(next) starts at \(next < index.count ? String(index.starts[next]) : "the end")"))
                    return
                }
            }
            report.tokens += count
        }
    }
}
