import CurateCore
import CurateFilters
import CurateIngest

extension Registry {
    /// Every stage type and input format that curate ships.
    public static let standard = Registry(
        stages: [
            LengthFilter.definition,
            NormalizeStage.definition,
        ],
        inputFormats: [
            JSONLFormat.definition,
            TextFormat.definition,
        ])
}
