import CurateCore
import CurateIO
import CurateProvenance
import CurateShards
import Foundation

/// Recomputes the sha256 of a run's shard files and tokenizer and compares them with the
/// shards' manifest and the provenance database, which must also agree on every count.
public struct RunVerification {
    public let audit: RunAudit

    public init(audit: RunAudit) { self.audit = audit }

    /// What was checked and what disagreed.
    public struct Report: Sendable {
        public var shards = 0
        public var tokens = 0
        public var files = 0
        /// Each problem names the file or record at fault.
        public var problems: [String] = []
    }

    public func verify() throws -> Report {
        var report = Report()
        let records = try audit.store.shardRecords()
        guard let first = records.first else {
            report.problems.append("\(audit.folder): the run recorded no shards")
            return report
        }
        let folder = (first.file as NSString).deletingLastPathComponent
        let directory = audit.folder + "/" + folder
        let manifestPath = directory + "/" + ShardManifest.fileName
        let manifest: ShardManifest
        do throws(ShardError) {
            manifest = try ShardManifest.decode(try ShardSet.readFile(manifestPath), path: manifestPath)
        } catch {
            report.problems.append(error.description)
            return report
        }
        if manifest.shards.count != records.count {
            report.problems.append("\(manifestPath) lists \(manifest.shards.count) shards, provenance \(records.count)")
        }
        for (number, info) in manifest.shards.enumerated() {
            report.shards += 1
            report.tokens += info.tokens
            let tokenSHA = check(directory + "/" + info.file, expected: info.sha256, into: &report)
            _ = check(directory + "/" + info.docsFile, expected: info.docsSHA256, into: &report)
            guard let record = records.first(where: { $0.shard == number }) else {
                report.problems.append("shard \(number) (\(folder)/\(info.file)) is in the manifest but not in provenance")
                continue
            }
            if record.file != folder + "/" + info.file {
                report.problems.append("shard \(number): the manifest names \(folder)/\(info.file), provenance \(record.file)")
            }
            if let tokenSHA, tokenSHA != record.sha256 {
                report.problems.append("\(folder)/\(info.file): sha256 \(tokenSHA) does not match provenance's \(record.sha256)")
            }
            if (record.tokens, record.documents, record.frames) != (info.tokens, info.documents, info.frames) {
                report.problems.append("shard \(number): provenance has \(record.tokens) tokens, \(record.documents) documents, "
                    + "\(record.frames) frames; the manifest \(info.tokens), \(info.documents), \(info.frames)")
            }
        }
        if let tokenizer = manifest.tokenizer {
            let path = tokenizer.file.hasPrefix("/") ? tokenizer.file : directory + "/" + tokenizer.file
            if let sha = check(path, expected: tokenizer.sha256, into: &report),
               let recorded = try audit.store.tokenizerRecords().last, recorded.sha256 != sha {
                report.problems.append("\(path): sha256 \(sha) does not match provenance's \(recorded.sha256) (\(recorded.file))")
            }
        }
        return report
    }

    /// The sha256 of the file at `path` if it could be read, with a problem when it is not the
    /// manifest's `expected`.
    private func check(_ path: String, expected: String, into report: inout Report) -> String? {
        report.files += 1
        do {
            let sha = try SHA256.hex(ofFile: path)
            if sha != expected { report.problems.append("\(path): sha256 \(sha) does not match the manifest's \(expected)") }
            return sha
        } catch {
            report.problems.append("\(path): \(error.message)")
            return nil
        }
    }
}

extension RunVerification.Report {
    public var text: String {
        let head = "\(shards) shard\(shards == 1 ? "" : "s"), \(Format.count(tokens)) tokens, \(files) files hashed: "
        return problems.isEmpty ? head + "all match the manifest and provenance"
            : head + "\(problems.count) problem\(problems.count == 1 ? "" : "s")\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    }

    public var json: String {
        JSONWriter.serialize(.object(JSONObject([
            ("ok", .bool(problems.isEmpty)), ("shards", .integer(shards)), ("tokens", .integer(tokens)), ("files", .integer(files)),
            ("problems", .array(problems.map(JSONValue.string))),
        ])))
    }
}
