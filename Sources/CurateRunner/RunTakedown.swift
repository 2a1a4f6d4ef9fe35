import CurateCore
import CurateIO
import CurateProvenance
import CurateShards
import Foundation

/// Removes documents from a run's shards at a site owner's request: the shards holding them
/// are written again without them as the shard set's next version, the takedown is recorded
/// in provenance, and every other shard keeps its bytes.
public struct RunTakedown {
    public let audit: RunAudit

    public init(audit: RunAudit) { self.audit = audit }

    /// What a takedown did.
    public struct Outcome: Sendable {
        public var id: Int64
        public var selector: TakedownSelector
        /// Every document the selector picked, in the shards or not.
        public var documents: [TakedownDocument]
        /// The shards folder, relative to the run folder; nil when the run wrote no shards.
        public var shardsFolder: String?
        /// The manifest's new version; nil when no shard held a picked document.
        public var manifestVersion: Int?
        public var rewrites: [ShardRemoval.Rewrite]
        /// Shards left as they were.
        public var unchangedShards: Int
    }

    /// Takes down the documents `selector` picks; throws when it picks none.
    public func perform(_ selector: TakedownSelector, registry: Registry = .standard) throws -> Outcome {
        let store = audit.store
        let documents = try store.takedownDocuments(selector)
        guard !documents.isEmpty else {
            throw RunError.unusable("no document of this run that is not already taken down matches \(selector.kind) \(selector.value)")
        }
        let records = try store.shardRecords()
        let folder = records.first.map { ($0.file as NSString).deletingLastPathComponent }
        let targets = documents.compactMap { document in
            document.shard.flatMap { shard in
                document.firstToken.map { ShardRemoval.Target(shard: shard, firstToken: $0, documentID: document.documentID) }
            }
        }
        var rewrites: [ShardRemoval.Rewrite] = []
        var version: Int?
        if !targets.isEmpty, let folder {
            let outcome = try ShardRemoval(directory: audit.folder + "/" + folder).remove(targets, level: shardLevel(registry))
            rewrites = outcome.rewrites
            version = outcome.version
        }
        func record(_ info: ShardInfo, shard: Int) -> ShardRecord {
            ShardRecord(shard: shard, file: (folder ?? "") + "/" + info.file, sha256: info.sha256, tokens: info.tokens,
                        documents: info.documents, frames: info.frames)
        }
        let id = try store.recordTakedown(
            selector, documents: documents,
            shards: rewrites.map { TakedownShard(before: record($0.before, shard: $0.shard), after: record($0.after, shard: $0.shard), moved: $0.moved) },
            manifestVersion: version)
        return Outcome(id: id, selector: selector, documents: documents, shardsFolder: folder, manifestVersion: version,
                       rewrites: rewrites, unchangedShards: records.count - rewrites.count)
    }

    /// The zstd level the run's tokenize stage wrote its shards with.
    private func shardLevel(_ registry: Registry) -> Int32 {
        guard let (json, base) = try? audit.store.latestPipeline(),
              let pipeline = try? PipelineDecoder(registry: registry, base: base).decode(Array(json.utf8), file: "pipeline.json")
        else { return ShardWriter.Options.defaultLevel }
        for step in pipeline.steps {
            if case let .barrier(barrier) = step.body, let tokenize = barrier as? TokenizeStage { return tokenize.level }
        }
        return ShardWriter.Options.defaultLevel
    }
}

extension RunTakedown.Outcome {
    /// What changed, for people.
    public var text: String {
        let removed = documents.filter { $0.shard != nil }
        let tokens = removed.reduce(0) { $0 + ($1.tokens ?? 0) }
        var lines = ["takedown \(id): \(selector.kind) \(selector.kind == "ids" ? "(\(Set(selector.value.split(separator: "\n")).count) ids)" : selector.value)",
                     "  \(documents.count) document\(documents.count == 1 ? "" : "s") matched: \(removed.count) in the shards "
                        + "(\(Format.count(tokens)) tokens removed), \(documents.count - removed.count) not in the shards"]
        if let version = manifestVersion, let folder = shardsFolder {
            lines.append("  \(folder)/\(ShardManifest.fileName) is now version \(version)")
        }
        for rewrite in rewrites {
            lines.append("  shard \(rewrite.shard): \(rewrite.before.file) -> \(rewrite.after.file), "
                + "\(rewrite.removedDocuments) document\(rewrite.removedDocuments == 1 ? "" : "s") and \(Format.count(rewrite.removedTokens)) tokens removed, "
                + "\(rewrite.after.documents) documents and \(Format.count(rewrite.after.tokens)) tokens left, sha256 \(rewrite.after.sha256)")
        }
        if shardsFolder != nil { lines.append("  \(unchangedShards) shard\(unchangedShards == 1 ? "" : "s") unchanged") }
        for document in documents {
            lines.append("  - \(document.documentID)" + (document.url.map { " \($0)" } ?? "")
                + (document.shard.map { " (shard \($0), \(document.tokens ?? 0) tokens)" } ?? " (not in the shards)"))
        }
        return lines.joined(separator: "\n")
    }

    /// What changed, for programs.
    public var json: String {
        JSONWriter.serialize(.object(JSONObject([
            ("takedown", .integer(Int(id))), ("selector", .string(selector.kind)), ("value", .string(selector.value)),
            ("documents", .array(documents.map { document in
                var pairs: [(key: String, value: JSONValue)] = [("id", .string(document.documentID))]
                if let url = document.url { pairs.append(("url", .string(url))) }
                pairs.append(("shard", document.shard.map(JSONValue.integer) ?? .null))
                pairs.append(("tokens", document.tokens.map(JSONValue.integer) ?? .null))
                return .object(JSONObject(pairs))
            })),
            ("manifest_version", manifestVersion.map(JSONValue.integer) ?? .null),
            ("rewritten", .array(rewrites.map { rewrite in
                .object(JSONObject([
                    ("shard", .integer(rewrite.shard)), ("file_before", .string(rewrite.before.file)),
                    ("sha256_before", .string(rewrite.before.sha256)), ("file", .string(rewrite.after.file)),
                    ("sha256", .string(rewrite.after.sha256)), ("removed_documents", .integer(rewrite.removedDocuments)),
                    ("removed_tokens", .integer(rewrite.removedTokens)), ("documents", .integer(rewrite.after.documents)),
                    ("tokens", .integer(rewrite.after.tokens)),
                ]))
            })),
            ("unchanged_shards", .integer(unchangedShards)),
        ])))
    }
}
