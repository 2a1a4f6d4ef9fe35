import ArgumentParser
import CurateCore
import CurateRunner

struct Stages: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the stage types and input formats a pipeline can use, with their options.")

    func run() {
        let registry = Registry.standard
        print("Input formats (inputs[].format):")
        for format in registry.inputFormats {
            print("\n  \(format.format): \(format.summary)")
            describe(format.parameters)
        }
        print("\nStages (stages[].type):")
        for stage in registry.stages {
            print("\n  \(stage.type): \(stage.summary)")
            describe(stage.parameters)
        }
    }

    private func describe(_ parameters: [Parameter]) {
        for parameter in parameters {
            let fallback = parameter.defaultValue.map { ", default \(JSONWriter.serialize($0))" } ?? ", optional"
            print("    \(parameter.name) (\(parameter.expectation)\(fallback)): \(parameter.summary)")
        }
    }
}
