import CurateFuzzing
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
}
