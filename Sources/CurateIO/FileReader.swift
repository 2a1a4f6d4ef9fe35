#if canImport(Glibc)
import Glibc
#endif

/// Reads a regular file front to back in large chunks with `read(2)`.
public final class FileReader: ByteStream {
    public let path: String
    private let fd: Int32
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` for reading from byte `offset` on (the start by default).
    public init(path: String, from offset: Int64 = 0) throws(IOError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { throw IOError.system(path, "cannot open") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw IOError(path: path, "is a folder, expected a file") }
        // A device or FIFO could be endless (/dev/zero) or block forever (a FIFO with no writer).
        guard info.st_mode & S_IFMT == S_IFREG else { throw IOError(path: path, "is a device, FIFO or socket, expected a file") }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError.system(path, "cannot open") }
        if offset > 0, lseek(fd, off_t(offset), SEEK_SET) != off_t(offset) {
            let error = IOError(path: path, offset: offset, "cannot seek: \(String(cString: strerror(errno)))")
            close(fd)
            throw error
        }
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                bytesRead += Int64(n)
                return n
            }
            if errno != EINTR { throw IOError(path: path, offset: bytesRead, "read failed: \(String(cString: strerror(errno)))") }
        }
    }
}
