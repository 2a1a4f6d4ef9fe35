import CurateProvenance
import Foundation
import Testing

@Suite struct ProvenanceStoreTests {
    let folder = NSTemporaryDirectory() + "curate-prov-\(UUID().uuidString)"

    init() throws { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

    private let inputs = [
        InputRegistration(path: "a.jsonl", format: "jsonl", size: 10, sha256: "aa"),
        InputRegistration(path: "b.jsonl", format: "jsonl", size: 20, sha256: "bb"),
    ]
    private let tasks = [TaskPlan(id: 0, phase: 0, inputs: [0]), TaskPlan(id: 1, phase: 0, inputs: [1])]

    @Test func migratesOnceAndUsesWAL() throws {
        let path = folder + "/p.sqlite"
        _ = try ProvenanceStore(path: path)
        let store = try ProvenanceStore(path: path)
        #expect(try store.query("SELECT position, name FROM schema_migrations") == [
            ["0", "v1-runs-inputs-tasks-documents"], ["1", "v2-phases-and-dedup-clusters"], ["2", "v3-takedowns"],
            ["3", "v4-documents-errors-index"],
        ])
        #expect(try store.query("PRAGMA journal_mode") == [["wal"]])
        try FileManager.default.removeItem(atPath: folder)
    }

    @Test func recordsATaskAtomicallyAndRedoesItFromScratch() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ProvenanceStore(path: folder + "/p.sqlite")
        let ids = try store.registerPlan(inputs: inputs, tasks: tasks)
        #expect(ids == [1, 2])
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: "{}", sha256: "s", pipelineFolder: "/p", toolVersion: "t", workers: 2)
        try store.beginTask(0, run: run)
        let rows = [
            DocumentRecord(inputID: 1, offset: 0, line: 1, docID: "d0", url: nil, status: .kept, chars: 5),
            DocumentRecord(inputID: 1, offset: 10, line: 2, docID: "d1", url: nil, status: .kept, chars: 5),
            DocumentRecord(inputID: 1, offset: 20, line: 3, docID: "d2", url: nil, status: .dropped, droppedBy: "length",
                           reason: "too_few_chars", chars: 2),
        ]
        try store.record(rows, task: 0)
        // Not flushed yet: an interrupted task leaves nothing, and a redo starts clean.
        #expect(try store.query("SELECT COUNT(*) FROM documents") == [["0"]])
        try store.beginTask(0, run: run)
        try store.record(rows, task: 0)
        var stats = StageStats(position: 0, stage: "length", type: "length")
        stats.docsIn = 3
        stats.docsOut = 2
        stats.drops = ["too_few_chars": 1]
        try store.completeTask(0, TaskCompletion(docsIn: 3, docsKept: 2, seconds: 0.5, output: "docs/part-00000.jsonl.zst",
                                                 outputSHA256: "cc", stages: [stats]))
        #expect(try store.query("SELECT status, COUNT(*) FROM documents GROUP BY status") == [["dropped", "1"], ["kept", "2"]])
        #expect(try store.query("SELECT * FROM drops_by_reason") == [["length", "too_few_chars", "1"]])
        let done = try store.doneTasks()
        #expect(done.count == 1)
        #expect(done[0]?.output == "docs/part-00000.jsonl.zst")
        let summary = try store.summary()
        #expect(summary.docsIn == 3)
        #expect(summary.docsKept == 2)
        #expect(summary.tasksDone == 1)
        #expect(summary.tasksTotal == 2)
        #expect(summary.stages.map(\.drops) == [[RunSummary.Drop(reason: "too_few_chars", documents: 1)]])
    }

    @Test func refusesAPlanWhoseInputsChanged() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ProvenanceStore(path: folder + "/p.sqlite")
        _ = try store.registerPlan(inputs: inputs, tasks: tasks)
        _ = try store.registerPlan(inputs: inputs, tasks: tasks)
        var changed = inputs
        changed[1].sha256 = "b2"
        #expect(throws: PlanMismatch.self) { _ = try store.registerPlan(inputs: changed, tasks: tasks) }
        #expect(throws: PlanMismatch.self) {
            _ = try store.registerPlan(inputs: inputs, tasks: [TaskPlan(id: 0, phase: 0, inputs: [0, 1])])
        }
    }
}
