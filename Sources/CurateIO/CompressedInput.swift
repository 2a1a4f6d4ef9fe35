#if canImport(Glibc)
import Glibc
#endif

/// The compressed side of a decoder: a buffer refilled from the source stream, or a whole
/// mapped file.
final class CompressedInput {
    private let source: (any ByteStream)?
    /// The mapped file, when the input is one.
    let mapping: MappedFile?
    let path: String
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 18
    private var start = 0
    private var end = 0
    /// Bytes of the file brought into `base` so far.
    private var loaded: Int64 = 0
    private(set) var atEnd = false

    init(_ source: any ByteStream, path: String) {
        self.source = source
        mapping = nil
        self.path = path
        base = .allocate(capacity: capacity)
    }

    /// Reads the whole of `mapping`, in place.
    init(_ mapping: MappedFile, path: String) {
        source = nil
        self.mapping = mapping
        self.path = path
        base = UnsafeMutablePointer(mutating: mapping.bytes.baseAddress!)
        capacity = mapping.bytes.count
        end = capacity
        loaded = Int64(capacity)
        atEnd = true
    }

    deinit { if mapping == nil { base.deallocate() } }

    var pointer: UnsafeMutablePointer<UInt8> { base + start }
    var available: Int { end - start }
    /// Compressed bytes handed to the decoder so far.
    var consumed: Int64 { loaded - Int64(available) }

    func consume(_ n: Int) { start += n }

    /// Moves back to the compressed offset `offset` if its bytes are still in the buffer
    /// (nothing was refilled since); returns whether it could.
    func rewind(to offset: Int64) -> Bool {
        let back = consumed - offset
        guard back >= 0, back <= Int64(start) else { return false }
        start -= Int(back)
        return true
    }

    /// Reads more when the buffer is empty; returns false once the source is exhausted.
    func fill() throws(IOError) -> Bool {
        if available > 0 { return true }
        if atEnd { return false }
        start = 0
        end = try read(into: base, count: capacity)
        if end == 0 { atEnd = true }
        return end > 0
    }

    /// Makes at least `count` bytes available (fewer only at the end of the source), moving
    /// the unread bytes to the front and growing the buffer as needed.
    func fill(atLeast count: Int) throws(IOError) {
        guard available < count, !atEnd else { return }
        if start + count > capacity {
            if count * 2 > capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: count * 2)
                grown.update(from: base + start, count: available)
                base.deallocate()
                base = grown
                capacity = count * 2
            } else {
                memmove(base, base + start, available)
            }
            end = available
            start = 0
        }
        while end - start < count {
            let n = try read(into: base + end, count: capacity - end)
            if n == 0 {
                atEnd = true
                break
            }
            end += n
        }
    }

    private func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(IOError) -> Int {
        guard let source else { return 0 }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: count))
        loaded += Int64(n)
        return n
    }

    func truncated(_ format: String) -> IOError {
        IOError(path: path, offset: consumed, "truncated \(format) stream: the file ends inside compressed data")
    }

    func corrupt(_ format: String, _ detail: String) -> IOError {
        IOError(path: path, offset: consumed, "corrupt \(format) data: \(detail)")
    }
}
