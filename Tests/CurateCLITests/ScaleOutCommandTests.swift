import Foundation
import Testing

/// `curate run --executor local`, `curate status`, `curate plan` and `curate task`, run as
/// processes, over a pipeline with a dedup barrier (ExecutorTests cover the other barriers).
@Suite struct ScaleOutCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    let folder = NSTemporaryDirectory() + "curate-scaleout-cli-\(UUID().uuidString)"
    let pipeline: String

    init() throws {
        let fixtures = Self.root + "/Tests/Fixtures"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        pipeline = folder + "/pipeline.json"
        try """
            {"name": "scaleout", "inputs": [
              {"format": "jsonl", "paths": ["\(fixtures)/dedup/corpus.jsonl", "\(fixtures)/jsonl/mixed.jsonl", "\(fixtures)/jsonl/empty.jsonl"]},
              {"format": "text", "paths": ["\(fixtures)/text"]}],
             "stages": [{"type": "normalize"}, {"type": "length", "min_words": 3}, {"type": "minhash_dedup"}],
             "output": "run"}
            """.write(toFile: pipeline, atomically: true, encoding: .utf8)
    }

    static func curate(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("curate").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: beside) ? beside : root + "/.build/debug/curate")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// The parts of a run, by name.
    func outputs(_ run: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let docs = folder + "/" + run + "/docs"
        for name in try FileManager.default.contentsOfDirectory(atPath: docs) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: docs + "/" + name))
        }
        return out
    }

    @Test func localRunsGiveTheSameBytesWhateverTheTasksAndAsWithoutAnExecutor() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plain = try Self.curate(["run", pipeline, "-o", folder + "/plain", "--no-report", "--quiet"])
        #expect(plain.status == 0)
        #expect(try outputs("plain").count == 4)
        for (run, tasks) in [("two", "2"), ("four", "4")] {
            let result = try Self.curate(["run", pipeline, "-o", folder + "/" + run, "--executor", "local", "--tasks", tasks, "--workers", "2", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(#""tasks":{"total":9,"run":9,"already_complete":0}"#), "\(result.stdout)")
            #expect(try outputs(run) == outputs("plain"), "\(run)")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/four/report.html"))
        let plan = try Self.curate(["plan", pipeline, "--tasks", "2"])
        let lines = plan.stdout.split(separator: "\n")
        #expect(lines.count == 15)
        #expect(lines[0] == "pipeline scaleout: 6 input files, 5 phases, 9 tasks (--tasks 2)")
        #expect(lines[1] == "phase 0: stream normalize, length, 2 tasks over 4 parts")
        #expect(lines[2].hasPrefix("  task 0: parts 0-1; reads ") && lines[2].contains("/Tests/Fixtures/dedup/corpus.jsonl, ")
            && lines[2].hasSuffix("/Tests/Fixtures/jsonl/mixed.jsonl"))
        #expect(lines[3].hasPrefix("  task 1: parts 2-3; reads ") && lines[3].hasSuffix("/text/whitespace.txt"))
        #expect(lines[4...] == [
            "phase 1: minhash_dedup signatures, 2 tasks over 4 parts", "  task 0: reads parts 0-1 of phase 0", "  task 1: reads parts 2-3 of phase 0",
            "phase 2: minhash_dedup band groups, 2 tasks over 2 band groups", "  task 0: band group 0, over the signatures of phase 1",
            "  task 1: band group 1, over the signatures of phase 1",
            "phase 3: minhash_dedup clusters, 1 task", "  task 0: joins the candidate pairs of phase 2",
            "phase 4: stream minhash_dedup, 2 tasks over 4 parts", "  task 0: parts 0-1; reads part 0 of phase 0, part 1 of phase 0",
            "  task 1: parts 2-3; reads part 2 of phase 0, part 3 of phase 0",
        ])
    }

    @Test func aFailedTaskIsReportedAndResumeRunsOnlyWhatIsLeft() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = folder + "/run"
        let failed = try Self.curate(["run", pipeline, "--executor", "local", "--tasks", "4", "--workers", "2"],
                                     environment: ["CURATE_FAIL_TASK": "0:3"])
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("""
            error: phase 0: 1 of 4 tasks failed:
            error: task 3: phase 0 task 3 failed on purpose (CURATE_FAIL_TASK is set)
            """), "\(failed.stderr)")
        let status = try Self.curate(["status", run])
        #expect(status.stdout.split(separator: "\n").dropFirst().prefix(4) == [
            "phase 0 (stream normalize, length): 4 tasks: 3 done, 1 failed",
            "  task 3 failed: phase 0 task 3 failed on purpose (CURATE_FAIL_TASK is set)",
            "phase 1 (minhash_dedup signatures): 4 tasks: 4 unfinished",
            "phase 2 (minhash_dedup band groups): 4 tasks: 4 unfinished",
        ])
        // A submitted run is not silently resumed, nor run without an executor.
        #expect(try Self.curate(["run", pipeline, "--executor", "local"]).status == 2)
        #expect(try Self.curate(["run", pipeline]).status == 2)
        #expect(try Self.curate(["merge", run]).status == 2)

        let resumed = try Self.curate(["run", pipeline, "--executor", "local", "--workers", "2", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.hasPrefix("pipeline scaleout: 6 input files, 9 tasks (6 run, 3 already complete)"), "\(resumed.stdout)")
        #expect(try Self.curate(["status", run]).stdout.hasSuffix("phase 4 (stream minhash_dedup): 4 tasks: 4 done\nmerge: done\n"))
        let again = try Self.curate(["task", run, "--phase", "0", "--task", "3"])
        #expect(again.stdout == "phase 0 task 3: already done\n")
    }
}
