import CurateCore
import CurateIngest
import Foundation

/// The HTML pages under Tests/Fixtures/html.
enum HTMLFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/html").path

    /// The fixture at `relative` as the `html` input lists it.
    static func input(_ relative: String) -> InputFile {
        InputFile(id: 1, displayPath: relative, path: folder + "/" + relative, size: 0, sha256: String(repeating: "0", count: 64))
    }

    /// The bytes of a fixture, decompressed, before any charset decoding.
    static func bytes(_ relative: String) throws -> [UInt8] {
        var source = try HTMLFormat().open(input(relative))
        guard case let .record(record)? = source.next() else { throw RecordError("no record in \(relative)") }
        return record.bytes
    }

    /// A fixture as the `html` input makes it a document: UTF-8, with its charset in the metadata.
    static func document(_ relative: String) throws -> Document {
        let file = input(relative)
        var source = try HTMLFormat().open(file)
        guard case let .record(record)? = source.next(), let document = try HTMLFormat().decode(record, from: file) else {
            throw RecordError("no document in \(relative)")
        }
        return document
    }

    /// A JSON file of the fixtures (gold data), parsed by Foundation.
    static func json(_ relative: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + relative))
        return try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
    }
}
