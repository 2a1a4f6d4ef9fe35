import CurateShards
import CurateTrainer
import Foundation

/// The inaugural addresses of Tests/Fixtures/trainer as byte tokens, and small options.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/trainer").path
    static let vocabSize = 257
    static let eod: UInt32 = 256

    /// Each address's bytes as token ids, in file-name order.
    static let documents: [(id: String, tokens: [UInt32])] = {
        let names = try! FileManager.default.contentsOfDirectory(atPath: folder + "/inaugural").sorted()
        return names.map { name in
            let bytes = FileManager.default.contents(atPath: folder + "/inaugural/" + name)!
            return (name, bytes.map { UInt32($0) })
        }
    }()

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "curate-trainer-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Shards of the addresses in a new folder.
    static func shards() throws -> String {
        let folder = temporaryFolder() + "/shards"
        let writer = try ShardWriter(directory: folder, options: .init(vocabSize: vocabSize, endOfDocument: eod, shardTokens: 20000, frameTokens: 4096))
        for document in documents {
            _ = try document.tokens.withUnsafeBufferPointer { try writer.append(documentID: document.id, tokens: $0) }
        }
        try writer.finish()
        return folder
    }

    /// A model small enough to train in seconds in a debug build.
    static func options(steps: Int) -> TrainingOptions {
        var o = TrainingOptions.tiny
        o.layers = 2
        o.heads = 2
        o.width = 64
        o.context = 32
        o.batchSize = 8
        o.steps = steps
        o.warmupSteps = min(10, steps / 4)
        o.learningRate = 3e-3
        o.validationWindows = 48
        o.validationEvery = 25
        o.seed = 42
        return o
    }
}
