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

    /// The length histogram and the language counts, from one pass over the rows in table
    /// order: grouping in SQL would sort them all first, and each pass reads every row.
    private func lengthsAndLanguages() throws -> (lengths: ReportData.Bars, languages: ReportData.Bars) {
        // Per log2 bucket of the length: bucket b holds 2^(b-1) ... 2^b - 1, bucket 0 holds 0.
        var all = [Int](repeating: 0, count: Int.bitWidth + 1)
        var kept = all
        var languages: [String: (all: Int, kept: Int)] = [:]
        try scan("SELECT chars, status = 'kept', language FROM documents") { row in
            let isKept = row.integer(1) == 1
            if !row.isNull(0) {
                let chars = Int(row.integer(0))
                let bucket = chars < 1 ? 0 : Int.bitWidth - chars.leadingZeroBitCount
                all[bucket] += 1
                if isKept { kept[bucket] += 1 }
            }
            if let language = row.text(2) {
                languages[language, default: (0, 0)].all += 1
                if isKept { languages[language, default: (0, 0)].kept += 1 }
            }
        }
        let top = languages.sorted { ($1.value.all, $0.key) < ($0.value.all, $1.key) }.prefix(Self.reportedLanguages)
        let languageBars = ReportData.Bars(labels: top.map(\.key), values: top.map { [$0.value.all, $0.value.kept] })
        guard let first = all.firstIndex(where: { $0 > 0 }), let last = all.lastIndex(where: { $0 > 0 }) else {
            return (ReportData.Bars(labels: [], values: []), languageBars)
        }
        let buckets = Array(first...last)
        let lengthBars = ReportData.Bars(
            labels: buckets.map { $0 == 0 ? "0" : "\(1 << ($0 - 1))–\((1 << $0) - 1)" },
            values: buckets.map { [all[$0], kept[$0]] })
        return (lengthBars, languageBars)
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
