import CurateCore
import CurateIO
import Foundation

/// Where the tasks of a scaled-out run stand (`curate status RUN`): done and failed from
/// the tasks' markers and failure files, running and pending from the Slurm queue (and
/// running from the process ids of tasks on this machine).
public struct RunStatus: Sendable {
    public enum State: String, Sendable {
        case done, failed, running, pending
        /// Not done, not in the queue, no failure recorded: never started, or its job was
        /// cancelled or killed before it could record a failure.
        case unfinished
    }

    public struct Task: Sendable {
        public let task: Int
        public let state: State
        /// The error a failed task recorded.
        public let message: String?
    }

    public struct Phase: Sendable {
        public let phase: Int
        /// `stream STAGE, ...` or `barrier STAGE`.
        public let kind: String
        public let tasks: [Task]

        public func count(_ state: State) -> Int { tasks.filter { $0.state == state }.count }
    }

    public let folder: String
    public let phases: [Phase]
    public let merged: Bool
    /// The error of a merge that failed.
    public let mergeFailure: String?
    /// The run's Slurm jobs still in the queue.
    public let activeJobs: [String]
    /// Why the Slurm queue could not be read, if it could not.
    public let queueProblem: String?

    /// Whether some task is running or waiting in the queue.
    public var isActive: Bool { !activeJobs.isEmpty }

    public static func read(folder: String) throws(RunError) -> RunStatus {
        let folder = Runner.absolute(folder)
        let scaled = try ScaleOutPlan.read(from: folder)
        var queued: [Int: [Int: State]] = [:]
        var activeJobs: [String] = []
        var queueProblem: String?
        let jobsFile = "\(folder)/\(SlurmExecutor.folderName)/\(SlurmSubmission.fileName)"
        if let data = FileManager.default.contents(atPath: jobsFile),
           let submission = try? JSONDecoder().decode(SlurmSubmission.self, from: data) {
            do {
                let queue = try SlurmCommand.run("squeue", ["-h", "-o", "%i|%T", "-j", submission.jobs.map(\.id).joined(separator: ",")])
                (queued, activeJobs) = Self.parse(queue: queue, jobs: submission.jobs)
            } catch let failure as SlurmCommand.Failure where failure.message.contains("Invalid job id") {
                // Every job of the submission has left the queue.
            } catch {
                queueProblem = "\(error)"
            }
        }
        var phases: [Phase] = []
        for phase in scaled.phases.indices {
            let kind = scaled.phases[phase].label
            let tasks = (0..<scaled.taskCount(phase: phase)).map { task in
                let files = TaskFiles(folder: folder, phase: phase, task: task)
                if files.isDone { return Task(task: task, state: .done, message: nil) }
                if let state = queued[phase]?[task] { return Task(task: task, state: state, message: nil) }
                if files.isRunningHere { return Task(task: task, state: .running, message: nil) }
                if let message = files.failureMessage {
                    return Task(task: task, state: .failed, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                return Task(task: task, state: .unfinished, message: nil)
            }
            phases.append(Phase(phase: phase, kind: kind, tasks: tasks))
        }
        let mergeFailure = FileManager.default.contents(atPath: folder + "/" + ScaleOut.mergeFailure)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        return RunStatus(folder: folder, phases: phases, merged: PathExpansion.exists(folder + "/" + ScaleOut.mergeMarker),
                         mergeFailure: mergeFailure,
                         activeJobs: activeJobs, queueProblem: queueProblem)
    }

    /// The queue's tasks of the run's jobs, by phase and executor task, and the jobs in it.
    /// `squeue -o %i` prints `JOB_INDEX` for a started array task, `JOB_[0-3,5%2]` for
    /// those still pending, and `JOB` for a job without an array.
    static func parse(queue: String, jobs: [SlurmSubmission.Job]) -> ([Int: [Int: State]], [String]) {
        let byID = Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var states: [Int: [Int: State]] = [:]
        var active: [String] = []
        for line in queue.split(separator: "\n") {
            let fields = line.split(separator: "|")
            guard fields.count == 2 else { continue }
            let id = fields[0].split(separator: "_", maxSplits: 1)
            guard let job = byID[String(id[0])] else { continue }
            if !active.contains(job.id) { active.append(job.id) }
            let state: State = fields[1] == "PENDING" ? .pending : .running
            guard let phase = job.phase, id.count == 2 else { continue }
            for index in indexes(String(id[1])) { states[phase, default: [:]][job.offset + index] = state }
        }
        return (states, active)
    }

    /// The indexes of `5` or `[0-3,7%2]`.
    static func indexes(_ text: String) -> [Int] {
        var body = Substring(text)
        if body.hasPrefix("[") { body = body.dropFirst().prefix { $0 != "]" } }
        body = body.prefix { $0 != "%" }
        var result: [Int] = []
        for item in body.split(separator: ",") {
            let bounds = item.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 { result.append(bounds[0]) }
            if bounds.count == 2, bounds[0] <= bounds[1] { result += Array(bounds[0]...bounds[1]) }
        }
        return result
    }

    /// The lines `curate status` prints.
    public func table() -> String {
        var lines = ["run \(folder)"]
        for phase in phases {
            var counts: [String] = []
            for state in [State.done, .running, .pending, .failed, .unfinished] where phase.count(state) > 0 {
                counts.append("\(phase.count(state)) \(state.rawValue)")
            }
            lines.append("phase \(phase.phase) (\(phase.kind)): \(phase.tasks.count) task\(phase.tasks.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))")
            for task in phase.tasks where task.state == .failed {
                lines.append("  task \(task.task) failed: \(task.message?.replacingOccurrences(of: "\n", with: "\n    ") ?? "")")
            }
        }
        lines.append("merge: " + (merged ? "done" : mergeFailure.map { "failed: " + $0 } ?? "not done"))
        if let queueProblem { lines.append("warning: cannot read the Slurm queue: \(queueProblem)") }
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        let phases: [JSONValue] = phases.map { phase in
            .object(JSONObject([
                ("phase", .integer(phase.phase)), ("kind", .string(phase.kind)),
                ("tasks", .array(phase.tasks.map { task in
                    var fields: [(String, JSONValue)] = [("task", .integer(task.task)), ("state", .string(task.state.rawValue))]
                    if let message = task.message { fields.append(("error", .string(message))) }
                    return .object(JSONObject(fields))
                })),
            ]))
        }
        return JSONWriter.serialize(.object(JSONObject([
            ("run", .string(folder)), ("phases", .array(phases)), ("merged", .bool(merged)),
            ("merge_error", mergeFailure.map(JSONValue.string) ?? .null),
            ("active_jobs", .array(activeJobs.map { .string($0) })),
        ])))
    }
}
