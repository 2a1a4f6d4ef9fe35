/// What became of one input document.
public enum DocumentStatus: String, Sendable {
    case kept, dropped, error
}

/// One row of the `documents` table.
public struct DocumentRecord: Sendable, Equatable {
    public var inputID: Int64
    public var offset: Int64
    public var line: Int64?
    public var docID: String
    public var url: String?
    public var status: DocumentStatus
    /// The stage that dropped the document (`reader` for unreadable records).
    public var droppedBy: String?
    public var reason: String?
    /// The dropping stage's metrics as a JSON object.
    public var metrics: String?
    /// The full message for unreadable records.
    public var detail: String?
    public var chars: Int?
    /// The host of `url`, lower-cased.
    public var domain: String?
    /// The language a stage identified (`metadata.language`), if any.
    public var language: String?

    public init(
        inputID: Int64, offset: Int64, line: Int64?, docID: String, url: String?, status: DocumentStatus,
        droppedBy: String? = nil, reason: String? = nil, metrics: String? = nil, detail: String? = nil, chars: Int? = nil,
        domain: String? = nil
    ) {
        self.domain = domain
        self.inputID = inputID
        self.offset = offset
        self.line = line
        self.docID = docID
        self.url = url
        self.status = status
        self.droppedBy = droppedBy
        self.reason = reason
        self.metrics = metrics
        self.detail = detail
        self.chars = chars
    }
}

/// What a task does, which decides how an interrupted attempt of it is undone.
public enum TaskKind: Sendable, Equatable {
    /// Reads input files: writes a documents row per record.
    case reading
    /// Reads the documents an earlier phase kept: updates the rows of those it drops.
    case continuing
    /// A barrier (dedup clustering, tokenizer training) of the named stage.
    case barrier(stage: String)
}

/// One stage's counts within one task.
public struct StageStats: Sendable, Equatable {
    public var position: Int
    public var stage: String
    public var type: String
    public var docsIn = 0
    public var docsOut = 0
    public var rewritten = 0
    public var seconds = 0.0
    public var drops: [String: Int] = [:]
    /// Per term group of the audit (empty without one): documents mentioning it that came in,
    /// and that this stage dropped.
    public var groupsIn: [Int]
    public var groupsDropped: [Int]

    public init(position: Int, stage: String, type: String, groups: Int = 0) {
        self.position = position
        self.stage = stage
        self.type = type
        self.groupsIn = Array(repeating: 0, count: groups)
        self.groupsDropped = Array(repeating: 0, count: groups)
    }

    /// Adds another batch's counts for the same stage.
    public mutating func add(_ other: StageStats) {
        docsIn += other.docsIn
        docsOut += other.docsOut
        rewritten += other.rewritten
        seconds += other.seconds
        for (reason, n) in other.drops { drops[reason, default: 0] += n }
        for i in groupsIn.indices {
            groupsIn[i] += other.groupsIn[i]
            groupsDropped[i] += other.groupsDropped[i]
        }
    }
}

/// An input file as the plan lists it.
public struct InputRegistration: Sendable, Equatable {
    public var path: String
    public var format: String
    public var size: Int64
    public var sha256: String

    public init(path: String, format: String, size: Int64, sha256: String) {
        self.path = path
        self.format = format
        self.size = size
        self.sha256 = sha256
    }
}

/// A task of the plan: its phase and the inputs it reads (indexes into the registered inputs).
public struct TaskPlan: Sendable, Equatable {
    public var id: Int64
    public var phase: Int
    public var inputs: [Int]

    public init(id: Int64, phase: Int, inputs: [Int]) {
        self.id = id
        self.phase = phase
        self.inputs = inputs
    }
}

/// What a finished task reports.
public struct TaskCompletion: Sendable {
    public var docsIn: Int
    public var docsKept: Int
    public var seconds: Double
    public var output: String
    public var outputSHA256: String
    public var stages: [StageStats]
    /// The audit's term group names, in the order of `StageStats.groupsIn`.
    public var groupNames: [String]

    public init(docsIn: Int, docsKept: Int, seconds: Double, output: String, outputSHA256: String, stages: [StageStats],
                groupNames: [String] = []) {
        self.groupNames = groupNames
        self.docsIn = docsIn
        self.docsKept = docsKept
        self.seconds = seconds
        self.output = output
        self.outputSHA256 = outputSHA256
        self.stages = stages
    }
}

/// The totals of a run folder, read back from its database.
public struct RunSummary: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var position: Int
        public var stage: String
        public var type: String
        public var docsIn: Int
        public var docsOut: Int
        public var rewritten: Int
        public var seconds: Double
        /// Drops per reason, most frequent first.
        public var drops: [Drop]
        /// Per audited term group: documents mentioning it that came in and that were dropped.
        public var groups: [Group] = []
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var docsIn: Int
        public var dropped: Int
    }

    public struct Drop: Sendable, Equatable {
        public var reason: String
        public var documents: Int

        public init(reason: String, documents: Int) {
            self.reason = reason
            self.documents = documents
        }
    }

    public var docsIn: Int
    public var docsKept: Int
    /// Unreadable records.
    public var errors: Int
    public var tasksDone: Int
    public var tasksTotal: Int
    public var stages: [Stage]
    /// Records the readers could not decode, per message.
    public var readerErrors: [Drop]
}
