import CurateCore
import Foundation
import Synchronization

/// The run's provenance database (`provenance.sqlite`, WAL mode): the one place where curate
/// speaks SQL. Called from one thread; the writes of a task (its start, its document rows, its
/// completion) are done behind it by a serial queue that owns the connection, so recording
/// overlaps with processing, and a task's last rows with the next task.
public final class ProvenanceStore: @unchecked Sendable {
    private let db: SQLiteConnection
    /// The database file, for messages.
    private let path: String
    /// Row arrays not yet handed to the queue, and how many rows they hold (touched by the
    /// calling thread only). Kept as the arrays the caller gave: copying rows into one array
    /// cost as much as binding them.
    private var pending: [[DocumentRecord]] = []
    private var pendingRows = 0
    private let flushThreshold = 8192
    /// Serialises every use of `db`.
    private let queue = DispatchQueue(label: "curate.provenance")
    /// Bounds the writes waiting on the queue.
    private let slots = DispatchSemaphore(value: 4)
    /// The first failure of a queued write: set on the queue, checked by every call.
    private let writeError = Mutex<SQLiteError?>(nil)
    /// The ids of the `inputs` and `tasks` rows (touched by the calling thread only; nil until
    /// loaded): document rows are checked against them before they are queued, so that their
    /// INSERTs can skip SQLite's foreign-key checks.
    private var knownIDs: (inputs: Set<Int64>, tasks: [Int64: Int])?
    /// Whether per-document rows are written (false keeps runs, tasks and stage counts only).
    public let recordsDocuments: Bool
    /// The kind of the task being recorded (touched by the calling thread only).
    private var currentKind = TaskKind.reading
    /// The histograms of the rows of the task being recorded, when it is a first-phase task
    /// reading input files (touched by the calling thread only): see `v6-task-histograms`.
    private var histograms: DocumentHistograms?
    private var rowsRecorded = 0
    /// The input and offset of the task's last row, and the last offsets of its other inputs
    /// (touched by the calling thread only): see `checkReferences`.
    private var lastKey: (input: Int64, offset: Int64) = (-1, -1)
    private var lastOffsets: [Int64: Int64] = [:]
    /// Prepared document INSERTs by row shape and count (touched on the queue only): looking a
    /// statement up by its several-kilobyte text cost as much as binding its rows.
    private var insertStatements: [InsertKey: SQLiteStatement] = [:]

    public init(path: String, recordsDocuments: Bool = true) throws {
        db = try SQLiteConnection(path: path)
        self.path = path
        self.recordsDocuments = recordsDocuments
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536")
        try Schema.migrate(db)
    }

    /// Runs `body` on the queue, after every queued write, and rethrows a queued write's failure.
    private func onQueue<T>(_ body: () throws -> T) throws -> T {
        try queue.sync {
            try throwIfAWriteFailed()
            try db.enforceConstraints(true)
            return try body()
        }
    }

    /// Throws the failure of a queued write, if one failed.
    private func throwIfAWriteFailed() throws(SQLiteError) {
        if let error = writeError.withLock({ $0 }) { throw error }
    }

