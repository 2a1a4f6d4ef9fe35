/// One input file of a run, as the plan lists it.
public struct InputFile: Sendable, Equatable {
    /// The file's row id in provenance.
    public let id: Int64
    /// The path shown to users and stored in provenance (relative to the pipeline's folder when inside it).
    public let displayPath: String
    /// The absolute path.
    public let path: String
    public let size: Int64
    public let sha256: String

    public init(id: Int64, displayPath: String, path: String, size: Int64, sha256: String) {
        self.id = id
        self.displayPath = displayPath
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}

/// The undecoded bytes of one record, split off an input by a `RecordSource`.
public struct RawRecord: Sendable {
    public var bytes: [UInt8]
    /// Byte offset of the record in the decompressed stream.
    public var offset: Int64
    /// 1-based line number, for line-oriented formats.
    public var line: Int64?

    public init(bytes: [UInt8], offset: Int64, line: Int64? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.line = line
    }
}

/// What a record source yields next.
public enum SourceItem: Sendable {
    case record(RawRecord)
    /// Unreadable bytes at `offset`; the source has skipped past them if it could, and
    /// returns nil next if it could not.
    case corrupt(offset: Int64, message: String)
}

/// Splits one input file into raw records, sequentially; cheap, so that one thread keeps
/// many decoding threads busy.
public protocol RecordSource {
    /// The next record, a report of corrupt bytes, or nil at the end.
    mutating func next() -> SourceItem?
    /// How many bytes of the file (compressed) have been consumed so far.
    var bytesRead: Int64 { get }
}

/// A record that could not be turned into a document.
public struct RecordError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// A configured input format: opens files as record sources and decodes their records.
public protocol InputFormat: Sendable {
    /// Opens `file` for reading; throws a message if it cannot be read at all.
    func open(_ file: InputFile) throws(RecordError) -> any RecordSource
    /// Turns a raw record into a document; nil for records that carry no document.
    /// Called from many threads at once.
    func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document?
    /// The record that this format's sources gave `offset` in `file`, read without the records
    /// before it; nil when the format cannot start reading there (inside a compressed stream,
    /// or no record starts at `offset`). Its `line` is unknown (nil).
    func record(at offset: Int64, in file: InputFile) -> RawRecord?
}

extension InputFormat {
    /// Formats that can only be read from the start.
    public func record(at offset: Int64, in file: InputFile) -> RawRecord? { nil }
}

/// An input format that pipeline.json can name.
public struct InputFormatDefinition: Sendable {
    public let format: String
    public let summary: String
    public let parameters: [Parameter]
    /// File name endings picked up when a listed path is a folder.
    public let folderExtensions: [String]
    /// How many files one task reads (1 for record-per-line formats; more where each file is one small document).
    public let filesPerTask: Int
    public let make: @Sendable (Options) throws(OptionError) -> any InputFormat

    public init(
        format: String, summary: String, parameters: [Parameter], folderExtensions: [String], filesPerTask: Int = 1,
        make: @escaping @Sendable (Options) throws(OptionError) -> any InputFormat
    ) {
        self.format = format
        self.summary = summary
        self.parameters = parameters
        self.folderExtensions = folderExtensions
        self.filesPerTask = filesPerTask
        self.make = make
    }
}
