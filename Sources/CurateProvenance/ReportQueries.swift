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
        return ReportData(
            pipelineName: name, summary: summary, lengths: try lengthHistogram(), languages: try languageCounts(),
            clusterSizes: try clusterSizes(), shards: try shardRecords(), tokenizers: try tokenizerRecords())
    }

    private func lengthHistogram() throws -> ReportData.Bars {
        var all: [Int: Int] = [:]
        var kept: [Int: Int] = [:]
        // One pass over the rows in table order: grouping in SQL would sort them all first.
        try scan("SELECT chars, status = 'kept' FROM documents WHERE chars IS NOT NULL") { row in
            let chars = Int(row.integer(0))
            let bucket = chars < 1 ? 0 : Int.bitWidth - chars.leadingZeroBitCount
            all[bucket, default: 0] += 1
            if row.integer(1) == 1 { kept[bucket, default: 0] += 1 }
        }
        guard let top = all.keys.max() else { return ReportData.Bars(labels: [], values: []) }
        let buckets = Array((all.keys.min() ?? 0)...top)
        return ReportData.Bars(
            labels: buckets.map { $0 == 0 ? "0" : "\(1 << ($0 - 1))–\((1 << $0) - 1)" },
            values: buckets.map { [all[$0] ?? 0, kept[$0] ?? 0] })
    }

    private func languageCounts() throws -> ReportData.Bars {
        let rows = try rows("""
            SELECT language, COUNT(*), SUM(status = 'kept') FROM documents WHERE language IS NOT NULL
            GROUP BY language ORDER BY 2 DESC, language LIMIT 30
            """)
        return ReportData.Bars(labels: rows.map { $0[0].string ?? "" },
                               values: rows.map { [Int($0[1].int ?? 0), Int($0[2].int ?? 0)] })
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
