import CurateIO
import Foundation

/// Resources and extra directives for the Slurm jobs of a run.
public struct SlurmOptions: Sendable {
    public var partition: String?
    /// `--time`, e.g. `4:00:00`.
    public var time: String?
    /// `--mem`, e.g. `8G`.
    public var memory: String?
    /// `--cpus-per-task`; a task runs that many worker threads.
    public var cpusPerTask: Int?
    /// More `#SBATCH` lines: `#SBATCH --qos=high`, `--qos=high` or `qos=high`.
    public var sbatchLines: [String] = []

    public init() {}
}

/// The jobs one submission handed to Slurm, kept in `RUN/slurm/jobs.json` for `curate status`.
public struct SlurmSubmission: Sendable, Codable, Equatable {
    public struct Job: Sendable, Codable, Equatable {
        public let id: String
        /// The phase the array job runs; nil for the merge job.
        public let phase: Int?
        /// Array index i runs executor task `offset + i`.
        public let offset: Int
        /// The executor tasks it runs.
        public let tasks: [Int]
    }

    /// The run folder.
    public let folder: String
    public var jobs: [Job]

    static let fileName = "jobs.json"

    public func summary() -> String {
        var lines: [String] = []
        for job in jobs {
            if let phase = job.phase {
                lines.append("phase \(phase): job \(job.id), \(job.tasks.count) task\(job.tasks.count == 1 ? "" : "s") (\(SlurmExecutor.arraySpec(job.tasks)))")
            } else {
                lines.append("merge: job \(job.id)")
            }
        }
        if jobs.isEmpty { lines.append("nothing to submit: every task is complete") }
        lines.append("follow with: curate status \(folder)")
        return lines.joined(separator: "\n")
    }
}

/// Submits a run's phases as Slurm array jobs (`curate task` with the array index), each
/// phase after the previous one succeeded (`afterok`), and a merge job at the end. Arrays
/// larger than the cluster's MaxArraySize are split into several jobs.
struct SlurmExecutor {
    static let folderName = "slurm"

    let options: SlurmOptions
    /// The curate binary, as the compute nodes see it (a shared filesystem).
    let executable: String
    let folder: String

    var slurmFolder: String { folder + "/" + Self.folderName }

    func submit(pipelineName: String, pending: [[Int]]) throws -> SlurmSubmission {
        let manager = FileManager.default
        try manager.createDirectory(atPath: slurmFolder + "/logs", withIntermediateDirectories: true)
        let maxArraySize = Self.maxArraySize()
        var submission = SlurmSubmission(folder: folder, jobs: [])
        var previous: [String] = []
        for (phase, tasks) in pending.enumerated() where !tasks.isEmpty {
            let script = slurmFolder + "/phase-\(phase).sh"
            try DurableFile.write(Array(phaseScript(phase).utf8), to: script)
            var ids: [String] = []
            for (offset, indexes) in Self.arrays(tasks, maxArraySize: maxArraySize) {
                var arguments = ["--parsable", "--job-name=curate-\(pipelineName)-p\(phase)",
                                 "--output=\(slurmFolder)/logs/phase-\(phase)-%A_%a.out", "--array=\(Self.arraySpec(indexes))"]
                arguments += dependency(on: previous)
                arguments += [script, String(offset)]
                let id = try Self.sbatch(arguments)
                ids.append(id)
                submission.jobs.append(.init(id: id, phase: phase, offset: offset, tasks: indexes.map { $0 + offset }))
                try save(submission)
            }
            previous = ids
        }
        let merge = slurmFolder + "/merge.sh"
        try DurableFile.write(Array(mergeScript().utf8), to: merge)
        let id = try Self.sbatch(["--parsable", "--job-name=curate-\(pipelineName)-merge", "--output=\(slurmFolder)/logs/merge-%j.out"]
            + dependency(on: previous) + [merge])
        submission.jobs.append(.init(id: id, phase: nil, offset: 0, tasks: []))
        try save(submission)
        return submission
    }

