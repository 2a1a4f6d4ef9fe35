import CurateCore
import CurateFilters
import Foundation
import Testing

@Suite struct LanguageFilterTests {
    static let model = LanguageIDFixtures.lid176

    private func run(_ filter: LanguageFilter, _ id: String) -> (Verdict, JSONObject) {
        var document = LanguageIDFixtures.document(id)
        let verdict = filter.process(&document)
        return (verdict, document.metadata)
    }

    @Test func keepsAnyLanguageAboveTheMinimumAndAnnotatesIt() {
        let (verdict, metadata) = run(LanguageFilter(model: Self.model), "udhr/eng/3")
        #expect(verdict == .keep)
        #expect(metadata == JSONObject([("language", .string("en")), ("language_score", .number("0.9881668090820312"))]))
    }

    @Test func dropsALowScoreWithItsValue() {
        let (verdict, metadata) = run(LanguageFilter(model: Self.model), "edge/0")
        #expect(verdict == .drop(reason: "language:low_score", metrics: [Metric("language_score", 0.12450417876243591)]))
        #expect(metadata["language"] == .string("en"))
    }

    @Test func dropsLanguagesOutsideTheAllowList() {
        let filter = LanguageFilter(model: Self.model, languages: ["de", "fr"])
        #expect(run(filter, "udhr/eng/3").0 == .drop(reason: "language:not_allowed", metrics: [
            Metric("language_score", 0.9881668090820312), Metric("allowed_language_score", 0.0004324366746004671),
        ]))
        #expect(run(filter, "udhr/deu/3").0 == .keep)
    }

    /// udhr/ind/15 is Indonesian that lid.176 takes for Malay: ms 0.5583, id 0.4007.
    @Test func keepsAnAllowedLanguageAboveTheMinimumEvenWhenAnotherIsFirst() {
        let (verdict, metadata) = run(LanguageFilter(model: Self.model, languages: ["id"], minScore: 0.4), "udhr/ind/15")
        #expect(verdict == .keep)
        #expect(metadata == JSONObject([("language", .string("ms")), ("language_score", .number("0.5583040118217468"))]))
        #expect(run(LanguageFilter(model: Self.model, languages: ["id"]), "udhr/ind/15").0 == .drop(
            reason: "language:not_allowed",
            metrics: [Metric("language_score", 0.5583040118217468), Metric("allowed_language_score", 0.40069353580474854)]))
        #expect(run(LanguageFilter(model: Self.model, languages: ["ms", "id"]), "udhr/ind/15").0 == .drop(
            reason: "language:low_score",
            metrics: [Metric("language_score", 0.5583040118217468), Metric("allowed_language_score", 0.5583040118217468)]))
    }

    @Test func readsLanguageCodesAsDatatroveDoes() {
        #expect(LanguageFilter.languageCode("__label__en") == "en")
        #expect(LanguageFilter.languageCode("__label__eng_Latn") == "eng_Latn")
        #expect(LanguageFilter.languageCode("__label__zh__Hans") == "zh")
    }

    @Test func buildsFromOptionsWithTheBundledModelByDefault() throws {
        let stage = try LanguageFilter.definition.make(.defaults(LanguageFilter.definition.parameters))
        var document = LanguageIDFixtures.document("udhr/deu/3")
        #expect(stage.streaming?.process(&document) == .keep)
        #expect(document.metadata["language"] == .string("de"))
        let options = Options(JSONObject([("model", .string("tiny-softmax.bin")), ("languages", .array([.string("deu")])),
                                          ("min_score", .double(0.5))]), base: LanguageIDFixtures.folder)
        var german = LanguageIDFixtures.document("udhr/deu/5")
        #expect(try LanguageFilter.definition.make(options).streaming?.process(&german) == .keep)
        #expect(german.metadata["language"] == .string("deu"))
    }

    @Test func rejectsAMissingOrBrokenModelAndUnknownLanguages() {
        let folder = LanguageIDFixtures.folder
        func make(_ pairs: [(String, JSONValue)]) throws(OptionError) {
            _ = try LanguageFilter.definition.make(Options(JSONObject(pairs), base: folder))
        }
        #expect(throws: OptionError(key: "model", "\(folder)/missing.ftz: no such file")) {
            try make([("model", .string("missing.ftz"))])
        }
        #expect(throws: OptionError(key: "model", "\(folder)/lines.jsonl: not a fastText model: magic number 1684611707, expected 793712314")) {
            try make([("model", .string("lines.jsonl"))])
        }
        #expect(throws: OptionError(key: "languages", "\"eng\" is not a label of \(LanguageIDFixtures.lid176Path); did you mean \"en\"?")) {
            try make([("languages", .array([.string("eng")]))])
        }
        #expect(throws: OptionError(key: "languages", "is empty: no document could be kept (leave it out to keep any language)")) {
            try make([("languages", .array([]))])
        }
    }
}
