import CurateCore
import CurateFilters
import CurateIngest
import CurateTokenizer

extension Registry {
    /// Every stage type and input format that curate ships.
    public static let standard = Registry(
        stages: [
            BPETrainStage.definition,
            HTMLExtractStage.definition,
            LengthFilter.definition,
            NormalizeStage.definition,
        ],
        inputFormats: [
            HTMLFormat.definition,
            JSONLFormat.definition,
            WARCFormat.definition,
            MediaWikiFormat.definition,
            TextFormat.definition,
        ])
}
