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

    /// `#`, and `...` (not overlapping, as Python's `str.count`) with `…`, counted in runs of
    /// dots of every length and at every offset from eight-character blocks; the ratios are
    /// the counts over datatrove's token count (recorded with its tokenizer).
    @Test func countsHashesAndEllipsesAsPython() {
        var filter = GopherQualityFilter()
        filter.minDocWords = nil
        filter.minAvgWordLength = nil
        filter.maxAvgWordLength = nil
        filter.maxBulletLinesRatio = nil
        filter.maxEllipsisLinesRatio = nil
        filter.minAlphaWordsRatio = nil
        filter.minStopWords = nil
        filter.maxSymbolWordRatio = 0.01
        let base = Array(repeating: "word", count: 40).joined(separator: " ")
        let cases: [(String, String, Double)] = [
            (base + " a.....b", "ellipsis_word_ratio", 1.0 / 43),
            (base + " x......y", "ellipsis_word_ratio", 2.0 / 43),
            ("xxxxxxx...xxxxxxx....z " + base, "ellipsis_word_ratio", 2.0 / 45),
            (base + " \u{2026} # \u{2026} ## x", "hash_word_ratio", 3.0 / 46),
            (base + " .........", "ellipsis_word_ratio", 3.0 / 41),
        ]
        for (text, metric, ratio) in cases {
            var doc = QualityFixtures.document(text: text)
            let reason = metric == "hash_word_ratio" ? "gopher_quality:too_many_hashes" : "gopher_quality:too_many_ellipsis"
            #expect(filter.process(&doc) == .drop(reason: reason, metrics: [Metric(metric, ratio)]))
        }
    }
}
