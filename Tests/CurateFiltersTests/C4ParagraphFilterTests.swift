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

    /// Newlines are counted 64 bytes at a time and a line is measured only when it spans whole
    /// blocks without a newline: long and short lines at every offset from a block's start,
    /// and one that ends the text without a newline.
    @Test func findsLongLinesAtEveryOffset() {
        for offset in 0..<130 {
            for (length, long) in [(199, 0), (200, 1), (250, 1)] {
                let line = String(repeating: "a", count: length)
                let head = String(repeating: "x", count: offset)
                var doc = QualityFixtures.document(text: head + "\n" + line + "\nshort\n" + line)
                #expect(C4ParagraphFilter().process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", Double(2 * long))]))
                doc = QualityFixtures.document(text: line + "\n" + head + "\n" + line + "\n" + line)
                #expect(C4ParagraphFilter().process(&doc) == (long == 1 ? .keep : .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", 0)])))
            }
        }
    }

    /// Lines of multi-byte characters across blocks: 200 characters of two bytes are long,
    /// 199 are not, whatever their place.
    @Test func countsMultiByteCharactersAcrossBlocks() {
        for offset in [0, 1, 63, 64, 65] {
            let head = String(repeating: "x", count: offset)
            var doc = QualityFixtures.document(text: [head + String(repeating: "é", count: 199), String(repeating: "é", count: 200), "", head].joined(separator: "\n"))
            #expect(C4ParagraphFilter().process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", offset > 0 ? 2 : 1)]))
        }
    }

    /// Minimum lengths under two blocks are measured line by line.
    @Test func measuresEveryLineForShortMinimums() {
        var doc = QualityFixtures.document(text: "abcd\nabcde\nxyz\néééééé")
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 5).process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", 2)]))
        #expect(C4ParagraphFilter(minParagraphs: 2, minParagraphLength: 5).process(&doc) == .keep)
        let line = String(repeating: "a", count: 126)
        doc = QualityFixtures.document(text: [line, line + "a", String(repeating: "é", count: 126)].joined(separator: "\n"))
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 127).process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 3), Metric("long_lines", 1)]))
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 126).process(&doc) == .keep)
    }
}
