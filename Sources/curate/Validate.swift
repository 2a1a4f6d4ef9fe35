import ArgumentParser
import CurateRunner
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a pipeline file and show its plan, without running it.",
        discussion: "Reports every problem with its JSON path (for example stages[2].max_chars). Exit status 2 if there is any.")

    @Argument(help: "The pipeline file.", completion: .file(extensions: ["json"]))
    var pipeline: String

    func run() throws {
        do {
            let (spec, plan, _) = try Runner.prepare(pipeline)
            let stages = spec.steps.map(\.name).joined(separator: " -> ")
            print("ok: pipeline \(spec.name): \(plan.inputs.count) input file\(plan.inputs.count == 1 ? "" : "s"), "
                + "\(plan.tasks.count) task\(plan.tasks.count == 1 ? "" : "s"), stages: \(stages.isEmpty ? "(none)" : stages)")
        } catch {
            throw fail(error)
        }
    }
}
