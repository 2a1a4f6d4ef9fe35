import CurateShards
import Foundation

/// The gpt2 token ids of Tests/Fixtures/shards/tokens.jsonl and shard sets written from them.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/shards").path
    static let vocabSize = 50257
    static let eod: UInt32 = 50256

    struct Document {
        var id: String
        var ids: [UInt32]
    }

    static let documents: [Document] = {
        let text = try! String(contentsOfFile: folder + "/tokens.jsonl", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Document(id: object["id"] as! String, ids: (object["ids"] as! [Int]).map(UInt32.init))
        }
    }()

    /// Every document's ids followed by the end-of-document id, in order.
    static let stream: [UInt32] = documents.flatMap { $0.ids + [eod] }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "curate-shards-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `documents` into a new folder and returns it.
    static func write(
        _ documents: [Document] = documents, vocabSize: Int = vocabSize, eod: UInt32 = eod,
        shardTokens: Int = 1200, frameTokens: Int = 256
    ) throws -> String {
        let folder = temporaryFolder() + "/shards"
        let writer = try ShardWriter(directory: folder, options: .init(
            vocabSize: vocabSize, endOfDocument: eod, shardTokens: shardTokens, frameTokens: frameTokens))
        for document in documents {
            try document.ids.withUnsafeBufferPointer { try writer.append(documentID: document.id, tokens: $0) }
        }
        try writer.finish()
        return folder
    }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }

    /// Little-endian integer at `offset` of `bytes`.
    static func integer<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        return value
    }

    /// The raw little-endian bytes of `ids` at `width` bytes per id.
    static func raw(_ ids: [UInt32], width: Int) -> [UInt8] {
        ids.flatMap { id in (0..<width).map { UInt8(truncatingIfNeeded: id >> (8 * $0)) } }
    }
}
