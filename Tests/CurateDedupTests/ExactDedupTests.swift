import CurateCore
import Testing
@testable import CurateDedup

@Suite struct ExactDedupTests {
    @Test func dropsTextsEqualOnceSimplifiedKeepingTheFirst() throws {
        let harness = try BarrierHarness(parts: split(try corpus(), into: 2))
        let drops = try harness.run(ExactDedup())
        #expect(drops == [
            Drop(id: "washington-shouted", line: 2, reason: "exact_dedup", kept: "washington", metrics: [Metric("jaccard", 1)]),
            Drop(id: "genesis-de-no-marks", line: 12, reason: "exact_dedup", kept: "genesis-de", metrics: [Metric("jaccard", 1)]),
        ])
        let stats = try harness.stats()
        #expect(stats.documents == 13)
        #expect(stats.clusters == 2)
        #expect(stats.duplicatesRemoved == 2)
        #expect(stats.clusterSizes == [2: 2])
        #expect(stats.duplicatesByInput == ["corpus.jsonl": 2])
        #expect(harness.clusters.all.map(\.documentID) == ["washington", "washington-shouted", "genesis-de", "genesis-de-no-marks"])
        #expect(Set(harness.clusters.all.map(\.keptID)) == ["washington", "genesis-de"])
    }

    @Test func rawBytesWithoutNormalization() throws {
        let documents = try corpus()
        let copy = Document(id: "copy", text: documents[2].text, source: SourceRef(input: "other.jsonl", offset: 0))
        let harness = try BarrierHarness(parts: [documents, [copy]])
        let drops = try harness.run(ExactDedup(normalize: false))
        #expect(drops.map(\.id) == ["copy"])
        #expect(drops.map(\.kept) == ["roosevelt-1945"])
        #expect(try harness.stats().duplicatesByInput == ["other.jsonl": 1])
    }

    @Test func spillingToDiskGivesTheSameDrops() throws {
        let documents = try corpus()
        let many = copies(of: documents, rounds: 40)
        let small = try BarrierHarness(parts: split(many, into: 3))
        var tight = ExactDedup()
        tight.memoryBytes = 1024
        let smallDrops = try small.run(tight, workers: 2)
        let large = try BarrierHarness(parts: split(many, into: 3))
        let largeDrops = try large.run(ExactDedup(), workers: 1)
        #expect(try small.stats().spilledRuns > 1)
        #expect(try large.stats().spilledRuns == 0)
        #expect(smallDrops == largeDrops)
        // 13 documents, 11 distinct texts, 40 copies of each.
        #expect(largeDrops.count == 40 * 13 - 11)
        #expect(try large.stats().clusterSizes == [40: 9, 80: 2])
    }
}
