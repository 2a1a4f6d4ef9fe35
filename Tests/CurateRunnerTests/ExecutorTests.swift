import CurateCore
import CurateIO
import CurateProvenance
@testable import CurateRunner
import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
private let fixtures = root + "/Tests/Fixtures"

/// A pipeline over four parts (three JSONL files and a folder of text files) with every kind
/// of barrier: dedup that drops documents, tokenizer training and tokenization.
private struct ScaleOutScratch {
    let folder = NSTemporaryDirectory() + "curate-scaleout-\(UUID().uuidString)"
    let pipeline: String

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        pipeline = folder + "/pipeline.json"
        try """
            {"name": "scaleout", "inputs": [
              {"format": "jsonl", "paths": ["\(fixtures)/dedup/corpus.jsonl", "\(fixtures)/jsonl/mixed.jsonl", "\(fixtures)/jsonl/empty.jsonl"]},
              {"format": "text", "paths": ["\(fixtures)/text"]}],
             "stages": [{"type": "normalize"}, {"type": "length", "min_words": 3}, {"type": "minhash_dedup"},
                        {"type": "bpe_train", "vocab_size": 300}, {"type": "tokenize"}],
             "output": "run", "workers": 1}
            """.write(toFile: pipeline, atomically: true, encoding: .utf8)
    }

    func options(_ run: String) -> RunOptions {
        var options = RunOptions(pipelinePath: pipeline)
        options.output = folder + "/" + run
        options.writeReport = false
        return options
    }

    /// Runs every task of a prepared run in this process, each phase's tasks last to first.
    func runTasks(_ run: String, environment: [String: String] = [:]) throws -> [String] {
        var failures: [String] = []
        let scaled = try ScaleOutPlan.read(from: folder + "/" + run)
        for (phase, tasks) in try ScaleOut.unfinishedTasks(scaled, folder: folder + "/" + run).enumerated() {
            for task in tasks.reversed() {
                do {
                    #expect(try TaskRunner.run(folder: folder + "/" + run, phase: phase, task: task, environment: environment) == .ran)
                } catch {
                    failures.append("\(phase):\(task)")
                }
            }
            if !failures.isEmpty { return failures }
        }
        return failures
    }

    /// Every file a run wrote besides provenance, by path, with its bytes.
    func outputs(_ run: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = folder + "/" + run
        for sub in ["docs", "shards", "work"] {
            for name in try FileManager.default.subpathsOfDirectory(atPath: base + "/" + sub) where !PathExpansion.isFolder(base + "/" + sub + "/" + name) {
                out[sub + "/" + name] = try Data(contentsOf: URL(fileURLWithPath: base + "/" + sub + "/" + name))
            }
        }
        out["tokenizer.json"] = try Data(contentsOf: URL(fileURLWithPath: base + "/tokenizer.json"))
        return out
    }

    func query(_ run: String, _ sql: String) throws -> [[String?]] {
        try ProvenanceStore(path: folder + "/" + run + "/provenance.sqlite").query(sql)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

@Suite struct ExecutorPlanTests {
    @Test func partsAreDealtInOrderIntoContiguousTasks() {
        #expect(ScaleOutPlan.deal(10, into: 4) == [0..<2, 2..<5, 5..<7, 7..<10])
        #expect(ScaleOutPlan.deal(3, into: 4) == [0..<1, 1..<2, 2..<3])
        #expect(ScaleOutPlan.deal(1, into: 4) == [0..<1])
        #expect(ScaleOutPlan.deal(4, into: 1) == [0..<4])
    }

    @Test func planSplitsPhasesAtBarriersAndReadsTheSameInputs() throws {
        let scratch = try ScaleOutScratch()
        defer { scratch.remove() }
        let (_, plan) = try ScaleOut.plan(scratch.pipeline, tasks: 3)
        #expect(plan.phases.map(\.label) == [
            "stream normalize, length", "minhash_dedup signatures", "minhash_dedup band groups", "minhash_dedup clusters",
            "stream minhash_dedup", "barrier bpe_train", "stream bpe_train", "barrier tokenize", "stream tokenize",
        ])
        #expect(plan.phases.map(\.planPhase) == [0, 1, 1, 1, 2, 3, 4, 5, 6])
        // Parts for streams and signatures, band groups (one per task: 3 of 14 bands) for band groups.
        #expect(plan.phases.map(\.slices) == [
            [0..<1, 1..<2, 2..<4], [0..<1, 1..<2, 2..<4], [0..<1, 1..<2, 2..<3], [0..<1],
            [0..<1, 1..<2, 2..<4], [0..<1], [0..<1, 1..<2, 2..<4], [0..<1], [0..<1, 1..<2, 2..<4],
        ])
        #expect(plan.planTasks(phase: 0, task: 2).map(\.id) == [2, 3])
        #expect(plan.planTasks(phase: 4, task: 2).map(\.id) == [7, 8])
        #expect(plan.description(pipelineName: "scaleout").split(separator: "\n")[0]
            == "pipeline scaleout: 6 input files, 9 phases, 21 tasks (--tasks 3)")
    }

    @Test func slurmArraysStayBelowMaxArraySize() {
        let split = SlurmExecutor.arrays([0, 1, 2, 3, 4, 6, 1001, 1002], maxArraySize: 1001)
        #expect(split.map(\.offset) == [0, 1001])
        #expect(split.map(\.indexes) == [[0, 1, 2, 3, 4, 6], [0, 1]])
        #expect(SlurmExecutor.arrays([0, 1, 2, 3], maxArraySize: 3).map(\.indexes) == [[0, 1, 2], [0]])
        #expect(SlurmExecutor.arraySpec([7, 0, 1, 2, 3, 5]) == "0-3,5,7")
        #expect(SlurmExecutor.parseMaxArraySize("Configuration data as of x\nMailType = x\nMaxArraySize            = 3\nMaxJobCount = 10000\n") == 3)
        #expect(SlurmExecutor.parseMaxArraySize("MaxJobCount = 10000\n") == nil)
    }

    @Test func squeueLinesGiveEachTaskItsState() {
        let jobs = [SlurmSubmission.Job(id: "12", phase: 0, offset: 0, tasks: [0, 1, 2]),
                    SlurmSubmission.Job(id: "13", phase: 0, offset: 3, tasks: [3]),
                    SlurmSubmission.Job(id: "14", phase: nil, offset: 0, tasks: [])]
        let (states, active) = RunStatus.parse(queue: "12_1|RUNNING\n12_[0,2%1]|PENDING\n13_0|COMPLETING\n14|PENDING\n99_1|RUNNING\n", jobs: jobs)
        #expect(states == [0: [0: .pending, 1: .running, 2: .pending, 3: .running]])
        #expect(active == ["12", "13", "14"])
        #expect(RunStatus.indexes("[0-2,5,7-8%4]") == [0, 1, 2, 5, 7, 8])
    }

    @Test func sbatchScriptQuotesPathsAndCarriesTheResources() {
        var options = SlurmOptions()
        options.partition = "cpu"
        options.cpusPerTask = 4
        options.sbatchLines = ["qos=high", "--exclusive", "#SBATCH --comment=x"]
        let executor = SlurmExecutor(options: options, executable: "/opt/cur'ate/curate", folder: "/data/run one")
        #expect(executor.phaseScript(2) == """
            #!/bin/bash
            #SBATCH --partition=cpu
            #SBATCH --cpus-per-task=4
            #SBATCH --qos=high
            #SBATCH --exclusive
            #SBATCH --comment=x
            # Phase 2 of the curate run in /data/run one.
            # Array index i runs task (first argument) + i.
            set -eu
            exec '/opt/cur'\\''ate/curate' task '/data/run one' --phase 2 --task "$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))" --workers "${SLURM_CPUS_PER_TASK:-1}"

            """)
    }
}

@Suite struct ExecutorTaskTests {
    @Test func tasksInAnyOrderMergeIntoTheSameRunAsWithoutAnExecutor() throws {
        let scratch = try ScaleOutScratch()
        defer { scratch.remove() }
        var plain = scratch.options("plain")
        plain.workers = 1
        _ = try Runner.run(plain)
        _ = try ScaleOut.prepare(scratch.options("split"), tasks: 3, resume: false)
        #expect(try scratch.runTasks("split").isEmpty)
        // Done tasks are skipped.
        #expect(try TaskRunner.run(folder: scratch.folder + "/split", phase: 0, task: 1) == .alreadyDone)
        #expect(try TaskRunner.run(folder: scratch.folder + "/split", phase: 2, task: 2) == .alreadyDone)
        #expect(try TaskRunner.run(folder: scratch.folder + "/split", phase: 7, task: 0) == .alreadyDone)
        let report = try ScaleOut.merge(folder: scratch.folder + "/split", writeReport: false)
        #expect((report.summary.docsIn, report.summary.docsKept, report.summary.tasksDone) == (23, 10, 19))

        #expect(try scratch.outputs("split") == scratch.outputs("plain"))
        let documents = "SELECT input_id, offset, doc_id, task_id, status, dropped_by, reason, decided_in_task FROM documents ORDER BY input_id, offset"
        #expect(try scratch.query("split", documents) == scratch.query("plain", documents))
        // One row per input document, from every reading task; later phases' drops applied.
        #expect(try scratch.query("split", "SELECT COUNT(*), COUNT(DISTINCT input_id || '@' || offset) FROM documents") == [["23", "23"]])
        #expect(try scratch.query("split", "SELECT task_id, COUNT(*) FROM documents GROUP BY task_id ORDER BY task_id")
            == [["0", "13"], ["1", "7"], ["3", "3"]])
        #expect(try scratch.query("split", "SELECT decided_in_task, reason, COUNT(*) FROM documents WHERE decided_in_task IS NOT NULL GROUP BY 1, 2")
            == [["5", "minhash_dedup", "6"], ["8", "minhash_dedup", "1"]])
        for sql in ["SELECT task_id, position, stage, type, docs_in, docs_out, rewritten FROM stage_stats",
                    "SELECT * FROM stage_drops", "SELECT * FROM dedup_clusters", "SELECT * FROM shard_spans", "SELECT * FROM shards",
                    "SELECT * FROM tokenizers", "SELECT id, phase, status, docs_in, docs_kept, output, output_sha256 FROM tasks"] {
            #expect(try scratch.query("split", sql + " ORDER BY 1, 2, 3") == scratch.query("plain", sql + " ORDER BY 1, 2, 3"), "\(sql)")
        }
    }

    @Test func aFailedTaskIsReportedAndResumingRedoesOnlyIt() throws {
        let scratch = try ScaleOutScratch()
        defer { scratch.remove() }
        let run = scratch.folder + "/run"
        _ = try ScaleOut.prepare(scratch.options("run"), tasks: 3, resume: false)
        #expect(try scratch.runTasks("run", environment: [TaskRunner.failureVariable: "0:1"]) == ["0:1"])
        let status = try RunStatus.read(folder: run)
        #expect(status.phases[0].tasks.map(\.state) == [.done, .failed, .done])
        #expect(status.phases[0].tasks[1].message == "phase 0 task 1 failed on purpose (CURATE_FAIL_TASK is set)")
        #expect(status.phases[1...].allSatisfy { $0.tasks.allSatisfy { $0.state == .unfinished } })
        #expect(!status.merged)
        #expect(status.table().split(separator: "\n")[1] == "phase 0 (stream normalize, length): 3 tasks: 2 done, 1 failed")
        #expect(throws: RunError.self) { try ScaleOut.merge(folder: run) }
        #expect(throws: RunError.self) { try TaskRunner.run(folder: run, phase: 1, task: 0) }
        // A task that a live process on this machine runs is running; one whose process is gone is not.
        let signatures = TaskFiles(folder: run, phase: 1, task: 2)
        #expect(!FileManager.default.fileExists(atPath: TaskFiles(folder: run, phase: 0, task: 0).running))
        try FileManager.default.createDirectory(atPath: signatures.phaseFolder, withIntermediateDirectories: true)
        try signatures.markRunning()
        #expect(try RunStatus.read(folder: run).phases[1].tasks.map(\.state) == [.unfinished, .unfinished, .running])
        try "\(ProcessInfo.processInfo.hostName) 2147483646\n".write(toFile: signatures.running, atomically: true, encoding: .utf8)
        #expect(try RunStatus.read(folder: run).phases[1].tasks.map(\.state) == [.unfinished, .unfinished, .unfinished])
        // A submitted run is resumed only on purpose.
        #expect(throws: RunError.self) { try ScaleOut.prepare(scratch.options("run"), tasks: 3, resume: false) }
        #expect(throws: RunError.self) { try ScaleOut.prepare(scratch.options("run"), tasks: 2, resume: true) }

        let finished = try ["task-00000.done", "task-00002.done"].map {
            try FileManager.default.attributesOfItem(atPath: run + "/tasks/phase-0/" + $0)[.systemFileNumber] as? Int
        }
        let prepared = try ScaleOut.prepare(scratch.options("run"), tasks: nil, resume: true)
        #expect(try ScaleOut.unfinishedTasks(prepared.plan, folder: run)
            == [[1], [0, 1, 2], [0, 1, 2], [0], [0, 1, 2], [0], [0, 1, 2], [0], [0, 1, 2]])
        #expect(try scratch.runTasks("run").isEmpty)
        #expect(try ["task-00000.done", "task-00002.done"].map {
            try FileManager.default.attributesOfItem(atPath: run + "/tasks/phase-0/" + $0)[.systemFileNumber] as? Int
        } == finished)
        _ = try ScaleOut.merge(folder: run, writeReport: false)
        #expect(try RunStatus.read(folder: run).merged)
        #expect(try scratch.query("run", "SELECT COUNT(*), COUNT(DISTINCT input_id || '@' || offset) FROM documents") == [["23", "23"]])
    }

    @Test func aChangedOutputOrDatabaseMakesItsTaskAndTheLaterPhasesRunAgain() throws {
        let scratch = try ScaleOutScratch()
        defer { scratch.remove() }
        let run = scratch.folder + "/run"
        let prepared = try ScaleOut.prepare(scratch.options("run"), tasks: 2, resume: false)
        #expect(try scratch.runTasks("run").isEmpty)
        let part = run + "/work/phase-0/part-00003.jsonl.zst"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: part))
        #expect(try ScaleOut.unfinishedTasks(prepared.plan, folder: run) == [[1], [0, 1], [0, 1], [0], [0, 1], [0], [0, 1], [0], [0, 1]])
        #expect(try scratch.runTasks("run").isEmpty)
        // A damaged task database fails the merge, which status reports, and its task runs again.
        let database = run + "/tasks/phase-6/task-00001.sqlite"
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: database))
        #expect(throws: RunError.self) { try ScaleOut.merge(folder: run, writeReport: false) }
        #expect(try RunStatus.read(folder: run).mergeFailure?.hasPrefix("merging the task databases of \(run): ") == true)
        #expect(try ScaleOut.unfinishedTasks(prepared.plan, folder: run) == [[], [], [], [], [], [], [1], [0], [0, 1]])
        #expect(try RunStatus.read(folder: run).mergeFailure == nil)
        #expect(try scratch.runTasks("run").isEmpty)
        _ = try ScaleOut.merge(folder: run, writeReport: false)
        #expect(try scratch.query("run", "SELECT COUNT(*) FROM documents") == [["23"]])
    }
}
