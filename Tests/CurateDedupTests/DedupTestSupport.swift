import CurateCore
import Foundation
import Testing
@testable import CurateDedup

/// The documents of Tests/Fixtures/dedup/corpus.jsonl, each with its line's byte offset.
func corpus() throws -> [Document] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/dedup/corpus.jsonl")
    let bytes = Array(try Data(contentsOf: url))
    var documents: [Document] = []
    var start = 0
    for (i, byte) in bytes.enumerated() where byte == 0x0A {
        let line = Array(bytes[start..<i])
        guard case let .object(object) = try JSONParser.parse(line),
              case let .string(id)? = object["id"], case let .string(text)? = object["text"] else {
            throw TestFailure("bad fixture line at \(start)")
        }
        documents.append(Document(
            id: id, text: Array(text.utf8),
            source: SourceRef(input: "corpus.jsonl", offset: Int64(start), line: Int64(documents.count + 1))))
        start = i + 1
    }
    return documents
}

/// `documents` `rounds` times over, each round as if read from its own input (`copy-N.jsonl`).
func copies(of documents: [Document], rounds: Int) -> [Document] {
    (0..<rounds).flatMap { round in
        documents.map { d in
            var d = d
            d.source = SourceRef(input: "copy-\(round).jsonl", offset: d.source.offset)
            return d
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A barrier run over in-memory parts in a fresh temporary folder.
final class BarrierHarness: Sendable {
    let folder: String
    let parts: [[Document]]
    let clusters = LockedClusters()

    init(parts: [[Document]]) throws {
        folder = NSTemporaryDirectory() + "curate-dedup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.parts = parts
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func context(workers: Int) -> BarrierContext {
        let parts = self.parts
        let clusters = self.clusters
        return BarrierContext(
            stepName: "dedup", folder: folder, runFolder: folder,
            parts: parts.indices.map { "part-\($0).jsonl" }, workers: workers,
            forEachDocument: { index, body in
                for var document in parts[index] { try body(&document) }
            },
            recordClusters: { members in clusters.append(members) })
    }

    /// Resolves `barrier`, loads its stage and applies it to every document: the drops as
    /// (dropped id, kept id, metrics), in plan order.
    func run(_ barrier: any BarrierStage, workers: Int = 1) throws -> [Drop] {
        let context = context(workers: workers)
        try barrier.resolve(context)
        let stage = try barrier.load(context)
        var drops: [Drop] = []
        for part in parts {
            for var document in part {
                if case let .drop(reason, metrics, detail) = stage.process(&document) {
                    drops.append(Drop(id: document.id, line: document.source.line ?? 0, reason: reason,
                                      kept: detail ?? "", metrics: metrics))
                }
            }
        }
        return drops
    }

    func stats() throws -> DedupStats { try DedupStats.load(folder: folder) }
}

struct Drop: Equatable, CustomStringConvertible {
    var id: String
    var line: Int64
    var reason: String
    var kept: String
    var metrics: [Metric]

    var description: String { "\(id)@\(line) -> \(kept) \(metrics.map { "\($0.name)=\($0.value)" })" }
}

final class LockedClusters: @unchecked Sendable {
    private let lock = NSLock()
    private var members: [ClusterMember] = []

    func append(_ new: [ClusterMember]) {
        lock.lock()
        members += new
        lock.unlock()
    }

    var all: [ClusterMember] {
        lock.lock()
        defer { lock.unlock() }
        return members
    }
}

/// `documents` cut into `count` parts of nearly equal size, in order.
func split(_ documents: [Document], into count: Int) -> [[Document]] {
    (0..<count).map { k in Array(documents[(k * documents.count / count)..<((k + 1) * documents.count / count)]) }
}
