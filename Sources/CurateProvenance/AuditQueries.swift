import CurateCore

/// One document's path through a run, as `doc_lineage` holds it.
public struct DocumentLineage: Sendable, Equatable {
    public var docID: String
    public var input: String
    public var offset: Int64
    public var line: Int64?
    public var url: String?
    public var domain: String?
    public var status: String
    public var droppedBy: String?
    public var reason: String?
    /// The dropping stage's metrics, a JSON object.
    public var metrics: String?
    public var detail: String?
    /// The document this one duplicates, when dedup dropped it.
    public var duplicateOf: String?
    public var shard: Int?
    public var firstToken: Int64?
    public var tokens: Int?
    /// The takedown that removed the document from the shards.
    public var takedown: Int64?
}

/// A pipeline stage as the run's counts list it.
public struct StagePosition: Sendable, Equatable {
    public var position: Int
    public var stage: String
    public var type: String
}

/// What a domain contributed to a run.
public struct DomainReport: Sendable, Equatable {
    public var domain: String
    public var documents: Int
    public var kept: Int
    public var dropped: Int
    public var unreadable: Int
    /// Kept documents that a takedown removed from the shards since.
    public var takenDown: Int
    public var tokens: Int
    /// The shards holding its kept documents.
    public var shards: [Int]
}

extension ProvenanceStore {
    private static let lineageColumns = """
        doc_id, input, offset, line, url, domain, status, dropped_by, reason, metrics, detail, duplicate_of, shard, first_token, tokens, takedown
        """

    private static func lineage(_ row: [SQLValue]) -> DocumentLineage {
        DocumentLineage(
            docID: row[0].string ?? "", input: row[1].string ?? "", offset: row[2].int ?? 0, line: row[3].int,
            url: row[4].string, domain: row[5].string, status: row[6].string ?? "", droppedBy: row[7].string,
            reason: row[8].string, metrics: row[9].string, detail: row[10].string, duplicateOf: row[11].string,
            shard: row[12].int.map(Int.init), firstToken: row[13].int, tokens: row[14].int.map(Int.init), takedown: row[15].int)
    }

    private func lineages(where condition: String, _ values: [SQLValue]) throws -> [DocumentLineage] {
        try rows("SELECT \(Self.lineageColumns) FROM doc_lineage WHERE \(condition) ORDER BY input, offset", values)
            .map(Self.lineage)
    }

    /// The documents with id `id` (ids given by inputs may repeat).
    public func lineage(documentID id: String) throws -> [DocumentLineage] {
        try lineages(where: "doc_id = ?", [.text(id)])
    }

    /// The documents fetched from `url`.
    public func lineage(url: String) throws -> [DocumentLineage] {
        try lineages(where: "url = ?", [.text(url)])
    }

    /// The document whose tokens include position `token` of shard `shard`.
    public func lineage(shard: Int, token: Int64) throws -> DocumentLineage? {
        try lineages(where: "shard = ? AND first_token <= ? AND first_token + tokens > ?",
                     [.integer(Int64(shard)), .integer(token), .integer(token)]).first
    }

    /// Documents that `stage` dropped (for `reason`, if given): how many, and `limit` of them
    /// spread evenly over all in input order, so the same run always gives the same sample.
    public func droppedDocuments(stage: String, reason: String?, limit: Int) throws -> (total: Int, sample: [DocumentLineage]) {
        let (condition, values) = Self.dropCondition(stage: stage, reason: reason)
        let keys = try rows("SELECT rowid FROM documents WHERE \(condition) ORDER BY input_id, offset", values)
        let picked = keys.count > limit && limit > 0 ? (0..<limit).map { keys[$0 * keys.count / limit] } : (limit > 0 ? keys : [])
        return (keys.count, try lineages(ofKeys: picked))
    }

    /// The first `limit` documents in input order that `stage` dropped for `reason`: cheaper
    /// to find than a spread sample (no need to count them all) and to read again from their inputs.
    public func firstDroppedDocuments(stage: String, reason: String, limit: Int) throws -> [DocumentLineage] {
        let (condition, values) = Self.dropCondition(stage: stage, reason: reason)
        let keys = try rows("SELECT rowid FROM documents WHERE \(condition) ORDER BY input_id, offset LIMIT \(max(0, limit))",
                            values)
        return try lineages(ofKeys: keys)
    }

    private static func dropCondition(stage: String, reason: String?) -> (String, [SQLValue]) {
        guard let reason else { return ("status != 'kept' AND dropped_by = ?", [.text(stage)]) }
        return ("status != 'kept' AND dropped_by = ? AND reason = ?", [.text(stage), .text(reason)])
    }

    /// The lineage of the documents of the given rows (`documents.rowid`, the first value of each).
    private func lineages(ofKeys keys: [[SQLValue]]) throws -> [DocumentLineage] {
        try keys.flatMap { key in
            try rows("SELECT \(Self.lineageColumns) FROM doc_lineage WHERE document_rowid = ?", [key[0]]).map(Self.lineage)
        }
    }

    /// The pipeline's stages in order.
    public func stagePositions() throws -> [StagePosition] {
        try rows("SELECT position, stage, type FROM stage_funnel").map {
            StagePosition(position: Int($0[0].int ?? 0), stage: $0[1].string ?? "", type: $0[2].string ?? "")
        }
    }

    /// What `domain` contributed, or nil when no document came from it.
    public func domainReport(_ domain: String) throws -> DomainReport? {
        guard let row = try rows("""
            SELECT domain, documents, kept, dropped, unreadable, tokens, taken_down FROM domain_summary WHERE domain = ?
            """, [.text(domain.lowercased())]).first else { return nil }
        let shards = try rows("""
            SELECT DISTINCT s.shard FROM shard_spans s JOIN documents d ON d.input_id = s.input_id AND d.offset = s.offset
            WHERE d.domain = ? ORDER BY s.shard
            """, [.text(domain.lowercased())]).compactMap { $0[0].int.map(Int.init) }
        return DomainReport(
            domain: row[0].string ?? "", documents: Int(row[1].int ?? 0), kept: Int(row[2].int ?? 0),
            dropped: Int(row[3].int ?? 0), unreadable: Int(row[4].int ?? 0), takenDown: Int(row[6].int ?? 0),
            tokens: Int(row[5].int ?? 0), shards: shards)
    }

    /// The shards the run wrote, in order.
    public func shardRecords() throws -> [ShardRecord] {
        try rows("SELECT shard, file, sha256, tokens, documents, frames FROM shards ORDER BY shard").map {
            ShardRecord(shard: Int($0[0].int ?? 0), file: $0[1].string ?? "", sha256: $0[2].string ?? "",
                        tokens: Int($0[3].int ?? 0), documents: Int($0[4].int ?? 0), frames: Int($0[5].int ?? 0))
        }
    }

    /// The input file with path `path` as the plan listed it: its format and sha256.
    public func input(path: String) throws -> (format: String, sha256: String)? {
        try rows("SELECT format, sha256 FROM inputs WHERE path = ?", [.text(path)]).first.map {
            ($0[0].string ?? "", $0[1].string ?? "")
        }
    }
}
