import CurateCore
import CurateIO
import CurateTokenizer
import Dispatch
import Foundation

/// Stage `tokenize`: encodes every document that reaches it with a tokenizer (a given file,
/// or the one a `bpe_train` stage wrote into the run folder), appends the end-of-document
/// token, and writes the token shards and their manifest into the run folder.
///
/// It is a barrier because the tokenizer it needs may be trained by an earlier barrier of the
/// same run, and because shards are numbered over the whole run: documents go in plan order
/// (parts in order, documents in input order), so the shards are the same bytes for any number
/// of workers. Text is encoded as ordinary text: a document that contains the text of a
/// special token gets that text's ordinary tokens, never the special id.
public struct TokenizeStage: BarrierStage {
    /// The tokenizer file; nil for the run folder's `tokenizer.json`.
    public let tokenizerPath: String?
    public let pattern: SplitPattern?
    public let endOfDocument: String
    public let shardTokens: Int
    public let frameTokens: Int
    public let level: Int32
    /// The shards' folder inside the run folder.
    public let output: String

    /// Documents encoded together, spread over the workers.
    static let batchDocuments = 512

    public static let definition = StageDefinition(
        type: "tokenize",
        summary: "Encode the documents with a tokenizer and write seekable zstd token shards and their manifest.",
        parameters: [
            Parameter("tokenizer", .path, "tokenizer.json or .tiktoken file; unset: the run's tokenizer.json, trained by a bpe_train stage before this one."),
            Parameter("pattern", .choice(SplitPattern.allCases.map(\.rawValue)), "Split pattern for a .tiktoken file without its sidecar."),
            Parameter("eod_token", .string, default: .string("<|endoftext|>"), "Special token appended after every document."),
            Parameter("shard_tokens", .integer(min: 1), default: .integer(ShardWriter.Options.defaultShardTokens), "Most tokens per shard."),
            Parameter("frame_tokens", .integer(min: 1, max: 1 << 28), default: .integer(ShardWriter.Options.defaultFrameTokens),
                      "Tokens per seekable zstd frame (what a random read decompresses)."),
            Parameter("level", .integer(min: 1, max: 22), default: .integer(Int(ShardWriter.Options.defaultLevel)), "zstd compression level."),
            Parameter("output", .string, default: .string("shards"), "Folder of the shards inside the run folder."),
        ]
    ) { options throws(OptionError) in
        let output = options.string("output") ?? "shards"
        guard !output.isEmpty, !output.contains("/"), output != ".", output != ".." else {
            throw OptionError(key: "output", "must be one folder name inside the run folder, got \"\(output)\"")
        }
        let pattern = options.string("pattern").flatMap(SplitPattern.init(rawValue:))
        let path = options.path("tokenizer")
        if let path {
            do {
                _ = try TokenizerFile.load(path, pattern: pattern)
            } catch {
                throw OptionError(key: "tokenizer", "\(path): \(error)")
            }
        }
        return TokenizeStage(
            tokenizerPath: path, pattern: pattern, endOfDocument: options.string("eod_token") ?? "<|endoftext|>",
            shardTokens: options.int("shard_tokens") ?? ShardWriter.Options.defaultShardTokens,
            frameTokens: options.int("frame_tokens") ?? ShardWriter.Options.defaultFrameTokens,
            level: Int32(options.int("level") ?? Int(ShardWriter.Options.defaultLevel)), output: output)
    }