    /// Runs `body` on the queue after the writes queued before it, without waiting for it.
    /// Its failure, named by `what` and the database, is thrown by the next call that finds it
    /// (at the latest, the next one that waits for the queue), and the writes queued after it
    /// are skipped.
    /// `enforcing` is false only for rows checked by `checkReferences`: consecutive batches
    /// then share one switch of the setting.
    private func enqueue(_ what: String, enforcing: Bool = true, _ body: @escaping @Sendable () throws -> Void) throws {
        try throwIfAWriteFailed()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard writeError.withLock({ $0 == nil }) else { return }
            do {
                try db.enforceConstraints(enforcing)
                try body()
            } catch {
                let message = (error as? SQLiteError)?.message ?? "\(error)"
                writeError.withLock { $0 = SQLiteError(message: "\(path): \(what): \(message)") }
            }
        }
    }

    /// Builds what audits need and a run's first pass does not: the indexes of documents by
    /// id and by key. Built on the first audit rather than during the run, since a run never
    /// looks documents up by id, and one pass over all rows at the end costs a run about a
    /// tenth of its time on small documents (see docs/ARCHITECTURE.md).
    public func prepareForAudits() throws {
        try onQueue {
            try db.execute("CREATE INDEX IF NOT EXISTS documents_by_doc_id ON documents(doc_id)")
            try db.execute(Schema.documentKeyIndex)
        }
    }

    /// Runs `body` on the queue inside one transaction.
    func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try onQueue { try db.transaction { try body(db) } }
    }

    // MARK: Runs

    /// The sha256 of the pipeline that earlier runs in this database ran, if any.
    public func previousPipelineSHA256() throws -> String? {
        try onQueue { try db.rows("SELECT pipeline_sha256 FROM runs ORDER BY id LIMIT 1").first?[0].string }
    }

    /// Records the start of a run of the pipeline file in `pipelineFolder`.
    public func beginRun(pipelineName: String, pipelineJSON: String, sha256: String, pipelineFolder: String,
                         toolVersion: String, workers: Int) throws -> Int64 {
        try onQueue {
            try db.run("""
                INSERT INTO runs (pipeline_name, pipeline_json, pipeline_sha256, pipeline_folder, tool_version, workers, started_at, status)
                VALUES (?, ?, ?, ?, ?, ?, \(Self.now), 'running')
                """, [.text(pipelineName), .text(pipelineJSON), .text(sha256), .text(pipelineFolder), .text(toolVersion),
                      .integer(Int64(workers))])
            return db.lastInsertRowID
        }
    }

    /// The pipeline of the latest run in this database and the folder its file was in.
    public func latestPipeline() throws -> (json: String, folder: String)? {
        try onQueue {
            try db.rows("SELECT pipeline_json, pipeline_folder FROM runs ORDER BY id DESC LIMIT 1").first.map {
                ($0[0].string ?? "", $0[1].string ?? ".")
            }
        }
    }

    /// Ends a run.
    public func finishRun(_ run: Int64, succeeded: Bool) throws {
        try onQueue { try db.run("UPDATE runs SET ended_at = \(Self.now), status = ? WHERE id = ?",
                   [.text(succeeded ? "completed" : "failed"), .integer(run)]) }
    }

    // MARK: Plan

    /// Records the inputs and tasks of the plan, or checks them against those recorded by an
    /// earlier run; returns the inputs' ids. Throws if the inputs changed since.
    public func registerPlan(inputs: [InputRegistration], tasks: [TaskPlan]) throws -> [Int64] {
        try onQueue { try db.transaction {
            var ids: [Int64] = []
            for input in inputs {
                let known = try db.rows("SELECT id, size, sha256 FROM inputs WHERE path = ?", [.text(input.path)])
                if let row = known.first {
                    guard row[1].int == input.size, row[2].string == input.sha256 else {
                        throw PlanMismatch(message: "input \(input.path) changed since the earlier run in this folder")
                    }
                    ids.append(row[0].int!)
                } else {
                    try db.run("INSERT INTO inputs (path, format, size, sha256) VALUES (?, ?, ?, ?)",
                               [.text(input.path), .text(input.format), .integer(input.size), .text(input.sha256)])
                    ids.append(db.lastInsertRowID)
                }
            }
            let recorded = try db.rows("SELECT task_id, input_id FROM task_inputs ORDER BY task_id, input_id")
            let planned = tasks.flatMap { task in task.inputs.map { [SQLValue.integer(task.id), .integer(ids[$0])] } }
                .sorted { ($0[0].int!, $0[1].int!) < ($1[0].int!, $1[1].int!) }
            if recorded.isEmpty {
                for task in tasks {
                    try db.run("INSERT INTO tasks (id, phase, status) VALUES (?, ?, 'pending')",
                               [.integer(task.id), .integer(Int64(task.phase))])
                    for index in task.inputs {
                        try db.run("INSERT INTO task_inputs (task_id, input_id) VALUES (?, ?)",
                                   [.integer(task.id), .integer(ids[index])])
                    }
                }
            } else if recorded.map({ $0.map(\.int) }) != planned.map({ $0.map(\.int) }) {
                throw PlanMismatch(message: "the inputs matched by the pipeline changed since the earlier run in this folder")
            }
            knownIDs = try loadKnownIDs()
            return ids
        } }
    }

    /// The ids of the `inputs` rows, and the `tasks` rows' phases by id (on the queue).
    private func loadKnownIDs() throws -> (inputs: Set<Int64>, tasks: [Int64: Int]) {
        let tasks = try db.rows("SELECT id, phase FROM tasks").compactMap { row in row[0].int.map { ($0, Int(row[1].int ?? 0)) } }
        return (Set(try db.rows("SELECT id FROM inputs").compactMap { $0[0].int }), Dictionary(tasks) { first, _ in first })
    }

    /// Throws unless every row's input and `task` are rows of `inputs` and `tasks`: what the
    /// foreign keys of `documents` require, checked here so that inserting the rows need not.
    /// Also throws unless each input's rows come in file order, each offset once: what keeps
    /// the key (input_id, offset) unique while the first pass appends rows without its index.
    private func checkReferences(_ rows: [DocumentRecord], task: Int64) throws {
        if knownIDs == nil { knownIDs = try onQueue(loadKnownIDs) }
        guard let known = knownIDs else { return }
        guard known.tasks[task] != nil else {
            throw SQLiteError(message: "\(path): document rows of task \(task), which is not in the tasks table")
        }
        for row in rows {
            if row.inputID != lastKey.input {
                guard known.inputs.contains(row.inputID) else {
                    throw SQLiteError(message: "\(path): document \(row.docID) of input id \(row.inputID), which is not in the inputs table")
                }
                lastOffsets[lastKey.input] = lastKey.offset
                lastKey = (row.inputID, lastOffsets[row.inputID] ?? -1)
            }
            guard row.offset > lastKey.offset else {
                throw SQLiteError(message: """
                    \(path): document \(row.docID) at byte \(row.offset) of input id \(row.inputID) comes after one at byte \(lastKey.offset): \
                    a task records an input's documents in file order, each once
                    """)
            }
            lastKey.offset = row.offset
        }
    }

    /// The tasks already complete, with their output file and its sha256.
    public func doneTasks() throws -> [Int64: (output: String, sha256: String)] {
        try onQueue {
            var done: [Int64: (output: String, sha256: String)] = [:]
            for row in try db.rows("SELECT id, output, output_sha256 FROM tasks WHERE status = 'done'") {
                done[row[0].int!] = (row[1].string ?? "", row[2].string ?? "")
            }
            return done
        }
    }

    // MARK: Tasks

    /// Marks a task as running under `run`, first erasing anything an interrupted attempt
    /// recorded; queued, like the task's rows and its completion.
    public func beginTask(_ task: Int64, run: Int64, kind: TaskKind = .reading) throws {
        pending.removeAll()
        pendingRows = 0
        currentKind = kind
        rowsRecorded = 0
        histograms = nil
        lastKey = (-1, -1)
        lastOffsets = [:]
        if recordsDocuments, kind == .reading {
            if knownIDs == nil { knownIDs = try onQueue(loadKnownIDs) }
            // A later phase's task with a database of its own records its drops as new rows.
            if knownIDs?.tasks[task] == 0 { histograms = DocumentHistograms() }
        }
        try enqueue("starting task \(task)") { [self] in
            try db.transaction {
                // By the task's inputs, which the documents key starts with: no index on task_id needed.
                switch kind {
                case .reading:
                    // A task that never started has no rows: nothing to look up, no key index needed.
                    let started = try db.rows("SELECT started_at IS NOT NULL FROM tasks WHERE id = ?", [.integer(task)])
                    if started.first?[0].int == 1 {
                        try db.execute(Schema.documentKeyIndex)
                        try db.run("DELETE FROM documents WHERE input_id IN (SELECT input_id FROM task_inputs WHERE task_id = ?)",
                                   [.integer(task)])
                    }
                case .continuing:
                    // Its dropped documents' rows are updated by key.
                    try db.execute(Schema.documentKeyIndex)
                    try db.run("""
                        UPDATE documents SET status = 'kept', dropped_by = NULL, reason = NULL, metrics = NULL, detail = NULL,
                        decided_in_task = NULL
                        WHERE input_id IN (SELECT input_id FROM task_inputs WHERE task_id = ?) AND decided_in_task = ?
                        """, [.integer(task), .integer(task)])
                case .barrier:
                    for table in ["dedup_clusters", "tokenizers", "shards", "shard_spans"] {
                        try db.run("DELETE FROM \(table) WHERE task_id = ?", [.integer(task)])
                    }
                }
                for table in ["stage_stats", "stage_drops", "stage_term_groups", "task_lengths", "task_languages"] {
                    try db.run("DELETE FROM \(table) WHERE task_id = ?", [.integer(task)])
                }
                try db.run("""
                    UPDATE tasks SET status = 'running', run_id = ?, started_at = \(Self.now), ended_at = NULL,
                    seconds = NULL, docs_in = NULL, docs_kept = NULL, output = NULL, output_sha256 = NULL, error = NULL,
                    rows_recorded = NULL
                    WHERE id = ?
                    """, [.integer(run), .integer(task)])
            }
        }
    }

    /// Queues document rows of `task`, written in batches behind the caller; a failed write
    /// is thrown by a later call.
    public func record(_ rows: [DocumentRecord], task: Int64) throws {
        guard recordsDocuments, !rows.isEmpty else { return }
        try throwIfAWriteFailed()
        let kind = currentKind
        if kind == .reading { try checkReferences(rows, task: task) }
        histograms?.add(rows)
        rowsRecorded += rows.count
        pending.append(rows)
        pendingRows += rows.count
        guard pendingRows >= flushThreshold else { return }
        let batch = takePending()
        // New rows' references were checked above, and their status comes from `DocumentStatus`:
        // SQLite's checks of both cost about a fifth of an insert. Updates keep them.
        try enqueue("writing document rows of task \(task)", enforcing: kind != .reading) { [self] in
            try db.transaction {
                if kind == .reading { try insert(batch, task: task) } else { try updateDropped(batch, task: task) }
            }
        }
    }

    /// The pending rows and how many they are, leaving none pending.
    private func takePending() -> (rows: [[DocumentRecord]], count: Int) {
        defer {
            pending = []
            pendingRows = 0
        }
        return (pending, pendingRows)
    }

    /// Writes the task's last rows and its stage counts, and marks it done, atomically;
    /// queued, so that the next task starts while this one's rows are written. Its failure is
    /// thrown by a later call.
    public func completeTask(_ task: Int64, _ completion: TaskCompletion) throws {
        let batch = takePending()
        let kind = currentKind
        let histograms = histograms.map { ($0, rowsRecorded) }
        self.histograms = nil
        try enqueue("completing task \(task)") { [self] in
            try db.transaction {
                if kind == .continuing { try updateDropped(batch, task: task) } else { try insert(batch, task: task) }
                if let (histograms, rows) = histograms { try recordHistograms(histograms, rows: rows, task: task) }
                for stage in completion.stages {
                    try db.run("""
                        INSERT INTO stage_stats (task_id, position, stage, type, docs_in, docs_out, rewritten, seconds)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.integer(task), .integer(Int64(stage.position)), .text(stage.stage), .text(stage.type),
                              .integer(Int64(stage.docsIn)), .integer(Int64(stage.docsOut)),
                              .integer(Int64(stage.rewritten)), .real(stage.seconds)])
                    for (reason, n) in stage.drops.sorted(by: { $0.key < $1.key }) {
                        try db.run("INSERT INTO stage_drops (task_id, position, reason, documents) VALUES (?, ?, ?, ?)",
                                   [.integer(task), .integer(Int64(stage.position)), .text(reason), .integer(Int64(n))])
                    }
                    for (i, name) in completion.groupNames.enumerated() where i < stage.groupsIn.count && stage.groupsIn[i] > 0 {
                        try db.run("""
                            INSERT INTO stage_term_groups (task_id, position, term_group, docs_in, dropped) VALUES (?, ?, ?, ?, ?)
                            """, [.integer(task), .integer(Int64(stage.position)), .text(name),
                                  .integer(Int64(stage.groupsIn[i])), .integer(Int64(stage.groupsDropped[i]))])
                    }
                }
                try db.run("""
                    UPDATE tasks SET status = 'done', ended_at = \(Self.now), seconds = ?, docs_in = ?, docs_kept = ?,
                    output = ?, output_sha256 = ? WHERE id = ?
                    """, [.real(completion.seconds), .integer(Int64(completion.docsIn)), .integer(Int64(completion.docsKept)),
                          .text(completion.output), .text(completion.outputSHA256), .integer(task)])
            }
        }
    }

    /// Writes a task's histograms and how many rows it recorded (on the queue).
    private func recordHistograms(_ histograms: DocumentHistograms, rows: Int, task: Int64) throws {
        for (b, n) in histograms.lengths.enumerated() where n.all > 0 {
            try db.run("INSERT INTO task_lengths (task_id, bucket, documents, kept) VALUES (?, ?, ?, ?)",
                       [.integer(task), .integer(Int64(b)), .integer(Int64(n.all)), .integer(Int64(n.kept))])
        }
        for (language, n) in histograms.languages.sorted(by: { $0.key < $1.key }) {
            try db.run("INSERT INTO task_languages (task_id, language, documents, kept) VALUES (?, ?, ?, ?)",
                       [.integer(task), .text(language), .integer(Int64(n.all)), .integer(Int64(n.kept))])
        }
        try db.run("UPDATE tasks SET rows_recorded = ? WHERE id = ?", [.integer(Int64(rows)), .integer(task)])
    }

    public func failTask(_ task: Int64, message: String) throws {
        pending.removeAll()
        pendingRows = 0
        try onQueue {
            try db.run("UPDATE tasks SET status = 'failed', ended_at = \(Self.now), error = ? WHERE id = ?",
                       [.text(message), .integer(task)])
        }
    }

    /// Records the dedup cluster memberships a barrier task found.
    public func recordClusters(_ members: [ClusterMember], task: Int64, stage: String) throws {
        try onQueue { try db.transaction {
            let statement = try db.statement("""
                INSERT INTO dedup_clusters (task_id, stage, doc_id, kept_doc_id, estimated_jaccard, exact_jaccard)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for member in members {
                statement.reset()
                statement.bind([.integer(task), .text(stage), .text(member.documentID), .text(member.keptID),
                                member.estimatedJaccard.map(SQLValue.real) ?? .null, member.exactJaccard.map(SQLValue.real) ?? .null])
                while try statement.step() {}
            }
        } }
    }

    /// Records a tokenizer a barrier task trained or loaded.
    public func recordTokenizer(_ tokenizer: TokenizerRecord, task: Int64, stage: String) throws {
        try onQueue {
            try db.run("""
                INSERT INTO tokenizers (task_id, stage, file, sha256, vocab_size, pattern, trained_on_documents, trained_on_bytes,
                                        encoded_bytes, encoded_tokens)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(task), .text(stage), .text(tokenizer.file), .text(tokenizer.sha256),
                      .integer(Int64(tokenizer.vocabSize)), tokenizer.pattern.map(SQLValue.text) ?? .null,
                      tokenizer.trainedOnDocuments.map { .integer(Int64($0)) } ?? .null,
                      tokenizer.trainedOnBytes.map(SQLValue.integer) ?? .null,
                      tokenizer.encodedBytes.map(SQLValue.integer) ?? .null, tokenizer.encodedTokens.map(SQLValue.integer) ?? .null])
        }
    }

    /// Records the shards a barrier task wrote and the span of every document in them;
    /// `inputIDs` maps a document's input (as its SourceRef names it) to its row id.
    public func recordShards(_ shards: [ShardRecord], spans: [ShardSpan], inputIDs: [String: Int64], task: Int64) throws {
        try onQueue { try db.transaction {
            for shard in shards {
                try db.run("""
                    INSERT INTO shards (task_id, shard, file, sha256, tokens, documents, frames) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [.integer(task), .integer(Int64(shard.shard)), .text(shard.file), .text(shard.sha256),
                          .integer(Int64(shard.tokens)), .integer(Int64(shard.documents)), .integer(Int64(shard.frames))])
            }
            let statement = try db.statement("""
                INSERT INTO shard_spans (input_id, offset, doc_id, task_id, shard, first_token, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for span in spans {
                statement.reset()
                statement.bind([.integer(inputIDs[span.source.input] ?? 0), .integer(span.source.offset), .text(span.documentID),
                                .integer(task), .integer(Int64(span.shard)), .integer(span.firstToken), .integer(Int64(span.tokens))])
                while try statement.step() {}
            }
        } }
    }

    /// Marks documents that an earlier phase kept as dropped by a later one.
    private func updateDropped(_ batch: (rows: [[DocumentRecord]], count: Int), task: Int64) throws {
        let statement = try db.statement("""
            UPDATE documents SET status = ?, dropped_by = ?, reason = ?, metrics = ?, detail = ?, decided_in_task = ?
            WHERE input_id = ? AND offset = ?
            """)
        for rows in batch.rows {
            for row in rows {
                statement.reset()
                statement.bind([.text(row.status.rawValue), row.droppedBy.map(SQLValue.text) ?? .null,
                                row.reason.map(SQLValue.text) ?? .null, row.metrics.map(SQLValue.text) ?? .null,
                                row.detail.map(SQLValue.text) ?? .null, .integer(task), .integer(row.inputID), .integer(row.offset)])
                while try statement.step() {}
            }
        }
    }

    /// Rows per INSERT statement: one statement per row costs SQLite as much again.
    private static let rowsPerInsert = 64

    /// The prepared INSERT of `rows` document rows of shape `shape` (on the queue), reset;
    /// its parameters keep their values, all of which the caller binds again.
    private func insertStatement(_ shape: RowShape, rows: Int) throws -> SQLiteStatement {
        let key = InsertKey(shape: shape, rows: rows)
        if let prepared = insertStatements[key] {
            prepared.rewind()
            return prepared
        }
        let statement = try db.statement(shape.insertSQL(rows: rows))
        insertStatements[key] = statement
        return statement
    }

    /// Inserts the rows, grouped by shape: each group's statements list only the columns its
    /// rows have values for, so that every parameter is bound and none needs clearing.
    private func insert(_ batch: (rows: [[DocumentRecord]], count: Int), task: Int64) throws {
        guard batch.count > 0 else { return }
        // A handful of shapes at most, in order of first appearance: a linear search beats hashing.
        var groups: [(shape: RowShape, members: [(array: Int, row: Int)])] = []
        for (a, rows) in batch.rows.enumerated() {
            rows.withUnsafeBufferPointer { rows in
                for r in rows.indices {
                    let shape = RowShape(rows[r])
                    if let g = groups.firstIndex(where: { $0.shape == shape }) {
                        groups[g].members.append((a, r))
                    } else {
                        groups.append((shape, [(a, r)]))
                    }
                }
            }
        }
        var binder = RowBinder()
        for (shape, members) in groups {
            let width = Int32(shape.width)
            var start = 0
            while start < members.count {
                let chunk = members[start..<min(start + Self.rowsPerInsert, members.count)]
                let statement = try insertStatement(shape, rows: chunk.count)
                var index: Int32 = 1
                for (a, r) in chunk {
                    batch.rows[a].withUnsafeBufferPointer { rows in binder.bind(rows.baseAddress! + r, task: task, at: index, to: statement) }
                    index += width
                }
                try binder.run(statement)
                start += chunk.count
            }
        }
    }

    // MARK: Reading back

    /// The run folder's totals over all complete tasks.
    public func summary() throws -> RunSummary {
        try onQueue { try summaryOnQueue() }
    }

    private func summaryOnQueue() throws -> RunSummary {
        let tasks = try db.rows("""
            SELECT COUNT(*), SUM(status = 'done'), SUM(CASE WHEN status = 'done' AND phase = 0 THEN docs_in END),
                   SUM(CASE WHEN status = 'done' AND phase = (SELECT MAX(phase) FROM tasks) THEN docs_kept END) FROM tasks
            """)[0]
        var stages: [RunSummary.Stage] = []
        for row in try db.rows("SELECT position, stage, type, docs_in, docs_out, rewritten, seconds FROM stage_funnel") {
            let drops = try db.rows("""
                SELECT reason, SUM(stage_drops.documents) AS n FROM stage_drops
                JOIN tasks ON tasks.id = stage_drops.task_id AND tasks.status = 'done'
                WHERE position = ? GROUP BY reason ORDER BY n DESC, reason
                """, [row[0]]).map { RunSummary.Drop(reason: $0[0].string!, documents: Int($0[1].int!)) }
            let groups = try db.rows("""
                SELECT term_group, docs_in, dropped FROM term_group_shift WHERE position = ? ORDER BY term_group
                """, [row[0]]).map { RunSummary.Group(name: $0[0].string!, docsIn: Int($0[1].int!), dropped: Int($0[2].int!)) }
            stages.append(RunSummary.Stage(
                position: Int(row[0].int!), stage: row[1].string!, type: row[2].string!, docsIn: Int(row[3].int!),
                docsOut: Int(row[4].int!), rewritten: Int(row[5].int!), seconds: row[6].double!, drops: drops, groups: groups))
        }
        let readerErrors = try db.rows("""
            SELECT reason, COUNT(*) AS n FROM documents WHERE status = 'error' GROUP BY reason ORDER BY n DESC, reason
            """).map { RunSummary.Drop(reason: $0[0].string!, documents: Int($0[1].int!)) }
        return RunSummary(
            docsIn: Int(tasks[2].int ?? 0), docsKept: Int(tasks[3].int ?? 0), errors: readerErrors.reduce(0) { $0 + $1.documents },
            tasksDone: Int(tasks[1].int ?? 0), tasksTotal: Int(tasks[0].int ?? 0), stages: stages, readerErrors: readerErrors)
    }

    /// Runs a read-only query on the queue and hands each row to `body` as it is stepped to,
    /// without materialising the rows: for scans over every document.
    func scan(_ sql: String, _ body: (SQLiteStatement) -> Void) throws {
        try onQueue {
            let statement = try db.statement(sql)
            while try statement.step() { body(statement) }
        }
    }

    /// Runs a read-only query with bound values, on the queue.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        try onQueue { try db.rows(sql, values) }
    }

    /// Runs a read-only query, for tests and audits: each row as optional strings.
    public func query(_ sql: String) throws -> [[String?]] {
        try onQueue { try db.rows(sql) }.map { row in
            row.map { value in
                switch value {
                case .null: nil
                case let .integer(n): String(n)
                case let .real(x): String(x)
                case let .text(s): s
                }
            }
        }
    }

    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
}

/// The inputs or tasks of a pipeline no longer match those recorded in the run folder.
public struct PlanMismatch: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
