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
