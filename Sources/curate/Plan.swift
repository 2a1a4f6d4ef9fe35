import ArgumentParser
import CurateRunner
import Foundation

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print how a pipeline splits into phases and tasks for an executor.",
        discussion: """
            Phases are split at barrier stages; each phase's parts are dealt, in order, into at most --tasks \
            executor tasks (`curate task RUN --phase P --task T`). `curate run --executor ... --tasks N` uses \
            exactly this plan. Nothing is written.
            """)

    @Argument(help: "The pipeline file.", completion: .file(extensions: ["json"]))
    var pipeline: String

    @Option(help: "Executor tasks per phase, at most (default: one per part).")
    var tasks: Int?

    @Flag(help: "Print the plan as the run folder's plan.json holds it.")
    var json = false

    func validate() throws {
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1") }
    }

    func run() throws {
        do {
            let (pipeline, scaled) = try ScaleOut.plan(self.pipeline, tasks: tasks)
            print(json ? scaled.json() : scaled.description(pipelineName: pipeline.name))
        } catch {
            throw fail(error)
        }
    }
}
