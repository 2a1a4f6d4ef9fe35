/// A named step of the provenance schema. Migrations run once each, in order, and are
/// recorded in `schema_migrations`; a database written by a newer curate is refused.
struct Migration {
    let name: String
    let sql: String
}

enum Schema {
    static let migrations: [Migration] = [
        Migration(name: "v1-runs-inputs-tasks-documents", sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                pipeline_name TEXT NOT NULL,
                pipeline_json TEXT NOT NULL,
                pipeline_sha256 TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                workers INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed'))
            );
            CREATE TABLE inputs (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                format TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL
            );
            CREATE TABLE tasks (
                id INTEGER PRIMARY KEY,
                phase INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
                run_id INTEGER REFERENCES runs(id),
                started_at TEXT,
                ended_at TEXT,
                seconds REAL,
                docs_in INTEGER,
                docs_kept INTEGER,
                output TEXT,
                output_sha256 TEXT,
                error TEXT
            );
            CREATE TABLE task_inputs (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                input_id INTEGER NOT NULL REFERENCES inputs(id),
                PRIMARY KEY (task_id, input_id)
            ) WITHOUT ROWID;
            CREATE TABLE documents (
                input_id INTEGER NOT NULL REFERENCES inputs(id),
                offset INTEGER NOT NULL,
                line INTEGER,
                doc_id TEXT NOT NULL,
                url TEXT,
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                status TEXT NOT NULL CHECK (status = 'kept' OR status = 'dropped' OR status = 'error'),
                dropped_by TEXT,
                reason TEXT,
                metrics TEXT,
                detail TEXT,
                chars INTEGER,
                PRIMARY KEY (input_id, offset)
            ) WITHOUT ROWID;
            CREATE TABLE stage_stats (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                position INTEGER NOT NULL,
                stage TEXT NOT NULL,
                type TEXT NOT NULL,
                docs_in INTEGER NOT NULL,
                docs_out INTEGER NOT NULL,
                rewritten INTEGER NOT NULL,
                seconds REAL NOT NULL,
                PRIMARY KEY (task_id, position)
            ) WITHOUT ROWID;
            CREATE TABLE stage_drops (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                position INTEGER NOT NULL,
                reason TEXT NOT NULL,
                documents INTEGER NOT NULL,
                PRIMARY KEY (task_id, position, reason)
            ) WITHOUT ROWID;
            CREATE VIEW drops_by_reason AS
                SELECT dropped_by AS stage, reason, COUNT(*) AS documents
                FROM documents WHERE status != 'kept'
                GROUP BY dropped_by, reason ORDER BY documents DESC, stage, reason;
            CREATE VIEW stage_funnel AS
                SELECT s.position, s.stage, s.type, SUM(s.docs_in) AS docs_in, SUM(s.docs_out) AS docs_out,
                       SUM(s.docs_in) - SUM(s.docs_out) AS dropped, SUM(s.rewritten) AS rewritten, SUM(s.seconds) AS seconds
                FROM stage_stats AS s JOIN tasks ON tasks.id = s.task_id AND tasks.status = 'done'
                GROUP BY s.position ORDER BY s.position;
            """),
        Migration(name: "v2-phases-and-dedup-clusters", sql: """
            ALTER TABLE documents ADD COLUMN decided_in_task INTEGER REFERENCES tasks(id);
            ALTER TABLE documents ADD COLUMN domain TEXT;
            ALTER TABLE documents ADD COLUMN language TEXT;
            ALTER TABLE runs ADD COLUMN pipeline_folder TEXT;
            CREATE TABLE tokenizers (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                stage TEXT NOT NULL,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                vocab_size INTEGER NOT NULL,
                pattern TEXT,
                trained_on_documents INTEGER,
                trained_on_bytes INTEGER
            );
            CREATE TABLE shards (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                shard INTEGER NOT NULL,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                tokens INTEGER NOT NULL,
                documents INTEGER NOT NULL,
                frames INTEGER NOT NULL,
                PRIMARY KEY (shard)
            );
            CREATE TABLE shard_spans (
                input_id INTEGER NOT NULL REFERENCES inputs(id),
                offset INTEGER NOT NULL,
                doc_id TEXT NOT NULL,
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                shard INTEGER NOT NULL,
                first_token INTEGER NOT NULL,
                tokens INTEGER NOT NULL,
                PRIMARY KEY (input_id, offset)
            ) WITHOUT ROWID;
            CREATE INDEX shard_spans_by_position ON shard_spans(shard, first_token);
            CREATE VIEW doc_lineage AS
                SELECT d.doc_id, i.path AS input, d.offset, d.line, d.url, d.domain, d.status, d.dropped_by, d.reason,
                       d.metrics, d.detail, c.kept_doc_id AS duplicate_of, s.shard, s.first_token, s.tokens
                FROM documents AS d JOIN inputs AS i ON i.id = d.input_id
                LEFT JOIN dedup_clusters AS c ON c.doc_id = d.doc_id AND c.doc_id != c.kept_doc_id
                LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset;
            CREATE VIEW domain_summary AS
                SELECT d.domain, COUNT(*) AS documents, SUM(d.status = 'kept') AS kept,
                       SUM(d.status = 'dropped') AS dropped, SUM(d.status = 'error') AS unreadable,
                       COALESCE(SUM(s.tokens), 0) AS tokens, COUNT(DISTINCT s.shard) AS shards
                FROM documents AS d LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset
                WHERE d.domain IS NOT NULL GROUP BY d.domain ORDER BY documents DESC, d.domain;
            CREATE TABLE dedup_clusters (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                stage TEXT NOT NULL,
                doc_id TEXT NOT NULL,
                kept_doc_id TEXT NOT NULL,
                estimated_jaccard REAL,
                exact_jaccard REAL
            );
            CREATE INDEX dedup_clusters_by_kept ON dedup_clusters(kept_doc_id);
            CREATE TABLE stage_term_groups (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                position INTEGER NOT NULL,
                term_group TEXT NOT NULL,
                docs_in INTEGER NOT NULL,
                dropped INTEGER NOT NULL,
                PRIMARY KEY (task_id, position, term_group)
            ) WITHOUT ROWID;
            CREATE VIEW term_group_shift AS
                SELECT g.position, f.stage, g.term_group, SUM(g.docs_in) AS docs_in, SUM(g.dropped) AS dropped,
                       ROUND(100.0 * SUM(g.dropped) / MAX(SUM(g.docs_in), 1), 2) AS group_drop_pct,
                       ROUND(100.0 * f.dropped / MAX(f.docs_in, 1), 2) AS overall_drop_pct
                FROM stage_term_groups AS g JOIN tasks ON tasks.id = g.task_id AND tasks.status = 'done'
                JOIN stage_funnel AS f ON f.position = g.position
                GROUP BY g.position, g.term_group ORDER BY g.position, g.term_group;
            """),
        Migration(name: "v3-takedowns", sql: """
            CREATE TABLE takedowns (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                selector TEXT NOT NULL CHECK (selector IN ('url', 'domain', 'ids')),
                value TEXT NOT NULL,
                documents INTEGER NOT NULL,
                removed_documents INTEGER NOT NULL,
                removed_tokens INTEGER NOT NULL,
                manifest_version INTEGER
            );
            CREATE TABLE takedown_documents (
                takedown_id INTEGER NOT NULL REFERENCES takedowns(id),
                input_id INTEGER NOT NULL REFERENCES inputs(id),
                offset INTEGER NOT NULL,
                doc_id TEXT NOT NULL,
                shard INTEGER,
                first_token INTEGER,
                tokens INTEGER,
                PRIMARY KEY (takedown_id, input_id, offset)
            ) WITHOUT ROWID;
            CREATE TABLE takedown_shards (
                takedown_id INTEGER NOT NULL REFERENCES takedowns(id),
                shard INTEGER NOT NULL,
                file_before TEXT NOT NULL,
                sha256_before TEXT NOT NULL,
                file_after TEXT NOT NULL,
                sha256_after TEXT NOT NULL,
                PRIMARY KEY (takedown_id, shard)
            ) WITHOUT ROWID;
            ALTER TABLE documents ADD COLUMN taken_down_by INTEGER REFERENCES takedowns(id);
            CREATE INDEX dedup_clusters_by_doc_id ON dedup_clusters(doc_id);
            ALTER TABLE tokenizers ADD COLUMN encoded_bytes INTEGER;
            ALTER TABLE tokenizers ADD COLUMN encoded_tokens INTEGER;
            DROP VIEW doc_lineage;
            CREATE VIEW doc_lineage AS
                SELECT d.doc_id, i.path AS input, d.offset, d.line, d.url, d.domain, d.status, d.dropped_by, d.reason,
                       d.metrics, d.detail, c.kept_doc_id AS duplicate_of, s.shard, s.first_token, s.tokens,
                       d.taken_down_by AS takedown
                FROM documents AS d JOIN inputs AS i ON i.id = d.input_id
                LEFT JOIN dedup_clusters AS c ON c.doc_id = d.doc_id AND c.doc_id != c.kept_doc_id
                LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset;
            DROP VIEW domain_summary;
            CREATE VIEW domain_summary AS
                SELECT d.domain, COUNT(*) AS documents, SUM(d.status = 'kept') AS kept,
                       SUM(d.status = 'dropped') AS dropped, SUM(d.status = 'error') AS unreadable,
                       COALESCE(SUM(s.tokens), 0) AS tokens, COUNT(DISTINCT s.shard) AS shards,
                       SUM(d.taken_down_by IS NOT NULL) AS taken_down
                FROM documents AS d LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset
                WHERE d.domain IS NOT NULL GROUP BY d.domain ORDER BY documents DESC, d.domain;
            """),
        // Every run's summary counts the unreadable records per reason: without this index,
        // a scan of all rows (twice per run with its report).
        Migration(name: "v4-documents-errors-index", sql: """
            CREATE INDEX documents_errors ON documents(reason) WHERE status = 'error';
            """),
        // `documents` becomes a rowid table: SQLite appends a row to one without looking for
        // its place, where a table keyed by (input_id, offset) searches it first (a third of
        // the cost of an insert). The key's index is built when something first looks documents
        // up by it (see `Schema.documentKeyIndex`).
        Migration(name: "v5-documents-rowid", sql: """
            DROP VIEW doc_lineage;
            DROP VIEW domain_summary;
            DROP VIEW drops_by_reason;
            DROP INDEX documents_errors;
            DROP INDEX IF EXISTS documents_by_doc_id;
            ALTER TABLE documents RENAME TO documents_v4;
            CREATE TABLE documents (
                input_id INTEGER NOT NULL REFERENCES inputs(id),
                offset INTEGER NOT NULL,
                line INTEGER,
                doc_id TEXT NOT NULL,
                url TEXT,
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                status TEXT NOT NULL CHECK (status = 'kept' OR status = 'dropped' OR status = 'error'),
                dropped_by TEXT,
                reason TEXT,
                metrics TEXT,
                detail TEXT,
                chars INTEGER,
                decided_in_task INTEGER REFERENCES tasks(id),
                domain TEXT,
                language TEXT,
                taken_down_by INTEGER REFERENCES takedowns(id)
            );
            INSERT INTO documents (input_id, offset, line, doc_id, url, task_id, status, dropped_by, reason, metrics, detail,
                                   chars, decided_in_task, domain, language, taken_down_by)
                SELECT input_id, offset, line, doc_id, url, task_id, status, dropped_by, reason, metrics, detail,
                       chars, decided_in_task, domain, language, taken_down_by
                FROM documents_v4 ORDER BY input_id, offset;
            DROP TABLE documents_v4;
            CREATE INDEX documents_errors ON documents(reason) WHERE status = 'error';
            CREATE VIEW drops_by_reason AS
                SELECT dropped_by AS stage, reason, COUNT(*) AS documents
                FROM documents WHERE status != 'kept'
                GROUP BY dropped_by, reason ORDER BY documents DESC, stage, reason;
            CREATE VIEW doc_lineage AS
                SELECT d.doc_id, i.path AS input, d.offset, d.line, d.url, d.domain, d.status, d.dropped_by, d.reason,
                       d.metrics, d.detail, c.kept_doc_id AS duplicate_of, s.shard, s.first_token, s.tokens,
                       d.taken_down_by AS takedown, d.rowid AS document_rowid
                FROM documents AS d JOIN inputs AS i ON i.id = d.input_id
                LEFT JOIN dedup_clusters AS c ON c.doc_id = d.doc_id AND c.doc_id != c.kept_doc_id
                LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset;
            CREATE VIEW domain_summary AS
                SELECT d.domain, COUNT(*) AS documents, SUM(d.status = 'kept') AS kept,
                       SUM(d.status = 'dropped') AS dropped, SUM(d.status = 'error') AS unreadable,
                       COALESCE(SUM(s.tokens), 0) AS tokens, COUNT(DISTINCT s.shard) AS shards,
                       SUM(d.taken_down_by IS NOT NULL) AS taken_down
                FROM documents AS d LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset
                WHERE d.domain IS NOT NULL GROUP BY d.domain ORDER BY documents DESC, d.domain;
            """),
        // The report's length and language histograms, counted per task as its rows are
        // recorded: adding them up spares the report a pass over every row at the end of a run.
        // `tasks.rows_recorded` says that a task's were (NULL for tasks recorded before, or
        // with `--provenance minimal`).
        Migration(name: "v6-task-histograms", sql: """
            ALTER TABLE tasks ADD COLUMN rows_recorded INTEGER;
            CREATE TABLE task_lengths (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                bucket INTEGER NOT NULL,
                documents INTEGER NOT NULL,
                kept INTEGER NOT NULL,
                PRIMARY KEY (task_id, bucket)
            ) WITHOUT ROWID;
            CREATE TABLE task_languages (
                task_id INTEGER NOT NULL REFERENCES tasks(id),
                language TEXT NOT NULL,
                documents INTEGER NOT NULL,
                kept INTEGER NOT NULL,
                PRIMARY KEY (task_id, language)
            ) WITHOUT ROWID;
            """),
    ]

    /// The index of `documents` by its key, (input_id, offset), unique. A run's first pass
    /// only appends rows, so it is built when documents are first looked up by key: when a
    /// task that already started is redone, by a later phase, a merge or the first audit.
    static let documentKeyIndex = "CREATE UNIQUE INDEX IF NOT EXISTS documents_by_key ON documents(input_id, offset)"

    /// Applies the migrations that `connection` has not seen yet.
    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (position INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        let applied = try connection.rows("SELECT name FROM schema_migrations ORDER BY position").compactMap { $0[0].string }
        let known = migrations.map(\.name)
        guard applied.count <= known.count, Array(known.prefix(applied.count)) == applied else {
            throw SQLiteError(message: "schema \(applied.last ?? "?") is not one this version of curate knows; use a newer curate")
        }
        for (position, migration) in migrations.enumerated().dropFirst(applied.count) {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.run("INSERT INTO schema_migrations (position, name) VALUES (?, ?)",
                                   [.integer(Int64(position)), .text(migration.name)])
            }
        }
    }
}
