#if canImport(Glibc)
import Glibc
#endif

/// A file read at explicit offsets (pread), so that readers can jump to any frame.
final class RandomAccessFile {
    let path: String
    let size: Int64
    private let fd: Int32

    init(path: String) throws(ShardError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ShardError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            throw ShardError(path: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        size = Int64(status.st_size)
    }

    deinit { close(fd) }

    /// Fills `buffer` with the bytes at `offset`; fails if the file ends first.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ShardError) {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ShardError(path: path, offset: offset + Int64(done), "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw ShardError(path: path, offset: offset + Int64(done), "file ends early") }
            done += n
        }
    }

    /// The `count` bytes at `offset`.
    func bytes(at offset: Int64, count: Int) throws(ShardError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try wrap { try out.withUnsafeMutableBytes { buffer in try read(at: offset, into: buffer) } }
        return out
    }
}
