import CurateCore
import CurateFilters
import Testing

@Suite struct C4ParagraphFilterTests {
    @Test(arguments: QualityFixtures.expectations("c4_paragraph"))
    func decidesAsDatatroveOnRealText(_ e: QualityFixtures.Expectation) throws {
        #expect(try QualityFixtures.mismatch(e) == nil)
    }

    @Test func countsLongLinesInCharacters() {
        let long = String(repeating: "é", count: 199)
        var doc = QualityFixtures.document(text: [long + "é", long + "é", long].joined(separator: "\n"))
        #expect(C4ParagraphFilter().process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 3), Metric("long_lines", 2)]))
        doc = QualityFixtures.document(text: [long + "é", long + "é", long + "é"].joined(separator: "\n"))
        #expect(C4ParagraphFilter().process(&doc) == .keep)
    }
}
