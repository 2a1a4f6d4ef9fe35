import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// Answers questions about a finished (or interrupted) run from its provenance database:
/// what `curate audit` prints, as text for people and JSON for programs.
public struct RunAudit {
    public let folder: String
    public let store: ProvenanceStore

    /// Opens the run folder `folder`; of the run's results it changes nothing (it may add an index).
    public init(folder: String) throws(RunError) {
        let path = folder + "/" + Runner.databaseName
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unusable("\(folder) is not a run folder: it has no \(Runner.databaseName)")
        }
        do {
            store = try ProvenanceStore(path: path)
            try store.prepareForAudits()
        } catch {
            throw .unusable("cannot open \(path): \(error)")
        }
        self.folder = folder
    }

    /// The funnel, drops per reason, term groups and shards.
    public func summary(json: Bool) throws -> String {
        let summary = try store.summary()
        let name = try store.latestPipelineName() ?? "?"
        let inputs = Int(try store.query("SELECT COUNT(*) FROM inputs").first?[0] ?? "0") ?? 0
        let report = RunReport(
            pipelineName: name, outputFolder: folder, inputs: inputs, tasks: summary.tasksTotal, tasksRun: 0,
            workers: 0, seconds: 0, summary: summary)
        let shards = try store.shardRecords()
        if json {
            guard case var .object(object) = try JSONParser.parse(Array(report.json().utf8)) else { return report.json() }
            object["shards"] = .array(shards.map { shard in
                .object(JSONObject([("shard", .integer(shard.shard)), ("file", .string(shard.file)),
                                    ("tokens", .integer(shard.tokens)), ("documents", .integer(shard.documents))]))
            })
            return JSONWriter.serialize(.object(object))
        }
        var lines = report.table().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeFirst()
        lines.insert("run \(folder): pipeline \(name), \(inputs) input file\(inputs == 1 ? "" : "s"), "
            + "\(summary.tasksDone) of \(summary.tasksTotal) tasks done", at: 0)
        if !shards.isEmpty {
            lines.append("shards: " + shards.map { "\($0.file) \(Format.count($0.tokens)) tokens, \($0.documents) documents" }
                .joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// The full path of each document: its record, the stages it passed, why it left, its
    /// dedup cluster and its tokens.
    public func describe(_ documents: [DocumentLineage], json: Bool) throws -> String {
        let stages = try store.stagePositions()
        if json { return documents.map { JSONWriter.serialize(Self.json($0)) }.joined(separator: "\n") }
        return documents.map { doc in
            var lines = ["document \(doc.docID)",
                         "  record: \(doc.input) at byte \(doc.offset)" + (doc.line.map { " (line \($0))" } ?? "")]
            if let url = doc.url { lines.append("  url: \(url)") }
            for stage in stages {
                if doc.status != "kept", stage.stage == doc.droppedBy {
                    lines.append("  \(stage.stage): dropped, \(doc.reason ?? "?")" + (doc.metrics.map { " \($0)" } ?? "")
                        + (doc.duplicateOf.map { ", duplicate of \($0)" } ?? doc.detail.map { " (\($0))" } ?? ""))
                    break
                }
                lines.append("  \(stage.stage): passed")
            }
            if doc.status == "error" {
                lines.append("  reader: unreadable, \(doc.reason ?? "?")" + (doc.detail.map { ": \($0)" } ?? ""))
            }
            if doc.status == "kept" { lines.append("  kept") }
            if let shard = doc.shard, let first = doc.firstToken, let tokens = doc.tokens {
                lines.append("  tokens: shard \(shard), positions \(first)..<\(first + Int64(tokens))")
            }
            if let takedown = doc.takedown { lines.append("  taken down by takedown \(takedown)") }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// Sampled documents `stage` dropped, with the start of the text the stage saw.
    public func drops(stage: String, reason: String?, sample: Int, json: Bool) throws -> String {
        let stages = try store.stagePositions().map(\.stage)
        guard stages.contains(stage) else {
            throw RunError.unusable("no stage \"\(stage)\" in this run" + Suggestion.didYouMean(stage, among: stages)
                + " (stages: \(stages.joined(separator: ", ")))")
        }
        let (total, documents) = try store.droppedDocuments(stage: stage, reason: reason, limit: sample)
        let texts = try SourceLookup(runFolder: folder, store: store).texts(of: documents, before: stage)
        if json {
            return zip(documents, texts).map { doc, text in
                guard case var .object(object) = Self.json(doc) else { return "" }
                object["snippet"] = text.map { .string(Self.snippet($0)) } ?? .null
                return JSONWriter.serialize(.object(object))
            }.joined(separator: "\n")
        }
        var lines = ["\(stage) dropped \(Format.count(total)) document\(total == 1 ? "" : "s")"
            + (reason.map { " for \($0)" } ?? "") + "; \(documents.count) shown"]
        for (doc, text) in zip(documents, texts) {
            lines.append("")
            lines.append("\(doc.docID)  \(doc.reason ?? "")  \(doc.metrics ?? "")")
            lines.append("  \(doc.input) at byte \(doc.offset)" + (doc.url.map { "  \($0)" } ?? ""))
            lines.append("  " + (text.map(Self.snippet) ?? "(the record cannot be read again)"))
        }
        return lines.joined(separator: "\n")
    }

    /// What a domain contributed.
    public func domain(_ name: String, json: Bool) throws -> String {
        guard let report = try store.domainReport(name) else {
            throw RunError.unusable("no document of this run came from \(name.lowercased())")
        }
        if json {
            return JSONWriter.serialize(.object(JSONObject([
                ("domain", .string(report.domain)), ("documents", .integer(report.documents)), ("kept", .integer(report.kept)),
                ("dropped", .integer(report.dropped)), ("unreadable", .integer(report.unreadable)),
                ("taken_down", .integer(report.takenDown)),
                ("tokens", .integer(report.tokens)), ("shards", .array(report.shards.map(JSONValue.integer))),
            ])))
        }
        return "\(report.domain): \(report.documents) documents, \(report.kept) kept, \(report.dropped) dropped, "
            + "\(report.unreadable) unreadable" + (report.takenDown > 0 ? ", \(report.takenDown) taken down" : "")
            + "; \(Format.count(report.tokens)) tokens in "
            + (report.shards.isEmpty ? "no shard" : "shards " + report.shards.map(String.init).joined(separator: ", "))
    }

    /// The first 240 characters of `text` with white space collapsed.
    static func snippet(_ text: String) -> String {
        var snippet = ""
        var count = 0
        var spaced = false
        for character in text {
            if character.isWhitespace {
                spaced = count > 0
                continue
            }
            if spaced {
                snippet.append(" ")
                count += 1
                spaced = false
            }
            snippet.append(character)
            count += 1
            // Only the first 240 characters are shown: the rest of a long text is not looked at.
            if count > 240 { return String(snippet.prefix(240)) + "…" }
        }
        return snippet
    }

    static func json(_ doc: DocumentLineage) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(doc.docID)), ("input", .string(doc.input)), ("offset", .number(String(doc.offset))),
        ]
        func add(_ key: String, _ value: JSONValue?) { if let value { pairs.append((key, value)) } }
        add("line", doc.line.map { .number(String($0)) })
        add("url", doc.url.map(JSONValue.string))
        add("domain", doc.domain.map(JSONValue.string))
        pairs.append(("status", .string(doc.status)))
        add("dropped_by", doc.droppedBy.map(JSONValue.string))
        add("reason", doc.reason.map(JSONValue.string))
        add("metrics", doc.metrics.flatMap { try? JSONParser.parse(Array($0.utf8)) })
        add("detail", doc.detail.map(JSONValue.string))
        add("duplicate_of", doc.duplicateOf.map(JSONValue.string))
        add("shard", doc.shard.map(JSONValue.integer))
        add("first_token", doc.firstToken.map { .number(String($0)) })
        add("tokens", doc.tokens.map(JSONValue.integer))
        add("takedown", doc.takedown.map { .number(String($0)) })
        return .object(JSONObject(pairs))
    }
}
