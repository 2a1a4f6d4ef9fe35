import ArgumentParser
import CurateCore
import CurateIO
import CurateShards
import CurateTokenizer
import Foundation

struct Shards: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, verify and export token shards.",
        discussion: """
            A shards folder holds manifest.json, shard-NNNNN.tok.zst (token ids in the Zstandard \
            seekable format; plain `zstd -d` gives the raw little-endian array) and shard-NNNNN.docs \
            (where each document starts, and its id). The format is described in schemas/shards.md.
            """,
        subcommands: [ShardsInspect.self, ShardsVerify.self, ShardsExport.self, ShardsWrite.self, ShardsBench.self])
}

/// Prints `error` on stderr and returns exit status 1.
private func failure(_ error: ShardError) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
    return ExitCode(1)
}

struct ShardsInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a shards folder, or print one document's token ids.",
        discussion: """
            Without options: the manifest's fields and a line per shard (tokens, documents, frames, \
            compressed bytes per token). --doc ID or --at SHARD:TOKEN print the document (its id, shard, \
            global token range and token ids, the end-of-document id last), and its text decoded with the \
            tokenizer the manifest names (or --tokenizer).
            """)

    @Argument(help: "The shards folder.", completion: .directory)
    var directory: String

    @Option(help: "Print the document with this id.")
    var doc: String?

    @Option(help: "Print the document holding token TOKEN of shard SHARD (both from 0).")
    var at: String?

    @Option(help: "Decode with this tokenizer instead of the one the manifest names.")
    var tokenizer: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        do {
            let set = try ShardSet(directory: directory)
            let decoder = (tokenizer ?? set.manifest.tokenizer.map { $0.file.hasPrefix("/") ? $0.file : directory + "/" + $0.file })
                .flatMap { try? TokenizerFile.load($0) }
            if let doc {
                guard let place = try set.document(id: doc) else { throw ShardError(path: directory, "no document with id \(doc)") }
                try printDocument(place, set, decoder)
            } else if let at {
                let parts = at.split(separator: ":")
                guard parts.count == 2, let shard = Int(parts[0]), let token = Int(parts[1]), shard >= 0, token >= 0 else {
                    throw ValidationError("--at takes SHARD:TOKEN, two numbers, such as 0:1234")
                }
                guard shard < set.shards.count else { throw ShardError(path: directory, "shard \(shard) does not exist (the set has \(set.shards.count))") }
                guard token < set.shards[shard].tokenCount else {
                    throw ShardError(path: set.shards[shard].path, "token \(token) is past the shard's \(set.shards[shard].tokenCount) tokens")
                }
                try printDocument(try set.document(at: set.shardStarts[shard] + token), set, decoder)
            } else {
                summary(set)
            }
        } catch let error as ShardError {
            throw failure(error)
        }
    }

    /// Prints a document's place and ids, and its text when `decoder` is given.
    private func printDocument(_ place: ShardSet.DocumentLocation, _ set: ShardSet, _ decoder: Tokenizer?) throws {
        let ids = try set.tokens(place.tokens)
        let shardStart = set.shardStarts[place.shard]
        let text = decoder.flatMap { try? $0.decode(Array(ids.dropLast())) }
        if json {
            var fields: [(String, JSONValue)] = [
                ("id", .string(place.id)), ("shard", .integer(place.shard)), ("index", .integer(place.index)),
                ("start", .integer(place.tokens.lowerBound - shardStart)), ("end", .integer(place.tokens.upperBound - shardStart)),
                ("ids", .array(ids.map { .integer(Int($0)) })),
            ]
            if let text { fields.append(("text", .string(text))) }
            print(JSONWriter.serialize(.object(JSONObject(fields))))
        } else {
            print("document \(place.id): shard \(place.shard), document \(place.index), tokens \(place.tokens.lowerBound - shardStart)..<\(place.tokens.upperBound - shardStart) of the shard (\(place.tokens.count) tokens)")
            print(ids.map(String.init).joined(separator: " "))
            if let text { print(text) }
        }
    }

    private func summary(_ set: ShardSet) {
        let m = set.manifest
        var compressed = 0
        var lines: [String] = []
        for (s, info) in m.shards.enumerated() {
            let size = Int(set.shards[s].fileSize)
            compressed += size
            lines.append("  \(info.file): \(info.tokens) tokens, \(info.documents) documents, \(info.frames) frames, \(size) bytes (\(String(format: "%.3f", Double(size) / Double(max(1, info.tokens)))) bytes/token)")
        }
        print("shards: \(set.directory)")
        print("format: \(ShardManifest.formatName) \(ShardManifest.formatVersion), dtype \(m.dtype.rawValue), vocab_size \(m.vocabSize), eod_id \(m.eodID), frame_tokens \(m.frameTokens)")
        print("tokenizer: \(m.tokenizer.map { "\($0.file) (sha256 \($0.sha256))" } ?? "none recorded")")
        print("\(m.tokens) tokens, \(m.documents) documents, \(m.shards.count) shard\(m.shards.count == 1 ? "" : "s"), \(compressed) bytes compressed (\(String(format: "%.3f", Double(compressed) / Double(max(1, m.tokens)))) bytes/token, raw \(m.dtype.width))")
        lines.forEach { print($0) }
    }
}

