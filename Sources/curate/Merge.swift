import ArgumentParser
import CurateRunner
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the task databases of a run submitted to an executor into RUN/provenance.sqlite.",
        discussion: """
            Every task must be done. The databases are merged in plan order, so the result does not depend on \
            where the tasks ran. The Slurm executor's last job calls this; the local executor does it itself.
            """)

    @Argument(help: "The run folder.", completion: .directory)
    var folder: String

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "Do not write RUN/report.html.")
    var noReport = false

    func run() throws {
        do {
            let report = try ScaleOut.merge(folder: folder, writeReport: !noReport)
            print(json ? report.json() : report.table())
        } catch {
            throw fail(error)
        }
    }
}
