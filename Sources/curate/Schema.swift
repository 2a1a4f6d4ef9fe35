import ArgumentParser
import CurateCore
import CurateRunner

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of pipeline.json (the source of schemas/pipeline.schema.json).")

    func run() {
        print(JSONWriter.serialize(PipelineSchema.make(.standard), pretty: true))
    }
}