struct ShardsVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every byte of a shards folder against its manifest.",
        discussion: """
            Checks the manifest, the tokenizer's sha256, each shard's seek table, every frame (zstd \
            framing, sizes, XXH64 checksum), every token id, the .docs index (each document ends with the \
            end-of-document id, which occurs nowhere else) and each file's sha256. Prints every problem \
            with its file and byte offset; exit status 1 if there is any.
            """)

    @Argument(help: "The shards folder.", completion: .directory)
    var directory: String

    func run() throws {
        let report = ShardVerifier(directory: directory).verify()
        for problem in report.problems {
            FileHandle.standardError.write(Data("error: \(problem.description)\n".utf8))
        }
        if !report.problems.isEmpty { throw ExitCode(1) }
        print("ok: \(report.shards) shard\(report.shards == 1 ? "" : "s"), \(report.tokens) tokens, \(report.documents) documents, \(report.frames) frames")
    }
}

struct ShardsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the shards in another trainer's format, one output per shard.",
        discussion: """
            llmc: OUT/shard-NNNNN.bin for llm.c / nanoGPT (256 int32 header, then the ids). megatron: \
            OUT/shard-NNNNN.bin and .idx, a Megatron-LM indexed dataset with one sequence per document. \
            npy: OUT/shard-NNNNN.npy.
            """)

    @Argument(help: "The shards folder.", completion: .directory)
    var directory: String

    @Option(help: "llmc, megatron or npy.")
    var format: String

    @Option(name: .shortAndLong, help: "The folder to write into (created if missing).", completion: .directory)
    var output: String

    func run() throws {
        guard let format = ExportFormat(rawValue: format) else {
            throw ValidationError("--format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            let files = try ShardExporter(set: try ShardSet(directory: directory)).export(format, to: output)
            files.forEach { print($0) }
        } catch {
            throw failure(error)
        }
    }
}

struct ShardsWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write shards from token ids (JSONL lines {\"id\": ..., \"ids\": [...]}), without a tokenizer.",
        shouldDisplay: false)

    @Option(help: "Vocabulary size: ids are below it.")
    var vocabSize: Int

    @Option(help: "The end-of-document id appended to each document.")
    var eod: UInt32

    @Option(help: "JSONL file of documents' ids.", completion: .file())
    var input: String

    @Option(name: .shortAndLong, help: "The shards folder.", completion: .directory)
    var output: String

    @Option(help: "Most tokens per shard.")
    var shardTokens = ShardWriter.Options.defaultShardTokens

    @Option(help: "Tokens per seekable frame.")
    var frameTokens = ShardWriter.Options.defaultFrameTokens

    @Option(help: "zstd level.")
    var level = ShardWriter.Options.defaultLevel

    @Option(help: "A tokenizer file to record in the manifest (its sha256 is computed).", completion: .file())
    var tokenizer: String?

    @Flag(help: "Print {\"tokens\", \"documents\", \"write_seconds\"} on stderr: time in the shard writer alone.")
    var stats = false

    func run() throws {
        do {
            var reference: TokenizerReference?
            if let tokenizer { reference = TokenizerReference(file: tokenizer, sha256: try SHA256.hex(ofFile: tokenizer)) }
            let writer = try ShardWriter(directory: output, options: .init(
                vocabSize: vocabSize, endOfDocument: eod, shardTokens: shardTokens, frameTokens: frameTokens, level: level, tokenizer: reference))
            let lines = LineReader(try FileReader(path: input))
            var writing: Duration = .zero
            var tokens = 0
            var documents = 0
            let clock = ContinuousClock()
            var ids: [UInt32] = []
            while let line = try lines.next() {
                if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let id = try decode(line, into: &ids)
                let started = clock.now
                _ = try ids.withUnsafeBufferPointer { try writer.append(documentID: id, tokens: $0) }
                writing += clock.now - started
                tokens += ids.count + 1
                documents += 1
            }
            let started = clock.now
            try writer.finish()
            writing += clock.now - started
            if stats {
                let seconds = Double(writing.components.seconds) + Double(writing.components.attoseconds) / 1e18
                FileHandle.standardError.write(Data("{\"tokens\": \(tokens), \"documents\": \(documents), \"write_seconds\": \(seconds)}\n".utf8))
            }
        } catch let error as ShardError {
            throw failure(error)
        } catch let error as IOError {
            throw failure(ShardError(path: error.path, offset: error.offset, error.message))
        }
    }

    /// Reads one line's "id" (a string) and "ids" (an array of integers); other fields are ignored.
    private func decode(_ line: LineReader.Line, into ids: inout [UInt32]) throws(ShardError) -> String {
        func bad(_ message: String) -> ShardError { ShardError(path: input, offset: line.offset, "line \(line.number): \(message)") }
        let value: JSONValue
        do { value = try JSONParser.parse(line.bytes) } catch {
            throw ShardError(path: input, offset: line.offset + Int64(error.offset), "line \(line.number): invalid JSON: \(error.message)")
        }
        guard case let .object(object) = value else { throw bad("is not a JSON object") }
        guard case let .string(id)? = object["id"] else { throw bad("has no string \"id\"") }
        guard case let .array(values)? = object["ids"] else { throw bad("has no array \"ids\"") }
        ids.removeAll(keepingCapacity: true)
        for (i, element) in values.enumerated() {
            guard case let .number(text) = element, let n = UInt32(text) else { throw bad("ids[\(i)] is not a token id") }
            ids.append(n)
        }
        return id
    }
}
