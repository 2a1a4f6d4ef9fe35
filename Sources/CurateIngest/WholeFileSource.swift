import CurateCore
import CurateIO

/// Yields a whole file as one record; a file that decompresses to more than `maxBytes` is
/// reported as corrupt instead, without holding more than `maxBytes` in memory.
struct WholeFileSource: RecordSource {
    let stream: any ByteStream
    let maxBytes: Int
    var done = false

    /// The `max_document_bytes` option of the whole-file formats.
    static let maxBytesParameter = Parameter(
        "max_document_bytes", .integer(min: 1), default: .integer(LineReader.defaultMaxLineBytes),
        "Files larger than this (after decompression) are skipped and recorded as errors, never held in memory.")

    /// Opens `file`, decompressing it if needed.
    init(_ file: InputFile, maxBytes: Int) throws(RecordError) {
        self.maxBytes = maxBytes
        do {
            stream = try openDecompressed(file.path)
        } catch {
            throw RecordError(error.message)
        }
    }

    var bytesRead: Int64 { stream.bytesRead }

    mutating func next() -> SourceItem? {
        guard !done else { return nil }
        done = true
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        do {
            while true {
                let n = try stream.read(into: chunk)
                if n == 0 { break }
                guard bytes.count + n <= maxBytes else {
                    return .corrupt(offset: 0, message: "the file holds more than the \(maxBytes) bytes a document may have (max_document_bytes); skipped")
                }
                bytes.append(contentsOf: chunk[..<n])
            }
        } catch {
            return .corrupt(offset: 0, message: error.detail)
        }
        return .record(RawRecord(bytes: bytes, offset: 0))
    }
}