    /// Records the jobs submitted so far, so that `curate status` sees them even if a later
    /// submission fails.
    private func save(_ submission: SlurmSubmission) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try DurableFile.write(Array(try encoder.encode(submission)), to: slurmFolder + "/" + SlurmSubmission.fileName)
    }

    private func dependency(on jobs: [String]) -> [String] {
        jobs.isEmpty ? [] : ["--dependency=afterok:" + jobs.joined(separator: ":"), "--kill-on-invalid-dep=yes"]
    }

    private var directives: [String] {
        var lines: [String] = []
        if let partition = options.partition { lines.append("--partition=\(partition)") }
        if let time = options.time { lines.append("--time=\(time)") }
        if let memory = options.memory { lines.append("--mem=\(memory)") }
        if let cpus = options.cpusPerTask { lines.append("--cpus-per-task=\(cpus)") }
        return (lines + options.sbatchLines.map { $0.hasPrefix("#SBATCH") || $0.hasPrefix("-") ? $0 : "--" + $0 })
            .map { $0.hasPrefix("#SBATCH") ? $0 : "#SBATCH " + $0 }
    }

    /// The batch script of a phase: array index i runs executor task `$1 + i`.
    func phaseScript(_ phase: Int) -> String {
        (["#!/bin/bash"] + directives + [
            "# Phase \(phase) of the curate run in \(folder.replacingOccurrences(of: "\n", with: " ")).",
            "# Array index i runs task (first argument) + i.",
            "set -eu",
            "exec \(Self.quoted(executable)) task \(Self.quoted(folder)) --phase \(phase) "
                + "--task \"$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))\" --workers \"${SLURM_CPUS_PER_TASK:-1}\"",
        ]).joined(separator: "\n") + "\n"
    }

    func mergeScript() -> String {
        (["#!/bin/bash"] + directives + [
            "# Merges the task databases of the curate run and writes its report.",
            "set -eu",
            "exec \(Self.quoted(executable)) merge \(Self.quoted(folder))",
        ]).joined(separator: "\n") + "\n"
    }

    /// `text` as one bash word, in single quotes.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Splits executor task numbers into array jobs whose indexes stay below `maxArraySize`:
    /// job k runs tasks k·max ..< (k+1)·max as indexes 0 ..< max, with offset k·max.
    static func arrays(_ tasks: [Int], maxArraySize: Int) -> [(offset: Int, indexes: [Int])] {
        var jobs: [(offset: Int, indexes: [Int])] = []
        for task in tasks.sorted() {
            let offset = task / maxArraySize * maxArraySize
            if jobs.last?.offset == offset {
                jobs[jobs.count - 1].indexes.append(task - offset)
            } else {
                jobs.append((offset, [task - offset]))
            }
        }
        return jobs
    }

    /// Sorted indexes as an `--array` value: runs of consecutive ones as ranges (`0-3,7`).
    static func arraySpec(_ indexes: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = indexes.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// The cluster's MaxArraySize (`scontrol show config`), or Slurm's default, 1001.
    static func maxArraySize() -> Int {
        guard let output = try? SlurmCommand.run("scontrol", ["show", "config"]) else { return 1001 }
        return parseMaxArraySize(output) ?? 1001
    }

    static func parseMaxArraySize(_ config: String) -> Int? {
        for line in config.split(separator: "\n") {
            let fields = line.split(separator: "=", maxSplits: 1)
            if fields.count == 2, fields[0].trimmingCharacters(in: .whitespaces) == "MaxArraySize" {
                return Int(fields[1].trimmingCharacters(in: .whitespaces)).flatMap { $0 > 0 ? $0 : nil }
            }
        }
        return nil
    }

    /// Submits a job; returns its id.
    static func sbatch(_ arguments: [String]) throws -> String {
        let output = try SlurmCommand.run("sbatch", arguments)
        // --parsable prints "id" or "id;cluster".
        let id = output.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw SlurmCommand.Failure(message: "sbatch printed no job id: \(output)") }
        return id
    }
}

/// Runs a Slurm client command (found on PATH) without a shell.
enum SlurmCommand {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Its stdout; throws with its stderr when it fails.
    static func run(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = Locked(Data())
        let reader = spawn("curate-\(command)-stderr") { let data = err.fileHandleForReading.readDataToEndOfFile(); stderr.withLock { $0 = data } }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        reader.join()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: stderr.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(message: "\(command) \(arguments.joined(separator: " ")): \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
