import CurateCore
import Foundation
@testable import CurateTokenizer

/// Files under Tests/Fixtures/tokenizer and the shared data beside the repository.
enum TokenizerFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer").path

    /// shared/data/tokenizers beside the repository's folder, when present.
    static let sharedTokenizers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/tokenizers").path

    static func path(_ name: String) -> String { folder + "/" + name }

    /// Objects of a JSON Lines fixture.
    static func lines(_ name: String) throws -> [JSONObject] {
        let text = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        return try text.split(separator: UInt8(ascii: "\n")).map { line in
            guard case let .object(object) = try JSONParser.parse(Array(line)) else { fatalError("not an object in \(name)") }
            return object
        }
    }

    /// The fixture documents: id and UTF-8 text.
    static func documents() throws -> [(id: String, text: [UInt8])] {
        try lines("docs.jsonl").map { object in
            guard case let .string(id)? = object["id"], case let .string(text)? = object["text"] else { fatalError("bad docs.jsonl") }
            return (id, Array(text.utf8))
        }
    }

    /// tiktoken's ids for each fixture document, by id.
    static func expected(_ encoding: String) throws -> [String: [UInt32]] {
        var out: [String: [UInt32]] = [:]
        for object in try lines("expected-\(encoding).jsonl") {
            guard case let .string(id)? = object["id"], case let .array(ids)? = object["ids"] else { fatalError("bad expected file") }
            out[id] = ids.map { value in
                guard case let .number(text) = value, let id = UInt32(text) else { fatalError("bad id") }
                return id
            }
        }
        return out
    }
}
