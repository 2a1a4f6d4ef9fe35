import CurateCore
import CurateIO

/// Splits a WARC file (plain, gzip per record or whole, zstd...) into records, keeping those
/// whose WARC-Type is wanted. A record's offset is that of its gzip member in the file when
/// the record starts a member (as Common Crawl writes them), else its offset in the
/// decompressed stream. Corrupt or truncated records are reported with their offset and
/// reading resumes at the next gzip member or `WARC/` line.
struct WARCSource: RecordSource {
    private let stream: any ByteStream
    private let gzip: GzipDecoder?
    private let wantedTypes: Set<String>
    private let maxRecordBytes: Int
    private var window = ByteWindow()
    /// Compressed offsets of member starts, by decompressed offset.
    private var memberStarts: [Int64: Int64] = [:]
    private var resynchronizing = false
    private var finished = false
    /// Gzip corruption met while filling the window, not yet reported.
    private var pendingProblem: IOError?

    /// The longest record header read before the record is declared corrupt.
    static let maxHeaderBytes = 1 << 20

    init(stream: any ByteStream, wantedTypes: Set<String>, maxRecordBytes: Int) {
        self.stream = stream
        gzip = stream as? GzipDecoder
        self.wantedTypes = wantedTypes
        self.maxRecordBytes = maxRecordBytes
    }

    var bytesRead: Int64 { stream.bytesRead }

    mutating func next() -> SourceItem? {
        while !finished {
            do {
                if let item = try nextItem() { return item }
            } catch {
                finished = true
                return .corrupt(offset: window.offset, message: error.detail)
            }
        }
        return nil
    }

    /// The next wanted record or problem; nil when a record was skipped or at the end
    /// (then `finished` is set).
    private mutating func nextItem() throws(IOError) -> SourceItem? {
        if let problem = pendingProblem {
            pendingProblem = nil
            resynchronizing = true
            return .corrupt(offset: problem.offset ?? window.offset, message: problem.detail)
        }
        try skipBlankLines()
        guard try fill(5) else {
            finished = true
            return nil
        }
        if resynchronizing || !window.starts(with: "WARC/") {
            let start = window.offset
            let skipped = try skipToRecordStart()
            let reported = resynchronizing
            resynchronizing = false
            if !reported, skipped > 0 {
                return .corrupt(offset: start, message: "no WARC record here; skipped \(skipped) bytes to the next record")
            }
            return nil
        }
        let recordOffset = window.offset
        let offset = memberStarts[recordOffset] ?? recordOffset
        memberStarts = memberStarts.filter { $0.key > recordOffset }
        guard let (headerEnd, blockStart) = try findHeaderEnd() else {
            if window.count >= Self.maxHeaderBytes {
                window.consume(1)
                resynchronizing = true
                return .corrupt(offset: offset, message: "record header longer than \(Self.maxHeaderBytes) bytes")
            }
            finished = true
            return .corrupt(offset: offset, message: "truncated record: the file ends inside the record header")
        }
        let header = window.withBytes { WARCHeader(UnsafeBufferPointer(rebasing: $0[..<headerEnd])) }
        guard let lengthText = header["Content-Length"], let length = Int(lengthText), length >= 0 else {
            window.consume(1)
            resynchronizing = true
            return .corrupt(offset: offset, message: "record header has no valid Content-Length")
        }
        let type = header["WARC-Type"]?.lowercased() ?? ""
        if length > maxRecordBytes {
            window.consume(blockStart)
            let skipped = try skip(length)
            guard skipped == length else {
                finished = true
                return .corrupt(offset: offset, message: "truncated record: \(skipped) of \(length) bytes")
            }
            return .corrupt(offset: offset, message: "record of \(length) bytes is larger than max_record_bytes (\(maxRecordBytes)); skipped")
        }
        let end = blockStart + length
        guard try fill(end) else {
            let available = window.count - blockStart
            finished = true
            let cause = pendingProblem.map { " (\($0.detail))" } ?? ""
            pendingProblem = nil
            return .corrupt(offset: offset, message: "truncated record: \(available) of \(length) bytes\(cause)")
        }
        if let problem = pendingProblem {
            pendingProblem = nil
            window.consume(blockStart)
            resynchronizing = true
            return .corrupt(offset: offset, message: problem.detail)
        }
        try fill(end + 4)
        let terminated = window.withBytes { bytes in
            bytes.count == end || Self.isBlankLineStart(UnsafeBufferPointer(rebasing: bytes[end...]))
        }
        guard terminated else {
            window.consume(blockStart)
            resynchronizing = true
            return .corrupt(offset: offset, message: "record does not end after its Content-Length of \(length) bytes")
        }
        let record = wantedTypes.contains(type) ? window.withBytes { Array($0[..<end]) } : nil
        window.consume(end)
        return record.map { .record(RawRecord(bytes: $0, offset: offset)) }
    }

