import CurateCore
import Foundation
import Testing
@testable import CurateDedup

/// Corpus pairs and their true Jaccard similarities (word 5-gram sets of datatrove's
/// simplified text, computed independently with datatrove 0.10.1's `simplify_text`):
/// washington / washington-shouted 1, roosevelt-1945 / edited-2pct 500/610,
/// roosevelt-1945 / edited-10pct 336/776, lincoln-1865 / edited-a 671/731,
/// lincoln-1865 / edited-b 651/751, edited-a / edited-b 624/778, roosevelt-1905 / the
/// second "washington" 509/983, genesis-de / genesis-de-no-marks 1.
@Suite struct MinHashDedupTests {
    static let shared = [
        Drop(id: "washington-shouted", line: 2, reason: "minhash_dedup", kept: "washington", metrics: [Metric("jaccard_estimate", 1)]),
        Drop(id: "roosevelt-1945-edited-2pct", line: 4, reason: "minhash_dedup", kept: "roosevelt-1945",
             metrics: [Metric("jaccard_estimate", 92.0 / 112)]),
        Drop(id: "lincoln-1865-edited-a", line: 7, reason: "minhash_dedup", kept: "lincoln-1865",
             metrics: [Metric("jaccard_estimate", 102.0 / 112)]),
        Drop(id: "lincoln-1865-edited-b", line: 8, reason: "minhash_dedup", kept: "lincoln-1865",
             metrics: [Metric("jaccard_estimate", 92.0 / 112)]),
        // Half of roosevelt-1905 (true Jaccard 0.518) shares one band of 14 with it.
        Drop(id: "washington", line: 10, reason: "minhash_dedup", kept: "roosevelt-1905",
             metrics: [Metric("jaccard_estimate", 68.0 / 112)]),
        Drop(id: "genesis-de-no-marks", line: 12, reason: "minhash_dedup", kept: "genesis-de", metrics: [Metric("jaccard_estimate", 1)]),
    ]

