import CurateCore
@testable import CurateFilters
import Testing

@Suite struct FastTextDictionaryTests {
    /// The n-gram bucket of a hash is its remainder by the model's bucket count, for the edge
    /// hashes and 200,000 others.
    @Test(arguments: ["lid.176.ftz", "tiny-softmax.bin"])
    func bucketOfIsTheRemainder(model name: String) throws {
        let dictionary = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath(name)).dictionary
        #expect(dictionary.bucket > 1)
        var hashes: [UInt32] = [0, 1, dictionary.bucket - 1, dictionary.bucket, dictionary.bucket + 1, UInt32.max, UInt32.max - 1,
                                UInt32.max / dictionary.bucket * dictionary.bucket, UInt32.max / dictionary.bucket * dictionary.bucket - 1]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200_000 { hashes.append(UInt32(truncatingIfNeeded: generator.next())) }
        #expect(hashes.filter { dictionary.bucketOf($0) != $0 % dictionary.bucket }.isEmpty)
    }

    /// A bucket map gives the value set for each key and -1 for every other, whether the key
    /// is below its bit range (answered by the bits) or beyond it (answered by the table).
    @Test func bucketMapAnswersEveryKey() {
        var map = FastTextBucketMap(capacityFor: 5, keyLimit: 130)
        let entries: [(Int32, Int32)] = [(0, 7), (63, 1), (64, 2), (129, 3), (130, 4), (1_000_000, 5), (64, 9)]
        for (key, value) in entries { map.set(key, value) }
        let expected: [Int32: Int32] = [0: 7, 63: 1, 64: 9, 129: 3, 130: 4, 1_000_000: 5]
        for key in Array(Int32(0)..<300) + [999_999, 1_000_000, 1_000_001, Int32.max] {
            #expect(map.value(key) == expected[key] ?? -1, "key \(key)")
        }
        #expect(map.allValues.sorted() == [1, 3, 4, 5, 7, 9])
    }

    /// Every kept bucket of lid.176.ftz maps to a row, and the buckets it dropped map to none.
    @Test func prunedModelRowsMatchTheIndex() throws {
        let dictionary = try FastTextModel(contentsOf: LanguageIDFixtures.modelPath("lid.176.ftz")).dictionary
        let rows = (Int32(0)..<Int32(dictionary.bucket)).map { dictionary.ngramRow($0) }
        let kept = rows.filter { $0 >= 0 }
        #expect(kept.count == 42_765)
        #expect(Set(kept).count == 42_765)
        #expect(kept.min() == Int32(dictionary.wordCount))
        #expect(kept.max() == Int32(dictionary.wordCount) + 42_765 - 1)
    }
}
