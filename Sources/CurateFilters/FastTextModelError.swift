/// Why a fastText model file could not be read: what is wrong and the byte offset where it
/// was found.
public struct FastTextModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
