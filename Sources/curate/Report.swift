import ArgumentParser
import CurateRunner
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a run's HTML report: funnel, drops with examples, lengths, languages, dedup, tokens, representation audit.",
        discussion: "One self-contained file (inline CSS and SVG). `curate run` writes RUN/report.html at the end unless --no-report.")

    @Argument(help: "The run folder.", completion: .directory)
    var folder: String

    @Option(name: .shortAndLong, help: "Where to write the report (default: RUN/report.html).")
    var output: String?

    func run() throws {
        do {
            let audit = try RunAudit(folder: folder)
            try ReportWriter.write(runFolder: folder, store: audit.store, to: output ?? folder + "/report.html")
        } catch let error as RunError {
            throw fail(error)
        }
    }
}
