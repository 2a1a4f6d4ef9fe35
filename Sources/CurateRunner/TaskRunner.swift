import CurateCore
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
        guard scaleOut.slices.indices.contains(phase) else {
            throw .unusable("the run has phases 0-\(scaleOut.slices.count - 1), not \(phase)")
        }
        guard scaleOut.slices[phase].indices.contains(task) else {
            throw .unusable("phase \(phase) has tasks 0-\(scaleOut.slices[phase].count - 1), not \(task)")
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
        } catch {
            throw .unusable("cannot prepare \(files.phaseFolder): \(error)")
        }
        do {
            if injectsFailure(phase: phase, task: task, environment: environment) {
                throw RunError.failed("phase \(phase) task \(task) failed on purpose (\(failureVariable) is set)")
            }
            let outputs = try execute(scaleOut, folder: folder, files: files, workers: workers ?? scaleOut.workers, registry: registry)
            try files.markDone(outputs: outputs)
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
        let inputIDs = try store.registerPlan(
            inputs: plan.inputs.map {
                InputRegistration(path: $0.displayPath, format: pipeline.inputs[$0.spec].format.format, size: $0.size, sha256: $0.sha256)
            },
            tasks: plan.tasks.map { TaskPlan(id: $0.id, phase: $0.phase, inputs: $0.inputs) })
        let run = try store.beginRun(
            pipelineName: pipeline.name, pipelineJSON: String(decoding: pipeline.source, as: UTF8.self),
            sha256: scaleOut.pipelineSHA256, pipelineFolder: scaleOut.pipelineFolder, toolVersion: CurateVersion.string,
            workers: workers)
        var execution = PhaseExecution(
            pipeline: pipeline, plan: plan, folder: folder, inputIDs: inputIDs, workers: workers, store: store, run: run,
            progress: ProgressTracker(totalBytes: plan.totalBytes, totalTasks: plan.tasks.count))
        execution.ownDatabase = true
        var outputs: [String] = []
        do {
            switch plan.phases[files.phase] {
            case .stream:
                let barrierStage = files.phase > 0 ? try execution.loadBarrier(phase: files.phase - 1) : nil
                let steps = try execution.prepareStream(files.phase, barrierStage: barrierStage)
                for n in scaleOut.slices[files.phase][files.task] {
                    try execution.runStreamingTask(phase: files.phase, n, steps: steps)
                    outputs.append(execution.partName(phase: files.phase, n))
                }
            case let .barrier(position):
                try execution.resolveBarrier(phase: files.phase)
                outputs.append(execution.markerPath(position))
            }
            try store.finishRun(run, succeeded: true)
        } catch {
            try? store.finishRun(run, succeeded: false)
            throw error
        }
        return outputs
    }
}
