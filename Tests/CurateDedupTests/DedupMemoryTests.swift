import CurateCore
import Foundation
import Testing
@testable import CurateDedup

/// Budgets smaller than the per-document tables: the cluster table, the sorts and the drop
/// table go to disk, and the results stay those of a large budget.
@Suite struct DedupMemoryTests {
    /// 13 documents take a 52-byte cluster table; 64 bytes of memory_mb leave dedup's data a
    /// quarter, 16 bytes, of which the table gets 8: it is paged from disk, and the drops
    /// (40 bytes each) are searched on disk.
    static let tinyBudget = 64

    @Test func minHashWithATinyBudgetGivesTheSameResult() throws {
        let documents = try corpus()
        #expect(DedupMemory.dataBytes(Self.tinyBudget, workers: 2) == 16)
        #expect(ClusterTable.bytes(count: documents.count) > 16 / 2)
        for verify in [false, true] {
            var tight = MinHashDedup(verify: verify)
            tight.memoryBytes = Self.tinyBudget
            let small = try BarrierHarness(parts: split(documents, into: 3))
            let smallDrops = try small.run(tight, workers: 2)
            let large = try BarrierHarness(parts: split(documents, into: 3))
            let largeDrops = try large.run(MinHashDedup(verify: verify), workers: 2)
            #expect(!smallDrops.isEmpty)
            #expect(smallDrops == largeDrops)
            #expect(small.clusters.all == large.clusters.all)
            let filter = try #require(try tight.load(small.context(workers: 1)) as? DuplicateFilter)
            #expect(!filter.holdsDropsInMemory)
            #expect(try small.stats().spilledRuns > 0)
            var stats = try small.stats()
            stats.spilledRuns = 0
            #expect(stats == (try large.stats()))
        }
    }

    @Test func exactDedupWithATinyBudgetGivesTheSameResult() throws {
        let documents = try corpus()
        let many = copies(of: documents, rounds: 40)
        var tight = ExactDedup()
        tight.memoryBytes = Self.tinyBudget
        let small = try BarrierHarness(parts: split(many, into: 3))
        let smallDrops = try small.run(tight, workers: 2)
        let large = try BarrierHarness(parts: split(many, into: 3))
        let largeDrops = try large.run(ExactDedup(), workers: 1)
        #expect(largeDrops.count == 40 * 13 - 11)
        #expect(smallDrops == largeDrops)
        #expect(small.clusters.all == large.clusters.all)
        let filter = try #require(try tight.load(small.context(workers: 1)) as? DuplicateFilter)
        #expect(!filter.holdsDropsInMemory)
        var stats = try small.stats()
        stats.spilledRuns = 0
        #expect(stats == (try large.stats()))
    }

    @Test func pagedArrayReadsBackWhatWasWritten() throws {
        let folder = NSTemporaryDirectory() + "curate-dedup-array-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let count = 1000
        // 256 bytes: pages of 8 entries, 8 of them cached, 125 on disk.
        let paged = try DocumentArray(count: count, repeating: 7, memoryBytes: 256, path: "\(folder)/paged")
        #expect(paged.isOnDisk)
        #expect(FileManager.default.fileExists(atPath: "\(folder)/paged"))
        var expected = [UInt32](repeating: 7, count: count)
        var state: UInt64 = 12345
        for step in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let i = Int(state >> 33) % count
            if step % 3 == 0 {
                try paged.set(i, UInt32(step))
                expected[i] = UInt32(step)
            } else {
                #expect(try paged.get(i) == expected[i])
            }
        }
        for i in 0..<count { #expect(try paged.get(i) == expected[i]) }
        let inMemory = try DocumentArray(count: count, repeating: 7, memoryBytes: count * 4, path: "\(folder)/unused")
        #expect(!inMemory.isOnDisk)
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/unused"))
    }

    @Test func unionFindKeepsTheSmallestDocumentOnDisk() throws {
        let folder = NSTemporaryDirectory() + "curate-dedup-table-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let table = try ClusterTable(count: 100, memoryBytes: 64, folder: folder)
        #expect(table.isOnDisk)
        // Clusters {3, 50, 97, 20}, {10, 11}, {60, 99} (60-99 leaves), {5}.
        for (a, b) in [(50, 97), (20, 97), (3, 50), (10, 11), (60, 99)] { try table.union(a, b) }
        #expect(try table.close { member, _ in member != 99 } == 1)
        var members: [[Int]] = []
        try table.forEachMember { document, kept in members.append([document, kept]) }
        #expect(members == [[3, 3], [10, 10], [11, 10], [20, 3], [50, 3], [97, 3]])
        #expect(try table.size(kept: 3) == 4)
        #expect(try table.size(kept: 60) == 1)
    }

    @Test func inPlaceSortOrdersLikeTheStandardSort() {
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let random = (0..<5000).map { _ in Triple64(next() % 50, next() % 7, next()) }
        let patterns: [[Triple64]] = [
            random, random.sorted(), random.sorted().reversed(),
            (0..<5000).map { Triple64(UInt64($0 % 3), 0, 0) },
            (0..<5000).map { i in Triple64(UInt64(i < 2500 ? i : 5000 - i), 0, 0) },
            [], [Triple64(1, 2, 3)],
        ]
        for pattern in patterns {
            var items = pattern
            items.withUnsafeMutableBufferPointer { InPlaceSort.sort($0) }
            #expect(items == pattern.sorted())
        }
    }
}
