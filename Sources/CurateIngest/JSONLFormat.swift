import CurateCore
import CurateIO

/// JSON Lines input (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`, `.jsonl.bz2`; compression is
/// recognised by content): one JSON object per line with a text field; an id field, when
/// present, is the document's id; a URL field fills the document's url; every other field
/// is kept as metadata. Blank lines are skipped.
public struct JSONLFormat: InputFormat {
    public let textField: String
    public let idField: String
    public let urlField: String
    /// Longer lines are skipped and recorded as errors.
    public let maxDocumentBytes: Int

    public init(textField: String = "text", idField: String = "id", urlField: String = "url",
                maxDocumentBytes: Int = LineReader.defaultMaxLineBytes) {
        self.textField = textField
        self.idField = idField
        self.urlField = urlField
        self.maxDocumentBytes = maxDocumentBytes
    }

    public static let definition = InputFormatDefinition(
        format: "jsonl",
        summary: "JSON Lines, plain or compressed with gzip, zstd or bzip2.",
        parameters: [
            Parameter("text_field", .string, default: .string("text"), "Field holding the document text."),
            Parameter("id_field", .string, default: .string("id"), "Field holding the document id, when present."),
            Parameter("url_field", .string, default: .string("url"), "Field holding the document URL, when present."),
            Parameter("max_document_bytes", .integer(min: 1), default: .integer(LineReader.defaultMaxLineBytes),
                      "Longer lines (after decompression) are skipped and recorded as errors, never held in memory."),
        ],
        folderExtensions: [".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".json.gz", ".ndjson"]
    ) { options throws(OptionError) in
        JSONLFormat(textField: options.string("text_field") ?? "text", idField: options.string("id_field") ?? "id",
                    urlField: options.string("url_field") ?? "url",
                    maxDocumentBytes: options.int("max_document_bytes") ?? LineReader.defaultMaxLineBytes)
    }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        do {
            return LineSource(lines: LineReader(try openDecompressed(file.path), maxLineBytes: maxDocumentBytes))
        } catch {
            throw RecordError(error.message)
        }
    }

    /// Reads the line that starts at `offset` of a plain JSON Lines file (compressed ones give nil).
    public func record(at offset: Int64, in file: InputFile) -> RawRecord? {
        // From the byte before, which must end the line before.
        guard let stream = try? openDecompressed(file.path, at: max(0, offset - 1)), !(stream is GzipDecoder) else { return nil }
        let lines = LineReader(stream, maxLineBytes: maxDocumentBytes)
        if offset > 0 {
            guard let before = try? lines.next(), before.bytes.isEmpty, before.skippedLength == nil else { return nil }
        }
        guard let line = try? lines.next(), line.skippedLength == nil else { return nil }
        return RawRecord(bytes: line.bytes, offset: offset)
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        let fields: Fields
        do {
            fields = try restoringErrorType(JSONSyntaxError.self) {
                try record.bytes.withUnsafeBufferPointer { try parse($0) }
            }
        } catch {
            throw RecordError("invalid JSON at column \(error.offset + 1): \(error.message)")
        }
        guard let text = fields.text else { throw RecordError("no \"\(textField)\" field") }
        return Document(
            id: fields.id ?? Document.derivedID(inputSHA256: file.sha256, offset: record.offset), text: text,
            url: fields.url, source: SourceRef(input: file.displayPath, offset: record.offset, line: record.line),
            metadata: fields.metadata)
    }

    private struct Fields {
        var text: [UInt8]?
        var id: String?
        var url: String?
        var metadata = JSONObject()
    }

    /// Reads one JSON object, taking the text field as raw bytes and the others as values.
    private func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> Fields {
        var fields = Fields()
        var parser = JSONParser(buffer)
        if try !parser.beginObject() {
            repeat {
                let key = try parser.memberKey()
                if key == textField {
                    guard parser.peekValueStart() == UInt8(ascii: "\"") else {
                        throw JSONSyntaxError(offset: parser.position, message: "field \"\(textField)\" must be a string")
                    }
                    var bytes: [UInt8] = []
                    try parser.parseStringBytes(into: &bytes)
                    fields.text = bytes
                    continue
                }
                let value = try parser.parseValue()
                switch value {
                case let .string(s) where key == idField: fields.id = s
                case let .number(n) where key == idField: fields.id = n
                case let .string(s) where key == urlField: fields.url = s
                default: fields.metadata[key] = value
                }
            } while try parser.nextMember()
        }
        try parser.expectEnd()
        return fields
    }
}

/// Yields the non-blank lines of a file as records.
public struct LineSource: RecordSource {
    let lines: LineReader
    var failed = false

    public init(lines: LineReader) { self.lines = lines }

    public var bytesRead: Int64 { lines.bytesRead }

    public mutating func next() -> SourceItem? {
        guard !failed else { return nil }
        do {
            while let line = try lines.next() {
                if let length = line.skippedLength {
                    return .corrupt(offset: line.offset, message: "line \(line.number) is \(length) bytes, more than the \(lines.maxLineBytes) a document may have (max_document_bytes); skipped")
                }
                let blank = line.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                if !blank { return .record(RawRecord(bytes: line.bytes, offset: line.offset, line: line.number)) }
            }
            return nil
        } catch {
            failed = true
            return .corrupt(offset: lines.nextOffset, message: error.detail)
        }
    }
}
