@testable import CurateProvenance
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
            ["3", "v4-documents-errors-index"], ["4", "v5-documents-rowid"], ["5", "v6-task-histograms"],
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

    /// Rows of input `input` at offsets `offsets`, every other one dropped with all its columns set.
    private func rows(input: Int64, _ offsets: Range<Int64>) -> [DocumentRecord] {
        offsets.map { offset in
            var row = DocumentRecord(inputID: input, offset: offset, line: offset + 1, docID: "doc-\(input)-\(offset)", url: nil,
                                     status: .kept, chars: Int(offset % 300))
            if offset % 2 == 1 {
                row.status = .dropped
                row.droppedBy = "length"
                row.reason = "too_few_words"
                row.metrics = #"{"words":\#(offset % 5)}"#
                row.detail = "detail \(offset)"
                row.url = "https://example.org/\(offset)"
                row.domain = "example.org"
                row.language = offset % 3 == 0 ? "de" : "en"
            }
            return row
        }
    }

    /// A store at `path` with the plan registered, a run begun and task 0 started.
    private func storeReadingTask0(_ path: String) throws -> ProvenanceStore {
        let store = try ProvenanceStore(path: path)
        _ = try store.registerPlan(inputs: inputs, tasks: tasks)
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: "{}", sha256: "s", pipelineFolder: "/p", toolVersion: "t", workers: 1)
        try store.beginTask(0, run: run)
        return store
    }

    private func stats(docsIn: Int) -> TaskCompletion {
        var stats = StageStats(position: 0, stage: "length", type: "length")
        stats.docsIn = docsIn
        return TaskCompletion(docsIn: docsIn, docsKept: docsIn, seconds: 0.1, output: "docs/part.jsonl.zst", outputSHA256: "cc",
                              stages: [stats])
    }

    @Test func writesEveryColumnOfBatchesWhileForeignKeysStayOn() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try storeReadingTask0(folder + "/p.sqlite")
        // Arrays of 300 rows: batches of 8192 end inside an array, and statements of 64 rows span arrays.
        let all = rows(input: 1, 0..<20_000)
        for start in stride(from: 0, to: all.count, by: 300) {
            try store.record(Array(all[start..<min(start + 300, all.count)]), task: 0)
        }
        try store.completeTask(0, stats(docsIn: all.count))
        #expect(try store.query("SELECT COUNT(*), SUM(status = 'dropped'), SUM(offset), SUM(chars), COUNT(DISTINCT doc_id) FROM documents")
            == [["20000", "10000", "199990000", "\(all.reduce(0) { $0 + $1.chars! })", "20000"]])
        #expect(try store.query("""
            SELECT input_id, offset, line, doc_id, url, task_id, status, dropped_by, reason, metrics, detail, chars, domain, language,
                   decided_in_task, taken_down_by
            FROM documents WHERE offset IN (12344, 12345) ORDER BY offset
            """) == [
            ["1", "12344", "12345", "doc-1-12344", nil, "0", "kept", nil, nil, nil, nil, "44", nil, nil, nil, nil],
            ["1", "12345", "12346", "doc-1-12345", "https://example.org/12345", "0", "dropped", "length", "too_few_words",
             #"{"words":0}"#, "detail 12345", "45", "example.org", "de", nil, nil],
        ])
        #expect(try store.query("SELECT status FROM tasks WHERE id = 0") == [["done"]])
        // The batches were written with SQLite's own checks off; everything else still has them.
        #expect(try store.query("PRAGMA foreign_keys") == [["1"]])
        #expect(try store.query("PRAGMA ignore_check_constraints") == [["0"]])
        #expect(throws: SQLiteError.self) {
            _ = try store.query("INSERT INTO stage_stats (task_id, position, stage, type, docs_in, docs_out, rewritten, seconds) VALUES (99, 0, 's', 't', 0, 0, 0, 0)")
        }
    }

    @Test func refusesRowsOfAnInputNotRegistered() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        let store = try storeReadingTask0(path)
        let input = #expect(throws: SQLiteError.self) { try store.record(self.rows(input: 7, 0..<3), task: 0) }
        #expect(input?.message == "\(path): document doc-7-0 of input id 7, which is not in the inputs table")
        let task = #expect(throws: SQLiteError.self) { try store.record(self.rows(input: 1, 0..<3), task: 5) }
        #expect(task?.message == "\(path): document rows of task 5, which is not in the tasks table")
    }

    @Test func aFailedBatchIsThrownByTheNextCallNamingTheDatabase() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        let store = try storeReadingTask0(path)
        try store.record(rows(input: 1, 0..<8192), task: 0)
        try store.completeTask(0, stats(docsIn: 8192))
        // The same keys again, by another task: the key's unique index, built by the audit, refuses them.
        try store.prepareForAudits()
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: "{}", sha256: "s", pipelineFolder: "/p", toolVersion: "t", workers: 1)
        try store.beginTask(1, run: run)
        try store.record(rows(input: 1, 0..<8192), task: 1)
        let expected = "\(path): writing document rows of task 1: UNIQUE constraint failed: documents.input_id, documents.offset"
        // The first call that waits for the queue throws it, and every call after it.
        let first = #expect(throws: SQLiteError.self) { _ = try store.summary() }
        #expect(first?.message == expected)
        #expect(first?.description == "provenance database: " + expected)
        let later = #expect(throws: SQLiteError.self) { try store.completeTask(1, self.stats(docsIn: 8192)) }
        #expect(later?.message == expected)
    }

    @Test func refusesAnInputsRowsOutOfFileOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        let store = try storeReadingTask0(path)
        try store.record(rows(input: 1, 0..<5) + rows(input: 2, 0..<3), task: 0)
        // Input 1 again, after its offset 4: offset 5 follows, offset 4 again does not.
        try store.record(rows(input: 1, 5..<6), task: 0)
        let error = #expect(throws: SQLiteError.self) { try store.record(self.rows(input: 1, 4..<5), task: 0) }
        #expect(error?.message == """
            \(path): document doc-1-4 at byte 4 of input id 1 comes after one at byte 5: \
            a task records an input's documents in file order, each once
            """)
    }

    @Test func aFailedCompletionLeavesNothingOfItsTransaction() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        let store = try storeReadingTask0(path)
        try store.record(rows(input: 1, 0..<10), task: 0)
        // Two stages at the same position: the stage_stats key refuses the second.
        var completion = stats(docsIn: 10)
        completion.stages.append(completion.stages[0])
        try store.completeTask(0, completion)
        let error = #expect(throws: SQLiteError.self) { _ = try store.doneTasks() }
        #expect(error?.message == "\(path): completing task 0: UNIQUE constraint failed: stage_stats.task_id, stage_stats.position")
        let reader = try ProvenanceStore(path: path)
        #expect(try reader.query("SELECT COUNT(*) FROM documents") == [["0"]])
        #expect(try reader.query("SELECT status FROM tasks ORDER BY id") == [["running"], ["pending"]])
    }

    @Test func reportCountsLengthsLanguagesAndUnreadableRecordsFromTheRows() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ProvenanceStore(path: folder + "/p.sqlite")
        _ = try store.registerPlan(inputs: inputs, tasks: tasks)
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: #"{"name": "p"}"#, sha256: "s", pipelineFolder: "/p",
                                     toolVersion: "t", workers: 1)
        try store.beginTask(0, run: run)
        var rows = rows(input: 1, 0..<12)
        rows[11].chars = nil
        rows.append(DocumentRecord(inputID: 1, offset: 100, line: nil, docID: "bad", url: nil, status: .error, droppedBy: "reader",
                                   reason: "invalid_record", detail: "not JSON"))
        try store.record(rows, task: 0)
        try store.completeTask(0, stats(docsIn: 13))
        let data = try store.reportData()
        // chars 0...10 (11 has none): buckets 0, 1, 2-3, 4-7, 8-15; odd offsets dropped.
        #expect(data.lengths.labels == ["0", "1–1", "2–3", "4–7", "8–15"])
        #expect(data.lengths.values == [[1, 1], [1, 0], [2, 1], [4, 2], [3, 2]])
        // Dropped rows 1, 3, 5, 7, 9, 11 have a language: de at 3 and 9, en at the others.
        #expect(data.languages.labels == ["en", "de"])
        #expect(data.languages.values == [[4, 0], [2, 0]])
        #expect(data.summary.readerErrors == [RunSummary.Drop(reason: "invalid_record", documents: 1)])
        #expect(data.summary.errors == 1)
        #expect(try store.firstDroppedDocuments(stage: "length", reason: "too_few_words", limit: 2).map(\.docID) == ["doc-1-1", "doc-1-3"])
        #expect(try store.droppedDocuments(stage: "length", reason: nil, limit: 2).total == 6)
        #expect(try store.droppedDocuments(stage: "length", reason: nil, limit: 2).sample.map(\.docID) == ["doc-1-1", "doc-1-7"])
    }

    @Test func reportAddsUpTheTasksHistogramsWhenTheyCoverEveryRow() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try storeReadingTask0(folder + "/p.sqlite")
        var first = rows(input: 1, 0..<300)
        first[7].chars = nil
        first[8].language = "fr"
        try store.record(first, task: 0)
        try store.completeTask(0, stats(docsIn: 300))
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: "{}", sha256: "s", pipelineFolder: "/p", toolVersion: "t", workers: 1)
        try store.beginTask(1, run: run)
        try store.record(rows(input: 2, 0..<1000), task: 1)
        try store.completeTask(1, stats(docsIn: 1000))
        #expect(try store.query("SELECT id, rows_recorded FROM tasks ORDER BY id") == [["0", "300"], ["1", "1000"]])
        #expect(try store.query("SELECT documents, kept FROM task_lengths WHERE task_id = 0 AND bucket = 9") == [["44", "22"]])
        #expect(try store.query("SELECT language, documents, kept FROM task_languages WHERE task_id = 0 ORDER BY language")
            == [["de", "50", "0"], ["en", "100", "0"], ["fr", "1", "1"]])
        let added = try store.reportData()
        #expect(added.languages.labels == ["en", "de", "fr"])
        #expect(added.languages.values == [[433, 0], [217, 0], [1, 1]])
        // A task without its histograms: the report counts the rows themselves, and finds the same.
        _ = try store.query("UPDATE tasks SET rows_recorded = NULL WHERE id = 1")
        let scanned = try store.reportData()
        #expect(scanned.lengths == added.lengths)
        #expect(scanned.languages == added.languages)
        #expect(added.lengths.labels == ["0", "1–1", "2–3", "4–7", "8–15", "16–31", "32–63", "64–127", "128–255", "256–511"])
    }

    /// A database at `path` as curate wrote it when it knew the first `migrations` migrations.
    private func olderDatabase(_ path: String, migrations: Int) throws -> SQLiteConnection {
        let db = try SQLiteConnection(path: path)
        try db.execute("CREATE TABLE schema_migrations (position INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        for (position, migration) in Schema.migrations.prefix(migrations).enumerated() {
            try db.execute(migration.sql)
            try db.run("INSERT INTO schema_migrations (position, name) VALUES (?, ?)", [.integer(Int64(position)), .text(migration.name)])
        }
        return db
    }

    @Test func anOlderDatabaseGetsTheErrorsIndexWhenOpened() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        _ = try olderDatabase(path, migrations: 3)
        let reopened = try ProvenanceStore(path: path)
        #expect(try reopened.query("SELECT name FROM sqlite_master WHERE name = 'documents_errors'") == [["documents_errors"]])
        #expect(try reopened.query("SELECT name FROM schema_migrations WHERE position = 3") == [["v4-documents-errors-index"]])
    }

    @Test func aDatabaseKeyedByInputAndOffsetKeepsEveryRowAndViewWhenOpened() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/p.sqlite"
        do {
            let db = try olderDatabase(path, migrations: 4)
            try db.execute("""
                INSERT INTO inputs (id, path, format, size, sha256) VALUES (1, 'a.jsonl', 'jsonl', 10, 'aa'), (2, 'b.jsonl', 'jsonl', 20, 'bb');
                INSERT INTO tasks (id, phase, status, started_at) VALUES (0, 0, 'done', 'x'), (1, 0, 'done', 'x');
                INSERT INTO task_inputs (task_id, input_id) VALUES (0, 1), (1, 2);
                INSERT INTO takedowns (id, at, selector, value, documents, removed_documents, removed_tokens)
                    VALUES (1, 'x', 'domain', 'b.org', 1, 1, 4);
                INSERT INTO documents (input_id, offset, line, doc_id, url, task_id, status, dropped_by, reason, metrics, detail, chars,
                                       decided_in_task, domain, language, taken_down_by) VALUES
                    (2, 0, 1, 'b0', 'https://b.org/', 1, 'kept', NULL, NULL, NULL, NULL, 9, NULL, 'b.org', 'de', 1),
                    (1, 50, 2, 'a1', 'https://a.org/1', 0, 'dropped', 'length', 'too_few_words', '{"words":2}', NULL, 12, 0, 'a.org', 'en', NULL),
                    (1, 0, 1, 'a0', 'https://a.org/0', 0, 'kept', NULL, NULL, NULL, NULL, 30, NULL, 'a.org', 'en', NULL),
                    (1, 90, 3, 'a2', NULL, 0, 'error', 'reader', 'invalid_record', NULL, 'bad JSON', NULL, NULL, NULL, NULL, NULL);
                INSERT INTO shards (task_id, shard, file, sha256, tokens, documents, frames) VALUES (1, 0, 's0', 'ss', 7, 1, 1);
                INSERT INTO shard_spans (input_id, offset, doc_id, task_id, shard, first_token, tokens) VALUES (1, 0, 'a0', 1, 0, 0, 7);
                """)
        }
        let store = try ProvenanceStore(path: path)
        #expect(try store.query("SELECT name FROM schema_migrations WHERE position = 4") == [["v5-documents-rowid"]])
        #expect(try store.query("""
            SELECT rowid, input_id, offset, line, doc_id, url, task_id, status, dropped_by, reason, metrics, detail, chars,
                   decided_in_task, domain, language, taken_down_by FROM documents ORDER BY rowid
            """) == [
            ["1", "1", "0", "1", "a0", "https://a.org/0", "0", "kept", nil, nil, nil, nil, "30", nil, "a.org", "en", nil],
            ["2", "1", "50", "2", "a1", "https://a.org/1", "0", "dropped", "length", "too_few_words", #"{"words":2}"#, nil, "12", "0",
             "a.org", "en", nil],
            ["3", "1", "90", "3", "a2", nil, "0", "error", "reader", "invalid_record", nil, "bad JSON", nil, nil, nil, nil, nil],
            ["4", "2", "0", "1", "b0", "https://b.org/", "1", "kept", nil, nil, nil, nil, "9", nil, "b.org", "de", "1"],
        ])
        #expect(try store.query("SELECT * FROM drops_by_reason") == [["length", "too_few_words", "1"], ["reader", "invalid_record", "1"]])
        #expect(try store.query("SELECT * FROM domain_summary") == [["a.org", "2", "1", "1", "0", "7", "1", "0"],
                                                                    ["b.org", "1", "1", "0", "0", "0", "0", "1"]])
        #expect(try store.query("SELECT name FROM sqlite_master WHERE name = 'documents_errors'") == [["documents_errors"]])
        try store.prepareForAudits()
        #expect(try store.query("SELECT name FROM sqlite_master WHERE name IN ('documents_by_key', 'documents_by_doc_id') ORDER BY name")
            == [["documents_by_doc_id"], ["documents_by_key"]])
        let lineage = try #require(try store.lineage(shard: 0, token: 6))
        #expect(lineage.docID == "a0")
        #expect(lineage.input == "a.jsonl")
        #expect(lineage.firstToken == 0)
        #expect(try store.lineage(documentID: "b0").map(\.takedown) == [1])
        #expect(try store.summary().readerErrors == [RunSummary.Drop(reason: "invalid_record", documents: 1)])
        #expect(try store.droppedDocuments(stage: "length", reason: nil, limit: 5).sample.map(\.docID) == ["a1"])
        #expect(try store.reportData().languages.values == [[2, 1], [1, 1]])
        // The key stays unique.
        #expect(throws: SQLiteError.self) {
            _ = try store.query("INSERT INTO documents (input_id, offset, doc_id, task_id, status) VALUES (1, 50, 'x', 0, 'kept')")
        }
    }

    @Test func aFirstPassAppendsWithoutTheKeyIndexAndARedoBuildsIt() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try storeReadingTask0(folder + "/p.sqlite")
        try store.record(rows(input: 1, 0..<10), task: 0)
        try store.completeTask(0, stats(docsIn: 10))
        let run = try store.beginRun(pipelineName: "p", pipelineJSON: "{}", sha256: "s", pipelineFolder: "/p", toolVersion: "t", workers: 1)
        try store.beginTask(1, run: run)
        try store.record(rows(input: 2, 0..<4), task: 1)
        try store.completeTask(1, stats(docsIn: 4))
        #expect(try store.query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'documents_by_key'") == [["0"]])
        // Task 0 again: its rows go, task 1's stay, and its new rows are checked against the key.
        try store.beginTask(0, run: run)
        try store.record(rows(input: 1, 0..<3), task: 0)
        try store.completeTask(0, stats(docsIn: 3))
        #expect(try store.query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'documents_by_key'") == [["1"]])
        #expect(try store.query("SELECT input_id, COUNT(*) FROM documents GROUP BY input_id") == [["1", "3"], ["2", "4"]])
    }
}
