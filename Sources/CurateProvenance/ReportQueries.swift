import CurateCore

/// Everything the HTML report shows, read from a run's provenance.
public struct ReportData: Sendable {
    /// A count per label, in display order.
    public struct Bars: Sendable, Equatable {
        public var labels: [String]
        public var values: [[Int]]
    }

    public var pipelineName: String
    public var summary: RunSummary
    /// Document length in characters, log2 buckets: all documents read, and those kept.
    public var lengths: Bars
    /// Documents per identified language: all, and kept.
    public var languages: Bars
    /// Dedup clusters per size (documents in the cluster, the kept one included; clusters of one are not recorded).
    public var clusterSizes: Bars
    public var shards: [ShardRecord]
    public var tokenizers: [TokenizerRecord]
    /// Sampled dropped documents per (stage, reason), for snippets; filled by the caller.
    public var examples: [String: [String]] = [:]
}

extension ProvenanceStore {
    /// Reads what the report shows.
    public func reportData() throws -> ReportData {
        let summary = try summary()
        let name = try latestPipelineName() ?? "?"
        let (lengths, languages) = try lengthsAndLanguages()
        return ReportData(
            pipelineName: name, summary: summary, lengths: lengths, languages: languages,
            clusterSizes: try clusterSizes(), shards: try shardRecords(), tokenizers: try tokenizerRecords())
    }

    /// Languages shown, the most frequent first.
    static let reportedLanguages = 30

    /// The length histogram and the language counts: the sums of the tasks' own when they
    /// cover every row (see `histogramsCoverEveryRow`), otherwise from one pass over the rows
    /// in table order (grouping in SQL would sort them all first, and each pass reads every row).
    private func lengthsAndLanguages() throws -> (lengths: ReportData.Bars, languages: ReportData.Bars) {
        var histograms = DocumentHistograms()
        if try histogramsCoverEveryRow() {
            for row in try rows("SELECT bucket, SUM(documents), SUM(kept) FROM task_lengths GROUP BY bucket") {
                guard let b = row[0].int.map(Int.init), histograms.lengths.indices.contains(b) else { continue }
                histograms.lengths[b] = (Int(row[1].int ?? 0), Int(row[2].int ?? 0))
            }
            for row in try rows("SELECT language, SUM(documents), SUM(kept) FROM task_languages GROUP BY language") {
                histograms.languages[row[0].string ?? ""] = (Int(row[1].int ?? 0), Int(row[2].int ?? 0))
            }
        } else {
            try scan("SELECT chars, status = 'kept', language FROM documents") { row in
                histograms.add(chars: row.isNull(0) ? nil : Int(row.integer(0)), kept: row.integer(1) == 1, language: row.text(2))
            }
        }
        let top = histograms.languages.sorted { ($1.value.all, $0.key) < ($0.value.all, $1.key) }.prefix(Self.reportedLanguages)
        let languageBars = ReportData.Bars(labels: top.map(\.key), values: top.map { [$0.value.all, $0.value.kept] })
        let lengths = histograms.lengths
        guard let first = lengths.firstIndex(where: { $0.all > 0 }), let last = lengths.lastIndex(where: { $0.all > 0 }) else {
            return (ReportData.Bars(labels: [], values: []), languageBars)
        }
        let buckets = Array(first...last)
        let lengthBars = ReportData.Bars(labels: buckets.map(DocumentHistograms.label), values: buckets.map { [lengths[$0].all, lengths[$0].kept] })
        return (lengthBars, languageBars)
    }

    /// Whether the tasks' histograms count exactly the rows of `documents`: every first-phase
    /// task is done and counted its rows, and no later phase dropped a document (which updates
    /// rows that the first phase counted as kept) or left rows behind unfinished.
    private func histogramsCoverEveryRow() throws -> Bool {
        try rows("""
            SELECT NOT EXISTS (SELECT 1 FROM tasks WHERE phase = 0 AND (status != 'done' OR rows_recorded IS NULL))
               AND NOT EXISTS (SELECT 1 FROM tasks WHERE phase > 0 AND (status != 'done' OR docs_kept < docs_in))
            """).first?[0].int == 1
    }

    private func clusterSizes() throws -> ReportData.Bars {
        let rows = try rows("""
            SELECT size, COUNT(*) FROM (SELECT kept_doc_id, COUNT(*) AS size FROM dedup_clusters GROUP BY stage, kept_doc_id)
            GROUP BY size ORDER BY size
            """)
        return ReportData.Bars(labels: rows.map { String($0[0].int ?? 0) }, values: rows.map { [Int($0[1].int ?? 0)] })
    }

    /// The `name` of the latest run's pipeline.
    public func latestPipelineName() throws -> String? {
        guard let pipeline = try latestPipeline(),
              case let .object(object)? = try? JSONParser.parse(Array(pipeline.json.utf8)),
              case let .string(name)? = object["name"] else { return nil }
        return name
    }

    /// The tokenizers the run trained or loaded.
    public func tokenizerRecords() throws -> [TokenizerRecord] {
        try rows("""
            SELECT file, sha256, vocab_size, pattern, trained_on_documents, trained_on_bytes, encoded_bytes, encoded_tokens
            FROM tokenizers ORDER BY task_id
            """)
            .map {
                TokenizerRecord(file: $0[0].string ?? "", sha256: $0[1].string ?? "", vocabSize: Int($0[2].int ?? 0),
                                pattern: $0[3].string, trainedOnDocuments: $0[4].int.map(Int.init), trainedOnBytes: $0[5].int,
                                encodedBytes: $0[6].int, encodedTokens: $0[7].int)
            }
    }
}
