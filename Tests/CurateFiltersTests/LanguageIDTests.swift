import CurateCore
import CurateFilters
import Foundation
import Testing

@Suite struct LanguageIDTests {
    static let models = ["lid.176.ftz", "tiny-softmax.bin", "tiny-softmax.ftz", "tiny-ova.bin", "tiny-lines.ftz"]

    @Test func fixturesCoverEnoughLinesAndLanguages() {
        let lines = LanguageIDFixtures.lines
        #expect(lines.count >= 200)
        #expect(Set(lines.map(\.language).filter { !$0.isEmpty }).count >= 20)
        for model in Self.models {
            #expect(LanguageIDFixtures.expected.filter { $0.model == model && $0.k == 3 }.count == lines.count)
        }
    }

    /// Every recorded prediction of fastText's Python binding: the same labels in the same
    /// order, and probabilities within 1e-4.
    @Test(arguments: models)
    func predictsAsFastText(model name: String) throws {
        let model = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath(name))
        let cases = LanguageIDFixtures.expected.filter { $0.model == name }
        #expect(cases.count > LanguageIDFixtures.lines.count)
        var worst = 0.0
        for expected in cases {
            let text = LanguageIDFixtures.line(expected.id).text
            let got = Array(text.utf8).withUnsafeBufferPointer { model.predict($0, k: expected.k, threshold: expected.threshold) }
            let labels = got.map { model.dictionary.labels[$0.label] }
            #expect(labels == expected.labels, "\(name) \(expected.id) k=\(expected.k)")
            for (p, q) in zip(got, expected.probabilities) { worst = max(worst, abs(Double(p.probability) - q)) }
        }
        #expect(worst <= 1e-4, "\(name): largest probability difference \(worst)")
    }

    /// The stage's shortcut gives the best label of predict(k: 1) and the probabilities of
    /// predict(k: 0) (every label), bit for bit (on every other line, to stay fast).
    @Test(arguments: models)
    func predictsTheBestAndChosenLabelsAsAFullPrediction(model name: String) throws {
        let model = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath(name))
        let labels = Array(0..<model.dictionary.labelCount)
        for line in LanguageIDFixtures.lines.enumerated().filter({ $0.offset % 2 == 0 }).map(\.element) {
            let text = Array(line.text.utf8)
            let all = text.withUnsafeBufferPointer { model.predict($0, k: 0) }
            let top = text.withUnsafeBufferPointer { model.predict($0, k: 1) }
            let shortcut = text.withUnsafeBufferPointer { model.predictBest($0, scoring: labels) }
            #expect(shortcut?.best == top.first, "\(name) \(line.id)")
            let probabilities = Dictionary(uniqueKeysWithValues: all.map { ($0.label, $0.probability) })
            #expect(shortcut?.probabilities == labels.map { probabilities[$0] }, "\(name) \(line.id)")
        }
    }

    @Test func readsTheFormatOfEachFixtureModel() throws {
        let lid = LanguageIDFixtures.lid176
        #expect(lid.isQuantized && lid.args.loss == .hierarchicalSoftmax && lid.args.dim == 16)
        #expect(lid.dictionary.wordCount == 7235 && lid.dictionary.labelCount == 176)
        #expect(Array(lid.dictionary.labels.prefix(3)) == ["__label__en", "__label__ru", "__label__de"])
        let tiny = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath("tiny-softmax.bin"))
        #expect(!tiny.isQuantized && tiny.args.loss == .softmax && tiny.args.wordNgrams == 2 && tiny.args.bucket == 8000)
        let ova = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath("tiny-ova.bin"))
        #expect(ova.args.loss == .oneVsAll && ova.args.maxn == 0 && ova.args.bucket == 0)
    }

    /// k < 1 gives every label of a softmax model; a hierarchical softmax leaves out the labels
    /// below 1e-5, as fastText's tree search does (lid.176: 95 of 176 labels for this line, as
    /// fastText's Python binding gives with k=-1).
    @Test func asksForEveryLabelWithKBelowOne() throws {
        let text = Array(LanguageIDFixtures.line("udhr/eng/3").text.utf8)
        let softmax = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath("tiny-softmax.bin"))
        #expect(text.withUnsafeBufferPointer { softmax.predict($0, k: 0) }.count == softmax.dictionary.labelCount)
        let all = text.withUnsafeBufferPointer { LanguageIDFixtures.lid176.predict($0, k: 0) }
        let top = text.withUnsafeBufferPointer { LanguageIDFixtures.lid176.predict($0, k: 1) }
        #expect(top.count == 1 && all.first == top.first)
        #expect(all.count == 95 && all.allSatisfy { $0.probability >= 1e-5 })
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    }

    @Test func rejectsBrokenFilesWithTheOffset() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: LanguageIDFixtures.modelPath("tiny-softmax.ftz"))))
        #expect(throws: FastTextModelError("not a fastText model: magic number 1684611707, expected 793712314")) {
            _ = try FastTextModel(bytes: Array("{\"id\": 1}".utf8))
        }
        #expect(throws: FastTextModelError("file ends at byte 40 inside args.bucket (at byte 40, 4 bytes needed)")) {
            _ = try FastTextModel(bytes: Array(bytes.prefix(40)))
        }
        #expect(throws: FastTextModelError("1 bytes after the output matrix, which ends at byte \(bytes.count)")) {
            _ = try FastTextModel(bytes: bytes + [0])
        }
        var future = bytes
        future[4] = 13
        #expect(throws: FastTextModelError("format version 13 is newer than 12, the newest this reader knows")) {
            _ = try FastTextModel(bytes: future)
        }
        var badLoss = bytes
        badLoss[8 + 24] = 9
        #expect(throws: FastTextModelError("args.loss at byte 32 is 9, expected 1...4")) {
            _ = try FastTextModel(bytes: badLoss)
        }
        #expect(throws: FastTextModelError("no such file")) {
            _ = try FastTextModel(contentsOf: LanguageIDFixtures.folder + "/missing.ftz")
        }
    }
}
