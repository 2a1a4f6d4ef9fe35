import CurateCore
import CurateIO

/// HTML files (`.html`, `.htm`, optionally compressed), one document per file: the text is the
/// page as UTF-8 (charset from a BOM or `<meta>`, else UTF-8 or windows-1252), for an
/// `html_extract` stage to turn into text; the id is the file's path as listed in the plan, and
/// `charset` in the metadata says what the page was decoded from.
public struct HTMLFormat: InputFormat {
    public let maxDocumentBytes: Int

    public init(maxDocumentBytes: Int = LineReader.defaultMaxLineBytes) { self.maxDocumentBytes = maxDocumentBytes }

    public static let definition = InputFormatDefinition(
        format: "html",
        summary: "HTML pages, one document each (folders are searched for .html and .htm files); the text is the page, "
            + "decoded to UTF-8, for html_extract.",
        parameters: [WholeFileSource.maxBytesParameter],
        folderExtensions: [".html", ".htm", ".html.gz", ".htm.gz", ".html.zst", ".html.bz2"],
        filesPerTask: 256
    ) { options throws(OptionError) in
        HTMLFormat(maxDocumentBytes: options.int("max_document_bytes") ?? LineReader.defaultMaxLineBytes)
    }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        try WholeFileSource(file, maxBytes: maxDocumentBytes)
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        let (html, charset) = Charset.decode(record.bytes, declared: nil, isHTML: true)
        return Document(id: file.displayPath, text: html, source: SourceRef(input: file.displayPath, offset: 0),
                        metadata: JSONObject([("charset", .string(charset))]))
    }
}
