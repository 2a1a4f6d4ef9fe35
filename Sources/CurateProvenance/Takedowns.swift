import CurateCore

/// Which documents a takedown asks to remove.
public enum TakedownSelector: Sendable, Equatable {
    /// Documents fetched from exactly this URL.
    case url(String)
    /// Documents whose host is this domain or one of its subdomains.
    case domain(String)
    /// Documents with these ids.
    case ids([String])

    /// The name `takedowns.selector` stores.
    public var kind: String {
        switch self {
        case .url: "url"
        case .domain: "domain"
        case .ids: "ids"
        }
    }

    /// The value `takedowns.value` stores (ids one per line).
    public var value: String {
        switch self {
        case let .url(url): url
        case let .domain(domain): domain.lowercased()
        case let .ids(ids): ids.joined(separator: "\n")
        }
    }
}

/// A document a takedown selected, with its tokens when the shards hold it.
public struct TakedownDocument: Sendable, Equatable {
    public var inputID: Int64
    public var offset: Int64
    public var documentID: String
    public var url: String?
    public var shard: Int?
    public var firstToken: Int64?
    public var tokens: Int?
}

/// A shard a takedown rewrote: the rewritten files and where its remaining documents moved.
public struct TakedownShard: Sendable, Equatable {
    public var before: ShardRecord
    public var after: ShardRecord
    /// New first token of each remaining document, by its first token before.
    public var moved: [Int64: Int64]

    public init(before: ShardRecord, after: ShardRecord, moved: [Int64: Int64]) {
        self.before = before
        self.after = after
        self.moved = moved
    }
}

/// A takedown as provenance keeps it.
public struct TakedownRecord: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var selector: String
    public var value: String
    public var documents: Int
    public var removedDocuments: Int
    public var removedTokens: Int
    public var manifestVersion: Int?
}

extension ProvenanceStore {
    /// The documents `selector` picks that no earlier takedown removed, in input order.
    public func takedownDocuments(_ selector: TakedownSelector) throws -> [TakedownDocument] {
        let select = """
            SELECT d.input_id, d.offset, d.doc_id, d.url, s.shard, s.first_token, s.tokens
            FROM documents AS d LEFT JOIN shard_spans AS s ON s.input_id = d.input_id AND s.offset = d.offset
            WHERE d.taken_down_by IS NULL AND
            """
        func document(_ row: [SQLValue]) -> TakedownDocument {
            TakedownDocument(inputID: row[0].int ?? 0, offset: row[1].int ?? 0, documentID: row[2].string ?? "", url: row[3].string,
                             shard: row[4].int.map(Int.init), firstToken: row[5].int, tokens: row[6].int.map(Int.init))
        }
        let order = " ORDER BY d.input_id, d.offset"
        switch selector {
        case let .url(url):
            return try rows(select + " d.url = ?" + order, [.text(url)]).map(document)
        case let .domain(domain):
            let host = SQLValue.text(domain.lowercased())
            return try rows(select + """
                 (d.domain = ?1 OR (length(d.domain) > length(?1) AND substr(d.domain, length(d.domain) - length(?1)) = '.' || ?1))
                """ + order, [host]).map(document)
        case let .ids(ids):
            var found: [TakedownDocument] = []
            for id in Set(ids).sorted() { found += try rows(select + " d.doc_id = ?" + order, [.text(id)]).map(document) }
            return found.sorted { ($0.inputID, $0.offset) < ($1.inputID, $1.offset) }
        }
    }

    /// Records a takedown in one transaction: the takedown, its documents (marked in
    /// `documents`, their spans removed), and the rewritten shards (their rows updated, the
    /// spans of the documents they still hold moved). Returns the takedown's id.
    @discardableResult
    public func recordTakedown(
        _ selector: TakedownSelector, documents: [TakedownDocument], shards: [TakedownShard], manifestVersion: Int?
    ) throws -> Int64 {
        let removed = documents.filter { $0.shard != nil }
        return try transaction { db in
            try db.run("""
                INSERT INTO takedowns (at, selector, value, documents, removed_documents, removed_tokens, manifest_version)
                VALUES (\(Self.now), ?, ?, ?, ?, ?, ?)
                """, [.text(selector.kind), .text(selector.value), .integer(Int64(documents.count)), .integer(Int64(removed.count)),
                      .integer(Int64(removed.reduce(0) { $0 + ($1.tokens ?? 0) })),
                      manifestVersion.map { .integer(Int64($0)) } ?? .null])
            let id = db.lastInsertRowID
            for document in documents {
                let key: [SQLValue] = [.integer(document.inputID), .integer(document.offset)]
                try db.run("""
                    INSERT INTO takedown_documents (takedown_id, input_id, offset, doc_id, shard, first_token, tokens)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [.integer(id)] + key + [.text(document.documentID), document.shard.map { .integer(Int64($0)) } ?? .null,
                                                 document.firstToken.map(SQLValue.integer) ?? .null,
                                                 document.tokens.map { .integer(Int64($0)) } ?? .null])
                try db.run("UPDATE documents SET taken_down_by = ? WHERE input_id = ? AND offset = ?", [.integer(id)] + key)
                try db.run("DELETE FROM shard_spans WHERE input_id = ? AND offset = ?", key)
            }
            for shard in shards {
                let number = SQLValue.integer(Int64(shard.after.shard))
                for span in try db.rows("SELECT input_id, offset, first_token FROM shard_spans WHERE shard = ?", [number]) {
                    guard let first = span[2].int, let moved = shard.moved[first] else {
                        throw SQLiteError(message: "shard \(shard.after.shard): a document at token \(span[2].int ?? -1) is neither removed nor kept")
                    }
                    try db.run("UPDATE shard_spans SET first_token = ? WHERE input_id = ? AND offset = ?", [.integer(moved), span[0], span[1]])
                }
                try db.run("""
                    UPDATE shards SET file = ?, sha256 = ?, tokens = ?, documents = ?, frames = ? WHERE shard = ?
                    """, [.text(shard.after.file), .text(shard.after.sha256), .integer(Int64(shard.after.tokens)),
                          .integer(Int64(shard.after.documents)), .integer(Int64(shard.after.frames)), number])
                try db.run("""
                    INSERT INTO takedown_shards (takedown_id, shard, file_before, sha256_before, file_after, sha256_after)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [.integer(id), number, .text(shard.before.file), .text(shard.before.sha256), .text(shard.after.file),
                          .text(shard.after.sha256)])
            }
            return id
        }
    }

    /// Every takedown recorded, oldest first.
    public func takedowns() throws -> [TakedownRecord] {
        try rows("""
            SELECT id, at, selector, value, documents, removed_documents, removed_tokens, manifest_version FROM takedowns ORDER BY id
            """).map {
            TakedownRecord(id: $0[0].int ?? 0, at: $0[1].string ?? "", selector: $0[2].string ?? "", value: $0[3].string ?? "",
                           documents: Int($0[4].int ?? 0), removedDocuments: Int($0[5].int ?? 0), removedTokens: Int($0[6].int ?? 0),
                           manifestVersion: $0[7].int.map(Int.init))
        }
    }
}