    /// Whether `p` starts with the blank line that ends a record (CRLF CRLF, LF LF, or a
    /// single line end right before the end of the file).
    private static func isBlankLineStart(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.starts(with: [0x0D, 0x0A, 0x0D, 0x0A]) || p.starts(with: [0x0A, 0x0A]) { return true }
        return p.allSatisfy { $0 == 0x0D || $0 == 0x0A }
    }

    // MARK: Window management

    /// Makes at least `count` bytes available; false if the stream ends first.
    @discardableResult
    private mutating func fill(_ count: Int) throws(IOError) -> Bool {
        while window.count < count {
            let read = try window.append(from: stream, wanting: count - window.count)
            if let gzip {
                for start in gzip.takeMemberStarts() { memberStarts[start.decompressed] = start.compressed }
                if pendingProblem == nil { pendingProblem = gzip.takeProblems().first }
            }
            if read == 0 { return false }
        }
        return true
    }

    private mutating func skipBlankLines() throws(IOError) {
        while try fill(1) {
            let blank = window.withBytes { bytes in bytes.prefix { $0 == 0x0D || $0 == 0x0A }.count }
            window.consume(blank)
            if window.count > 0 { return }
        }
    }

    /// Moves to the next `WARC/` at the start of a line or of a gzip member; returns how
    /// many bytes were skipped.
    private mutating func skipToRecordStart() throws(IOError) -> Int {
        var skipped = 0
        var atLineStart = true
        while try fill(5) {
            if atLineStart || memberStarts[window.offset] != nil, window.starts(with: "WARC/") { return skipped }
            atLineStart = window.withBytes { $0[0] == 0x0A }
            window.consume(1)
            skipped += 1
        }
        let rest = window.count
        window.consume(rest)
        return skipped + rest
    }

    private mutating func findHeaderEnd() throws(IOError) -> (Int, Int)? {
        var searched = 0
        while true {
            if let found = window.withBytes({ headerEnd($0, from: max(0, searched - 3)) }) { return found }
            searched = window.count
            if searched >= Self.maxHeaderBytes { return nil }
            guard try fill(searched + 1) else { return nil }
        }
    }

    /// Discards `count` bytes; returns how many there were.
    private mutating func skip(_ count: Int) throws(IOError) -> Int {
        var left = count
        while left > 0 {
            if window.count == 0, try !fill(1) { break }
            let n = min(left, window.count)
            window.consume(n)
            left -= n
        }
        return count - left
    }
}

/// A sliding window over a byte stream: bytes read but not yet consumed, and the stream
/// offset of the first of them.
struct ByteWindow {
    private var storage = [UInt8](repeating: 0, count: ByteWindow.chunk)
    private var start = 0
    private var end = 0
    /// Stream offset of the first unconsumed byte.
    private(set) var offset: Int64 = 0
    private static let chunk = 1 << 18
    /// Room offered to each read, enough for a whole decompressed Common Crawl record (their
    /// payloads are cut at 1 MiB), which a gzip member then decodes into directly.
    private static let minimumRead = 2 << 20

    var count: Int { end - start }

    func starts(with prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard count >= n else { return false }
        return (0..<n).allSatisfy { storage[start + $0] == prefix.utf8Start[$0] }
    }

    /// Calls `body` with the unconsumed bytes.
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    mutating func consume(_ n: Int) {
        start += n
        offset += Int64(n)
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Reads once from `stream` into free space for at least `wanting` more bytes; returns the
    /// number of bytes added (0 at the end).
    mutating func append(from stream: any ByteStream, wanting: Int) throws(IOError) -> Int {
        let room = max(wanting, Self.minimumRead)
        if storage.count - end < room {
            if start > 0 {
                let (from, length) = (start, count)
                storage.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + from, byteCount: length)
                }
                start = 0
                end = length
            }
            if storage.count - end < room {
                storage.append(contentsOf: repeatElement(0, count: max(end + room, storage.count * 2) - storage.count))
            }
        }
        let from = end
        let n = try restoringErrorType(IOError.self) {
            try storage.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[from...])) }
        }
        end += n
        return n
    }
}
