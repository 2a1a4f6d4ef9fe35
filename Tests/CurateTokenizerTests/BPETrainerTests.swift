import CurateCore
import Foundation
import Testing
@testable import CurateTokenizer

@Suite struct BPETrainerTests {
    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-bpe-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private func train(_ texts: [[UInt8]], _ options: BPETrainingOptions) throws -> (Tokenizer, BPETrainingSummary) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trainer = BPETrainer(options, folder: folder)
        for start in stride(from: 0, to: texts.count, by: 7) {
            try trainer.add(Array(texts[start..<min(start + 7, texts.count)]))
        }
        return try trainer.train()
    }

    /// Fixture prose: the English and multilingual documents.
    private func corpus() throws -> [[UInt8]] {
        try TokenizerFixtures.documents().filter { $0.id.hasPrefix("text/") }.map(\.text)
    }

    @Test func mergesTheMostFrequentPairWithDocumentedTies() throws {
        let texts = ["ab ab ab abc", "abc abc"].map { Array($0.utf8) }
        let (tokenizer, summary) = try train(texts, BPETrainingOptions(vocabularySize: 260, pattern: .gpt2, minFrequency: 1))
        // Chunks: "ab" x1, " ab" x2, " abc" x2, "abc" x1. Pairs: (a,b) 6, (' ',a) 4, (b,c) 3.
        // Merge 1: a+b -> 256. Then (' ',256) 4, (256,c) 3. Merge 2: ' '+256 -> 257 " ab".
        // Then (257,c) 2, (256,c) 1. Merge 3: " abc". Then (256,c) 1 -> "abc".
        let vocabulary = tokenizer.vocabulary
        #expect(summary.merges == 4)
        #expect(vocabulary.bytes(of: 256).map(Array.init) == Array("ab".utf8))
        #expect(vocabulary.bytes(of: 257).map(Array.init) == Array(" ab".utf8))
        #expect(vocabulary.bytes(of: 258).map(Array.init) == Array(" abc".utf8))
        #expect(vocabulary.bytes(of: 259).map(Array.init) == Array("abc".utf8))
        #expect(tokenizer.encodeOrdinary(Array("ab abc abd".utf8)) == [256, 258, 257, 100])
    }

    @Test func tiesGoToTheSmallerPair() throws {
        // (x,y) and (a,b) both occur twice: (a,b) has the smaller ids.
        let (tokenizer, _) = try train([Array("xy ab xy ab".utf8)], BPETrainingOptions(vocabularySize: 257, pattern: .cl100k, minFrequency: 1))
        #expect(tokenizer.vocabulary.bytes(of: 256).map(Array.init) == Array(" a".utf8))
    }

    @Test func minFrequencyStopsMerging() throws {
        let (_, summary) = try train([Array("abc abd".utf8)], BPETrainingOptions(vocabularySize: 1000, pattern: .gpt2, minFrequency: 2))
        // Only (a,b) is seen twice.
        #expect(summary.merges == 1)
    }

    @Test func sameVocabularyForAnyWorkerCountAndSpills() throws {
        let texts = try corpus()
        let one = try train(texts, BPETrainingOptions(vocabularySize: 1200, pattern: .cl100k, specialTokens: ["<|endoftext|>"], workers: 1))
        let two = try train(texts, BPETrainingOptions(vocabularySize: 1200, pattern: .cl100k, specialTokens: ["<|endoftext|>"], workers: 2))
        let spilling = try train(texts, BPETrainingOptions(vocabularySize: 1200, pattern: .cl100k, specialTokens: ["<|endoftext|>"], memoryBytes: 1 << 20, workers: 2))
        #expect(one.1.merges == 1200 - 257)
        #expect(one.1.spills == 0)
        #expect(spilling.1.spills > 0)
        #expect(spilling.1.chunkCutoff == 1)
        for other in [two, spilling] {
            #expect(other.0.vocabulary.entries.map(\.bytes) == one.0.vocabulary.entries.map(\.bytes))
            #expect(other.0.specialTokens == ["<|endoftext|>": 1199])
            #expect(other.1.distinctChunks == one.1.distinctChunks)
        }
    }

    @Test func memoryBudgetDropsOnlyRareChunks() throws {
        let texts = try corpus()
        let full = try train(texts, BPETrainingOptions(vocabularySize: 300, pattern: .gpt2, workers: 2))
        let tight = try train(texts, BPETrainingOptions(vocabularySize: 300, pattern: .gpt2, memoryBytes: 400 << 10, workers: 2))
        #expect(tight.1.chunkCutoff > 1)
        #expect(tight.1.distinctChunks < full.1.distinctChunks)
    }

    @Test func roundTripsThroughBothFormats() throws {
        let texts = try corpus()
        let (trained, _) = try train(texts, BPETrainingOptions(vocabularySize: 800, pattern: .o200k, specialTokens: ["<|endoftext|>", "<|pad|>"], workers: 2))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try HFTokenizerFile.write(trained, to: folder + "/tokenizer.json")
        try TiktokenFile.write(trained, to: folder + "/tokenizer.tiktoken")
        let fromJSON = try TokenizerFile.load(folder + "/tokenizer.json")
        let fromRanks = try TokenizerFile.load(folder + "/tokenizer.tiktoken")
        for loaded in [fromJSON, fromRanks] {
            #expect(loaded.pattern == .o200k)
            #expect(loaded.specialTokens == trained.specialTokens)
            #expect(loaded.vocabulary.entries.map(\.bytes) == trained.vocabulary.entries.map(\.bytes))
            for text in texts.prefix(5) {
                #expect(loaded.encodeOrdinary(text) == trained.encodeOrdinary(text))
            }
        }
    }

    /// The first `count` ranks of cl100k (a vocabulary on their own, since every merged
    /// token is made of lower-ranked ones), with special tokens after a gap in the ids as in
    /// cl100k_base, one of them outside the ByteLevel alphabet.
    private func cl100kPrefix(_ count: UInt32) throws -> Tokenizer {
        let full = try TiktokenFile.load(TokenizerFixtures.path("cl100k_base.tiktoken"), pattern: .cl100k)
        return try Tokenizer(
            pattern: .cl100k, vocabulary: try Vocabulary(full.vocabulary.entries.filter { $0.rank < count }),
            specialTokens: ["<|endoftext|>": count + 1, "<｜fim▁prefix｜>": count + 2])
    }

    @Test func cl100kRoundTripsThroughTokenizerJSON() throws {
        let cl100k = try cl100kPrefix(20_000)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try HFTokenizerFile.write(cl100k, to: folder + "/tokenizer.json")
        let loaded = try TokenizerFile.load(folder + "/tokenizer.json")
        #expect(loaded.pattern == .cl100k)
        #expect(loaded.vocabularySize == 20_003)
        #expect(loaded.specialTokens == cl100k.specialTokens)
        let text = Array("Hello, wörld! 12345 ☃".utf8)
        #expect(loaded.encodeOrdinary(text) == cl100k.encodeOrdinary(text))
        #expect(try loaded.encode(Array("a<｜fim▁prefix｜>".utf8), allowed: .all) == [64, 20_002])
    }

    /// What Hugging Face `tokenizers` needs to encode as curate does: special tokens in
    /// model.vocab too (it keeps an added token's id only when the model has the token),
    /// and cl100k's pattern in the form its regex engine reads as tiktoken does.
    @Test func tokenizerJSONLayoutForHuggingFace() throws {
        guard case let .object(root) = try JSONParser.parse(HFTokenizerFile.bytes(try cl100kPrefix(1000))),
            case let .object(model)? = root["model"], case let .object(vocab)? = model["vocab"],
            case let .object(pre)? = root["pre_tokenizer"], case let .array(steps)? = pre["pretokenizers"],
            case let .object(split)? = steps.first
        else {
            Issue.record("unexpected tokenizer.json layout")
            return
        }
        #expect(vocab["<|endoftext|>"] == .integer(1001))
        #expect(vocab["<｜fim▁prefix｜>"] == .integer(1002))
        #expect(model["ignore_merges"] == .bool(true))
        #expect(split["pattern"] == .object(JSONObject([("Regex", .string(SplitPattern.cl100k.onigurumaRegex))])))
    }
}
