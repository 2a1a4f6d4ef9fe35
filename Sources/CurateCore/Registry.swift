/// The stage types and input formats that pipeline.json can name.
public struct Registry: Sendable {
    public let stages: [StageDefinition]
    public let inputFormats: [InputFormatDefinition]

    public init(stages: [StageDefinition], inputFormats: [InputFormatDefinition]) {
        self.stages = stages.sorted { $0.type < $1.type }
        self.inputFormats = inputFormats.sorted { $0.format < $1.format }
    }

    public func stage(_ type: String) -> StageDefinition? { stages.first { $0.type == type } }
    public func inputFormat(_ format: String) -> InputFormatDefinition? { inputFormats.first { $0.format == format } }
}
