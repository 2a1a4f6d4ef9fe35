import CurateCore
import CurateIO

/// WARC input (`.warc`, `.warc.gz`, `.wet.gz`...; WARC/1.0, 1.1 and 0.18): `response`
/// records (HTTP payload, decoded), `resource` records and `conversion` records (WET text)
/// become documents; `request`, `metadata`, `warcinfo` and `revisit` records are skipped.
/// Responses must have a 2xx status; the media type (WARC-Identified-Payload-Type when
/// present, else the Content-Type) must be one of `mime_types`. Text leaves as UTF-8 (see
/// `Charset`).
public struct WARCFormat: InputFormat {
    public let recordTypes: Set<String>
    public let mimeTypes: Set<String>
    public let maxRecordBytes: Int
    /// Threads that inflate the gzip members of one file (1: the reading thread alone).
    public let inflateThreads: Int

    public init(recordTypes: Set<String> = ["response", "resource", "conversion"],
                mimeTypes: Set<String> = ["text/html", "application/xhtml+xml", "text/plain"],
                maxRecordBytes: Int = 64 << 20, inflateThreads: Int = 1) {
        self.recordTypes = recordTypes
        self.mimeTypes = mimeTypes
        self.maxRecordBytes = maxRecordBytes
        self.inflateThreads = max(1, inflateThreads)
    }

    /// This format, inflating each file's gzip members on `threads` threads.
    public func inflating(threads: Int) -> WARCFormat {
        WARCFormat(recordTypes: recordTypes, mimeTypes: mimeTypes, maxRecordBytes: maxRecordBytes, inflateThreads: threads)
    }

    public static let definition = InputFormatDefinition(
        format: "warc",
        summary: "WARC and WET files (Common Crawl), plain or gzip per record.",
        parameters: [
            Parameter("record_types", .stringList, default: .array(["response", "resource", "conversion"].map(JSONValue.string)),
                      "WARC-Type values that become documents (of response, resource, conversion)."),
            Parameter("mime_types", .stringList,
                      default: .array(["text/html", "application/xhtml+xml", "text/plain"].map(JSONValue.string)),
                      "Media types kept; an empty list keeps all."),
            Parameter("max_record_bytes", .integer(min: 1), default: .integer(64 << 20),
                      "Larger records are skipped and recorded as errors."),
        ],
        folderExtensions: [".warc", ".warc.gz", ".wet.gz", ".warc.wet.gz", ".warc.zst"]
    ) { options throws(OptionError) in
        let types = Set(options.strings("record_types") ?? [])
        let unknown = types.subtracting(["response", "resource", "conversion"])
        if let bad = unknown.sorted().first {
            throw OptionError(key: "record_types", "\"\(bad)\" records carry no document; use response, resource or conversion")
        }
        return WARCFormat(recordTypes: types, mimeTypes: Set((options.strings("mime_types") ?? []).map { $0.lowercased() }),
                          maxRecordBytes: options.int("max_record_bytes") ?? 64 << 20)
    }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        do {
            return WARCSource(stream: try openDecompressed(file.path, recovering: true, threads: inflateThreads), wantedTypes: recordTypes,
                              maxRecordBytes: maxRecordBytes)
        } catch {
            throw RecordError(error.message)
        }
    }

    /// Reads the record at `offset` of a plain WARC file, or of a gzip file whose member starts
    /// there.
    public func record(at offset: Int64, in file: InputFile) -> RawRecord? {
        guard let stream = try? openDecompressed(file.path, at: offset) else { return nil }
        var source = WARCSource(stream: stream, wantedTypes: recordTypes, maxRecordBytes: maxRecordBytes)
        guard case let .record(record)? = source.next(), record.offset == 0 else { return nil }
        return RawRecord(bytes: record.bytes, offset: offset)
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        try record.bytes.withUnsafeBufferPointer { p throws(RecordError) in try decode(p, record: record, file: file) }
    }

    private func decode(_ p: UnsafeBufferPointer<UInt8>, record: RawRecord, file: InputFile) throws(RecordError) -> Document? {
        guard let (end, blockStart) = headerEnd(p, from: 0) else { throw RecordError("record without a header") }
        let header = WARCHeader(UnsafeBufferPointer(rebasing: p[..<end]))
        let block = UnsafeBufferPointer(rebasing: p[blockStart...])
        let type = header["WARC-Type"]?.lowercased() ?? ""
        let recordID = header["WARC-Record-ID"].map { WARCHeader.trim($0, also: "<>") }
        var metadata = JSONObject([("warc_type", .string(type))])
        if let date = header["WARC-Date"] { metadata["warc_date"] = .string(date) }
        let payload: [UInt8]
        let contentType: String?
        if type == "response", header["Content-Type"].map(WARCHeader.mediaType) == "application/http" {
            let response = try HTTPResponse(block, limit: maxRecordBytes * 4)
            guard (200..<300).contains(response.status) else { return nil }
            metadata["http_status"] = .integer(response.status)
            payload = response.payload
            contentType = response.header["Content-Type"]
        } else {
            payload = Array(block)
            contentType = header["Content-Type"]
        }
        let identified = header["WARC-Identified-Payload-Type"].map(WARCHeader.mediaType)
        let mime = identified ?? contentType.map(WARCHeader.mediaType) ?? ""
        guard mimeTypes.isEmpty || mimeTypes.contains(mime) else { return nil }
        metadata["content_type"] = .string(mime)
        let declared = type == "conversion" ? "utf-8" : contentType.flatMap(WARCHeader.charset)
        let decoded = Charset.decode(payload, declared: declared, isHTML: WARCHeader.contains(mime, "html"))
        metadata["charset"] = .string(decoded.charset)
        return Document(
            id: recordID ?? Document.derivedID(inputSHA256: file.sha256, offset: record.offset), text: decoded.utf8,
            url: header["WARC-Target-URI"].map { WARCHeader.trim($0, also: "<>") },
            source: SourceRef(input: file.displayPath, offset: record.offset, recordID: recordID), metadata: metadata)
    }
}
