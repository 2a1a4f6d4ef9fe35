import CurateCore
import CurateIO
#if canImport(Glibc)
import Glibc
#endif

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
    private var pendingProblem: GzipDecoder.Problem?
    /// Offsets of the items returned so far: provenance keys documents by (input, offset).
    private var returnedOffsets = Set<Int64>()

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
                if let item = try nextItem() { return distinct(item) }
            } catch {
                finished = true
                return distinct(.corrupt(offset: window.offset, message: error.detail))
            }
        }
        return nil
    }

    /// `item`, moved to the next free offset if an earlier item has its offset. Offsets are
    /// those of gzip members (compressed) or of the decompressed stream, which in a damaged
    /// file can meet; a record of a well-formed file is never moved.
    private mutating func distinct(_ item: SourceItem) -> SourceItem {
        switch item {
        case var .record(record):
            while !returnedOffsets.insert(record.offset).inserted { record.offset += 1 }
            return .record(record)
        case .corrupt(var offset, let message):
            while !returnedOffsets.insert(offset).inserted { offset += 1 }
            return .corrupt(offset: offset, message: message)
        }
    }

    /// The next wanted record or problem; nil when a record was skipped or at the end
    /// (then `finished` is set).
    private mutating func nextItem() throws(IOError) -> SourceItem? {
        if let problem = pendingProblem {
            pendingProblem = nil
            resynchronizing = true
            return .corrupt(offset: problem.member, message: problem.error.detail)
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
            let (skipped, nextRecord) = try skipBlock(length)
            if nextRecord {
                return .corrupt(offset: offset, message: "record claims \(length) bytes, more than max_record_bytes (\(maxRecordBytes)), but the next record starts \(skipped) bytes into it; skipped to it")
            }
            guard skipped == length else {
                finished = true
                return .corrupt(offset: offset, message: "truncated record: \(skipped) of \(length) bytes")
            }
            return .corrupt(offset: offset, message: "record of \(length) bytes is larger than max_record_bytes (\(maxRecordBytes)); skipped")
        }
        let end = blockStart + length
        guard try fill(end) else {
            // A Content-Length beyond the end of the file: cut off, or a lie; any record
            // after it is found by resynchronizing.
            let available = window.count - blockStart
            window.consume(blockStart)
            resynchronizing = true
            let cause = pendingProblem.map { " (\($0.error.detail))" } ?? ""
            pendingProblem = nil
            return .corrupt(offset: offset, message: "truncated record: \(available) of \(length) bytes\(cause)")
        }
        if let problem = pendingProblem {
            pendingProblem = nil
            window.consume(blockStart)
            resynchronizing = true
            return .corrupt(offset: offset, message: problem.error.detail)
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

    /// Discards the `count` bytes of an oversized record's block without holding them, unless
    /// a record starts inside them first (`WARC/` after a blank line, or at the start of a gzip
    /// member): then its Content-Length lied, and the skip stops there. Returns the bytes
    /// skipped and whether it stopped at a record.
    private mutating func skipBlock(_ count: Int) throws(IOError) -> (skipped: Int, nextRecord: Bool) {
        if try fill(5), window.starts(with: "WARC/") { return (0, true) }
        let overlap = 8
        var skipped = 0
        while skipped < count {
            try fill(min(count - skipped, 1 << 20) + overlap)
            let span = min(count - skipped, window.count)
            if span == 0 { break }
            let start = window.offset
            let members = Set(memberStarts.keys.filter { $0 >= start && $0 < start + Int64(span) }.map { Int($0 - start) })
            if let at = window.withBytes({ Self.recordStart($0, before: span, members: members) }) {
                window.consume(at)
                return (skipped + at, true)
            }
            // Keep a few bytes, so that a blank line and `WARC/` across two reads is seen.
            let step = span == count - skipped || span <= overlap ? span : span - overlap
            window.consume(step)
            skipped += step
        }
        return (skipped, false)
    }

    /// The first position before `end` in `p` where a record starts: `WARC/` after a blank
    /// line, or at one of the gzip member starts `members`.
    private static func recordStart(_ p: UnsafeBufferPointer<UInt8>, before end: Int, members: Set<Int>) -> Int? {
        func isWARC(_ at: Int) -> Bool { at + 5 <= p.count && p[at..<at + 5].elementsEqual("WARC/".utf8) }
        let member = members.filter { $0 < end && isWARC($0) }.min()
        let limit = member ?? end
        var i = 0
        while i < limit, let hit = memchr(p.baseAddress! + i, 0x0A, limit - i) {
            let newline = p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let blankLine = newline >= 1 && p[newline - 1] == 0x0A
                || newline >= 3 && p[newline - 1] == 0x0D && p[newline - 2] == 0x0A && p[newline - 3] == 0x0D
            if blankLine, newline + 1 < limit, isWARC(newline + 1) { return newline + 1 }
            i = newline + 1
        }
        return member
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
                // Grown without zero-filling: only the live bytes are copied, the rest is read into.
                let (old, live) = (storage, end)
                storage = [UInt8](unsafeUninitializedCapacity: max(end + room, storage.count * 2)) { buffer, count in
                    old.withUnsafeBufferPointer { buffer.baseAddress!.initialize(from: $0.baseAddress!, count: live) }
                    count = buffer.count
                }
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
