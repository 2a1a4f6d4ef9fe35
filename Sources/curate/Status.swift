import ArgumentParser
import CurateRunner
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how many tasks of each phase of a submitted run are done, running, pending or failed.",
        discussion: """
            Done and failed come from the tasks' files in RUN/tasks/; running and pending from the Slurm queue \
            (squeue) for a run submitted to Slurm. A task that is neither done nor queued nor failed is unfinished: \
            not started yet, or its job was cancelled. `curate run --executor ... --resume` runs exactly the \
            unfinished and failed tasks (and the phases after them).
            """)

    @Argument(help: "The run folder.", completion: .directory)
    var folder: String

    @Flag(help: "Print the status as JSON.")
    var json = false

    @Flag(help: "Wait until none of the run's Slurm jobs is in the queue any more.")
    var wait = false

    func run() throws {
        do {
            var status = try RunStatus.read(folder: folder)
            while wait, status.isActive {
                Thread.sleep(forTimeInterval: 1)
                status = try RunStatus.read(folder: folder)
            }
            print(json ? status.json() : status.table())
        } catch {
            throw fail(error)
        }
    }
}
