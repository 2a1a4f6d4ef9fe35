import ArgumentParser
import CurateCore
import CurateRunner
import Foundation

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one stage over JSONL documents and print its verdict on each.",
        discussion: """
            STAGE is a stage object as pipeline.json's "stages" list holds it, given inline \
            ('{"type": "length", "min_words": 50}') or as the path of a file holding it. Prints one JSON \
            line per document: {"id", "verdict": "keep"|"drop"|"rewrite", "reason", "metrics", "detail"}, \
            plus "text" for rewrites. Relative paths in the stage's options are resolved against the \
            current folder.
            """)

    @Argument(help: "The stage, inline JSON or a file.")
    var stage: String

    @Option(name: .long, help: "JSONL files of documents (plain or compressed).", completion: .file())
    var input: [String]

    @Option(name: .long, help: "The field holding the text.")
    var textField = "text"

    func run() throws {
        let inline = stage.trimmingCharacters(in: .whitespaces).hasPrefix("{")
        let bytes: [UInt8]
        if inline {
            bytes = Array(stage.utf8)
        } else {
            guard let data = FileManager.default.contents(atPath: stage) else {
                throw ValidationError("cannot read the stage file \(stage)")
            }
            bytes = Array(data)
        }
        let step: Pipeline.Step
        do {
            step = try PipelineDecoder(registry: .standard).decodeStep(bytes, file: inline ? "(stage)" : stage)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        guard let streaming = step.body.streaming else {
            throw ValidationError("\(step.definition.type) is a barrier stage: it decides over a whole run; use `curate run`")
        }
        var problems = 0
        StageApplication.apply(
            streaming, files: input, format: .init(textField: textField),
            output: { print($0) },
            problem: { message in
                problems += 1
                FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
            })
        if problems > 0 { throw ExitCode(1) }
    }
}
