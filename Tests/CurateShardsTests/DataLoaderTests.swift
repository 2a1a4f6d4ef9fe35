import CurateShards
import Testing

@Suite struct DataLoaderTests {
    /// All batches of a loader: the window numbers in order, and checks each window's tokens.
    private func drain(_ loader: DataLoader, context: Int) throws -> [Int] {
        var numbers: [Int] = []
        let stream = Fixture.stream
        while let batch = try loader.next() {
            #expect(batch.tokens.count == batch.windows * (context + 1))
            for (k, window) in batch.windowNumbers.enumerated() {
                let expected = stream[(window * context)..<(window * context + context + 1)]
                #expect(Array(batch.tokens[(k * (context + 1))..<((k + 1) * (context + 1))]) == Array(expected))
            }
            numbers += batch.windowNumbers
        }
        return numbers
    }

    @Test(arguments: [1, 2, 3])
    func ranksPartitionEachEpoch(worldSize: Int) throws {
        let folder = try Fixture.write()
        let context = 64
        let windows = (3231 - 1) / context  // 50
        var all: [Int] = []
        for rank in 0..<worldSize {
            let loader = try DataLoader(directory: folder, options: .init(context: context, batchSize: 4, seed: 7, rank: rank, worldSize: worldSize, epochs: 1))
            #expect(loader.windowsPerEpoch == windows)
            let mine = try drain(loader, context: context)
            #expect(mine.count == loader.rankWindowsPerEpoch)
            #expect(mine.count == windows / worldSize + (rank < windows % worldSize ? 1 : 0))
            all += mine
        }
        #expect(all.count == windows)
        #expect(Set(all) == Set(0..<windows))
    }

    @Test func shuffleIsDeterministicBySeedAndChangesWithEpochs() throws {
        let folder = try Fixture.write()
        func order(seed: UInt64, epochs: Int = 1, shuffle: Bool = true) throws -> [Int] {
            try drain(try DataLoader(directory: folder, options: .init(context: 100, batchSize: 3, seed: seed, shuffle: shuffle, epochs: epochs)), context: 100)
        }
        let a = try order(seed: 1)
        #expect(a == (try order(seed: 1)))
        #expect(a != (try order(seed: 2)))
        #expect(a != Array(0..<32) && Set(a) == Set(0..<32))
        #expect(try order(seed: 1, shuffle: false) == Array(0..<32))
        let two = try order(seed: 1, epochs: 2)
        #expect(Array(two[0..<32]) == a)
        #expect(Array(two[32...]) != a && Set(two[32...]) == Set(0..<32))
    }

    @Test func resumingFromACursorGivesExactlyTheRemainingWindows() throws {
        let folder = try Fixture.write()
        let options = DataLoader.Options(context: 50, batchSize: 5, seed: 42, rank: 1, worldSize: 2, epochs: 3, prefetch: 2)
        let full = try drain(try DataLoader(directory: folder, options: options), context: 50)
        #expect(full.count == 3 * 32)  // 64 windows, 32 for rank 1, three epochs
        for stop in [1, 6, 7, 13] {  // batches consumed before saving the cursor (7 ends epoch 0)
            let loader = try DataLoader(directory: folder, options: options)
            var seen: [Int] = []
            for _ in 0..<stop { seen += try loader.next()!.windowNumbers }
            let saved = loader.cursor.json()
            let resumed = try DataLoader(directory: folder, options: options, resume: try DataLoaderCursor(json: saved))
            #expect(seen + (try drain(resumed, context: 50)) == full, "stop after \(stop)")
        }
    }

    @Test func cursorJSONRoundTripsAndRejectsOtherData() throws {
        let folder = try Fixture.write()
        let options = DataLoader.Options(context: 50, batchSize: 5, seed: 18_446_744_073_709_551_615, rank: 0, worldSize: 2)
        let loader = try DataLoader(directory: folder, options: options)
        _ = try loader.next()
        let json = loader.cursor.json()
        #expect(json == #"{"version":1,"tokens":3231,"context":50,"seed":18446744073709551615,"shuffle":true,"rank":0,"world_size":2,"epoch":0,"position":5}"#)
        #expect(try DataLoaderCursor(json: json) == loader.cursor)
        var other = options
        other.context = 49
        #expect(throws: ShardError.self) { _ = try DataLoader(directory: folder, options: other, resume: loader.cursor) }
    }

    @Test func rejectsBadOptions() throws {
        let folder = try Fixture.write()
        #expect(throws: ShardError(path: folder, "rank 2 is not in 0..<world size 2")) {
            _ = try DataLoader(directory: folder, options: .init(context: 8, rank: 2, worldSize: 2))
        }
        #expect(throws: ShardError(path: folder, "3231 tokens make 0 windows of 3232 tokens, fewer than the 1 ranks")) {
            _ = try DataLoader(directory: folder, options: .init(context: 3231))
        }
    }
}
