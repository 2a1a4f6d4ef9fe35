import CurateCore
import Foundation

/// Files of Tests/Fixtures/safety and documents made from them.
enum SafetyFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safety")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    static func document(_ text: String, id: String = "d", url: String? = nil, language: String? = nil) -> Document {
        var metadata = JSONObject()
        if let language { metadata["language"] = .string(language) }
        return Document(id: id, text: Array(text.utf8), url: url, source: SourceRef(input: "t", offset: 0), metadata: metadata)
    }

    /// The stage that `definition` builds from `values` over its defaults.
    static func stage(_ definition: StageDefinition, _ values: [(String, JSONValue)] = []) throws -> any Stage {
        var options = Options.defaults(definition.parameters).values
        for (key, value) in values { options[key] = value }
        return try definition.make(Options(options, base: folder.path)).streaming!
    }
}
