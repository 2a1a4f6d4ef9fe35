import Testing
@testable import CurateTokenizer

@Suite struct EncodeBatchTests {
    /// Many threads finishing short texts at once: results written through a shared Swift
    /// array (whose mutating access could copy it under the other threads in a debug build)
    /// lost results and corrupted the heap now and then.
    @Test func manyThreadsOnShortTextsGiveTheSequentialResult() throws {
        let tokenizer = try TiktokenFile.load(TokenizerFixtures.path("gpt2.tiktoken"), pattern: .gpt2)
        let texts = try TokenizerFixtures.documents().map { Array($0.text.prefix(3)) }
        let sequential = texts.map { tokenizer.encodeOrdinary($0) }
        #expect(sequential.count == 507)
        for round in 0..<200 {
            let batch = try tokenizer.encodeBatch(texts, workers: 2 + round % 7, disallowed: .none)
            guard batch == sequential else {
                Issue.record("round \(round): the batch differs from one-by-one encoding")
                return
            }
        }
    }
}
