import CurateCore
import CurateIO
import CurateProvenance
import Foundation

/// Where the tasks of a scaled-out run execute.
public enum Executor: Sendable {
    /// As child processes on this machine, `processes` at a time.
    case local(processes: Int)
    /// As Slurm array jobs, one array per phase, then a merge job.
    case slurm(SlurmOptions)
}

/// How `curate run --executor` splits and runs a pipeline.
public struct ScaleOutOptions: Sendable {
    public var executor: Executor
    /// Executor tasks per phase (at most); default: one per plan task.
    public var tasks: Int?
    /// Continue the run in the output folder: run only its unfinished or failed tasks.
    public var resume = false
    /// The curate binary that tasks run.
    public var executable: String

    public init(executor: Executor, executable: String) {
        self.executor = executor
        self.executable = executable
    }
}

/// What `curate run --executor` did.
public enum ScaleOutOutcome: Sendable {
    /// The local executor ran every task and merged the results.
    case finished(RunReport)
    /// The jobs were handed to Slurm; `curate status` follows them.
    case submitted(SlurmSubmission)
}

/// Submits a pipeline to an executor as tasks (`curate task`), resumes such a run, and
/// merges its tasks' databases (`curate merge`).
public enum ScaleOut {
    static let mergeMarker = TaskFiles.folderName + "/merged.done"
    /// The error of a merge that failed.
    static let mergeFailure = TaskFiles.folderName + "/merge.failed"

    /// The plan `curate run --executor --tasks` would submit for a pipeline (default
    /// `tasks`: one per part).
    public static func plan(_ pipelinePath: String, tasks: Int?, registry: Registry = .standard) throws(RunError) -> (Pipeline, ScaleOutPlan) {
        let (pipeline, plan, base) = try Runner.prepare(pipelinePath, registry: registry)
        return (pipeline, ScaleOutPlan(
            pipeline: pipeline, plan: plan, tasks: tasks ?? plan.tasks(of: 0).count, pipelineSHA256: SHA256.hex(pipeline.source), pipelineFolder: base,
            workers: pipeline.workers ?? ProcessInfo.processInfo.activeProcessorCount, recordDocuments: true))
    }

    /// A run folder ready for its tasks: its copy of the pipeline and its plan.
    public struct Prepared: Sendable {
        public let folder: String
        public let plan: ScaleOutPlan
        public let pipelineName: String
    }

