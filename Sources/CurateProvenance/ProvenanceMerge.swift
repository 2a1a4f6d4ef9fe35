/// Merges the databases of a scaled-out run's executor tasks into the run's database.
///
/// Every task database registers the whole plan before its task runs, so input and task ids
/// are the plan's own in all of them and need no renumbering; the merge checks that they
/// agree. A reading task's document rows are inserted; a later phase's rows (the documents
/// it dropped) update the rows the first phase inserted, as they do in a run on one
/// machine. Adding the databases in plan order gives the same database whichever machine
/// ran which task.
public final class ProvenanceMerge {
    private let db: SQLiteConnection

    /// Opens the run's database, which `ProvenanceStore` created and registered the plan in.
    public init(path: String) throws {
        db = try SQLiteConnection(path: path)
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536")
        try Schema.migrate(db)
    }

    /// The tables whose rows a task database adds as they are.
    private static let appendedTables = [
        "stage_stats", "stage_drops", "stage_term_groups", "dedup_clusters", "tokenizers", "shards", "shard_spans",
        "task_lengths", "task_languages",
    ]

    /// Adds the rows of one task database; `continuing` for a streaming phase after the
    /// first, whose rows update the documents' rows. The run's tasks that the database
    /// completed become done under `run`. Returns how many document rows it added or updated.
    @discardableResult
    public func add(taskDatabase path: String, run: Int64, continuing: Bool) throws -> Int {
        try db.run("ATTACH DATABASE ? AS task", [.text(path)])
        defer { try? db.execute("DETACH DATABASE task") }
        let mine = try db.rows("SELECT name FROM main.schema_migrations ORDER BY position").map { $0[0].string }
        let theirs = try db.rows("SELECT name FROM task.schema_migrations ORDER BY position").map { $0[0].string }
        guard mine == theirs else {
            throw SQLiteError(message: "\(path) has schema \(theirs.last.flatMap { $0 } ?? "none"), the run has \(mine.last.flatMap { $0 } ?? "none")")
        }
        let disagreeing = try db.rows("""
            SELECT COUNT(*) FROM task.inputs AS t LEFT JOIN main.inputs AS m
            ON m.id = t.id AND m.path = t.path AND m.size = t.size AND m.sha256 = t.sha256 WHERE m.id IS NULL
            """)[0][0].int ?? 0
        guard disagreeing == 0 else {
            throw SQLiteError(message: "\(path) was made for other inputs than the run's (\(disagreeing) differ)")
        }
        var documents = 0
        try db.transaction {
            if continuing {
                try db.execute(Schema.documentKeyIndex)
                try db.run("""
                    UPDATE main.documents AS m SET status = d.status, dropped_by = d.dropped_by, reason = d.reason,
                    metrics = d.metrics, detail = d.detail, decided_in_task = d.task_id
                    FROM task.documents AS d WHERE m.input_id = d.input_id AND m.offset = d.offset
                    """)
            } else {
                try db.run("INSERT INTO main.documents SELECT * FROM task.documents ORDER BY rowid")
            }
            documents = Int(try db.rows("SELECT changes()")[0][0].int ?? 0)
            for table in Self.appendedTables {
                try db.run("INSERT INTO main.\(table) SELECT * FROM task.\(table)")
            }
            try db.run("""
                UPDATE main.tasks AS m SET status = t.status, run_id = ?, started_at = t.started_at, ended_at = t.ended_at,
                seconds = t.seconds, docs_in = t.docs_in, docs_kept = t.docs_kept, output = t.output,
                output_sha256 = t.output_sha256, error = NULL, rows_recorded = t.rows_recorded
                FROM task.tasks AS t WHERE t.id = m.id AND t.status = 'done'
                """, [.integer(run)])
        }
        return documents
    }
}
