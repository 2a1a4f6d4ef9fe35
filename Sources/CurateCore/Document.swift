/// Where a document came from: the input file and the position of its record there.
public struct SourceRef: Sendable, Equatable {
    /// The input's path as listed in the plan (relative to the pipeline file's folder when inside it).
    public var input: String
    /// The byte offset of the record in the input's decompressed stream.
    public var offset: Int64
    /// The 1-based line of the record, for line-oriented formats.
    public var line: Int64?
    /// The record's own identifier in the input format (a WARC-Record-ID, a file name), if any.
    public var recordID: String?

    public init(input: String, offset: Int64, line: Int64? = nil, recordID: String? = nil) {
        self.input = input
        self.offset = offset
        self.line = line
        self.recordID = recordID
    }

    /// `input:line N` or `input@offset`, for messages.
    public var location: String {
        if let line { return "\(input):\(line)" }
        return "\(input)@\(offset)"
    }
}

/// One document flowing through the pipeline.
public struct Document: Sendable, Equatable {
    /// Stable identifier: the input's own id when it has one, else derived from the input's
    /// sha256 and the record offset.
    public var id: String
    /// The text as UTF-8 bytes; may hold invalid UTF-8 until a `normalize` stage repairs it.
    public var text: [UInt8]
    public var url: String?
    public var source: SourceRef
    /// Every other field of the input record, and annotations added by stages.
    public var metadata: JSONObject

    public init(id: String, text: [UInt8], url: String? = nil, source: SourceRef, metadata: JSONObject = JSONObject()) {
        self.id = id
        self.text = text
        self.url = url
        self.source = source
        self.metadata = metadata
    }

    /// The text as a String (invalid UTF-8 shown as U+FFFD).
    public var textString: String { String(decoding: text, as: UTF8.self) }

    /// The identifier of a document whose input gives it none: the first 16 hex digits of
    /// the input's sha256 and the record's byte offset.
    public static func derivedID(inputSHA256: String, offset: Int64) -> String {
        "\(inputSHA256.prefix(16))/\(offset)"
    }
}
