import CurateCore
import CurateDedup
import CurateFilters
import CurateIngest
import CurateShards
import CurateTokenizer

extension Registry {
    /// Every stage type and input format that curate ships.
    public static let standard = Registry(
        stages: [
            AuditTermsStage.definition,
            BPETrainStage.definition,
            BadWordsFilter.definition,
            C4ParagraphFilter.definition,
            C4QualityFilter.definition,
            ExactDedup.definition,
            FineWebQualityFilter.definition,
            GopherQualityFilter.definition,
            GopherRepetitionFilter.definition,
            HTMLExtractStage.definition,
            LanguageFilter.definition,
            LengthFilter.definition,
            MinHashDedup.definition,
            NormalizeStage.definition,
            PIIMasker.definition,
            TokenizeStage.definition,
            URLFilter.definition,
        ],
        inputFormats: [
            HTMLFormat.definition,
            JSONLFormat.definition,
            WARCFormat.definition,
            MediaWikiFormat.definition,
            TextFormat.definition,
        ])
}
