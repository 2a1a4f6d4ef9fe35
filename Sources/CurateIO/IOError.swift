#if canImport(Glibc)
import Glibc
#endif

/// A failure to read or write a file, naming the file and, where known, the byte offset.
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// Byte offset in the file (compressed) where the problem was found, if known.
    public let offset: Int64?
    public let message: String

    public init(path: String, offset: Int64? = nil, _ message: String) {
        self.path = path
        self.offset = offset
        self.message = message
    }

    /// An error for the current `errno`.
    static func system(_ path: String, _ action: String) -> IOError {
        IOError(path: path, "\(action): \(String(cString: strerror(errno)))")
    }

    /// The message with the offset in words, for records that name the file elsewhere.
    public var detail: String {
        offset.map { "\(message) (compressed byte \($0))" } ?? message
    }

    public var description: String {
        if let offset { return "\(path): at byte \(offset): \(message)" }
        return "\(path): \(message)"
    }
}

