import CParagraph
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

    /// Newlines are found 64 bytes at a time and a line is measured only when its bytes are
    /// enough: long and short lines at every offset from a block's start, and one that ends
    /// the text without a newline.
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

    /// Minimum lengths under one block are measured line by line; from 64 up, by blocks.
    @Test func measuresEveryLineForShortMinimums() {
        var doc = QualityFixtures.document(text: "abcd\nabcde\nxyz\néééééé")
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 5).process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", 2)]))
        #expect(C4ParagraphFilter(minParagraphs: 2, minParagraphLength: 5).process(&doc) == .keep)
        let short = String(repeating: "a", count: 63), block = String(repeating: "é", count: 64)
        doc = QualityFixtures.document(text: [short, block, short + "\n" + short + "a"].joined(separator: "\n"))
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 63).process(&doc) == .keep)
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 64).process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 4), Metric("long_lines", 2)]))
        let line = String(repeating: "a", count: 126)
        doc = QualityFixtures.document(text: [line, line + "a", String(repeating: "é", count: 126)].joined(separator: "\n"))
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 127).process(&doc) == .drop(reason: "c4_paragraph:too_few_paragraphs", metrics: [Metric("lines", 3), Metric("long_lines", 1)]))
        #expect(C4ParagraphFilter(minParagraphs: 3, minParagraphLength: 126).process(&doc) == .keep)
    }

    /// Every line-counting kernel this CPU runs (AVX-512, AVX2, SSE2, portable) gives the
    /// counts of splitting the text on `\n` and counting characters: texts of lines of
    /// lengths around the thresholds and the blocks, of one- to four-byte characters, with and
    /// without a last newline, for minimums from 64 and counting stopped at 1, 3 or never.
    @Test func everyKernelCountsAsSplittingDoes() {
        let kernels = [CPARAGRAPH_PORTABLE, CPARAGRAPH_SSE2, CPARAGRAPH_AVX2, CPARAGRAPH_AVX512].filter { cparagraph_supports($0) != 0 }
        #expect(kernels.contains(CPARAGRAPH_PORTABLE) && kernels.contains(cparagraph_best_kernel()))
        let characters = ["a", "é", "中", "😀"]
        let lengths = [0, 1, 62, 63, 64, 65, 127, 128, 129, 199, 200, 201, 255, 256, 257, 400, 801]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<300 {
            let lines = (0..<next(12)).map { _ in
                String(repeating: characters[next(characters.count)], count: lengths[next(lengths.count)])
            }
            let text = lines.joined(separator: "\n") + (next(2) == 0 ? "\n" : "")
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            let bytes = Array(text.utf8)
            for minimum in [64, 127, 128, 200, 256] {
                let long = split.filter { $0.unicodeScalars.count >= minimum }.count
                for enough in [1, 3, Int.max] {
                    for kernel in kernels {
                        let counts = bytes.withUnsafeBufferPointer { cparagraph_count(kernel, $0.baseAddress, $0.count, minimum, enough) }
                        #expect(counts.long_lines == min(long, enough), "kernel \(kernel.rawValue), minimum \(minimum)")
                        if long < enough { #expect(counts.lines == split.count, "kernel \(kernel.rawValue), minimum \(minimum)") }
                    }
                }
            }
        }
    }
}
