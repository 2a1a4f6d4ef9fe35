import CurateIO
#if canImport(Glibc)
import Glibc
#endif

/// A buffered writer of fixed-layout values to a new file; its buffer never grows past
/// ``bufferSize``.
final class BinaryWriter {
    static let bufferSize = 256 << 10
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var bytesWritten: Int64 = 0

    init(path: String) throws(IOError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError(path, "cannot create") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { close(fd) }

    /// Buffers `raw`, or writes it through when it is larger than the buffer.
    private func append(_ raw: UnsafeRawBufferPointer) throws(IOError) {
        if buffer.count + raw.count > Self.bufferSize { try flush() }
        if raw.count > Self.bufferSize {
            try writeAll(raw)
        } else {
            buffer.append(contentsOf: raw)
        }
        bytesWritten += Int64(raw.count)
    }

    func write<T: BitwiseCopyable>(_ value: T) throws(IOError) {
        try withUnsafeBytes(of: value) { raw throws(IOError) in try append(raw) }
    }

    func write(_ values: UnsafeBufferPointer<UInt64>) throws(IOError) {
        try append(UnsafeRawBufferPointer(values))
    }

    func write(bytes: [UInt8]) throws(IOError) {
        try write(UInt32(bytes.count))
        try write(bytes: bytes[...])
    }

    /// Writes `bytes` as they are, without a length.
    func write(bytes: ArraySlice<UInt8>) throws(IOError) {
        guard let raw = bytes.withContiguousStorageIfAvailable({ UnsafeRawBufferPointer($0) }) else {
            return try write(bytes: Array(bytes))
        }
        try append(raw)
    }

    func write(string: String) throws(IOError) {
        try write(bytes: Array(string.utf8))
    }

    func flush() throws(IOError) {
        var failure: IOError?
        buffer.withUnsafeBytes { raw in
            do throws(IOError) { try writeAll(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws(IOError) {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "write failed")
            }
            done += n
        }
    }

    func finish() throws(IOError) {
        try flush()
    }
}

/// A buffered sequential reader of what a ``BinaryWriter`` wrote, with positioned reads
/// for random access.
final class BinaryReader {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var position: Int64 = 0

    init(path: String, bufferSize: Int = 256 << 10) throws(IOError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, "cannot open") }
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    deinit { close(fd) }

    /// Whether every byte has been read.
    func atEnd() throws(IOError) -> Bool {
        if start < end { return false }
        try refill(atLeast: 1)
        return start == end
    }

    func read<T: BitwiseCopyable>(_: T.Type) throws(IOError) -> T {
        let size = MemoryLayout<T>.size
        if end - start < size { try refill(atLeast: size) }
        guard end - start >= size else { throw truncated() }
        let value = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: T.self) }
        start += size
        position += Int64(size)
        return value
    }

    func readBytes() throws(IOError) -> [UInt8] {
        let count = Int(try read(UInt32.self))
        if end - start < count { try refill(atLeast: count) }
        guard end - start >= count else { throw truncated() }
        let bytes = Array(buffer[start..<start + count])
        start += count
        position += Int64(count)
        return bytes
    }

    func readString() throws(IOError) -> String {
        String(decoding: try readBytes(), as: UTF8.self)
    }

    /// Fills `values` from the file at byte `offset`, without moving the sequential position.
    func read(into values: UnsafeMutableBufferPointer<UInt64>, at offset: Int64) throws(IOError) {
        try read(into: UnsafeMutableRawBufferPointer(values), at: offset)
    }

    /// Fills `raw` from the file at byte `offset`, without moving the sequential position.
    func read(into raw: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) {
        try preadFully(fd, raw, at: offset, path: path)
    }

    /// Skips what ``BinaryWriter/write(bytes:)`` wrote.
    func skipBytes() throws(IOError) {
        var count = Int(try read(UInt32.self))
        while count > 0 {
            if start == end { try refill(atLeast: 1) }
            guard end > start else { throw truncated() }
            let n = min(count, end - start)
            start += n
            position += Int64(n)
            count -= n
        }
    }

    private func refill(atLeast size: Int) throws(IOError) {
        if start > 0 {
            let remaining = end - start
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: remaining)
            }
            start = 0
            end = remaining
        }
        if buffer.count < size { buffer += [UInt8](repeating: 0, count: size - buffer.count) }
        while end < size {
            let capacity = buffer.count - end
            let n = buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + end, capacity) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "read failed")
            }
            if n == 0 { break }
            end += n
        }
    }

    private func truncated() -> IOError {
        IOError(path: path, offset: position, "file ends inside a record")
    }
}

/// Fills `raw` from `fd` at byte `offset`.
func preadFully(_ fd: Int32, _ raw: UnsafeMutableRawBufferPointer, at offset: Int64, path: String) throws(IOError) {
    var done = 0
    while done < raw.count {
        let n = pread(fd, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
        if n < 0 {
            if errno == EINTR { continue }
            throw ioError(path, "read failed")
        }
        if n == 0 { throw IOError(path: path, offset: offset + Int64(done), "file ends early") }
        done += n
    }
}

/// Writes all of `raw` to `fd` at byte `offset`.
func pwriteFully(_ fd: Int32, _ raw: UnsafeRawBufferPointer, at offset: Int64, path: String) throws(IOError) {
    var done = 0
    while done < raw.count {
        let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
        if n < 0 {
            if errno == EINTR { continue }
            throw ioError(path, "write failed")
        }
        done += n
    }
}

/// The size of the file at `path`, or nil if it cannot be read.
func fileSize(_ path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int64(info.st_size)
}

/// An error for a failed system call on `path`, with the system's reason.
func ioError(_ path: String, _ action: String) -> IOError {
    IOError(path: path, "\(action): \(String(cString: strerror(errno)))")
}
