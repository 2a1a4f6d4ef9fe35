import ArgumentParser
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
        subcommands: [Run.self, Validate.self, Stages.self, Schema.self, Records.self, Extract.self, Wikitext.self, TokenizerCommand.self])
}