    /// Writes the run folder of a new scaled-out run, or checks the one being resumed (same
    /// pipeline, inputs and split) against the pipeline. A run whose Slurm jobs are still in
    /// the queue is neither resumed nor discarded.
    public static func prepare(_ options: RunOptions, tasks: Int?, resume: Bool, registry: Registry = .standard) throws(RunError) -> Prepared {
        let (pipeline, plan, base) = try Runner.prepare(options.pipelinePath, registry: registry)
        let folder = try Runner.runFolder(options, pipeline: pipeline, base: base)
        let workers = options.workers ?? pipeline.workers ?? ProcessInfo.processInfo.activeProcessorCount
        let fresh = ScaleOutPlan(
            pipeline: pipeline, plan: plan, tasks: tasks ?? plan.tasks(of: 0).count, pipelineSHA256: SHA256.hex(pipeline.source),
            pipelineFolder: base, workers: workers, recordDocuments: options.recordDocuments)
        if (options.restart || resume), PathExpansion.exists(ScaleOutPlan.path(in: folder)),
           let status = try? RunStatus.read(folder: folder), status.isActive {
            throw .unusable("\(folder) still has jobs in the Slurm queue (\(status.activeJobs.joined(separator: ", "))); wait for them or scancel them first")
        }
        do {
            if options.restart { try Runner.discardRun(in: folder) }
        } catch {
            throw .unusable("cannot discard the earlier run in \(folder): \(error)")
        }
        if PathExpansion.exists(ScaleOutPlan.path(in: folder)) {
            guard resume else {
                throw .unusable("\(folder) holds a submitted run; pass --resume to run its unfinished tasks, or --restart to discard it")
            }
            let recorded = try ScaleOutPlan.read(from: folder)
            try check(recorded, against: fresh, tasks: tasks, folder: folder)
            return Prepared(folder: folder, plan: recorded, pipelineName: pipeline.name)
        }
        if PathExpansion.exists(folder + "/" + Runner.databaseName) {
            throw .unusable("\(folder) holds a run made without an executor; choose another output folder, or pass --restart to discard it")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder + "/" + TaskFiles.folderName, withIntermediateDirectories: true)
            try DurableFile.write(pipeline.source, to: folder + "/" + Runner.pipelineCopyName)
            try fresh.write(to: folder)
        } catch {
            throw .unusable("cannot prepare the output folder \(folder): \(error)")
        }
        return Prepared(folder: folder, plan: fresh, pipelineName: pipeline.name)
    }

    public static func run(_ options: RunOptions, _ scaleOut: ScaleOutOptions, registry: Registry = .standard) throws(RunError) -> ScaleOutOutcome {
        let started = Stopwatch.now()
        let prepared = try prepare(options, tasks: scaleOut.tasks, resume: scaleOut.resume, registry: registry)
        let (folder, scaled) = (prepared.folder, prepared.plan)
        switch scaleOut.executor {
        case let .local(processes):
            let pending = try unfinishedTasks(scaled, folder: folder)
            let executor = LocalExecutor(executable: scaleOut.executable, folder: folder, processes: processes)
            var tasksRun = 0
            for (phase, tasks) in pending.enumerated() where !tasks.isEmpty {
                // A phase with fewer tasks than processes gives each task the idle threads.
                let threads = max(1, processes / min(processes, tasks.count))
                let failures = executor.run(phase: phase, tasks: tasks, threads: threads)
                // Counted in plan tasks, as the report's total is.
                for task in tasks where !failures.contains(where: { $0.task == task }) {
                    switch scaled.phases[phase].kind {
                    case .stream: tasksRun += scaled.phases[phase].slices[task].count
                    case .barrier, .clusters: tasksRun += 1
                    case .signatures, .bandGroups: break
                    }
                }
                guard failures.isEmpty else {
                    throw .failed("""
                        phase \(phase): \(failures.count) of \(tasks.count) tasks failed:
                        \(failures.map { "task \($0.task): \($0.message)" }.joined(separator: "\n"))
                        see curate status \(folder); run again with --resume to redo only the unfinished tasks
                        """)
                }
            }
            var report = try merge(folder: folder, writeReport: options.writeReport, registry: registry)
            report = RunReport(
                pipelineName: report.pipelineName, outputFolder: folder, inputs: report.inputs, tasks: report.tasks,
                tasksRun: tasksRun, workers: processes, seconds: Double(Stopwatch.now() - started) / 1e9,
                summary: report.summary, shards: report.shards)
            return .finished(report)
        case let .slurm(slurmOptions):
            let executor = SlurmExecutor(options: slurmOptions, executable: scaleOut.executable, folder: folder)
            let pending = try unfinishedTasks(scaled, folder: folder)
            do {
                return .submitted(try executor.submit(pipelineName: prepared.pipelineName, pending: pending))
            } catch {
                throw .failed("cannot submit to Slurm: \(error)")
            }
        }
    }

    /// Checks that a run being resumed is of the same pipeline, inputs and split.
    private static func check(_ recorded: ScaleOutPlan, against fresh: ScaleOutPlan, tasks: Int?, folder: String) throws(RunError) {
        guard recorded.pipelineSHA256 == fresh.pipelineSHA256 else {
            throw .unusable("\(folder) holds a run of a different pipeline (sha256 \(recorded.pipelineSHA256.prefix(12))); pass --restart to discard it")
        }
        if let tasks, tasks != recorded.requestedTasks {
            throw .unusable("\(folder) holds a run split into --tasks \(recorded.requestedTasks), not \(tasks); resume it without --tasks or with the same")
        }
        let before = recorded.plan.inputs.map { [$0.displayPath, $0.sha256] }
        let now = fresh.plan.inputs.map { [$0.displayPath, $0.sha256] }
        guard before == now else {
            throw .unusable("the inputs matched by the pipeline changed since the run in \(folder) was submitted; pass --restart to discard it")
        }
    }

    /// The executor tasks still to run, per phase: those not complete, and once a phase has
    /// one, every task of the phases after it (their input changes), whose markers are removed.
    public static func unfinishedTasks(_ scaled: ScaleOutPlan, folder: String) throws(RunError) -> [[Int]] {
        var redo = false
        var pending: [[Int]] = []
        for phase in scaled.phases.indices {
            let tasks = Array(0..<scaled.taskCount(phase: phase))
            if redo {
                for task in tasks {
                    do {
                        try TaskFiles(folder: folder, phase: phase, task: task).reset()
                    } catch {
                        throw .unusable("cannot reset phase \(phase) task \(task): \(error)")
                    }
                }
                pending.append(tasks)
            } else {
                let unfinished = tasks.filter { !TaskFiles(folder: folder, phase: phase, task: $0).isCompleteAndIntact }
                pending.append(unfinished)
                redo = !unfinished.isEmpty
            }
        }
        if redo { try? FileManager.default.removeItem(atPath: folder + "/" + mergeMarker) }
        try? FileManager.default.removeItem(atPath: folder + "/" + mergeFailure)
        return pending
    }

    /// The pipeline in the run folder's copy, decoded as from its original folder.
    static func decodePipeline(in folder: String, scaleOut: ScaleOutPlan, registry: Registry = .standard) throws(RunError) -> Pipeline {
        let path = folder + "/" + Runner.pipelineCopyName
        guard let data = FileManager.default.contents(atPath: path) else { throw .unusable("\(path) is missing") }
        let bytes = Array(data)
        guard SHA256.hex(bytes) == scaleOut.pipelineSHA256 else {
            throw .unusable("\(path) is not the pipeline the run was planned for (its sha256 changed)")
        }
        do {
            return try PipelineDecoder(registry: registry, base: scaleOut.pipelineFolder).decode(bytes, file: path)
        } catch {
            throw .invalidPipeline(error)
        }
    }

    /// Merges the tasks' databases into the run's `provenance.sqlite`, in plan order, and
    /// writes the report; the run's tasks must all be complete.
    public static func merge(folder: String, writeReport: Bool = true, registry: Registry = .standard) throws(RunError) -> RunReport {
        let started = Stopwatch.now()
        let folder = Runner.absolute(folder)
        let scaled = try ScaleOutPlan.read(from: folder)
        var missing: [String] = []
        for phase in scaled.phases.indices {
            let tasks = (0..<scaled.taskCount(phase: phase)).filter { !TaskFiles(folder: folder, phase: phase, task: $0).isDone }
            if !tasks.isEmpty { missing.append("phase \(phase) tasks \(tasks.map(String.init).joined(separator: ", "))") }
        }
        guard missing.isEmpty else {
            throw .unusable("cannot merge \(folder): unfinished \(missing.joined(separator: "; ")); see curate status")
        }
        do {
            return try merge(scaled, folder: folder, writeReport: writeReport, registry: registry, started: started)
        } catch {
            try? DurableFile.write(Array((error.description + "\n").utf8), to: folder + "/" + mergeFailure)
            throw error
        }
    }

    private static func merge(_ scaled: ScaleOutPlan, folder: String, writeReport: Bool, registry: Registry,
                              started: UInt64) throws(RunError) -> RunReport {
        let pipeline = try decodePipeline(in: folder, scaleOut: scaled, registry: registry)
        let plan = scaled.plan
        let database = folder + "/" + Runner.databaseName
        do {
            for path in [folder + "/" + mergeMarker, folder + "/" + mergeFailure, database, database + "-wal", database + "-shm"] where PathExpansion.exists(path) {
                try FileManager.default.removeItem(atPath: path)
            }
            let store = try ProvenanceStore(path: database, recordsDocuments: scaled.recordDocuments)
            _ = try plan.register(in: store, pipeline: pipeline)
            let run = try store.beginRun(
                pipelineName: pipeline.name, pipelineJSON: String(decoding: pipeline.source, as: UTF8.self),
                sha256: scaled.pipelineSHA256, pipelineFolder: scaled.pipelineFolder, toolVersion: CurateVersion.string,
                workers: scaled.workers)
            do {
                // Its connection is closed before the store finishes the run.
                let merger = try ProvenanceMerge(path: database)
                for (phase, step) in scaled.phases.enumerated() where step.kind.hasDatabase {
                    for task in 0..<scaled.taskCount(phase: phase) {
                        try merger.add(taskDatabase: TaskFiles(folder: folder, phase: phase, task: task).database, run: run,
                                       continuing: step.kind == .stream && step.planPhase > 0)
                    }
                }
            }
            try store.finishRun(run, succeeded: true)
            if writeReport {
                try ReportWriter.write(
                    runFolder: folder, store: store, pipeline: (pipeline, scaled.pipelineFolder), to: folder + "/" + Runner.reportName)
            }
            var report = RunReport(
                pipelineName: pipeline.name, outputFolder: folder, inputs: plan.inputs.count, tasks: plan.tasks.count,
                tasksRun: 0, workers: scaled.workers, seconds: Double(Stopwatch.now() - started) / 1e9, summary: try store.summary())
            report.shards = try store.shardRecords()
            try DurableFile.write([], to: folder + "/" + mergeMarker)
            return report
        } catch let error as RunError {
            throw error
        } catch {
            throw .failed("merging the task databases of \(folder): \(error)")
        }
    }
}
