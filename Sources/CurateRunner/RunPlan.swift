import Foundation
import CurateCore
import CurateIO

/// The files of a run and how they are split into tasks; the same pipeline over the same
/// files always gives the same plan.
public struct RunPlan: Sendable {
    public struct Input: Sendable {
        /// Index of the pipeline input that listed the file.
        public let spec: Int
        public let path: String
        public let displayPath: String
        public let size: Int64
        /// Empty when the file could not be read; its task then records the error.
        public let sha256: String
    }

    public struct Task: Sendable {
        public let id: Int64
        public let phase: Int
        /// Indexes into `inputs`, all of the same pipeline input.
        public let inputs: [Int]
    }

    public let inputs: [Input]
    public let tasks: [Task]

    public var totalBytes: Int64 { inputs.reduce(0) { $0 + $1.size } }

    /// Expands the pipeline's paths and globs from `base` (the pipeline file's folder),
    /// hashes every file, and groups files into tasks. A path that matches nothing is an error.
    public static func make(_ pipeline: Pipeline, base: String, file: String) throws(PipelineError) -> RunPlan {
        var inputs: [Input] = []
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
                    specInputs.append(inputs.count)
                    inputs.append(Input(
                        spec: specIndex, path: path, displayPath: PathExpansion.display(path, relativeTo: base),
                        size: fileSize(path), sha256: (try? SHA256.hex(ofFile: path)) ?? ""))
                }
            }
            let perTask = spec.format.filesPerTask
            for start in stride(from: 0, to: specInputs.count, by: perTask) {
                tasks.append(Task(id: Int64(tasks.count), phase: 0, inputs: Array(specInputs[start..<min(start + perTask, specInputs.count)])))
            }
        }
        guard problems.isEmpty else { throw PipelineError(file: file, problems: problems) }
        return RunPlan(inputs: inputs, tasks: tasks)
    }

    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
