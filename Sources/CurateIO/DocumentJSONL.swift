import CurateCore

/// The JSONL form of documents in a run's `docs/` parts: one object per line with `id`,
/// `text`, `url` (when known), `source` and `metadata`.
public enum DocumentJSONL {
    /// Appends `document` and a newline to `writer`.
    public static func append(_ document: Document, to writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("id")
        writer.write(string: document.id)
        writer.raw(",")
        writer.key("text")
        writer.write(utf8: document.text)
        if let url = document.url {
            writer.raw(",")
            writer.key("url")
            writer.write(string: url)
        }
        writer.raw(",")
        writer.key("source")
        writer.raw("{")
        writer.key("input")
        writer.write(string: document.source.input)
        writer.raw(",")
        writer.key("offset")
        writer.write(integer: document.source.offset)
        if let line = document.source.line {
            writer.raw(",")
            writer.key("line")
            writer.write(integer: line)
        }
        if let record = document.source.recordID {
            writer.raw(",")
            writer.key("record_id")
            writer.write(string: record)
        }
        writer.raw("},")
        writer.key("metadata")
        writer.write(.object(document.metadata))
        writer.raw("}\n")
    }
}

extension DocumentJSONL {
    /// Reads back one line that `append` wrote (without its newline).
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> Document {
        var parser = JSONParser(line)
        var id: String?
        var text: [UInt8]?
        var url: String?
        var source: SourceRef?
        var metadata = JSONObject()
        if try !parser.beginObject() {
            repeat {
                let key = try parser.memberKey()
                switch key {
                case "text":
                    var bytes: [UInt8] = []
                    try parser.parseStringBytes(into: &bytes)
                    text = bytes
                case "id": id = try parser.parseString()
                case "url": url = try parser.parseString()
                case "source":
                    guard case let .object(object) = try parser.parseValue(),
                          case let .string(input)? = object["input"], case let .number(offset)? = object["offset"],
                          let offset = Int64(offset) else {
                        throw JSONSyntaxError(offset: parser.position, message: "\"source\" needs \"input\" and \"offset\"")
                    }
                    var ref = SourceRef(input: input, offset: offset)
                    if case let .number(line)? = object["line"] { ref.line = Int64(line) }
                    if case let .string(record)? = object["record_id"] { ref.recordID = record }
                    source = ref
                case "metadata":
                    guard case let .object(object) = try parser.parseValue() else {
                        throw JSONSyntaxError(offset: parser.position, message: "\"metadata\" must be an object")
                    }
                    metadata = object
                default:
                    _ = try parser.parseValue()
                }
            } while try parser.nextMember()
        }
        try parser.expectEnd()
        guard let id, let text, let source else {
            throw JSONSyntaxError(offset: 0, message: "a document needs \"id\", \"text\" and \"source\"")
        }
        return Document(id: id, text: text, url: url, source: source, metadata: metadata)
    }
}
