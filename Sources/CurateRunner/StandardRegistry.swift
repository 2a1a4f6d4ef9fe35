import CurateCore
import CurateFilters
import CurateIngest

extension Registry {
    /// Every stage type and input format that curate ships.
    public static let standard = Registry(
        stages: [
            C4ParagraphFilter.definition,
            C4QualityFilter.definition,
            FineWebQualityFilter.definition,
            GopherQualityFilter.definition,
            GopherRepetitionFilter.definition,
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
