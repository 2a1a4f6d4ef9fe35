import Foundation
import CurateCore
import CurateIO
import CurateProvenance

/// The files of a run and how they are split into phases and tasks; the same pipeline over
/// the same files always gives the same plan.
///
/// Barrier stages split the pipeline into phases. The first phase streams the inputs through
/// the stages before the first barrier; each barrier is a phase of one task that reads what
/// the phase before it kept; the phase after a barrier streams those documents again, through
/// the barrier's verdicts (its position in the pipeline) and the stages up to the next barrier.
/// A pipeline always ends with a streaming phase, whose parts are the run's output.
public struct RunPlan: Sendable, Codable {
    public enum Phase: Sendable, Equatable, Codable {
        /// Streams documents through the pipeline steps at `steps`, task by task.
        case stream(steps: Range<Int>)
        /// Resolves the barrier stage at pipeline step `step`.
        case barrier(step: Int)
    }

    public struct Input: Sendable, Codable {
        /// Index of the pipeline input that listed the file.
        public let spec: Int
        public let path: String
        public let displayPath: String
        public let size: Int64
        /// Empty when the file could not be read; its task then records the error.
        public let sha256: String
    }

    public struct Task: Sendable, Codable {
        public let id: Int64
        public let phase: Int
        /// Indexes into `inputs`, all of the same pipeline input.
        public let inputs: [Int]
    }

    public let inputs: [Input]
    public let phases: [Phase]
    public let tasks: [Task]

    public var totalBytes: Int64 { inputs.reduce(0) { $0 + $1.size } }

    /// Expands the pipeline's paths and globs from `base` (the pipeline file's folder),
    /// hashes every file, and groups files into tasks. A path that matches nothing is an error.
    public static func make(_ pipeline: Pipeline, base: String, file: String) throws(PipelineError) -> RunPlan {
        var found: [(spec: Int, path: String)] = []
        var tasks: [Task] = []
        var problems: [PipelineProblem] = []
        var seen = Set<String>()
        for (specIndex, spec) in pipeline.inputs.enumerated() {
            var specInputs: [Int] = []
            for (pathIndex, pattern) in spec.paths.enumerated() {
                let matches: [String]
                do {
                    matches = try PathExpansion.expand(pattern, base: base, folderExtensions: spec.format.folderExtensions)
                } catch {
                    problems.append(PipelineProblem(path: "inputs[\(specIndex)].paths[\(pathIndex)]", message: error.description))
                    continue
                }
                if matches.isEmpty {
                    problems.append(PipelineProblem(
                        path: "inputs[\(specIndex)].paths[\(pathIndex)]",
                        message: "no file matches \"\(pattern)\" (relative to \(base))"))
                }
                for path in matches where seen.insert(path).inserted {
                    specInputs.append(found.count)
                    found.append((specIndex, path))
                }
            }
            let perTask = spec.format.filesPerTask
            for start in stride(from: 0, to: specInputs.count, by: perTask) {
                tasks.append(Task(id: Int64(tasks.count), phase: 0, inputs: Array(specInputs[start..<min(start + perTask, specInputs.count)])))
            }
        }
        guard problems.isEmpty else { throw PipelineError(file: file, problems: problems) }
        let hashes = sha256(of: found.map(\.path))
        let inputs = found.indices.map { i in
            Input(spec: found[i].spec, path: found[i].path, displayPath: PathExpansion.display(found[i].path, relativeTo: base),
                  size: fileSize(found[i].path), sha256: hashes[i])
        }
        let phases = phases(of: pipeline.steps.map(\.body.kind))
        let readingTasks = tasks
        for phase in 1..<phases.count {
            if case .barrier = phases[phase] {
                tasks.append(Task(id: Int64(tasks.count), phase: phase, inputs: Array(inputs.indices)))
            } else {
                for task in readingTasks { tasks.append(Task(id: Int64(tasks.count), phase: phase, inputs: task.inputs)) }
            }
        }
        return RunPlan(inputs: inputs, phases: phases, tasks: tasks)
    }

    /// The SHA-256 of each file, empty for a file that cannot be read; on every core, since a
    /// run's first task waits for them (half a second for 500 MB of WARC on one core).
    private static func sha256(of paths: [String]) -> [String] {
        let hashes = Locked([String](repeating: "", count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let hash = (try? SHA256.hex(ofFile: paths[i])) ?? ""
            hashes.withLock { $0[i] = hash }
        }
        return hashes.withLock { $0 }
    }

    /// The phases of a pipeline whose steps have the given kinds.
    static func phases(of kinds: [StageKind]) -> [Phase] {
        var phases: [Phase] = []
        var start = 0
        for (position, kind) in kinds.enumerated() where kind == .barrier {
            phases.append(.stream(steps: start..<position))
            phases.append(.barrier(step: position))
            start = position
        }
        phases.append(.stream(steps: start..<kinds.count))
        return phases
    }

    /// The tasks of `phase`, in order.
    public func tasks(of phase: Int) -> [Task] { tasks.filter { $0.phase == phase } }

    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

extension RunPlan {
    /// Records the plan's inputs and tasks in `store` (or checks them against an earlier
    /// run's); returns the inputs' ids.
    func register(in store: ProvenanceStore, pipeline: Pipeline) throws -> [Int64] {
        try store.registerPlan(
            inputs: inputs.map {
                InputRegistration(path: $0.displayPath, format: pipeline.inputs[$0.spec].format.format, size: $0.size, sha256: $0.sha256)
            },
            tasks: tasks.map { TaskPlan(id: $0.id, phase: $0.phase, inputs: $0.inputs) })
    }
}
