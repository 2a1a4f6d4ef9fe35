import CurateCore
import CurateIngest

extension FuzzTarget {
    /// The WARC reader (plain, gzip members, any compression by magic bytes) and the record
    /// decoder (HTTP headers, chunking, content encodings, charsets). Invariant: no two items
    /// of a file share an offset, since provenance keys documents by (input, offset).
    static let warc = FuzzTarget(name: "warc") { input in
        let path = FuzzScratch.write(input, as: "input.warc")
        let file = InputFile(id: 1, displayPath: "input.warc", path: path, size: Int64(input.count), sha256: String(repeating: "0", count: 64))
        let format = WARCFormat(mimeTypes: [], maxRecordBytes: 1 << 16)
        guard var source = try? format.open(file) else { return }
        var offsets = Set<Int64>()
        while let item = source.next() {
            let offset: Int64
            switch item {
            case let .record(record):
                offset = record.offset
                _ = try? format.decode(record, from: file)
            case let .corrupt(at, _):
                offset = at
            }
            precondition(offsets.insert(offset).inserted, "two items at offset \(offset)")
        }
    }
}
