/// A pipeline.json, decoded and checked: every stage and input format built from its options.
public struct Pipeline: Sendable {
    public struct Input: Sendable {
        public let format: InputFormatDefinition
        /// Paths and globs, relative to the pipeline file's folder unless absolute.
        public let paths: [String]
        public let options: Options
        public let reader: any InputFormat
    }

    public struct Step: Sendable {
        /// The stage's name in provenance and summaries: its `name` option, else its type
        /// (with `_2`, `_3`... for repeats).
        public let name: String
        public let definition: StageDefinition
        public let options: Options
        public let body: StageBody
    }

    public let name: String
    public let inputs: [Input]
    public let steps: [Step]
    /// The run folder as written in the file (relative to its folder), if given.
    public let output: String?
    public let workers: Int?
    /// The exact bytes of the pipeline file.
    public let source: [UInt8]
}

/// One thing wrong with a pipeline file, at a JSON path such as `stages[2].max_chars`.
public struct PipelineProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Why a pipeline file was rejected: every problem found, in file order.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problems: [PipelineProblem]

    public init(file: String, problems: [PipelineProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}