    @Test func nearDuplicatesAndAClusterOfThreeKeepingTheEarliest() throws {
        let harness = try BarrierHarness(parts: split(try corpus(), into: 2))
        #expect(try harness.run(MinHashDedup()) == Self.shared)
        let stats = try harness.stats()
        #expect(stats.documents == 13)
        #expect(stats.documentsWithoutShingles == 1)
        #expect(stats.candidatePairs == 6)
        #expect(stats.rejectedCandidates == 0)
        #expect(stats.clusters == 5)
        #expect(stats.clusterSizes == [2: 4, 3: 1])
        #expect(stats.duplicatesRemoved == 6)
        #expect(stats.duplicatesByInput == ["corpus.jsonl": 6])
        // Only the results stay, and loading them again (a resumed run) gives the same stage.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: harness.folder)) == ["drops.bin", "stats.json"])
        let reloaded = try MinHashDedup().load(harness.context(workers: 1))
        var copy = try corpus()[3]
        #expect(reloaded.process(&copy) == .drop(reason: "minhash_dedup", metrics: [Metric("jaccard_estimate", 92.0 / 112)],
                                                 detail: "roosevelt-1945"))
        let lincoln = harness.clusters.all.filter { $0.keptID == "lincoln-1865" }
        #expect(lincoln == [
            ClusterMember(documentID: "lincoln-1865", keptID: "lincoln-1865", estimatedJaccard: 1, exactJaccard: nil),
            ClusterMember(documentID: "lincoln-1865-edited-a", keptID: "lincoln-1865", estimatedJaccard: 102.0 / 112, exactJaccard: nil),
            ClusterMember(documentID: "lincoln-1865-edited-b", keptID: "lincoln-1865", estimatedJaccard: 92.0 / 112, exactJaccard: nil),
        ])
    }

    @Test func verificationMergesOnlyPairsAtTheThreshold() throws {
        let harness = try BarrierHarness(parts: split(try corpus(), into: 2))
        let drops = try harness.run(MinHashDedup(verify: true))
        #expect(drops.map(\.id) == ["washington-shouted", "roosevelt-1945-edited-2pct", "lincoln-1865-edited-a",
                                    "lincoln-1865-edited-b", "genesis-de-no-marks"])
        #expect(drops.map { $0.metrics.last! } == [
            Metric("jaccard", 1), Metric("jaccard", 500.0 / 610), Metric("jaccard", 671.0 / 731),
            Metric("jaccard", 651.0 / 751), Metric("jaccard", 1),
        ])
        #expect(try harness.stats().rejectedCandidates == 1)

        let stricter = try BarrierHarness(parts: split(try corpus(), into: 2))
        let strictDrops = try stricter.run(MinHashDedup(verify: true, threshold: 0.85))
        // edited-a / edited-b (0.802) is rejected, but both stay joined through the original.
        #expect(strictDrops.map(\.id) == ["washington-shouted", "lincoln-1865-edited-a", "lincoln-1865-edited-b", "genesis-de-no-marks"])
        #expect(try stricter.stats().rejectedCandidates == 2)
        #expect(try stricter.stats().clusterSizes == [2: 2, 3: 1])
    }

    /// Every 60th word replaced, starting at `offset`.
    static func edited(_ text: String, offset: Int) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for i in stride(from: offset, to: words.count, by: 60) { words[i] = "zzz\(i)" }
        return words.joined(separator: " ")
    }

    @Test func verifiedChainsDropOnlyMembersAlikeToTheKeptDocument() throws {
        let lincoln = try corpus()[5]
        let b = Self.edited(lincoln.textString, offset: 0)
        let c = Self.edited(b, offset: 30)
        let documents = [lincoln.textString, b, c].enumerated().map { i, text in
            Document(id: ["a", "b", "c"][i], text: Array(text.utf8), source: SourceRef(input: "chain", offset: Int64(i)))
        }
        let harness = try BarrierHarness(parts: [documents])
        let drops = try harness.run(MinHashDedup(verify: true))
        // a-b and b-c are alike (0.849), a-c is not: c joins through b but is not dropped.
        #expect(drops == [Drop(id: "b", line: 0, reason: "minhash_dedup", kept: "a",
                               metrics: [Metric("jaccard_estimate", 91.0 / 112), Metric("jaccard", 643.0 / 757)])])
        let stats = try harness.stats()
        #expect(stats.candidatePairs == 3)
        #expect(stats.rejectedCandidates == 1)
        #expect(stats.membersBelowThreshold == 1)
        #expect(stats.clusterSizes == [2: 1])
        #expect(harness.clusters.all.map(\.documentID) == ["a", "b"])
    }

    @Test func sameDropsWithOneOrTwoWorkersAndAnyPartition() throws {
        let documents = try corpus()
        let one = try BarrierHarness(parts: [documents])
        let oneDrops = try one.run(MinHashDedup(bandGroups: 1), workers: 1)
        let two = try BarrierHarness(parts: split(documents, into: 5))
        let twoDrops = try two.run(MinHashDedup(), workers: 2)
        #expect(oneDrops == Self.shared)
        #expect(twoDrops == oneDrops)
        #expect(two.clusters.all == one.clusters.all)
    }

    @Test func aBudgetSmallerThanTheSignaturesSpillsAndGivesTheSameResult() throws {
        let documents = try corpus()
        var tight = MinHashDedup(verify: true)
        // 13 signatures take 13 x 112 x 8 = 11,648 bytes; 16 sort records take 384.
        tight.memoryBytes = 384
        let small = try BarrierHarness(parts: split(documents, into: 3))
        let smallDrops = try small.run(tight, workers: 2)
        let large = try BarrierHarness(parts: split(documents, into: 3))
        let largeDrops = try large.run(MinHashDedup(verify: true), workers: 2)
        #expect(try small.stats().spilledRuns > 8)
        #expect(try large.stats().spilledRuns == 0)
        #expect(smallDrops == largeDrops)
        #expect(small.clusters.all == large.clusters.all)
        var stats = try small.stats()
        stats.spilledRuns = 0
        #expect(stats == (try large.stats()))
    }

    @Test func characterShingles() throws {
        let harness = try BarrierHarness(parts: [try corpus()])
        let drops = try harness.run(MinHashDedup(ngram: 10, shingle: .char, verify: true))
        #expect(drops.map(\.id) == ["washington-shouted", "roosevelt-1945-edited-2pct", "lincoln-1865-edited-a",
                                    "lincoln-1865-edited-b", "genesis-de-no-marks"])
    }

    @Test func optionsFromPipelineJSON() throws {
        let definition = MinHashDedup.definition
        let built = try definition.make(Options.defaults(definition.parameters))
        guard case let .barrier(stage) = built, let dedup = stage as? MinHashDedup else {
            Issue.record("not a barrier")
            return
        }
        #expect(dedup.bands == 14 && dedup.rows == 8 && dedup.ngram == 5 && dedup.shingle == .word)
        #expect(dedup.seed == 1 && !dedup.verify && dedup.threshold == 0.8 && dedup.memoryBytes == 1 << 30)
        var values = Options.defaults(definition.parameters).values
        values["bands"] = .integer(100)
        values["rows"] = .integer(50)
        #expect(throws: OptionError(key: "rows", "bands x rows must be at most 4096, got 5000")) {
            try definition.make(Options(values))
        }
    }
}
