/// A stage that needs every document that reached it before it can decide about any of
/// them: dedup clustering, tokenizer training. The runner ends a phase before it.
///
/// A barrier works in two steps so that a run can resume: `resolve` reads the documents and
/// leaves its results as files in `context.folder`; `load` turns those files into the
/// streaming stage that the next phase applies to each document (for dedup, one that drops
/// the duplicates). `resolve` runs once per run; `load` runs again on every resume.
public protocol BarrierStage: Sendable {
    func resolve(_ context: BarrierContext) throws
    func load(_ context: BarrierContext) throws -> any Stage
}

/// What a barrier sees: the documents that reached it and a folder of its own.
public struct BarrierContext: Sendable {
    /// The barrier's step name in the pipeline.
    public let stepName: String
    /// A folder for the barrier's files (signatures, buckets, spills, results); it exists,
    /// and is empty when `resolve` starts.
    public let folder: String
    /// The run folder, for outputs users look for (tokenizer.json).
    public let runFolder: String
    /// The files holding the documents that reached the barrier, in plan order; documents
    /// within a part are in input order.
    public let parts: [String]
    /// Threads the barrier may use.
    public let workers: Int
    /// Calls `body` for every document of `parts[index]`, in order.
    public let forEachDocument: @Sendable (_ index: Int, _ body: (inout Document) throws -> Void) throws -> Void
    /// Records dedup cluster memberships in provenance; called from `resolve` only.
    public let recordClusters: @Sendable ([ClusterMember]) throws -> Void
    /// Records a tokenizer the barrier trained or loaded; called from `resolve` only.
    public let recordTokenizer: @Sendable (TokenizerRecord) throws -> Void
    /// Records shards the barrier wrote and where each document's tokens went; called from
    /// `resolve` only.
    public let recordShards: @Sendable ([ShardRecord], [ShardSpan]) throws -> Void

    public init(
        stepName: String, folder: String, runFolder: String, parts: [String], workers: Int,
        forEachDocument: @escaping @Sendable (Int, (inout Document) throws -> Void) throws -> Void,
        recordClusters: @escaping @Sendable ([ClusterMember]) throws -> Void,
        recordTokenizer: @escaping @Sendable (TokenizerRecord) throws -> Void = { _ in },
        recordShards: @escaping @Sendable ([ShardRecord], [ShardSpan]) throws -> Void = { _, _ in }
    ) {
        self.recordTokenizer = recordTokenizer
        self.recordShards = recordShards
        self.stepName = stepName
        self.folder = folder
        self.runFolder = runFolder
        self.parts = parts
        self.workers = workers
        self.forEachDocument = forEachDocument
        self.recordClusters = recordClusters
    }
}

/// One document's place in a dedup cluster.
public struct ClusterMember: Sendable, Equatable {
    public let documentID: String
    /// The cluster's id: the id of the document the cluster keeps.
    public let keptID: String
    /// Jaccard similarity to the kept document estimated from signatures, if known.
    public let estimatedJaccard: Double?
    /// True Jaccard similarity of shingle sets, when verification computed it.
    public let exactJaccard: Double?

    public init(documentID: String, keptID: String, estimatedJaccard: Double?, exactJaccard: Double?) {
        self.documentID = documentID
        self.keptID = keptID
        self.estimatedJaccard = estimatedJaccard
        self.exactJaccard = exactJaccard
    }
}

/// A tokenizer used by a run: its file (relative to the run folder when inside it) and what
/// it was trained on, if curate trained it.
public struct TokenizerRecord: Sendable, Equatable {
    public let file: String
    public let sha256: String
    public let vocabSize: Int
    public let pattern: String?
    public let trainedOnDocuments: Int?
    public let trainedOnBytes: Int64?
    /// What the stage encoded with it: text bytes and tokens, end-of-document ids not counted.
    public let encodedBytes: Int64?
    public let encodedTokens: Int64?

    public init(file: String, sha256: String, vocabSize: Int, pattern: String?, trainedOnDocuments: Int?, trainedOnBytes: Int64?,
                encodedBytes: Int64? = nil, encodedTokens: Int64? = nil) {
        self.encodedBytes = encodedBytes
        self.encodedTokens = encodedTokens
        self.file = file
        self.sha256 = sha256
        self.vocabSize = vocabSize
        self.pattern = pattern
        self.trainedOnDocuments = trainedOnDocuments
        self.trainedOnBytes = trainedOnBytes
    }
}

/// One token shard a run wrote.
public struct ShardRecord: Sendable, Equatable {
    public let shard: Int
    /// Relative to the run folder.
    public let file: String
    public let sha256: String
    public let tokens: Int
    public let documents: Int
    public let frames: Int

    public init(shard: Int, file: String, sha256: String, tokens: Int, documents: Int, frames: Int) {
        self.shard = shard
        self.file = file
        self.sha256 = sha256
        self.tokens = tokens
        self.documents = documents
        self.frames = frames
    }
}

/// Where one document's tokens are: a shard, the position of its first token there, and how
/// many tokens (its end-of-document token included).
public struct ShardSpan: Sendable, Equatable {
    public let source: SourceRef
    public let documentID: String
    public let shard: Int
    public let firstToken: Int64
    public let tokens: Int

    public init(source: SourceRef, documentID: String, shard: Int, firstToken: Int64, tokens: Int) {
        self.source = source
        self.documentID = documentID
        self.shard = shard
        self.firstToken = firstToken
        self.tokens = tokens
    }
}
