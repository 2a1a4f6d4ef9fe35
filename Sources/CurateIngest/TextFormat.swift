import CurateCore
import CurateIO

/// Plain text files (`.txt`, optionally compressed), one document per file; the document's
/// id is the file's path as listed in the plan.
public struct TextFormat: InputFormat {
    public let maxDocumentBytes: Int

    public init(maxDocumentBytes: Int = LineReader.defaultMaxLineBytes) { self.maxDocumentBytes = maxDocumentBytes }

    public static let definition = InputFormatDefinition(
        format: "text",
        summary: "Plain text files, one document each (folders are searched for .txt files).",
        parameters: [WholeFileSource.maxBytesParameter],
        folderExtensions: [".txt", ".txt.gz", ".txt.zst", ".txt.bz2"],
        filesPerTask: 256
    ) { options throws(OptionError) in
        TextFormat(maxDocumentBytes: options.int("max_document_bytes") ?? LineReader.defaultMaxLineBytes)
    }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        try WholeFileSource(file, maxBytes: maxDocumentBytes)
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        Document(id: file.displayPath, text: record.bytes, source: SourceRef(input: file.displayPath, offset: 0))
    }
}
