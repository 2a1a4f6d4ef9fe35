import Foundation
import Testing
@testable import CurateTokenizer

@Suite struct TiktokenParityTests {
    /// Encodes every fixture document and compares with tiktoken's recorded ids.
    private func checkParity(_ tokenizer: Tokenizer, _ encoding: String) throws {
        let expected = try TokenizerFixtures.expected(encoding)
        let documents = try TokenizerFixtures.documents()
        #expect(expected.count == documents.count)
        let encoded = try tokenizer.encodeBatch(documents.map(\.text), workers: 2, disallowed: .none)
        var mismatches: [String] = []
        for (document, ids) in zip(documents, encoded) where ids != expected[document.id] {
            mismatches.append(document.id)
        }
        #expect(mismatches == [], "\(encoding): \(mismatches.count) of \(documents.count) documents differ")
        for (document, ids) in zip(documents, encoded) {
            #expect(try tokenizer.decodeBytes(ids) == document.text)
        }
    }

    @Test func gpt2MatchesTiktoken() throws {
        try checkParity(try TiktokenFile.load(TokenizerFixtures.path("gpt2.tiktoken"), pattern: .gpt2), "gpt2")
    }

    @Test func cl100kMatchesTiktoken() throws {
        try checkParity(try TiktokenFile.load(TokenizerFixtures.path("cl100k_base.tiktoken"), pattern: .cl100k), "cl100k_base")
    }

    /// The o200k ranks whose bytes occur in the fixture encode it exactly as the full file.
    @Test func o200kMatchesTiktokenWithFixtureRanks() throws {
        try checkParity(try TiktokenFile.load(TokenizerFixtures.path("o200k-fixture.tiktoken"), pattern: .o200k), "o200k_base")
    }

    @Test func o200kMatchesTiktokenWithFullRanks() throws {
        let path = TokenizerFixtures.sharedTokenizers + "/o200k_base.tiktoken"
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipped: \(path) is absent (the full o200k ranks are not in the repository)")
            return
        }
        let tokenizer = try TiktokenFile.load(path, pattern: .o200k)
        #expect(tokenizer.vocabularySize == 200_019)
        try checkParity(tokenizer, "o200k_base")
    }

    @Test func specialTokensFollowTiktokenRules() throws {
        let gpt2 = try TiktokenFile.load(TokenizerFixtures.path("gpt2.tiktoken"), pattern: .gpt2)
        let text = Array("hi<|endoftext|>there".utf8)
        #expect(throws: TokenizerError.disallowedSpecialToken("<|endoftext|>")) { try gpt2.encode(text) }
        #expect(try gpt2.encode(text, allowed: .all) == [5303, 50256, 8117])
        #expect(try gpt2.encode(text, allowed: .only(["<|endoftext|>"])) == [5303, 50256, 8117])
        // Not allowed and not disallowed: plain text, as encode_ordinary.
        let ordinary = gpt2.encodeOrdinary(text)
        #expect(try gpt2.encode(text, disallowed: .none) == ordinary)
        #expect(ordinary == [5303, 27, 91, 437, 1659, 5239, 91, 29, 8117])
        #expect(try gpt2.decode([5303, 50256, 8117]) == "hi<|endoftext|>there")
        #expect(throws: TokenizerError.unknownToken(60000)) { try gpt2.decodeBytes([60000]) }
    }

    @Test func decodingKeepsPartialCharactersAsBytes() throws {
        let cl100k = try TiktokenFile.load(TokenizerFixtures.path("cl100k_base.tiktoken"), pattern: .cl100k)
        let ids = cl100k.encodeOrdinary(Array("🇫🇷".utf8))
        #expect(ids.count > 1)
        let first = try cl100k.decodeBytes([ids[0]])
        #expect(first.count < 8)
        #expect(try cl100k.decode([ids[0]]).unicodeScalars.contains("\u{FFFD}"))
        #expect(try cl100k.decode(ids) == "🇫🇷")
    }

    /// Long chunks merge with the heap; it must agree with the scan of all pairs.
    @Test func heapMergeAgreesWithScan() throws {
        let gpt2 = try TiktokenFile.load(TokenizerFixtures.path("gpt2.tiktoken"), pattern: .gpt2)
        for text in ["a", " ", "1", "ab", "\u{e9}"].map({ String(repeating: $0, count: 1000) }) {
            let bytes = Array(text.utf8)
            var heap: [UInt32] = []
            var scan: [UInt32] = []
            var merger = BytePairMerge()
            bytes.withUnsafeBufferPointer { p in
                merger.merge(p.baseAddress!, p.count, vocabulary: gpt2.vocabulary, into: &heap)
                var chunks: [UInt32] = []
                var start = 0
                while start < p.count {
                    let n = min(BytePairMerge.heapThreshold, p.count - start)
                    chunks.removeAll()
                    merger.merge(p.baseAddress! + start, n, vocabulary: gpt2.vocabulary, into: &chunks)
                    scan += chunks
                    start += n
                }
            }
            #expect(try gpt2.decodeBytes(heap) == bytes)
            // Whole-chunk merging never needs more tokens than merging 128-byte pieces.
            #expect(heap.count <= scan.count)
        }
    }

    @Test func loadingRejectsMalformedRanks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-ranks-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bad = folder + "/bad.tiktoken"
        try Data("IQ== 0\nnot-base64! 1\n".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: TokenizerError.invalidFile(path: bad, line: 2, message: "token is not base64")) {
            try TiktokenFile.load(bad, pattern: .gpt2)
        }
        try Data("IQ== 0\n".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: TokenizerError.invalidFile(path: bad, line: 0, message: "invalid vocabulary: byte 0 has no rank; byte-level BPE needs all 256")) {
            try TiktokenFile.load(bad, pattern: .gpt2)
        }
    }
}
