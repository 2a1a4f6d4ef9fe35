import CurateCore
import CurateFilters
import Foundation
import Testing

private func document(_ text: String) -> Document {
    Document(id: "d", text: Array(text.utf8), source: SourceRef(input: "t", offset: 0))
}

@Suite struct LengthFilterTests {
    @Test(arguments: [
        ("one two three", Verdict.keep),
        ("one", .drop(reason: "too_few_words", metrics: [Metric("chars", 3), Metric("words", 1)])),
        ("ab", .drop(reason: "too_few_chars", metrics: [Metric("chars", 2), Metric("words", 1)])),
        (String(repeating: "x ", count: 30), .drop(reason: "too_many_chars", metrics: [Metric("chars", 60), Metric("words", 30)])),
        ("a b c d e f g h i j k", .drop(reason: "too_many_words", metrics: [Metric("chars", 21), Metric("words", 11)])),
    ])
    func dropsOutOfBoundsDocumentsWithAReason(text: String, verdict: Verdict) {
        let filter = LengthFilter(minChars: 3, maxChars: 50, minWords: 2, maxWords: 10)
        var doc = document(text)
        #expect(filter.process(&doc) == verdict)
    }

    @Test func countsCharactersAsUnicodeScalars() {
        var doc = document("😀é")
        #expect(LengthFilter(minChars: 3).process(&doc) == .drop(reason: "too_few_chars", metrics: [Metric("chars", 2)]))
    }

    @Test func rejectsAMaximumBelowTheMinimum() {
        let options = Options(JSONObject([("min_chars", .integer(50)), ("max_chars", .integer(10))]))
        #expect(throws: OptionError(key: "max_chars", "must be at least min_chars (50), got 10")) {
            _ = try LengthFilter.definition.make(options)
        }
    }
}

@Suite struct NormalizeStageTests {
    @Test(arguments: [
        ("  Hello,\u{00A0}\u{00A0}world!  \r\n\r\n\r\n\r\nSecond\tline \u{07}here\u{FEFF}\n\n", "Hello, world!\n\nSecond line here", 0, 2),
        ("e\u{301}te\u{0301}", "été", 0, 0),
        ("a\u{2028}b\u{000C}c", "a\nb\nc", 0, 0),
    ])
    func cleansUpText(input: String, expected: String, invalid: Int, controls: Int) {
        var doc = document(input)
        #expect(NormalizeStage().process(&doc) == .rewritten([Metric("invalid_utf8", Double(invalid)), Metric("control_chars", Double(controls))]))
        #expect(doc.textString == expected)
    }

    @Test func repairsAndCountsInvalidUTF8() {
        var doc = Document(id: "d", text: [0x61, 0xFF, 0x62, 0xE2, 0x82], source: SourceRef(input: "t", offset: 0))
        #expect(NormalizeStage().process(&doc) == .rewritten([Metric("invalid_utf8", 2), Metric("control_chars", 0)]))
        #expect(doc.textString == "a\u{FFFD}b\u{FFFD}")
    }

    @Test func leavesCleanTextAlone() {
        var doc = document("Already clean.\n\nTwo paragraphs, 吾輩は猫である。")
        #expect(NormalizeStage().process(&doc) == .keep)
    }

    @Test func optionsTurnRulesOff() {
        var stage = NormalizeStage()
        stage.collapseSpaces = false
        stage.trim = false
        stage.maxBlankLines = 0
        stage.form = .none
        var doc = document("  a  b \n\n\nc\u{07}\n")
        #expect(stage.process(&doc) != .keep)
        #expect(doc.textString == "  a  b \nc\n")
    }

    @Test func quickNFCAgreesWithFoundationOnRealMultilingualText() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/normalize/multilingual.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let decomposed = Array(text.decomposedStringWithCanonicalMapping.utf8)
        let expected = Array(text.precomposedStringWithCanonicalMapping.utf8)
        #expect(decomposed != expected)
        #expect((UnicodeNormalization.normalize(decomposed, to: .nfc) ?? decomposed) == expected)
        #expect((UnicodeNormalization.normalize(expected, to: .nfc) ?? expected) == expected)
    }
}
