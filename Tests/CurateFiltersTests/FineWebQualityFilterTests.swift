import CurateCore
import CurateFilters
import Testing

@Suite struct FineWebQualityFilterTests {
    @Test(arguments: QualityFixtures.expectations("fineweb_quality"))
    func decidesAsDatatroveOnRealText(_ e: QualityFixtures.Expectation) throws {
        #expect(try QualityFixtures.mismatch(e) == nil)
    }

    @Test func dropsABlankText() {
        var doc = QualityFixtures.document(text: " \n\t\n")
        #expect(FineWebQualityFilter().process(&doc) == .drop(reason: "fineweb_quality:empty", metrics: []))
    }

    @Test func honoursCustomStopCharacters() throws {
        let options = Options(JSONObject([("stop_chars", .array([.string(";")]))]))
        let stage = try #require(try FineWebQualityFilter.definition.make(options).streaming)
        var doc = QualityFixtures.document(text: "a line that is long enough to count;\nanother line that is long enough.")
        #expect(stage.process(&doc) == .keep)
        #expect(throws: OptionError(key: "stop_chars", "each entry must be one character, got \"ab\"")) {
            _ = try FineWebQualityFilter.definition.make(Options(JSONObject([("stop_chars", .array([.string("ab")]))])))
        }
    }
}
