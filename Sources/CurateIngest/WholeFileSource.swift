import CurateCore
import CurateIO

/// Yields a whole file as one record.
struct WholeFileSource: RecordSource {
    let stream: any ByteStream
    var done = false

    /// Opens `file`, decompressing it if needed.
    init(_ file: InputFile) throws(RecordError) {
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
                bytes.append(contentsOf: chunk[..<n])
            }
        } catch {
            return .corrupt(offset: 0, message: error.detail)
        }
        return .record(RawRecord(bytes: bytes, offset: 0))
    }
}
