import CurateCore
import CurateFilters
import Testing

@Suite struct GopherRepetitionFilterTests {
    @Test(arguments: QualityFixtures.expectations("gopher_repetition"))
    func decidesAsDatatroveOnRealText(_ e: QualityFixtures.Expectation) throws {
        #expect(try QualityFixtures.mismatch(e) == nil)
    }

    @Test func dropsAnEmptyText() {
        var doc = QualityFixtures.document(text: "")
        #expect(GopherRepetitionFilter().process(&doc) == .drop(reason: "gopher_repetition:empty", metrics: [Metric("chars", 0)]))
    }

    @Test func countsRepeatedLinesAndTheirCharacters() {
        var filter = GopherRepetitionFilter()
        filter.dupParaFrac = nil
        filter.dupParaCharFrac = nil
        var doc = QualityFixtures.document(text: "alpha beta\ngamma\nalpha beta\nalpha beta")
        // Lines: 4, two repeat an earlier one.
        #expect(filter.process(&doc) == .drop(reason: "gopher_repetition:dup_line_frac", metrics: [Metric("dup_line_frac", 0.5)]))
        filter.dupLineFrac = nil
        // 20 of 38 characters.
        #expect(filter.process(&doc) == .drop(reason: "gopher_repetition:dup_line_char_frac", metrics: [Metric("dup_line_char_frac", 20.0 / 38.0)]))
    }

    @Test func joinsNGramsWithoutSpacesForRepeatedNGrams() {
        var filter = GopherRepetitionFilter()
        filter.topNGrams = []
        filter.dupNGrams = [(2, 0.1)]
        // "ab c" and "a bc" are the same 2-gram once their words are run together.
        var doc = QualityFixtures.document(text: "ab c x a bc")
        #expect(filter.process(&doc) == .drop(reason: "gopher_repetition:duplicated_2_n_grams", metrics: [Metric("dup_2_gram_frac", 3.0 / 11.0)]))
    }
}
