import CurateShards
import Foundation
import Testing

@Suite struct ShardVerifierTests {
    /// Flips the low bit of byte `offset` of `file` in `folder`.
    private func flip(_ folder: String, _ file: String, at offset: Int) {
        var bytes = Fixture.bytes(folder + "/" + file)
        bytes[offset] ^= 0x01
        FileManager.default.createFile(atPath: folder + "/" + file, contents: Data(bytes))
    }

    private func problems(_ folder: String) -> [String] {
        ShardVerifier(directory: folder).verify().problems.map(\.description)
    }

    @Test func cleanSetHasNoProblems() throws {
        let report = ShardVerifier(directory: try Fixture.write()).verify()
        #expect(report.problems.isEmpty)
        #expect(report.shards == 3 && report.frames == 14 && report.tokens == 3231 && report.documents == 24)
    }

    @Test func catchesAFlippedByteInAFrame() throws {
        let folder = try Fixture.write()
        let reader = try ShardReader(path: folder + "/shard-00001.tok.zst", dtype: .uint16)
        let sizes = reader.seekTable.entries.map { Int($0.compressedSize) }
        let frame2 = sizes[0] + sizes[1]
        flip(folder, "shard-00001.tok.zst", at: frame2 + sizes[2] / 2)
        let found = problems(folder)
        #expect(found.count == 2)
        #expect(found.first?.hasPrefix("\(folder)/shard-00001.tok.zst: at byte \(frame2): frame 2 (bytes \(frame2)..<\(frame2 + sizes[2]))") == true, "\(found)")
        #expect(found.last?.hasPrefix("\(folder)/shard-00001.tok.zst: sha256 ") == true)
    }

    @Test func catchesAFlippedByteInTheSeekTable() throws {
        let folder = try Fixture.write()
        let size = Fixture.bytes(folder + "/shard-00002.tok.zst").count
        let entries = size - 9 - 12 * 4
        // The checksum of entry 1.
        flip(folder, "shard-00002.tok.zst", at: entries + 12 + 8)
        var found = problems(folder)
        #expect(found.first?.hasPrefix("\(folder)/shard-00002.tok.zst: at byte \(entries + 20): seek table entry 1: checksum ") == true, "\(found)")
        flip(folder, "shard-00002.tok.zst", at: entries + 20)
        // The decompressed size of entry 3 (the last frame: 960 - 3 * 256 = 192 tokens, 384 bytes).
        flip(folder, "shard-00002.tok.zst", at: entries + 36 + 4)
        found = problems(folder)
        #expect(found.first == "\(folder)/shard-00002.tok.zst: at byte \(entries + 40): frame 3 decompresses to 385 bytes, not a whole number of uint16 tokens", "\(found)")
        flip(folder, "shard-00002.tok.zst", at: entries + 40)
        // The descriptor's reserved bits.
        var bytes = Fixture.bytes(folder + "/shard-00002.tok.zst")
        bytes[size - 5] ^= 0x04
        FileManager.default.createFile(atPath: folder + "/shard-00002.tok.zst", contents: Data(bytes))
        found = problems(folder)
        #expect(found.first == "\(folder)/shard-00002.tok.zst: at byte \(size - 5): seek table descriptor 0x84 has reserved bits set", "\(found)")
    }

    @Test func catchesAFlippedByteInTheManifest() throws {
        let folder = try Fixture.write()
        let text = String(decoding: Fixture.bytes(folder + "/manifest.json"), as: UTF8.self)
        // A digit of the second shard's token count: 1077 -> 1076.
        let at = text.utf8.count - text[text.range(of: "\"tokens\": 1077")!.upperBound...].utf8.count - 1
        flip(folder, "manifest.json", at: at)
        #expect(problems(folder) == ["\(folder)/manifest.json: tokens 3231 is not the sum over the shards (3230)"])
        flip(folder, "manifest.json", at: at)
        // A digit of a sha256.
        let sha = try ShardSet(directory: folder).manifest.shards[0].sha256
        let shaAt = text.utf8.count - text[text.range(of: sha)!.lowerBound...].utf8.count
        flip(folder, "manifest.json", at: shaAt)
        let found = problems(folder)
        #expect(found.count == 1 && found[0].hasPrefix("\(folder)/shard-00000.tok.zst: sha256 \(sha) does not match the manifest's "), "\(found)")
        flip(folder, "manifest.json", at: shaAt)
        // Structure: a quote becomes '#'.
        flip(folder, "manifest.json", at: 2)
        #expect(problems(folder) == ["\(folder)/manifest.json: at byte 2: invalid JSON: expected a string key, found '!'"])
    }

    @Test func catchesAFlippedByteInTheDocumentIndex() throws {
        let folder = try Fixture.write()
        // The low byte of document 3's start token in shard 0.
        flip(folder, "shard-00000.docs", at: 32 + 8 * 3)
        let found = problems(folder)
        // Document 3 starts at 458 (its entry at byte 56); now the index says 459.
        #expect(found.count == 2, "\(found)")
        #expect(found.first == "\(folder)/shard-00000.docs: at byte 56: token 457 of shard-00000.tok.zst (frame 1, at byte \(try ShardReader(path: folder + "/shard-00000.tok.zst", dtype: .uint16).seekTable.entries[0].compressedSize)) is the end-of-document id but no document ends there; document 3 starts at 459")
        #expect(found.last?.hasPrefix("\(folder)/shard-00000.docs: sha256 ") == true)
    }
}
