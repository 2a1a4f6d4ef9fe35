import CurateCore
import CurateDedup
import CurateIO
import CurateProvenance
import Foundation

/// Runs one executor task of a scaled-out run (`curate task RUN --phase P --task T`), from
/// the run folder's copy of the pipeline and its plan: its parts are written through
/// temporary files and renamed, its rows go to its own database, and its completion marker
/// is written last. A task whose marker is there and whose outputs are unchanged is skipped;
/// any other is redone from scratch.
public enum TaskRunner {
    /// Names tasks that fail on purpose, to test failure handling: `P:T` items, comma-separated.
    public static let failureVariable = "CURATE_FAIL_TASK"

    public enum Outcome: Sendable, Equatable {
        case ran
        case alreadyDone
    }

    /// Runs task `task` of phase `phase` in the run folder `folder`, on `workers` threads
    /// (default: the plan's workers).
    public static func run(folder: String, phase: Int, task: Int, workers: Int? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           registry: Registry = .standard) throws(RunError) -> Outcome {
        let folder = Runner.absolute(folder)
        let scaleOut = try ScaleOutPlan.read(from: folder)
        guard scaleOut.phases.indices.contains(phase) else {
            throw .unusable("the run has phases 0-\(scaleOut.phases.count - 1), not \(phase)")
        }
        guard scaleOut.phases[phase].slices.indices.contains(task) else {
            throw .unusable("phase \(phase) has tasks 0-\(scaleOut.taskCount(phase: phase) - 1), not \(task)")
        }
        let files = TaskFiles(folder: folder, phase: phase, task: task)
        if files.isCompleteAndIntact { return .alreadyDone }
        if phase > 0 {
            let missing = (0..<scaleOut.taskCount(phase: phase - 1)).filter { !TaskFiles(folder: folder, phase: phase - 1, task: $0).isDone }
            guard missing.isEmpty else {
                throw .unusable("phase \(phase - 1) is not complete: tasks \(missing.map(String.init).joined(separator: ", ")) have not finished")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: files.phaseFolder, withIntermediateDirectories: true)
            try files.reset()
            try files.markRunning()
        } catch {
            throw .unusable("cannot prepare \(files.phaseFolder): \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: files.running) }
        do {
            if injectsFailure(phase: phase, task: task, environment: environment) {
                throw RunError.failed("phase \(phase) task \(task) failed on purpose (\(failureVariable) is set)")
            }
            let outputs = try execute(scaleOut, folder: folder, files: files, workers: workers ?? scaleOut.workers, registry: registry)
            // The database is closed by now, and the merge only reads it.
            try files.markDone(outputs: outputs + [files.databaseName])
            return .ran
        } catch {
            let message = (error as? RunError)?.description ?? "\(error)"
            files.markFailed(message)
            throw .failed("phase \(phase) task \(task): \(message)")
        }
    }

    static func injectsFailure(phase: Int, task: Int, environment: [String: String]) -> Bool {
        guard let value = environment[failureVariable] else { return false }
        return value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "\(phase):\(task)" }
    }

    /// Runs the task's plan tasks; returns the files it wrote, relative to the run folder.
    private static func execute(_ scaleOut: ScaleOutPlan, folder: String, files: TaskFiles, workers: Int, registry: Registry) throws -> [String] {
        let pipeline = try ScaleOut.decodePipeline(in: folder, scaleOut: scaleOut, registry: registry)
        let plan = scaleOut.plan
        let store = try ProvenanceStore(path: files.database, recordsDocuments: scaleOut.recordDocuments)
        let inputIDs = try plan.register(in: store, pipeline: pipeline)
        let run = try store.beginRun(
            pipelineName: pipeline.name, pipelineJSON: String(decoding: pipeline.source, as: UTF8.self),
            sha256: scaleOut.pipelineSHA256, pipelineFolder: scaleOut.pipelineFolder, toolVersion: CurateVersion.string,
            workers: workers)
        var execution = PhaseExecution(
            pipeline: pipeline, plan: plan, folder: folder, inputIDs: inputIDs, workers: workers, store: store, run: run,
            progress: ProgressTracker(totalBytes: plan.totalBytes, totalTasks: plan.tasks.count))
        execution.ownDatabase = true
        let step = scaleOut.phases[files.phase]
        let slice = step.slices[files.task]
        var outputs: [String] = []
        do {
            switch step.kind {
            case .stream:
                let barrierStage = step.planPhase > 0 ? try execution.loadBarrier(phase: step.planPhase - 1) : nil
                let steps = try execution.prepareStream(step.planPhase, barrierStage: barrierStage)
                try execution.runStreamingTasks(phase: step.planPhase, Array(slice), steps: steps)
                outputs += slice.map { execution.partName(phase: step.planPhase, $0) }
            case .barrier:
                try execution.resolveBarrier(phase: step.planPhase)
                outputs.append(execution.barrierMarker(phase: step.planPhase))
            case .signatures, .bandGroups, .clusters:
                outputs += try runDedupStep(step, slice: slice, scaleOut: scaleOut, execution: execution, files: files)
            }
            try store.finishRun(run, succeeded: true)
        } catch {
            try? store.finishRun(run, succeeded: false)
            throw error
        }
        return outputs
    }

    /// Runs a task of one of the executor phases of a MinHash dedup barrier; the first two
    /// leave their counts (documents, spilled sort runs) for the third, which adds them up.
    private static func runDedupStep(_ step: ScaleOutPlan.Phase, slice: Range<Int>, scaleOut: ScaleOutPlan,
                                     execution: PhaseExecution, files: TaskFiles) throws -> [String] {
        guard case let .barrier(position) = scaleOut.plan.phases[step.planPhase],
              let minhash = ScaleOutPlan.minhash(execution.pipeline, position) else {
            preconditionFailure("phase \(files.phase) is not a step of a MinHash barrier")
        }
        let context = execution.barrierContext(phase: step.planPhase)
        let groups = minhash.groups(workers: scaleOut.requestedTasks)
        var counts = DedupStats()
        switch step.kind {
        case .signatures:
            try minhash.checkParts(context)
            try FileManager.default.createDirectory(atPath: context.folder, withIntermediateDirectories: true)
            // The barrier is being resolved again: its earlier marker no longer holds.
            try? FileManager.default.removeItem(atPath: execution.folder + "/" + execution.barrierMarker(phase: step.planPhase))
            for part in slice {
                let (documents, withoutShingles) = try minhash.writeSignatures(context, part: part)
                counts.documents += documents
                counts.documentsWithoutShingles += withoutShingles
            }
        case .bandGroups:
            for group in slice {
                counts.spilledRuns += try minhash.resolveBandGroup(
                    context, group: group, bands: groups[group], memoryBytes: minhash.dataMemoryBytes(workers: context.workers))
            }
        case .clusters:
            for phase in [files.phase - 2, files.phase - 1] {
                for task in 0..<scaleOut.taskCount(phase: phase) {
                    let earlier = try TaskFiles(folder: files.folder, phase: phase, task: task).readCounts()
                    counts.documents += earlier.documents
                    counts.documentsWithoutShingles += earlier.documentsWithoutShingles
                    counts.spilledRuns += earlier.spilledRuns
                }
            }
            try execution.resolveBarrier(phase: step.planPhase) { [counts] context in
                try minhash.finish(context, groups: groups.count, stats: counts)
            }
            return [execution.barrierMarker(phase: step.planPhase)]
        case .stream, .barrier:
            preconditionFailure("phase \(files.phase) is not a step of a MinHash barrier")
        }
        try files.writeCounts(counts)
        return [files.countsName]
    }
}
