import CurateDedup
import Testing

/// Expected outputs are datatrove 0.10.1's `simplify_text` on the same input.
@Suite struct TextSimplifierTests {
    func simplified(_ text: String) -> String {
        var simplifier = TextSimplifier()
        Array(text.utf8).withUnsafeBufferPointer { simplifier.simplify($0) }
        return String(decoding: simplifier.text, as: UTF8.self)
    }

    @Test func punctuationCaseAndNumbers() {
        #expect(simplified("Hello, World!  It's 3.14 o'clock; 1,000,000 people — “quoted”.")
            == "hello world it s 0 o clock 0 0 people quoted")
        #expect(simplified("1.2.3 ٣٫٤ x²") == "0 0 0 x²")
    }

    @Test func marksRemovedAfterDecomposition() {
        #expect(simplified("Ünïcödé façade naïve Ærø straße İstanbul")
            == "unicode facade naive \u{00e6}r\u{00f8} stra\u{00df}e istanbul")
        #expect(simplified("数字１２３と漢字、かな。 한국어")
            == "\u{6570}\u{5b57}0\u{3068}\u{6f22}\u{5b57} \u{304b}\u{306a} \u{1112}\u{1161}\u{11ab}\u{1100}\u{116e}\u{11a8}\u{110b}\u{1165}")
    }

    @Test func controlAndUnicodeSpaces() {
        #expect(simplified("Tab\tnew\nline\u{0b}vt\u{1c}fs\u{a0}nbsp\u{3000}ideo") == "tab new line vt fs nbsp ideo")
    }

    @Test func wordsAreSingleSpaced() {
        var simplifier = TextSimplifier()
        Array("  A, b ;; c  ".utf8).withUnsafeBufferPointer { simplifier.simplify($0) }
        #expect(String(decoding: simplifier.text, as: UTF8.self) == "a b c")
        #expect(simplifier.wordStarts == [0, 2, 4])
        #expect(simplifier.wordEnds == [1, 3, 5])
    }

    @Test func invalidUTF8IsReadAsReplacementCharacter() {
        var simplifier = TextSimplifier()
        [0x61, 0xFF, 0x62].withUnsafeBufferPointer { simplifier.simplify($0) }
        #expect(String(decoding: simplifier.text, as: UTF8.self) == "a\u{FFFD}b")
    }
}
