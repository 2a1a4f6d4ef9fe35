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

    /// Lines whose bytes alone cannot tell: 199 four-byte characters (796 bytes) are short,
    /// 200 of them (800 bytes) long; 200 ASCII bytes are long, 199 short.
    @Test func countsCharactersNotBytesAtTheBounds() {
        let emoji = String(repeating: "😀", count: 199)
        let ascii = String(repeating: "a", count: 199)
        var doc = QualityFixtures.document(text: [emoji, emoji + "😀", ascii + "a", ascii, ""].joined(separator: "\n"))
        #expect(C4ParagraphFilter().process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 5), Metric("long_lines", 2)]))
        doc = QualityFixtures.document(text: [emoji + "😀", ascii + "a", ascii + "😀"].joined(separator: "\n"))
        #expect(C4ParagraphFilter().process(&doc) == .keep)
    }

    @Test func emptyTextIsOneLine() {
        var doc = QualityFixtures.document(text: "")
        #expect(C4ParagraphFilter().process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 1), Metric("long_lines", 0)]))
        doc = QualityFixtures.document(text: "\n\n")
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 0).process(&doc) == .keep)
    }
}
