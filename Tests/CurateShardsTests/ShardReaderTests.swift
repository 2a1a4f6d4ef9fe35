import CurateShards
import Testing

@Suite struct ShardReaderTests {
    @Test func readsAnyRangeAcrossFramesAndShards() throws {
        let set = try ShardSet(directory: try Fixture.write(), cacheFrames: 2)
        let stream = Fixture.stream
        #expect(set.tokenCount == stream.count)
        for range in [0..<1, 250..<260, 255..<513, 1190..<1200, 1000..<2500, 0..<3231, 3230..<3231, 700..<700] {
            #expect(try set.tokens(range) == Array(stream[range]), "\(range)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let a = Int.random(in: 0..<stream.count, using: &generator)
            let b = Int.random(in: a...stream.count, using: &generator)
            #expect(try set.tokens(a..<b) == Array(stream[a..<b]))
        }
    }

    @Test func rejectsRangesOutsideTheSet() throws {
        let folder = try Fixture.write()
        let set = try ShardSet(directory: folder)
        #expect(throws: ShardError(path: folder, "tokens 3000..<3232 are outside the set's 3231 tokens")) { try set.tokens(3000..<3232) }
    }

    @Test func mapsPositionsToDocuments() throws {
        let set = try ShardSet(directory: try Fixture.write())
        var position = 0
        for (i, doc) in Fixture.documents.enumerated() {
            let range = position..<(position + doc.ids.count + 1)
            for p in [range.lowerBound, range.upperBound - 1] {
                let place = try set.document(at: p)
                #expect(place.id == doc.id && place.tokens == range, "document \(i) at \(p)")
            }
            position = range.upperBound
        }
        #expect(try set.document(id: "inaugural/1809-Madison#1")?.shard == 1)
        #expect(try set.document(id: "nope") == nil)
    }

    @Test func iteratesDocumentsInOrder() throws {
        let set = try ShardSet(directory: try Fixture.write())
        var seen: [(String, [UInt32])] = []
        try set.forEachDocument { place, tokens in
            seen.append((place.id, tokens))
            return true
        }
        #expect(seen.map(\.0) == Fixture.documents.map(\.id))
        #expect(seen.map(\.1) == Fixture.documents.map { $0.ids + [Fixture.eod] })
    }

    @Test func opensOneShardFileAlone() throws {
        let folder = try Fixture.write()
        let reader = try ShardReader(path: folder + "/shard-00001.tok.zst", dtype: .uint16)
        #expect(reader.tokenCount == 1077)
        #expect(reader.seekTable.entries.count == 5)
        #expect(try reader.tokens(0..<1077) == Array(Fixture.stream[1194..<2271]))
        #expect(reader.frame(containing: 255) == 0 && reader.frame(containing: 256) == 1 && reader.frame(containing: 1076) == 4)
    }
}
