import CurateCore
#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name beside its target and published by `commit`:
/// fsync the data, rename over the target, fsync the folder. A crash at any moment leaves
/// either no target or a complete one.
public final class DurableFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private let hasher = SHA256()

    public init(path: String) throws(IOError) {
        self.path = path
        temporaryPath = DurableFile.temporaryPath(for: path)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError.system(temporaryPath, "cannot create") }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The temporary name used for `path`: a hidden file in the same folder.
    public static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).tmp"
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        hasher.update(bytes)
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError.system(temporaryPath, "write failed")
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws(IOError) {
        try restoringErrorType(IOError.self) { try bytes.withUnsafeBytes { try write($0) } }
    }

    /// Publishes the file and returns the sha256 of its bytes.
    @discardableResult
    public func commit() throws(IOError) -> String {
        guard fsync(fd) == 0 else { throw IOError.system(temporaryPath, "fsync failed") }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else { throw IOError.system(path, "rename failed") }
        try DurableFile.syncFolder(of: path)
        return hasher.hexDigest()
    }

    /// Writes `bytes` to `path` durably in one go.
    public static func write(_ bytes: [UInt8], to path: String) throws(IOError) {
        let file = try DurableFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// fsyncs the folder holding `path`, so that a rename or creation in it survives a crash.
    public static func syncFolder(of path: String) throws(IOError) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dfd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw IOError.system(folder, "cannot open folder") }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw IOError.system(folder, "fsync failed") }
    }
}
