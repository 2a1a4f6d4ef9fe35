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

    enum ProvenanceLevel: String, ExpressibleByArgument, CaseIterable {
        case full, minimal
    }

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
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
            let report = try Runner.run(options)
            print(json ? report.json() : report.table())
        } catch {
            throw fail(error)
        }
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
