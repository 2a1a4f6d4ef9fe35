/// The compressed side of a decoder: a fixed buffer refilled from the source stream.
final class CompressedInput {
    let source: any ByteStream
    let path: String
    let base: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 18
    private var start = 0
    private var end = 0
    private(set) var atEnd = false

    init(_ source: any ByteStream, path: String) {
        self.source = source
        self.path = path
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var pointer: UnsafeMutablePointer<UInt8> { base + start }
    var available: Int { end - start }
    /// Compressed bytes handed to the decoder so far.
    var consumed: Int64 { source.bytesRead - Int64(available) }

    func consume(_ n: Int) { start += n }

    /// Reads more when the buffer is empty; returns false once the source is exhausted.
    func fill() throws(IOError) -> Bool {
        if available > 0 { return true }
        if atEnd { return false }
        start = 0
        end = try source.read(into: UnsafeMutableRawBufferPointer(start: base, count: capacity))
        if end == 0 { atEnd = true }
        return end > 0
    }

    func truncated(_ format: String) -> IOError {
        IOError(path: path, offset: consumed, "truncated \(format) stream: the file ends inside compressed data")
    }

    func corrupt(_ format: String, _ detail: String) -> IOError {
        IOError(path: path, offset: consumed, "corrupt \(format) data: \(detail)")
    }
}
