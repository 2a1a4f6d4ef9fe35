import CurateIO

/// A failure to write, read or verify token shards, naming the file and, where known, the
/// byte offset in it.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// Byte offset in the file where the problem was found, if known.
    public let offset: Int64?
    public let message: String

    public init(path: String, offset: Int64? = nil, _ message: String) {
        self.path = path
        self.offset = offset
        self.message = message
    }

    init(_ error: IOError) {
        self.init(path: error.path, offset: error.offset, error.message)
    }

    public var description: String {
        if let offset { return "\(path): at byte \(offset): \(message)" }
        return "\(path): \(message)"
    }
}
