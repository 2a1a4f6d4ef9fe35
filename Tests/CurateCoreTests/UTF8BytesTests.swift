import CurateCore
import Testing

@Suite struct UTF8BytesTests {
    @Test(arguments: [
        ([0x61, 0xFF, 0x62], [0x61, 0xEF, 0xBF, 0xBD, 0x62], 1),
        ([0xE2, 0x82], [0xEF, 0xBF, 0xBD], 1),  // truncated sequence: one maximal subpart
        ([0xC0, 0x80], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD], 2),  // overlong: two bytes, two replacements
        ([0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD], 3),  // surrogate
        ([0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x9F, 0x98, 0x80], 0),
    ] as [([UInt8], [UInt8], Int)])
    func repairsLikePythonAndSwift(input: [UInt8], expected: [UInt8], replacements: Int) {
        var bytes = input
        #expect(UTF8Bytes.repair(&bytes) == replacements)
        #expect(bytes == expected)
        #expect(bytes == Array(String(decoding: input, as: UTF8.self).utf8))
    }

    @Test func tellsASCIIFromUTF8FromInvalidAtEveryPositionOfALongRun() {
        let run = Array(String(repeating: "plain ascii text ", count: 5).utf8)
        #expect(UTF8Bytes.validate(run) == .ascii)
        #expect(UTF8Bytes.validate([]) == .ascii)
        for position in stride(from: 0, through: run.count, by: 7) {
            var utf8 = run
            utf8.insert(contentsOf: [0xC3, 0xA9], at: position)
            #expect(UTF8Bytes.validate(utf8) == .utf8)
            var invalid = run
            invalid.insert(0xFF, at: position)
            #expect(UTF8Bytes.validate(invalid) == .invalid)
            var truncated = run
            truncated.insert(contentsOf: [0xE2, 0x82], at: position)
            #expect(UTF8Bytes.validate(truncated) == .invalid)
        }
    }

    @Test func countsScalarsAndWordsAsPythonDoes() {
        let text = Array("naïve\u{00A0}café\t😀  x\u{3000}y".utf8)
        text.withUnsafeBufferPointer { p in
            #expect(UTF8Bytes.scalarCount(p) == 17)
            #expect(UTF8Bytes.wordCount(p) == 5)
        }
    }

    @Test func countsScalarsOfEveryLengthAndAlignmentAsSwiftDoes() {
        let text = "Ελληνικά, 中文, עברית, emoji 😀👍🏽 and ASCII: \u{10FFFF}\u{80}\u{7FF}\u{800}"
        let bytes = Array(text.utf8)
        for start in 0..<9 {
            for end in stride(from: bytes.count, through: start, by: -7) {
                let slice = String(decoding: bytes[start..<end], as: UTF8.self)
                guard Array(slice.utf8) == Array(bytes[start..<end]) else { continue }
                bytes[start..<end].withUnsafeBufferPointer { p in
                    #expect(UTF8Bytes.scalarCount(p) == slice.unicodeScalars.count, "bytes \(start)..<\(end)")
                }
            }
        }
    }
}

@Suite struct SuggestionTests {
    @Test func findsCloseNamesOnly() {
        #expect(Suggestion.nearest("lenght", among: ["length", "normalize"]) == "length")
        #expect(Suggestion.nearest("min_char", among: ["min_chars", "max_chars"]) == "min_chars")
        #expect(Suggestion.nearest("dedup", among: ["length", "normalize"]) == nil)
        #expect(Suggestion.didYouMean("jsnl", among: ["jsonl", "text"]) == "; did you mean \"jsonl\"?")
    }
}

@Suite struct URLHostTests {
    @Test(arguments: [
        ("https://User:pw@Example.ORG:8080/a/b?q#f", "example.org"),
        ("http://www.example.com", "www.example.com"),
        ("http://[2001:DB8::1]:80/x", "[2001:db8::1]"),
        ("https://example.net?query", "example.net"),
        ("mailto:someone@example.org", nil),
        ("https:///path", nil),
    ] as [(String, String?)])
    func extractsTheLowerCasedHost(url: String, host: String?) {
        #expect(URLHost.of(url) == host)
    }
}
