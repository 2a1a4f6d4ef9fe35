import CurateShards
import Foundation
import Testing

@Suite struct ShardRemovalTests {
    private func targets(_ set: ShardSet, shard: Int, documents: [Int]) throws -> [ShardRemoval.Target] {
        let index = try set.documentIndex(shard)
        return documents.map { ShardRemoval.Target(shard: shard, firstToken: Int64(index.starts[$0]), documentID: index.id($0)) }
    }

    @Test func rewritesOnlyTheShardsHoldingTheDocumentsAsTheNextVersion() throws {
        let folder = try Fixture.write()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let before = try ShardSet(directory: folder)
        #expect(before.manifest.shards.count >= 3)
        let removed = try targets(before, shard: 1, documents: [0, 2])
        let untouched = before.manifest.shards.enumerated().filter { $0.offset != 1 }.map { ($0.element.file, Fixture.bytes(folder + "/" + $0.element.file)) }

        let outcome = try ShardRemoval(directory: folder).remove(removed)
        #expect(outcome.version == 2 && outcome.rewrites.map(\.shard) == [1])
        let after = try ShardSet(directory: folder)
        #expect(after.manifest.version == 2)
        #expect(after.manifest.shards[1].file == "shard-00001.v2.tok.zst")
        #expect(!FileManager.default.fileExists(atPath: folder + "/shard-00001.tok.zst"))
        for (file, bytes) in untouched { #expect(Fixture.bytes(folder + "/" + file) == bytes) }
        #expect(ShardVerifier(directory: folder).verify().problems.isEmpty)

        // The shard holds the other documents' exact tokens, and `moved` says where each went.
        let oldIndex = try before.documentIndex(1), newIndex = try after.documentIndex(1)
        let kept = (0..<oldIndex.count).filter { ![0, 2].contains($0) }
        #expect((0..<newIndex.count).map(newIndex.id) == kept.map(oldIndex.id))
        let gone = removed.map { target in Fixture.documents.firstIndex { $0.id == target.documentID }! }
        let expected = Fixture.documents.enumerated().filter { !gone.contains($0.offset) }.flatMap { $0.element.ids + [Fixture.eod] }
        #expect(try after.tokens(0..<after.tokenCount) == expected)
        for (n, i) in kept.enumerated() {
            #expect(outcome.rewrites[0].moved[Int64(oldIndex.starts[i])] == Int64(newIndex.starts[n]))
        }
    }

    @Test func aShardLosingEveryDocumentStaysAsAnEmptyShard() throws {
        let folder = try Fixture.write()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let set = try ShardSet(directory: folder)
        let all = try targets(set, shard: 0, documents: Array(0..<set.documentIndex(0).count))
        _ = try ShardRemoval(directory: folder).remove(all)
        let second = try ShardRemoval(directory: folder).remove(try targets(ShardSet(directory: folder), shard: 1, documents: [0]))
        #expect(second.version == 3)
        let after = try ShardSet(directory: folder)
        #expect(after.manifest.shards[0].tokens == 0 && after.manifest.shards[0].documents == 0 && after.manifest.shards[0].frames == 0)
        #expect(after.manifest.shards[1].file == "shard-00001.v3.tok.zst")
        #expect(ShardVerifier(directory: folder).verify().problems.isEmpty)
        #expect(try after.document(at: 0).shard == 1)
    }

    @Test func refusesATargetThatIsNotADocumentStartAndChangesNothing() throws {
        let folder = try Fixture.write()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let manifest = Fixture.bytes(folder + "/manifest.json")
        let set = try ShardSet(directory: folder)
        var wrong = try targets(set, shard: 1, documents: [1])
        wrong[0].firstToken += 1
        #expect(throws: ShardError.self) { try ShardRemoval(directory: folder).remove(try targets(set, shard: 0, documents: [0]) + wrong) }
        #expect(Fixture.bytes(folder + "/manifest.json") == manifest)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".v2.") || $0.hasPrefix(".") }.isEmpty)
    }
}
