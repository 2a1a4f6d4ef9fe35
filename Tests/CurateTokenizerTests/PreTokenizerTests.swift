import Testing
@testable import CurateTokenizer

/// Expected chunks are those of the pattern's regex (Python's `regex` module, which agrees
/// with tiktoken on these; the parity tests check tiktoken's ids on real text).
@Suite struct PreTokenizerTests {
    private func split(_ pattern: SplitPattern, _ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return PreTokenizer(pattern).chunks(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    private let contractions = "I'm sure they'LL see JOHN'S dog's"
    private let spacing = "  a  b\t\t\nc \n \n  1234567 x12y"
    private let letters = "HTTPServer iPhone e\u{301}te\u{301} ǅungla"
    private let scripts = "日本語、テキスト！ 👍🏽 hi!!\n\n"

    @Test func gpt2() {
        #expect(split(.gpt2, contractions) == ["I", "'m", " sure", " they", "'", "LL", " see", " JOHN", "'", "S", " dog", "'s"])
        #expect(split(.gpt2, spacing) == [" ", " a", " ", " b", "\t\t", "\n", "c", " \n \n ", " 1234567", " x", "12", "y"])
        #expect(split(.gpt2, letters) == ["HTTPServer", " iPhone", " e", "\u{301}", "te", "\u{301}", " ǅungla"])
        #expect(split(.gpt2, scripts) == ["日本語", "、", "テキスト", "！", " 👍🏽", " hi", "!!", "\n\n"])
        #expect(split(.gpt2, "end   ") == ["end", "   "])
    }

    @Test func cl100k() {
        #expect(split(.cl100k, contractions) == ["I", "'m", " sure", " they", "'LL", " see", " JOHN", "'S", " dog", "'s"])
        #expect(split(.cl100k, spacing) == [" ", " a", " ", " b", "\t\t\n", "c", " \n \n", " ", " ", "123", "456", "7", " x", "12", "y"])
        #expect(split(.cl100k, letters) == ["HTTPServer", " iPhone", " e", "\u{301}te", "\u{301}", " ǅungla"])
        #expect(split(.cl100k, scripts) == ["日本語", "、テキスト", "！", " 👍🏽", " hi", "!!\n\n"])
        #expect(split(.cl100k, "end   ") == ["end", "   "])
    }

    @Test func o200k() {
        #expect(split(.o200k, contractions) == ["I'm", " sure", " they'LL", " see", " JOHN'S", " dog's"])
        #expect(split(.o200k, spacing) == [" ", " a", " ", " b", "\t\t\n", "c", " \n \n", " ", " ", "123", "456", "7", " x", "12", "y"])
        #expect(split(.o200k, letters) == ["HTTPServer", " i", "Phone", " e\u{301}te\u{301}", " ǅungla"])
        #expect(split(.o200k, scripts) == ["日本語", "、テキスト", "！", " 👍🏽", " hi", "!!\n\n"])
        #expect(split(.o200k, "end   ") == ["end", "   "])
        #expect(split(.o200k, "a/b//\n/c") == ["a", "/b", "//\n/", "c"])
    }

    @Test func chunksCoverInvalidUTF8() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x20, 0x62]
        for pattern in SplitPattern.allCases {
            let chunks = PreTokenizer(pattern).chunks(bytes)
            #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == bytes.count)
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }

    @Test func patternsByName() {
        #expect(SplitPattern(name: "cl100k_base") == .cl100k)
        #expect(SplitPattern(name: "r50k_base") == .gpt2)
        #expect(SplitPattern(name: SplitPattern.o200k.regex) == .o200k)
        #expect(SplitPattern(name: SplitPattern.cl100k.regex) == .cl100k)
        #expect(SplitPattern(name: SplitPattern.cl100k.onigurumaRegex) == .cl100k)
        #expect(SplitPattern.cl100k.onigurumaRegex.contains(#"|\p{N}{1,3}|"#))
        #expect(SplitPattern(name: "bert") == nil)
    }
}
