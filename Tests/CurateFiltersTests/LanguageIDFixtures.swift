import CurateCore
import CurateFilters
import Foundation

/// The language-ID fixtures under Tests/Fixtures/langid (see SOURCES.md there).
enum LanguageIDFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/langid").path

    /// fastText's lid.176, as bundled in resources/.
    static let lid176Path = Resources.path("models/lid.176.ftz")

    struct Line {
        let id: String
        let language: String
        let text: String
    }

    /// One prediction recorded from fastText's Python binding.
    struct Expected {
        let model: String
        let id: String
        let k: Int
        let threshold: Float
        let labels: [String]
        let probabilities: [Double]
    }

    static func jsonLines(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    static let lines: [Line] = try! jsonLines("lines.jsonl").map {
        Line(id: $0["id"] as! String, language: $0["lang"] as! String, text: $0["text"] as! String)
    }

    static let expected: [Expected] = try! jsonLines("expected.jsonl").map {
        Expected(model: $0["model"] as! String, id: $0["id"] as! String, k: $0["k"] as! Int,
                 threshold: Float($0["threshold"] as! Double), labels: $0["labels"] as! [String],
                 probabilities: ($0["probs"] as! [NSNumber]).map(\.doubleValue))
    }

    static func line(_ id: String) -> Line { lines.first { $0.id == id }! }

    static func modelPath(_ name: String) -> String { name == "lid.176.ftz" ? lid176Path : folder + "/" + name }

    static let lid176 = try! FastTextModel(contentsOf: lid176Path)

    static func document(_ id: String) -> Document {
        Document(id: id, text: Array(line(id).text.utf8), source: SourceRef(input: "lines.jsonl", offset: 0))
    }
}
