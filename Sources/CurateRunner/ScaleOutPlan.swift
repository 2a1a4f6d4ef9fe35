import CurateCore
import CurateDedup
import CurateIO
import Foundation

/// A run split for an executor: the run plan, and the executor's phases with the tasks
/// of each (`curate task RUN --phase P --task T`). Written once, when the run is submitted,
/// to `RUN/plan.json`, which every executor task reads.
///
/// A streaming phase's executor task runs a contiguous range of the phase's plan tasks, and
/// each plan task writes the same part as it does in a run without an executor; so the
/// outputs do not depend on the number of executor tasks, nor on which machine ran which.
/// A barrier is one task, except MinHash dedup, which becomes three executor phases: the
/// signatures of the parts, the candidate pairs of the band groups (both split like a
/// streaming phase), and the clustering (one task).
public struct ScaleOutPlan: Sendable, Codable {
    public static let fileName = "plan.json"
    static let formatVersion = 1

    /// An executor phase: what its tasks do, for which phase of the run plan.
    public struct Phase: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            /// Streams parts (the run plan's streaming phase).
            case stream
            /// Resolves a barrier in one task.
            case barrier
            /// MinHash dedup, step 1: the signatures of the parts.
            case signatures
            /// MinHash dedup, step 2: the candidate pairs of band groups.
            case bandGroups = "band_groups"
            /// MinHash dedup, step 3: the clusters, which resolve the barrier.
            case clusters

            /// Whether its tasks' databases hold rows to merge (the MinHash steps before clustering record none).
            var hasDatabase: Bool { self == .stream || self == .barrier || self == .clusters }
        }

        public let kind: Kind
        /// The phase of the run plan.
        public let planPhase: Int
        /// `stream STAGE, ...`, `barrier STAGE` or `STAGE signatures|band groups|clusters`.
        public let label: String
        /// What each executor task does: plan tasks (stream), parts (signatures) or band
        /// groups (band groups), as index ranges.
        public let slices: [Range<Int>]
    }

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
    public var phases: [Phase]

    public init(pipeline: Pipeline, plan: RunPlan, tasks: Int, pipelineSHA256: String, pipelineFolder: String, workers: Int,
                recordDocuments: Bool) {
        self.plan = plan
        self.requestedTasks = tasks
        self.pipelineSHA256 = pipelineSHA256
        self.pipelineFolder = pipelineFolder
        self.workers = workers
        self.recordDocuments = recordDocuments
        phases = []
        for (index, phase) in plan.phases.enumerated() {
            switch phase {
            case let .stream(steps):
                let names = steps.isEmpty ? "(no stages)" : steps.map { pipeline.steps[$0].name }.joined(separator: ", ")
                phases.append(Phase(kind: .stream, planPhase: index, label: "stream " + names,
                                    slices: Self.deal(plan.tasks(of: index).count, into: tasks)))
            case let .barrier(step):
                let name = pipeline.steps[step].name
                if let minhash = Self.minhash(pipeline, step) {
                    phases.append(Phase(kind: .signatures, planPhase: index, label: name + " signatures",
                                        slices: Self.deal(plan.tasks(of: index - 1).count, into: tasks)))
                    phases.append(Phase(kind: .bandGroups, planPhase: index, label: name + " band groups",
                                        slices: Self.deal(minhash.groups(workers: tasks).count, into: tasks)))
                    phases.append(Phase(kind: .clusters, planPhase: index, label: name + " clusters", slices: [0..<1]))
                } else {
                    phases.append(Phase(kind: .barrier, planPhase: index, label: "barrier " + name, slices: [0..<1]))
                }
            }
        }
    }

    /// The MinHash dedup barrier at pipeline step `step`, if it is one.
    static func minhash(_ pipeline: Pipeline, _ step: Int) -> MinHashDedup? {
        if case let .barrier(barrier) = pipeline.steps[step].body { barrier as? MinHashDedup } else { nil }
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
    public func taskCount(phase: Int) -> Int { phases[phase].slices.count }

    /// The plan tasks that task `task` of the streaming executor phase `phase` runs.
    public func planTasks(phase: Int, task: Int) -> [RunPlan.Task] {
        let tasks = plan.tasks(of: phases[phase].planPhase)
        return phases[phase].slices[task].map { tasks[$0] }
    }

    /// The executor phase that ran plan phase `planPhase` last (its streaming phase, or the
    /// step of its barrier that resolved it).
    func executorPhase(ofPlanPhase planPhase: Int) -> Int {
        phases.lastIndex { $0.planPhase == planPhase }!
    }

    /// What `curate plan` prints: the phases, their executor tasks and what each reads.
    public func description(pipelineName: String) -> String {
        var lines = ["pipeline \(pipelineName): \(plan.inputs.count) input files, \(phases.count) phases, "
            + "\(phases.reduce(0) { $0 + $1.slices.count }) tasks (--tasks \(requestedTasks))"]
        func range(_ r: Range<Int>, _ noun: String) -> String {
            r.count == 1 ? "\(noun) \(r.lowerBound)" : "\(noun)s \(r.lowerBound)-\(r.upperBound - 1)"
        }
        for (index, phase) in phases.enumerated() {
            let count = phase.slices.count
            let tasks = "\(count) task\(count == 1 ? "" : "s")"
            switch phase.kind {
            case .stream:
                let planTasks = plan.tasks(of: phase.planPhase)
                lines.append("phase \(index): \(phase.label), \(tasks) over \(planTasks.count) parts")
                for (t, slice) in phase.slices.enumerated() {
                    let inputs = phase.planPhase == 0
                        ? slice.flatMap { planTasks[$0].inputs.map { plan.inputs[$0].displayPath } }
                        : slice.map { "part \($0) of phase \(executorPhase(ofPlanPhase: phase.planPhase - 2))" }
                    lines.append("  task \(t): \(range(slice, "part")); reads \(inputs.joined(separator: ", "))")
                }
            case .barrier, .clusters:
                lines.append("phase \(index): \(phase.label), 1 task")
                let source = executorPhase(ofPlanPhase: phase.planPhase - 1)
                lines.append(phase.kind == .barrier
                    ? "  task 0: reads all \(plan.tasks(of: phase.planPhase - 1).count) parts of phase \(source)"
                    : "  task 0: joins the candidate pairs of phase \(index - 1)")
            case .signatures:
                let source = executorPhase(ofPlanPhase: phase.planPhase - 1)
                lines.append("phase \(index): \(phase.label), \(tasks) over \(plan.tasks(of: phase.planPhase - 1).count) parts")
                for (t, slice) in phase.slices.enumerated() {
                    lines.append("  task \(t): reads \(range(slice, "part")) of phase \(source)")
                }
            case .bandGroups:
                lines.append("phase \(index): \(phase.label), \(tasks) over \(phase.slices.last!.upperBound) band groups")
                for (t, slice) in phase.slices.enumerated() {
                    lines.append("  task \(t): \(range(slice, "band group")), over the signatures of phase \(index - 1)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
