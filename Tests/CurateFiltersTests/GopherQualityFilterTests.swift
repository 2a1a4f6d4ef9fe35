import CurateCore
import CurateFilters
import Testing

@Suite struct GopherQualityFilterTests {
    @Test(arguments: QualityFixtures.expectations("gopher_quality"))
    func decidesAsDatatroveOnRealText(_ e: QualityFixtures.Expectation) throws {
        #expect(try QualityFixtures.mismatch(e) == nil)
    }

    @Test func countsOnlyWordsWithANonSymbolCharacter() {
        var filter = GopherQualityFilter()
        filter.minAvgWordLength = nil
        filter.maxSymbolWordRatio = nil
        filter.maxEllipsisLinesRatio = nil
        filter.minAlphaWordsRatio = nil
        filter.minStopWords = nil
        filter.minDocWords = 4
        // "--" and "..." are tokens of symbols only; "it's" is two words ("it", "'s").
        var doc = QualityFixtures.document(text: "the cat -- it's ... of")
        #expect(filter.process(&doc) == .keep)
        filter.minDocWords = 6
        #expect(filter.process(&doc) == .drop(reason: "gopher_quality:short_doc", metrics: [Metric("words", 5)]))
    }

    @Test func matchesStopWordsCaseSensitively() {
        var filter = GopherQualityFilter()
        filter.minDocWords = 1
        var doc = QualityFixtures.document(text: "The cat and THE dog")
        #expect(filter.process(&doc) == .drop(reason: "gopher_quality:enough_stop_words", metrics: [Metric("stop_words", 1)]))
    }

    @Test func zeroDisablesAThreshold() throws {
        let options = Options(JSONObject([("min_doc_words", .integer(0)), ("min_stop_words", .null)]))
        let stage = try #require(try GopherQualityFilter.definition.make(options).streaming)
        var doc = QualityFixtures.document(text: "Short words but real ones here.")
        #expect(stage.process(&doc) == .keep)
    }
}
