import ArgumentParser
import CurateCore
import CurateRunner

@main
struct Curate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn raw crawl dumps into training data for language models, with provenance for every document.",
        discussion: """
            A pipeline.json lists the inputs, the stages every document goes through, and the run folder. \
            `curate run` streams the documents through the stages on all cores, writes the survivors to \
            RUN/docs/*.jsonl.zst and records every document's fate in RUN/provenance.sqlite.
            """,
        version: CurateVersion.string,
        subcommands: [
            Run.self,
            Plan.self,
            TaskCommand.self,
            Status.self,
            Merge.self,
            Validate.self,
            Stages.self,
            Schema.self,
            Records.self,
            Extract.self,
            Apply.self,
            LangID.self,
            Shards.self,
            TokenizerCommand.self,
            Train.self,
            SampleCommand.self,
            Audit.self,
            Report.self,
            Wikitext.self,
            DedupBench.self,
        ])

    /// Accepts `curate audit RUN ACTION ...` as well as `curate audit ACTION RUN ...`.
    static func main() {
        AllocatorTuning.apply()
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count >= 3, arguments[0] == "audit", !Audit.actions.contains(arguments[1]), Audit.actions.contains(arguments[2]) {
            arguments.swapAt(1, 2)
        }
        main(arguments)
    }
}
