import CurateFuzzing
import CurateShards
import CurateTokenizer
import Foundation
import Testing

/// Every input a fuzz target once crashed on (Tests/Fixtures/fuzz/TARGET/), run again through
/// the same target: each must now return. The targets' seeds run too, so that the fuzz entry
/// points stay working between fuzzing sessions.
@Suite struct FuzzRegressionTests {
    static let fuzzFixtures = root + "/Tests/Fixtures/fuzz"

    /// (target, file) for every kept crash and every seed in Fuzz/Seeds.
    static let inputs: [(String, String)] = {
        var found: [(String, String)] = []
        for folder in [fuzzFixtures, root + "/Fuzz/Seeds"] {
            for target in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
                let path = folder + "/" + target
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { continue }
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    found.append((target, path + "/" + name))
                }
            }
        }
        return found
    }()

    @Test func everyKeptInputNamesATarget() {
        #expect(!Self.inputs.isEmpty)
        for (target, file) in Self.inputs { #expect(FuzzTarget.all[target] != nil, "\(file): no fuzz target \(target)") }
    }

    @Test(arguments: inputs)
    func runsWithoutCrashing(target: String, file: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        FuzzTarget.all[target]?.run(bytes)
    }

    /// What each kept input is refused with now (the target itself only shows it returns).
    @Test func aHugeTiktokenRankIsRefused() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fuzzFixtures + "/tiktoken/huge-rank-timeout-6c1e058a")))
        #expect(throws: TokenizerError.invalidFile(path: "fuzz.tiktoken", line: 0, message: "invalid vocabulary: rank 206666668 is beyond the 4194304 ids a vocabulary may have")) {
            try TiktokenFile.parseRanks(bytes, path: "fuzz.tiktoken")
        }
    }

    @Test func aShardFrameClaimingGigabytesIsRefusedBeforeItIsAllocated() throws {
        let path = Self.fuzzFixtures + "/shard/frame-size-claim-oom-914bfad1"
        var errors: [String] = []
        let reader = try ShardReader(path: path, dtype: .uint16)
        var first = 0
        for entry in reader.seekTable.entries {
            do {
                _ = try reader.tokens(first..<first + 1)
            } catch {
                errors.append(error.description)
            }
            first += Int(entry.decompressedSize) / 2
        }
        // Frame 1's seek table entry says 4,278,190,592 bytes (the frame holds 512): it used to be
        // allocated before decompressing.
        #expect(errors.first == "\(path): at byte 484: frame 1 (bytes 484..<967) does not declare in its header the 4278190592 bytes the seek table says")
    }
}
