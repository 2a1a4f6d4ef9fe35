import CurateCore
import CurateIO
import CurateIngest

/// Reads back the documents an earlier phase wrote to its parts, so that a later phase
/// continues from them with their original ids and sources.
struct PartFormat: InputFormat {
    func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        do {
            return LineSource(lines: LineReader(try openDecompressed(file.path), maxLineBytes: .max))
        } catch {
            throw RecordError(error.message)
        }
    }

    func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        do {
            return try restoringErrorType(JSONSyntaxError.self) {
                try record.bytes.withUnsafeBufferPointer { try DocumentJSONL.decode($0) }
            }
        } catch {
            throw RecordError("\(file.displayPath) line \(record.line ?? 0): \(error.message)")
        }
    }

    /// Calls `body` for every document of the part at `path`, in order.
    static func forEachDocument(in path: String, _ body: (inout Document) throws -> Void) throws {
        let file = InputFile(id: 0, displayPath: path, path: path, size: 0, sha256: "")
        let format = PartFormat()
        var source = try format.open(file)
        while let item = source.next() {
            switch item {
            case let .record(raw):
                guard var document = try format.decode(raw, from: file) else { continue }
                try body(&document)
            case let .corrupt(offset, message):
                throw RecordError("\(path) at byte \(offset): \(message)")
            }
        }
    }
}
