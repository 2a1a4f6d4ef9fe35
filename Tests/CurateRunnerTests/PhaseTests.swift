import CurateCore
import CurateIO
import CurateProvenance
import CurateRunner
import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A barrier for these tests: drops documents whose text an earlier document (in plan
/// order) already had, through a file of `input<TAB>offset<TAB>kept id` lines.
private struct ExactTextBarrier: BarrierStage {
    static let resolutions = Locked(0)

    func resolve(_ context: BarrierContext) throws {
        Self.resolutions.withLock { $0 += 1 }
        var first: [[UInt8]: String] = [:]
        var lines = ""
        var members: [ClusterMember] = []
        for part in context.parts.indices {
            try context.forEachDocument(part) { document in
                if let kept = first[document.text] {
                    lines += "\(document.source.input)\t\(document.source.offset)\t\(kept)\n"
                    members.append(ClusterMember(documentID: document.id, keptID: kept, estimatedJaccard: 1, exactJaccard: 1))
                } else {
                    first[document.text] = document.id
                }
            }
        }
        try lines.write(toFile: context.folder + "/drops.tsv", atomically: true, encoding: .utf8)
        try context.recordClusters(members)
    }

    func load(_ context: BarrierContext) throws -> any Stage {
        var drops: [String: String] = [:]
        for line in try String(contentsOfFile: context.folder + "/drops.tsv", encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            drops[fields[0] + "@" + fields[1]] = fields[2]
        }
        return DropListed(drops: drops)
    }

    struct DropListed: Stage {
        let drops: [String: String]
        func process(_ document: inout Document) -> Verdict {
            guard let kept = drops[document.source.input + "@" + String(document.source.offset)] else { return .keep }
            return .drop(reason: "duplicate", metrics: [], detail: kept)
        }
    }
}

/// A lock around a value, for counting calls across threads.
private final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

private let registry = Registry(
    stages: Registry.standard.stages + [
        StageDefinition(type: "exact_text", summary: "Drop repeated texts (test barrier).", parameters: []) { _ throws(OptionError) in
            ExactTextBarrier()
        },
    ],
    inputFormats: Registry.standard.inputFormats)

@Suite(.serialized) struct PhaseTests {
    /// Eight inaugural addresses in `a/`, and copies of three of them in `b/`.
    private func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "curate-phases-\(UUID().uuidString)"
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: folder + "/b", withIntermediateDirectories: true)
        let sample = root + "/samples/inaugural"
        for name in try manager.contentsOfDirectory(atPath: sample) {
            try manager.copyItem(atPath: sample + "/" + name, toPath: folder + "/a/" + name)
        }
        for name in ["1789-Washington.txt", "1865-Lincoln.txt", "2021-Biden.txt"] {
            try manager.copyItem(atPath: sample + "/" + name, toPath: folder + "/b/copy-" + name)
        }
        return folder
    }

    private func pipeline(in folder: String, stages: String) throws -> String {
        let path = folder + "/pipeline.json"
        try """
            {"name": "phases", "inputs": [{"format": "text", "paths": ["a"]}, {"format": "text", "paths": ["b"]}],
             "stages": \(stages), "output": "run"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aBarrierSplitsTheRunIntoPhasesAndItsDropsReachProvenance() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try pipeline(in: folder, stages: #"[{"type": "normalize"}, {"type": "exact_text", "name": "dupes"}, {"type": "length", "min_words": 700}]"#)
        let (_, plan, _) = try Runner.prepare(path, registry: registry)
        #expect(plan.phases == [.stream(steps: 0..<1), .barrier(step: 1), .stream(steps: 1..<3)])
        #expect(plan.tasks.map(\.phase) == [0, 0, 1, 2, 2])

        var options = RunOptions(pipelinePath: path)
        options.workers = 2
        let report = try Runner.run(options, registry: registry)
        let s = report.summary
        #expect((s.docsIn, s.docsKept, report.tasksRun) == (11, 7, 5))
        #expect(s.stages.map { [$0.position, $0.docsIn, $0.docsOut] } == [[0, 11, 11], [1, 11, 8], [2, 8, 7]])
        #expect(s.stages[1].drops == [RunSummary.Drop(reason: "duplicate", documents: 3)])
        #expect(s.stages[2].drops == [RunSummary.Drop(reason: "too_few_words", documents: 1)])

        let store = try ProvenanceStore(path: folder + "/run/provenance.sqlite")
        let dropped = try store.query("""
            SELECT d.doc_id, d.status, d.dropped_by, d.reason, d.detail, d.decided_in_task FROM documents d
            WHERE d.status != 'kept' ORDER BY d.doc_id
            """)
        #expect(dropped == [
            ["a/1865-Lincoln.txt", "dropped", "length", "too_few_words", nil, "3"],
            ["b/copy-1789-Washington.txt", "dropped", "dupes", "duplicate", "a/1789-Washington.txt", "4"],
            ["b/copy-1865-Lincoln.txt", "dropped", "dupes", "duplicate", "a/1865-Lincoln.txt", "4"],
            ["b/copy-2021-Biden.txt", "dropped", "dupes", "duplicate", "a/2021-Biden.txt", "4"],
        ])
        #expect(try store.query("SELECT stage, doc_id, kept_doc_id FROM dedup_clusters ORDER BY doc_id") == [
            ["dupes", "b/copy-1789-Washington.txt", "a/1789-Washington.txt"],
            ["dupes", "b/copy-1865-Lincoln.txt", "a/1865-Lincoln.txt"],
            ["dupes", "b/copy-2021-Biden.txt", "a/2021-Biden.txt"],
        ])
        #expect(try store.query("SELECT COUNT(*) FROM documents") == [["11"]])
        let final = try FileManager.default.contentsOfDirectory(atPath: folder + "/run/docs").sorted()
        #expect(final == ["part-00000.jsonl.zst", "part-00001.jsonl.zst"])
    }

    @Test func aResumedRunSkipsTheResolvedBarrierAndRedoesWhatFollowsAChangedPhase() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try pipeline(in: folder, stages: #"[{"type": "exact_text"}]"#)
        let before = ExactTextBarrier.resolutions.withLock { $0 }
        let first = try Runner.run(RunOptions(pipelinePath: path), registry: registry)
        #expect((first.summary.docsIn, first.summary.docsKept, first.tasksRun) == (11, 8, 5))
        let again = try Runner.run(RunOptions(pipelinePath: path), registry: registry)
        #expect((again.summary.docsKept, again.tasksRun) == (8, 0))
        #expect(ExactTextBarrier.resolutions.withLock { $0 } == before + 1)

        // A damaged part of the first phase is redone, and so is everything after it.
        try Data("damaged".utf8).write(to: URL(fileURLWithPath: folder + "/run/work/phase-0/part-00001.jsonl.zst"))
        let repaired = try Runner.run(RunOptions(pipelinePath: path), registry: registry)
        #expect((repaired.summary.docsIn, repaired.summary.docsKept, repaired.tasksRun) == (11, 8, 4))
        #expect(ExactTextBarrier.resolutions.withLock { $0 } == before + 2)
        let store = try ProvenanceStore(path: folder + "/run/provenance.sqlite")
        #expect(try store.query("SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status") == [["dropped", "3"], ["kept", "8"]])
        #expect(try store.query("SELECT COUNT(*) FROM dedup_clusters") == [["3"]])
    }
}

/// Term groups for the audit test: "god" for texts holding `God`, "war" for ` war`.
private struct SubstringAuditor: TermGroupAuditor {
    let groupNames = ["god", "war"]
    private let needles = [Array("God".utf8), Array(" war".utf8)]

    func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var mask: UInt64 = 0
        for (bit, needle) in needles.enumerated() {
            let found = text.indices.dropLast(needle.count - 1).contains { start in
                needle.indices.allSatisfy { text[start + $0] == needle[$0] }
            }
            if found { mask |= 1 << bit }
        }
        return mask
    }

    func process(_ document: inout Document) -> Verdict { .keep }
}

@Suite struct TermGroupAuditTests {
    @Test func countsDocumentsMentioningEachGroupThatEachStageDropped() throws {
        let folder = NSTemporaryDirectory() + "curate-audit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            {"name": "audit", "inputs": [{"format": "text", "paths": ["\(root)/samples/inaugural"]}],
             "stages": [{"type": "audit_test"}, {"type": "length", "min_words": 1500}], "output": "run"}
            """.write(toFile: folder + "/pipeline.json", atomically: true, encoding: .utf8)
        let registry = Registry(
            stages: Registry.standard.stages + [
                StageDefinition(type: "audit_test", summary: "Test term groups.", parameters: []) { _ throws(OptionError) in
                    SubstringAuditor()
                },
            ],
            inputFormats: Registry.standard.inputFormats)
        let report = try Runner.run(RunOptions(pipelinePath: folder + "/pipeline.json"), registry: registry)
        let groups = report.summary.stages.map { $0.groups.map { [$0.name, "\($0.docsIn)", "\($0.dropped)"] } }
        #expect(groups == [[["god", "5", "0"], ["war", "7", "0"]], [["god", "5", "2"], ["war", "7", "2"]]])
        #expect(report.termGroupLines() == [
            "", "term groups: share of the documents mentioning each group that a stage dropped",
            "  length: all 37.5%; god 40.0% (2/5), war 28.6% (2/7)",
        ])
    }
}
