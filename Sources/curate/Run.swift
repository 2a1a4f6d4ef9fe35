import ArgumentParser
import CurateRunner
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline, resuming an interrupted run in the same folder.",
        discussion: """
            Tasks already complete in the run folder are kept; the others are redone from scratch, so a run \
            killed at any moment can simply be started again. Exit status: 0 on success, 1 if the run failed, \
            2 if the pipeline file or the options are wrong (then nothing is written).

            With --executor, the run is split into tasks (see `curate plan`) that run as separate processes: \
            `local` runs --workers of them at a time on this machine and merges their provenance at the end; \
            `slurm` writes an sbatch script per phase into RUN/slurm/, submits them as array jobs that depend \
            on each other, and a final merge job; follow it with `curate status RUN`. The outputs are the same \
            bytes whatever the executor and the number of tasks.
            """)

    @Argument(help: "The pipeline file.", completion: .file(extensions: ["json"]))
    var pipeline: String

    @Option(name: .shortAndLong, help: "Run folder; overrides the pipeline's \"output\".")
    var output: String?

    @Option(name: .shortAndLong, help: "Threads that process documents (default: the pipeline's \"workers\", else the number of cores).")
    var workers: Int?

    @Flag(help: "Discard an earlier run in the output folder and start over.")
    var restart = false

    @Option(help: "What to record per document: full (a documents row each) or minimal (task and stage counts only).")
    var provenance: ProvenanceLevel = .full

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "Never draw the progress line (it is drawn only when stderr is a terminal).")
    var quiet = false

    @Flag(help: "Do not write RUN/report.html at the end.")
    var noReport = false

    @Flag(help: "Let the pipeline's \"output\" lead outside its folder and the current directory (through .. or links).")
    var allowOutputAnywhere = false

    @Option(help: "Run the tasks as processes: local (on this machine) or slurm (as array jobs).")
    var executor: ExecutorKind?

    @Option(help: "With --executor: tasks per phase, at most (default: one per part).")
    var tasks: Int?

    @Flag(help: "With --executor: continue the run in the output folder, running only its unfinished or failed tasks.")
    var resume = false

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm time limit per task (e.g. 4:00:00).")
    var time: String?

    @Option(help: "Slurm memory per task (e.g. 8G).")
    var mem: String?

    @Option(help: "Slurm CPUs per task; a task runs that many worker threads.")
    var cpusPerTask: Int?

    @Option(help: "An extra #SBATCH line for every job (repeatable), e.g. --sbatch-line qos=high.")
    var sbatchLine: [String] = []

    enum ExecutorKind: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    enum ProvenanceLevel: String, ExpressibleByArgument, CaseIterable {
        case full, minimal
    }

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1") }
        if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if executor == nil, tasks != nil || resume {
            throw ValidationError("--tasks and --resume go with --executor local or --executor slurm")
        }
        if executor != .slurm, partition != nil || time != nil || mem != nil || cpusPerTask != nil || !sbatchLine.isEmpty {
            throw ValidationError("--partition, --time, --mem, --cpus-per-task and --sbatch-line go with --executor slurm")
        }
    }

    func run() throws {
        var options = RunOptions(pipelinePath: pipeline)
        options.output = output
        options.workers = workers
        options.restart = restart
        options.recordDocuments = provenance == .full
        options.showProgress = !quiet && isatty(2) == 1
        options.writeReport = !noReport
        options.allowOutputAnywhere = allowOutputAnywhere
        do {
            guard let executor else {
                let report = try Runner.run(options)
                print(json ? report.json() : report.table())
                return
            }
            var scaleOut = ScaleOutOptions(executor: .local(processes: 1), executable: Self.executablePath)
            switch executor {
            case .local:
                scaleOut.executor = .local(processes: workers ?? ProcessInfo.processInfo.activeProcessorCount)
            case .slurm:
                var slurm = SlurmOptions()
                slurm.partition = partition
                slurm.time = time
                slurm.memory = mem
                slurm.cpusPerTask = cpusPerTask
                slurm.sbatchLines = sbatchLine
                scaleOut.executor = .slurm(slurm)
            }
            scaleOut.tasks = tasks
            scaleOut.resume = resume
            switch try ScaleOut.run(options, scaleOut) {
            case let .finished(report): print(json ? report.json() : report.table())
            case let .submitted(submission): print(submission.summary())
            }
        } catch {
            throw fail(error)
        }
    }
}

extension Run {
    /// This binary's absolute path, for the tasks that executors start.
    static var executablePath: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let argument = CommandLine.arguments[0]
        return argument.hasPrefix("/") ? argument : FileManager.default.currentDirectoryPath + "/" + argument
    }
}

/// Prints `error` on stderr and returns the exit code for it: 2 when the input was wrong
/// and nothing ran, 1 when a run failed.
func fail(_ error: RunError) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error.description.replacingOccurrences(of: "\n", with: "\nerror: "))\n".utf8))
    switch error {
    case .invalidPipeline, .unusable: return ExitCode(2)
    case .failed: return ExitCode(1)
    }
}
