import CurateShards
import Foundation
import Testing

/// The shard set stored in Tests/Fixtures/shards/set: files written by an earlier build stay
/// readable, and today's writer still produces the same index and token frames.
@Suite struct StoredSetTests {
    let stored = Fixture.folder + "/set"

    @Test func verifiesAndReadsBackTheFixtureTokens() throws {
        #expect(ShardVerifier(directory: stored).verify().problems.isEmpty)
        let set = try ShardSet(directory: stored)
        #expect(try set.tokens(0..<set.tokenCount) == Fixture.stream)
    }

    /// Byte equality holds for a given libzstd (the fixture was made with Debian 12's 1.5.4); another
    /// zstd release may compress frames differently, and then set/ is regenerated (see SOURCES.md).
    @Test func writerReproducesTheStoredFiles() throws {
        let fresh = try Fixture.write()
        for name in try FileManager.default.contentsOfDirectory(atPath: stored) {
            #expect(Fixture.bytes(fresh + "/" + name) == Fixture.bytes(stored + "/" + name), "\(name)")
        }
    }
}
