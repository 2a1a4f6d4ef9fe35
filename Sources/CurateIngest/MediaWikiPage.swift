import CurateCore

/// One `<page>` of a MediaWiki dump as the reader hands it to the decoder: the page's fields,
/// the wikitext of its last revision, and what the dump says about its wiki.
///
/// As a raw record it is a sequence of fields, each a 4-byte little-endian length and its
/// bytes (title, page id, namespace, redirect flag, revision timestamp, article path or
/// nothing, file namespace names, category namespace names, names separated by newlines),
/// then the wikitext up to the end of the record.
struct MediaWikiPage {
    var title = ""
    var id = ""
    var namespace = 0
    var isRedirect = false
    var timestamp = ""
    var site = MediaWikiSite()
    var text: [UInt8] = []

    /// The page's raw record bytes.
    var serialized: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count + title.utf8.count + 200)
        func field(_ value: some Collection<UInt8>) {
            withUnsafeBytes(of: UInt32(value.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: value)
        }
        field(title.utf8)
        field(id.utf8)
        field(String(namespace).utf8)
        field(isRedirect ? [1] : [])
        field(timestamp.utf8)
        field((site.articlePath ?? "").utf8)
        field(site.fileNamespaces.joined(separator: "\n").utf8)
        field(site.categoryNamespaces.joined(separator: "\n").utf8)
        bytes.append(contentsOf: text)
        return bytes
    }
}

extension MediaWikiPage {
    /// Reads a page back from its raw record bytes.
    init(serialized bytes: [UInt8]) throws(RecordError) {
        var position = 0
        func field() throws(RecordError) -> String {
            guard position + 4 <= bytes.count else { throw RecordError("malformed page record") }
            let length = bytes[position..<position + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            position += 4
            guard length <= bytes.count - position else { throw RecordError("malformed page record") }
            defer { position += length }
            return String(decoding: bytes[position..<position + length], as: UTF8.self)
        }
        title = try field()
        id = try field()
        guard let namespace = Int(try field()) else { throw RecordError("malformed page record") }
        self.namespace = namespace
        isRedirect = try !field().isEmpty
        timestamp = try field()
        let articlePath = try field()
        site.articlePath = articlePath.isEmpty ? nil : articlePath
        site.fileNamespaces = try Self.names(field())
        site.categoryNamespaces = try Self.names(field())
        text = Array(bytes[position...])
    }

    private static func names(_ joined: String) -> [String] {
        joined.isEmpty ? [] : joined.split(separator: "\n").map(String.init)
    }
}
