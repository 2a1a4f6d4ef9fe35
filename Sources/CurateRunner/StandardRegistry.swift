import CurateCore
import CurateDedup
import CurateFilters
import CurateIngest

extension Registry {
    /// Every stage type and input format that curate ships.
    public static let standard = Registry(
        stages: [
            ExactDedup.definition,
            HTMLExtractStage.definition,
            LanguageFilter.definition,
            LengthFilter.definition,
            MinHashDedup.definition,
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
