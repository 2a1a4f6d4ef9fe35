import CurateShards
import Foundation
import Testing

@Suite struct ShardWriterTests {
    @Test func manifestCountsTheFixture() throws {
        let folder = try Fixture.write()
        let set = try ShardSet(directory: folder)
        let m = set.manifest
        #expect(m.dtype == .uint16)
        #expect(m.vocabSize == 50257 && m.eodID == 50256 && m.frameTokens == 256)
        #expect(m.tokens == 3231 && m.documents == 24)
        #expect(m.shards.map(\.tokens) == [1194, 1077, 960])
        #expect(m.shards.map(\.documents) == [8, 9, 7])
        #expect(m.shards.map(\.frames) == [5, 5, 4])
        #expect(m.shards.map(\.file) == ["shard-00000.tok.zst", "shard-00001.tok.zst", "shard-00002.tok.zst"])
        #expect(m.tokenizer == nil)
    }

    @Test func zstdCommandDecodesEachShardToTheRawTokens() throws {
        let folder = try Fixture.write()
        let set = try ShardSet(directory: folder)
        var decoded: [UInt8] = []
        for info in set.manifest.shards {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
            process.arguments = ["-d", "-c", "-q", folder + "/" + info.file]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(data.count == info.tokens * 2)
            decoded += data
        }
        #expect(decoded == Fixture.raw(Fixture.stream, width: 2))
    }

    @Test func seekTableFollowsTheSeekableFormat() throws {
        let folder = try Fixture.write()
        let bytes = Fixture.bytes(folder + "/shard-00000.tok.zst")
        let n = bytes.count
        #expect(Fixture.integer(bytes, n - 4, UInt32.self) == 0x8F92_EAB1)
        #expect(bytes[n - 5] == 0x80)
        let frames = Int(Fixture.integer(bytes, n - 9, UInt32.self))
        #expect(frames == 5)
        let start = n - 9 - 12 * frames - 8
        #expect(Fixture.integer(bytes, start, UInt32.self) == 0x184D_2A5E)
        #expect(Fixture.integer(bytes, start + 4, UInt32.self) == UInt32(12 * frames + 9))
        var offset = 0
        var tokens = 0
        for f in 0..<frames {
            let compressed = Int(Fixture.integer(bytes, start + 8 + 12 * f, UInt32.self))
            let decompressed = Int(Fixture.integer(bytes, start + 12 + 12 * f, UInt32.self))
            #expect(Fixture.integer(bytes, offset, UInt32.self) == 0xFD2F_B528)  // a zstd frame starts here
            #expect(decompressed == (f < frames - 1 ? 512 : (1194 - 4 * 256) * 2))
            offset += compressed
            tokens += decompressed / 2
        }
        #expect(offset == start && tokens == 1194)
    }

    @Test func documentIndexLayout() throws {
        let folder = try Fixture.write()
        let bytes = Fixture.bytes(folder + "/shard-00001.docs")
        #expect(Array(bytes[0..<8]) == Array("CURDOCS\0".utf8))
        #expect(Fixture.integer(bytes, 8, UInt32.self) == 1 && Fixture.integer(bytes, 12, UInt32.self) == 0)
        let count = Int(Fixture.integer(bytes, 16, UInt64.self))
        #expect(count == 9 && Fixture.integer(bytes, 24, UInt64.self) == 1077)
        let docs = Array(Fixture.documents[8..<17])
        var start: UInt64 = 0
        let idsAt = 32 + 16 * count + 8
        for (i, doc) in docs.enumerated() {
            #expect(Fixture.integer(bytes, 32 + 8 * i, UInt64.self) == start)
            let from = Int(Fixture.integer(bytes, 32 + 8 * count + 8 * i, UInt64.self))
            let to = Int(Fixture.integer(bytes, 32 + 8 * count + 8 * (i + 1), UInt64.self))
            #expect(String(decoding: bytes[(idsAt + from)..<(idsAt + to)], as: UTF8.self) == doc.id)
            start += UInt64(doc.ids.count + 1)
        }
        #expect(idsAt + Int(Fixture.integer(bytes, 32 + 8 * count + 8 * count, UInt64.self)) == bytes.count)
    }

    @Test func sameInputGivesIdenticalBytes() throws {
        let a = try Fixture.write()
        let b = try Fixture.write()
        let names = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: b).sorted()))
        #expect(names.count == 7)
        for name in names { #expect(Fixture.bytes(a + "/" + name) == Fixture.bytes(b + "/" + name), "\(name)") }
    }

    @Test func documentsNeverSpanShards() throws {
        let long = Fixture.Document(id: "long", ids: Array(repeating: 11, count: 2000))
        let docs = [Fixture.documents[0], long, Fixture.documents[1], Fixture.Document(id: "empty", ids: [])]
        let set = try ShardSet(directory: try Fixture.write(docs, shardTokens: 1000))
        // 15 + 1 tokens; then the 2001-token document alone; then 373 + 1 and the empty one, 0 + 1.
        #expect(set.manifest.shards.map(\.tokens) == [16, 2001, 375])
        #expect(set.manifest.shards.map(\.documents) == [1, 1, 2])
        #expect(try set.document(id: "empty")?.tokens == 2391..<2392)
    }

    @Test func appendSaysWhereEachDocumentWent() throws {
        let writer = try ShardWriter(directory: Fixture.temporaryFolder(), options: .init(vocabSize: 100, endOfDocument: 0, shardTokens: 10))
        var spans: [ShardWriter.Span] = []
        for ids: [UInt32] in [[1, 2, 3], [4, 5, 6, 7, 8], [9], [10, 11]] {
            spans.append(try ids.withUnsafeBufferPointer { try writer.append(documentID: "d", tokens: $0) })
        }
        #expect(spans == [.init(shard: 0, firstToken: 0, tokens: 4), .init(shard: 0, firstToken: 4, tokens: 6), .init(shard: 1, firstToken: 0, tokens: 2), .init(shard: 1, firstToken: 2, tokens: 3)])
        #expect(try writer.finish().map(\.tokens) == [10, 5])
    }

    @Test func wideVocabularyStoresUInt32() throws {
        let docs = [Fixture.Document(id: "a", ids: [70_000, 1, 99_999]), Fixture.Document(id: "b", ids: [65_536])]
        let folder = try Fixture.write(docs, vocabSize: 100_000, eod: 0, frameTokens: 3)
        let set = try ShardSet(directory: folder)
        #expect(set.manifest.dtype == .uint32)
        #expect(try set.tokens(0..<6) == [70_000, 1, 99_999, 0, 65_536, 0])
        #expect(set.manifest.shards[0].frames == 2)
    }

    @Test func rejectsIdsOutsideTheVocabularyAndTheEndOfDocumentId() throws {
        let folder = Fixture.temporaryFolder()
        let writer = try ShardWriter(directory: folder, options: .init(vocabSize: 100, endOfDocument: 99))
        #expect(throws: ShardError(path: folder, "document x: token 1 is id 100, not below the vocabulary size 100")) {
            try [UInt32(5), 100].withUnsafeBufferPointer { try writer.append(documentID: "x", tokens: $0) }
        }
        #expect(throws: ShardError(path: folder, "document y: token 0 is the end-of-document id 99")) {
            try [UInt32(99)].withUnsafeBufferPointer { try writer.append(documentID: "y", tokens: $0) }
        }
        #expect(throws: ShardError(path: folder, "end-of-document id 100 is not below the vocabulary size 100")) {
            _ = try ShardWriter(directory: folder, options: .init(vocabSize: 100, endOfDocument: 100))
        }
    }
}
