import CurateCore
import CurateIO
import Foundation

/// A run split for an executor: the run plan, and for each phase how its plan tasks are
/// dealt into executor tasks (`curate task RUN --phase P --task T`). Written once, when the
/// run is submitted, to `RUN/plan.json`, which every executor task reads.
///
/// An executor task runs a contiguous range of its phase's plan tasks, and each plan task
/// writes the same part as it does in a run without an executor; so the outputs do not
/// depend on the number of executor tasks, nor on which machine ran which.
public struct ScaleOutPlan: Sendable, Codable {
    public static let fileName = "plan.json"
    static let formatVersion = 1

    public var version = Self.formatVersion
    /// The sha256 of the pipeline file; the run folder holds a copy of it.
    public var pipelineSHA256: String
    /// The folder of the original pipeline file, which its relative paths are resolved from.
    public var pipelineFolder: String
    /// The number of executor tasks asked for; a phase with fewer plan tasks has fewer.
    public var requestedTasks: Int
    /// Worker threads per task when the executor does not say.
    public var workers: Int
    /// Whether tasks write a `documents` row per input document.
    public var recordDocuments: Bool
    public var plan: RunPlan
    /// For each phase, the plan tasks (indexes among the phase's tasks) of each executor task.
    public var slices: [[Range<Int>]]
    /// For each phase, what it does: `stream STAGE, ...` or `barrier STAGE`.
    public var phaseLabels: [String]

    public init(pipeline: Pipeline, plan: RunPlan, tasks: Int, pipelineSHA256: String, pipelineFolder: String, workers: Int,
                recordDocuments: Bool) {
        self.plan = plan
        self.requestedTasks = tasks
        self.pipelineSHA256 = pipelineSHA256
        self.pipelineFolder = pipelineFolder
        self.workers = workers
        self.recordDocuments = recordDocuments
        slices = plan.phases.indices.map { Self.deal(plan.tasks(of: $0).count, into: tasks) }
        phaseLabels = plan.phases.map { phase in
            switch phase {
            case let .stream(steps): "stream " + (steps.isEmpty ? "(no stages)" : steps.map { pipeline.steps[$0].name }.joined(separator: ", "))
            case let .barrier(step): "barrier " + pipeline.steps[step].name
            }
        }
    }

    /// Splits `count` plan tasks into at most `tasks` contiguous, non-empty ranges whose
    /// sizes differ by one at most.
    static func deal(_ count: Int, into tasks: Int) -> [Range<Int>] {
        let n = max(1, min(tasks, count))
        return (0..<n).map { k in (k * count / n)..<((k + 1) * count / n) }
    }

    public static func path(in folder: String) -> String { folder + "/" + fileName }

    /// Reads the plan of the scaled-out run in `folder`.
    public static func read(from folder: String) throws(RunError) -> ScaleOutPlan {
        let path = path(in: folder)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unusable("\(folder) holds no scaled-out run (no \(fileName)); submit one with curate run --executor")
        }
        let plan: ScaleOutPlan
        do {
            plan = try JSONDecoder().decode(ScaleOutPlan.self, from: data)
        } catch {
            throw .unusable("\(path): not a plan curate wrote: \(error)")
        }
        guard plan.version == formatVersion else {
            throw .unusable("\(path): plan format \(plan.version) is not one this curate knows (\(formatVersion))")
        }
        return plan
    }

    /// The plan as `plan.json` holds it.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    func write(to folder: String) throws {
        try DurableFile.write(Array((json() + "\n").utf8), to: Self.path(in: folder))
    }

    /// The executor tasks of `phase`.
    public func taskCount(phase: Int) -> Int { slices[phase].count }

    /// The plan tasks that executor task `task` of `phase` runs.
    public func planTasks(phase: Int, task: Int) -> [RunPlan.Task] {
        let tasks = plan.tasks(of: phase)
        return slices[phase][task].map { tasks[$0] }
    }

    /// What `curate plan` prints: the phases, their executor tasks and what each reads.
    public func description(pipelineName: String) -> String {
        var lines = ["pipeline \(pipelineName): \(plan.inputs.count) input files, \(plan.phases.count) phases, "
            + "\(slices.reduce(0) { $0 + $1.count }) tasks (--tasks \(requestedTasks))"]
        for (index, phase) in plan.phases.enumerated() {
            let tasks = plan.tasks(of: index)
            if case .barrier = phase {
                lines.append("phase \(index): \(phaseLabels[index]), 1 task")
                lines.append("  task 0: reads all \(plan.tasks(of: index - 1).count) parts of phase \(index - 1)")
                continue
            }
            lines.append("phase \(index): \(phaseLabels[index]), \(slices[index].count) tasks over \(tasks.count) parts")
            for (t, range) in slices[index].enumerated() {
                let inputs: [String]
                if index == 0 {
                    inputs = range.flatMap { tasks[$0].inputs.map { plan.inputs[$0].displayPath } }
                } else {
                    inputs = range.map { "part \($0) of phase \(index - 2)" }
                }
                let parts = range.count == 1 ? "part \(range.lowerBound)" : "parts \(range.lowerBound)-\(range.upperBound - 1)"
                lines.append("  task \(t): \(parts); reads \(inputs.joined(separator: ", "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
