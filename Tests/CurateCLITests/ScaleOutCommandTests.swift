import Foundation
import Testing

/// `curate run --executor local`, `curate status`, `curate plan` and `curate task`, run as
/// processes, over a pipeline with a dedup barrier (ExecutorTests cover the other barriers).
@Suite struct ScaleOutCommandTests {
    let folder = NSTemporaryDirectory() + "curate-scaleout-cli-\(UUID().uuidString)"
    let pipeline: String

    init() throws {
        let fixtures = root + "/Tests/Fixtures"
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
        let plain = try run(["run", pipeline, "-o", folder + "/plain", "--no-report", "--quiet"])
        #expect(plain.status == 0)
        #expect(try outputs("plain").count == 4)
        for (name, tasks) in [("two", "2"), ("four", "4")] {
            let result = try run(["run", pipeline, "-o", folder + "/" + name, "--executor", "local", "--tasks", tasks, "--workers", "2", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(#""tasks":{"total":9,"run":9,"already_complete":0}"#), "\(result.stdout)")
            #expect(try outputs(name) == outputs("plain"), "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/four/report.html"))
        let plan = try run(["plan", pipeline, "--tasks", "2"])
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
        let runFolder = folder + "/run"
        let failed = try run(["run", pipeline, "--executor", "local", "--tasks", "4", "--workers", "2"],
                                     environment: ["CURATE_FAIL_TASK": "0:3"])
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("""
            error: phase 0: 1 of 4 tasks failed:
            error: task 3: phase 0 task 3 failed on purpose (CURATE_FAIL_TASK is set)
            """), "\(failed.stderr)")
        let status = try run(["status", runFolder])
        #expect(status.stdout.split(separator: "\n").dropFirst().prefix(4) == [
            "phase 0 (stream normalize, length): 4 tasks: 3 done, 1 failed",
            "  task 3 failed: phase 0 task 3 failed on purpose (CURATE_FAIL_TASK is set)",
            "phase 1 (minhash_dedup signatures): 4 tasks: 4 unfinished",
            "phase 2 (minhash_dedup band groups): 4 tasks: 4 unfinished",
        ])
        // A submitted run is not silently resumed, nor run without an executor.
        #expect(try run(["run", pipeline, "--executor", "local"]).status == 2)
        #expect(try run(["run", pipeline]).status == 2)
        #expect(try run(["merge", runFolder]).status == 2)

        let resumed = try run(["run", pipeline, "--executor", "local", "--workers", "2", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.hasPrefix("pipeline scaleout: 6 input files, 9 tasks (6 run, 3 already complete)"), "\(resumed.stdout)")
        #expect(try run(["status", runFolder]).stdout.hasSuffix("phase 4 (stream minhash_dedup): 4 tasks: 4 done\nmerge: done\n"))
        let again = try run(["task", runFolder, "--phase", "0", "--task", "3"])
        #expect(again.stdout == "phase 0 task 3: already done\n")
    }
}
