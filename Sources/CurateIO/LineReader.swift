#if canImport(Glibc)
import Glibc
#endif

/// Splits a byte stream into lines (without their `\n`), with each line's byte offset and
/// 1-based number. A line longer than `maxLineBytes` is skipped rather than held in memory
/// (a decompression bomb, a runaway record): it comes back empty with `skippedLength` set.
public final class LineReader {
    public struct Line {
        public var bytes: [UInt8]
        public var offset: Int64
        public var number: Int64
        /// The length of a line that was too long to keep, whose bytes were dropped.
        public var skippedLength: Int64?
    }

    /// The default longest line kept: 64 MiB.
    public static let defaultMaxLineBytes = 64 << 20
    public let maxLineBytes: Int

    private let stream: any ByteStream
    private let chunk: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var offset: Int64 = 0
    private var number: Int64 = 0
    private var finished = false

    public init(_ stream: any ByteStream, chunkSize: Int = 1 << 20, maxLineBytes: Int = defaultMaxLineBytes) {
        self.stream = stream
        self.maxLineBytes = maxLineBytes
        chunk = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { chunk.deallocate() }

    /// The decompressed offset of the next line.
    public var nextOffset: Int64 { offset }

    /// Bytes of the underlying file consumed so far.
    public var bytesRead: Int64 { stream.bytesRead }

    /// The next line, or nil at the end; a last line without `\n` is returned too.
    public func next() throws(IOError) -> Line? {
        var pending: [UInt8] = []
        var skipped: Int64?
        let lineOffset = offset
        func keep(_ base: UnsafeMutableRawPointer, _ length: Int) {
            if skipped == nil, pending.count + length > maxLineBytes {
                skipped = Int64(pending.count)
                pending = []
            }
            if skipped != nil {
                skipped! += Int64(length)
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
            }
        }
        while true {
            if start < end {
                let base = chunk.baseAddress! + start
                if let hit = memchr(base, 0x0A, end - start) {
                    let length = base.distance(to: hit)
                    keep(base, length)
                    start += length + 1
                    offset += Int64(length + 1)
                    number += 1
                    return Line(bytes: pending, offset: lineOffset, number: number, skippedLength: skipped)
                }
                keep(base, end - start)
                offset += Int64(end - start)
                start = end
            }
            if finished { break }
            start = 0
            end = try stream.read(into: chunk)
            if end == 0 { finished = true }
        }
        guard !pending.isEmpty || skipped != nil else { return nil }
        number += 1
        return Line(bytes: pending, offset: lineOffset, number: number, skippedLength: skipped)
    }
}