    public func resolve(_ context: BarrierContext) throws {
        let path = tokenizerPath ?? context.runFolder + "/tokenizer.json"
        let tokenizer: Tokenizer
        do {
            tokenizer = try TokenizerFile.load(path, pattern: pattern)
        } catch {
            throw ShardError(path: path, tokenizerPath == nil
                ? "no tokenizer: give the tokenize stage a \"tokenizer\" file or put a bpe_train stage before it (\(error))"
                : "\(error)")
        }
        guard let eod = tokenizer.specialTokens[endOfDocument] else {
            throw ShardError(path: path, "the tokenizer has no special token \(endOfDocument) to end documents with; "
                + "name one of \(tokenizer.specialTokens.keys.sorted()) in \"eod_token\"")
        }
        let sha256 = try SHA256.hex(ofFile: path)
        let inRun = path.hasPrefix(context.runFolder + "/")
        let relative = inRun ? String(path.dropFirst(context.runFolder.count + 1)) : path
        let folder = context.runFolder + "/" + output
        if FileManager.default.fileExists(atPath: folder) { try FileManager.default.removeItem(atPath: folder) }
        let writer = try ShardWriter(directory: folder, options: ShardWriter.Options(
            vocabSize: tokenizer.vocabularySize, endOfDocument: eod, shardTokens: shardTokens, frameTokens: frameTokens,
            level: level, tokenizer: TokenizerReference(file: inRun ? "../" + relative : path, sha256: sha256)))

        var spans: [ShardSpan] = []
        var batch: [Document] = []
        var encodedBytes: Int64 = 0
        var encodedTokens: Int64 = 0
        func flush() throws {
            let tokens = Self.encode(batch, with: tokenizer, workers: context.workers)
            for (document, ids) in zip(batch, tokens) {
                encodedBytes += Int64(document.text.count)
                encodedTokens += Int64(ids.count)
                let span = try ids.withUnsafeBufferPointer { try writer.append(documentID: document.id, tokens: $0) }
                spans.append(ShardSpan(source: document.source, documentID: document.id, shard: span.shard,
                                       firstToken: Int64(span.firstToken), tokens: span.tokens))
            }
            batch.removeAll(keepingCapacity: true)
            if spans.count >= 8192 {
                try context.recordShards([], spans)
                spans.removeAll(keepingCapacity: true)
            }
        }
        for part in context.parts.indices {
            try context.forEachDocument(part) { document in
                batch.append(document)
                if batch.count == Self.batchDocuments { try flush() }
            }
        }
        try flush()
        let shards = try writer.finish()
        try context.recordShards(shards.enumerated().map { number, shard in
            ShardRecord(shard: number, file: output + "/" + shard.file, sha256: shard.sha256, tokens: shard.tokens,
                        documents: shard.documents, frames: shard.frames)
        }, spans)
        try context.recordTokenizer(TokenizerRecord(
            file: relative, sha256: sha256, vocabSize: tokenizer.vocabularySize, pattern: tokenizer.pattern.rawValue,
            trainedOnDocuments: nil, trainedOnBytes: nil, encodedBytes: encodedBytes, encodedTokens: encodedTokens))
        // The barrier's folder holds a copy of the manifest, so that a changed shard set is noticed on resume.
        try DurableFile.write(try readAll(folder + "/" + ShardManifest.fileName), to: context.folder + "/" + ShardManifest.fileName)
    }

    public func load(_ context: BarrierContext) throws -> any Stage { KeepEverything() }

    /// The tokens of each document, encoded on `workers` threads with an encoder each.
    static func encode(_ documents: [Document], with tokenizer: Tokenizer, workers: Int) -> [[UInt32]] {
        var results = [[UInt32]](repeating: [], count: documents.count)
        let threads = max(1, min(workers, documents.count))
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBuffer(out)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                var encoder = tokenizer.makeEncoder()
                for i in stride(from: worker, to: documents.count, by: threads) {
                    out.buffer[i] = encoder.encodeOrdinary(documents[i].text)
                }
            }
        }
        return results
    }

    private func readAll(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ShardError(path: path, "cannot read") }
        return Array(data)
    }

    /// The stage the phase after tokenizing applies: documents go on unchanged.
    struct KeepEverything: Stage {
        func process(_ document: inout Document) -> Verdict { .keep }
    }
}

/// A buffer that threads write disjoint elements of.
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
