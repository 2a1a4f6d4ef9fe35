import CurateCore
import CurateIO

/// Plain text files (`.txt`, optionally compressed), one document per file; the document's
/// id is the file's path as listed in the plan.
public struct TextFormat: InputFormat {
    public init() {}

    public static let definition = InputFormatDefinition(
        format: "text",
        summary: "Plain text files, one document each (folders are searched for .txt files).",
        parameters: [],
        folderExtensions: [".txt", ".txt.gz", ".txt.zst", ".txt.bz2"],
        filesPerTask: 256
    ) { _ throws(OptionError) in TextFormat() }

    public func open(_ file: InputFile) throws(RecordError) -> any RecordSource {
        do {
            return WholeFileSource(stream: try openDecompressed(file.path))
        } catch {
            throw RecordError(error.message)
        }
    }

    public func decode(_ record: RawRecord, from file: InputFile) throws(RecordError) -> Document? {
        Document(id: file.displayPath, text: record.bytes, source: SourceRef(input: file.displayPath, offset: 0))
    }
}

/// Yields a whole file as one record.
struct WholeFileSource: RecordSource {
    let stream: any ByteStream
    var done = false

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
                bytes.append(contentsOf: chunk[..<n])
            }
        } catch {
            return .corrupt(offset: 0, message: error.detail)
        }
        return .record(RawRecord(bytes: bytes, offset: 0))
    }
}
