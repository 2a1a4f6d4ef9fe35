import CurateCore
import Foundation
import Testing
@testable import CurateTokenizer

@Suite struct BPETrainStageTests {
    @Test func resolveTrainsOnTheSampleAndWritesBothFormats() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("curate-stage-\(UUID())").path
        let folder = root + "/barrier"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let documents = try TokenizerFixtures.documents().filter { $0.id.hasPrefix("text/gutenberg") }
        let parts = [Array(documents.prefix(4)), Array(documents.dropFirst(4))]
        let sample = documents.prefix(6).reduce(0) { $0 + $1.text.count }
        let options = Options(JSONObject([
            ("vocab_size", .integer(600)), ("pattern", .string("gpt2")), ("sample_bytes", .integer(sample)),
            ("special_tokens", .array([.string("<|endoftext|>")])),
        ]))
        guard case let .barrier(stage) = try BPETrainStage.definition.make(options) else {
            Issue.record("bpe_train is not a barrier")
            return
        }
        let context = BarrierContext(
            stepName: "tokenizer", folder: folder, runFolder: root, parts: ["a", "b"], workers: 2,
            forEachDocument: { index, body in
                for (id, text) in parts[index] {
                    var document = Document(id: id, text: text, source: SourceRef(input: "fixture", offset: 0))
                    try body(&document)
                }
            },
            recordClusters: { _ in })
        try stage.resolve(context)
        let listed = try String(contentsOfFile: folder + "/" + BPETrainStage.documentList, encoding: .utf8)
        #expect(listed == documents.prefix(6).map { $0.id + "\n" }.joined())
        for base in [root, folder] {
            let tokenizer = try TokenizerFile.load(base + "/tokenizer.json")
            #expect(tokenizer.vocabularySize == 600)
            #expect(tokenizer.specialTokens == ["<|endoftext|>": 599])
            #expect(try TokenizerFile.load(base + "/tokenizer.tiktoken").vocabulary.entries.map(\.bytes)
                == tokenizer.vocabulary.entries.map(\.bytes))
        }
        var document = Document(id: "x", text: Array("text".utf8), source: SourceRef(input: "x", offset: 0))
        #expect(try stage.load(context).process(&document) == .keep)
    }

    @Test func optionsAreChecked() {
        #expect(throws: OptionError.self) {
            try BPETrainStage.definition.make(Options(JSONObject([("vocab_size", .integer(257)), ("special_tokens", .array([.string("<s>")]))])))
        }
    }
}
