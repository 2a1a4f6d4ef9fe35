import ArgumentParser
import CurateRunner
import Foundation

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one task of a run submitted to an executor (what executors call).",
        discussion: """
            Reads RUN/pipeline.json and RUN/plan.json, runs the task's parts, writes its provenance to \
            RUN/tasks/phase-P/task-T.sqlite and, last, its completion marker task-T.done (a sha256sum listing \
            of its outputs). A task already done, with its outputs unchanged, is skipped; any other is redone \
            from scratch. On failure it writes task-T.failed with the error. Setting \(TaskRunner.failureVariable)=P:T \
            (comma-separated) makes those tasks fail, to test failure handling.
            """)

    @Argument(help: "The run folder.", completion: .directory)
    var folder: String

    @Option(help: "The phase.")
    var phase: Int

    @Option(help: "The task within the phase.")
    var task: Int

    @Option(name: .shortAndLong, help: "Worker threads (default: the run's workers).")
    var workers: Int?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        do {
            switch try TaskRunner.run(folder: folder, phase: phase, task: task, workers: workers) {
            case .ran: print("phase \(phase) task \(task): done")
            case .alreadyDone: print("phase \(phase) task \(task): already done")
            }
        } catch {
            throw fail(error)
        }
    }
}
