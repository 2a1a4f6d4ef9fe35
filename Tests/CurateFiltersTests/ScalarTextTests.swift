import CurateFilters
import Testing

@Suite struct ScalarTextTests {
    /// ASCII is read eight bytes at a time: runs that end, or meet a multi-byte character or an
    /// invalid byte, at every offset of an eight-byte word.
    @Test func decodesAcrossEightByteWords() {
        for prefix in 0...17 {
            let ascii = Array(repeating: UInt8(ascii: "a"), count: prefix)
            let text = ScalarText(ascii + Array("é😀".utf8) + [0xFF] + Array("0123456789".utf8) + [0xC3])
            let expected = Array(repeating: UInt32(0x61), count: prefix) + [0xE9, 0x1F600, 0xFFFD] + (0x30...0x39) + [0xFFFD]
            #expect(text.scalars == expected)
        }
        #expect(ScalarText([]).scalars == [])
        #expect(ScalarText(Array("12345678".utf8)).scalars == Array(0x31...0x38))
    }

    @Test func encodesRangesToUTF8() {
        let source = "a\u{7F}é\u{7FF}\u{800}€\u{FFFD}\u{FFFF}😀\u{10FFFF}z"
        let text = ScalarText(Array(source.utf8))
        #expect(text.utf8(0..<text.count) == Array(source.utf8))
        #expect(text.utf8(2..<4) == Array("é\u{7FF}".utf8))
        #expect(text.utf8(3..<3) == [])
    }

    /// Python's `str.splitlines`: every line boundary it knows, `\r\n` as one.
    @Test func splitsLinesAsPython() {
        let text = ScalarText(Array("a\nb\r\nc\rd\u{0B}e\u{0C}f\u{1C}g\u{1D}h\u{1E}i\u{85}j\u{2028}k\u{2029}l\u{2027}\u{84}\u{86}m\n".utf8))
        let lines = text.splitLines().map { text.utf8($0) }
        let expected = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l\u{2027}\u{84}\u{86}m"].map { Array($0.utf8) }
        #expect(lines == expected)
        #expect(ScalarText([]).splitLines().isEmpty)
    }

    @Test func countsWordsUpToALimit() {
        let text = ScalarText(Array("  one\u{A0}two\tthree  four ".utf8))
        #expect(text.wordCount(0..<text.count, upTo: 3) == 3)
        #expect(text.wordCount(0..<text.count, upTo: 10) == 4)
        #expect(text.wordCount(3..<text.count, upTo: 10) == 4)
        #expect(text.wordCount(5..<text.count, upTo: 10) == 3)
        #expect(text.wordCount(0..<2, upTo: 10) == 0)
    }
}
