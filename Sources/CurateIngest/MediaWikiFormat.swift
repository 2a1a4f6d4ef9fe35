import CurateCore
import CurateIO

/// MediaWiki XML dumps (`pages-articles.xml`, plain, bzip2 including multistream, xz, gzip or
/// zstd): one document per page of the wanted namespaces, its last revision's wikitext turned
/// into plain text by `WikitextConverter`. The document's id is the page id, its URL the
/// page's address on the wiki named by `<siteinfo><base>` (none without a siteinfo), its
/// metadata the title, page id, namespace and revision timestamp (and `redirect: true` for
/// redirects, when they are kept).
public struct MediaWikiFormat: InputFormat {
    public let namespaces: Set<Int>
    public let skipRedirects: Bool

    public init(namespaces: Set<Int> = [0], skipRedirects: Bool = true) {
        self.namespaces = namespaces
        self.skipRedirects = skipRedirects
    }

    public static let definition = InputFormatDefinition(
        format: "mediawiki",
        summary: "MediaWiki XML dumps (Wikipedia pages-articles), one document per page, wikitext turned into plain text.",
        parameters: [
            Parameter("namespaces", .stringList, default: .array([.string("0")]),
                      "Numbers of the namespaces whose pages are read, as strings (\"0\": articles, \"14\": categories)."),
            Parameter("skip_redirects", .boolean, default: .bool(true), "Leave out redirect pages."),
        ],
        folderExtensions: [".xml", ".xml.bz2", ".xml.xz", ".xml.gz", ".xml.zst"]
    ) { options throws(OptionError) in
        var namespaces = Set<Int>()
        for text in options.strings("namespaces") ?? ["0"] {
            guard let number = Int(text) else {
                throw OptionError(key: "namespaces", "expected namespace numbers such as \"0\", got \"\(text)\"")
            }
            namespaces.insert(number)
        }
        return MediaWikiFormat(namespaces: namespaces, skipRedirects: options.bool("skip_redirects") ?? true)
    }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        let stream: any ByteStream
        do {
            stream = try openDecompressed(file.path)
        } catch {
            throw RecordError(error.message)
        }
        return try MediaWikiSource(stream: stream, namespaces: namespaces, skipRedirects: skipRedirects)
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        let page = try MediaWikiPage(serialized: record.bytes)
        let converter = WikitextConverter(fileNamespaces: page.site.fileNamespaces, categoryNamespaces: page.site.categoryNamespaces)
        var metadata = JSONObject([
            ("title", .string(page.title)), ("page_id", Int(page.id).map(JSONValue.integer) ?? .string(page.id)), ("namespace", .integer(page.namespace)),
            ("revision_timestamp", .string(page.timestamp)),
        ])
        if page.isRedirect { metadata["redirect"] = .bool(true) }
        return Document(
            id: page.id, text: converter.plainText(page.text), url: page.site.url(of: page.title),
            source: SourceRef(input: file.displayPath, offset: record.offset, recordID: page.id), metadata: metadata)
    }
}
