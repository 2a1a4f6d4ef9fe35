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
}
