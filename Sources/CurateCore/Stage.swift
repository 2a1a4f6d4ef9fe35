/// A named measurement a stage made of a document, recorded in provenance.
public struct Metric: Sendable, Equatable {
    public let name: String
    public let value: Double

    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// What a stage decided about one document.
public enum Verdict: Sendable, Equatable {
    /// The document goes on unchanged.
    case keep
    /// The stage changed the document in place; it goes on.
    case rewritten([Metric])
    /// The document leaves the pipeline for `reason`; `detail` says more where a reason
    /// alone cannot (the id of the document it duplicates).
    case drop(reason: String, metrics: [Metric], detail: String? = nil)
}

/// A streaming step applied to each document independently.
///
/// Stages are pure with respect to the outside world: no files, no database, no threads.
/// The runner may call `process` from many threads at once.
public protocol Stage: Sendable {
    func process(_ document: inout Document) -> Verdict
}

/// Where a stage sits in the runner's plan.
public enum StageKind: Sendable, Equatable {
    /// Runs document by document inside a task.
    case streaming
    /// Needs every surviving document of the previous phase first (dedup clustering,
    /// tokenizer training); the runner ends a phase before it.
    case barrier
}

/// A built stage: one that works document by document, or a barrier.
public enum StageBody: Sendable {
    case streaming(any Stage)
    case barrier(any BarrierStage)

    /// The stage, when it is a streaming one.
    public var streaming: (any Stage)? {
        if case let .streaming(stage) = self { stage } else { nil }
    }

    public var kind: StageKind {
        switch self {
        case .streaming: .streaming
        case .barrier: .barrier
        }
    }
}

/// A stage type that pipeline.json can name: its options and how to build it.
public struct StageDefinition: Sendable {
    public let type: String
    public let summary: String
    public let kind: StageKind
    public let parameters: [Parameter]
    public let make: @Sendable (Options) throws(OptionError) -> StageBody

    /// A streaming stage type.
    public init(
        type: String, summary: String, parameters: [Parameter],
        make: @escaping @Sendable (Options) throws(OptionError) -> any Stage
    ) {
        self.type = type
        self.summary = summary
        self.kind = .streaming
        self.parameters = parameters
        self.make = { options throws(OptionError) in .streaming(try make(options)) }
    }

    /// A barrier stage type.
    public init(
        type: String, summary: String, parameters: [Parameter],
        makeBarrier: @escaping @Sendable (Options) throws(OptionError) -> any BarrierStage
    ) {
        self.type = type
        self.summary = summary
        self.kind = .barrier
        self.parameters = parameters
        self.make = { options throws(OptionError) in .barrier(try makeBarrier(options)) }
    }
}

/// A stage that tells which groups of terms a text mentions (gendered words, religions,
/// nationalities...). When a pipeline holds one, the runner counts, for it and every stage
/// after it, how many documents mentioning each group came in and how many were dropped,
/// so that users see which groups a filter removes more than others.
public protocol TermGroupAuditor: Stage {
    /// The groups' names; at most 64.
    var groupNames: [String] { get }
    /// A bit per group (bit i for `groupNames[i]`) that `text` mentions.
    func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64
}
