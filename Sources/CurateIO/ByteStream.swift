import CurateCore
/// A sequential source of bytes: a file, or a decompressor over one.
public protocol ByteStream: AnyObject {
    /// Fills the front of `buffer` and returns how many bytes were written; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int
    /// How many bytes of the underlying file have been consumed.
    var bytesRead: Int64 { get }
}

/// The compression of a file, recognised by its magic bytes.
public enum Compression: String, Sendable {
    case none, gzip, zstd, bzip2, xz

    /// Recognises gzip (1f 8b), zstd (28 b5 2f fd), bzip2 ("BZh") and xz (fd "7zXZ" 00) from a
    /// file's first bytes.
    public static func detect(_ head: [UInt8]) -> Compression {
        if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if head.starts(with: [0x1F, 0x8B]) { return .gzip }
        if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if head.count >= 4, head.starts(with: [0x42, 0x5A, 0x68]), (0x31...0x39).contains(head[3]) { return .bzip2 }
        return .none
    }
}

/// Opens `path` for reading its decompressed bytes, whatever the compression. With
/// `recovering`, a gzip file skips corrupt members instead of failing (see `GzipDecoder`).
/// With `threads` above 1, a gzip file of many members is inflated on that many threads.
public func openDecompressed(_ path: String, recovering: Bool = false, threads: Int = 1) throws(IOError) -> any ByteStream {
    let file = try FileReader(path: path)
    var head = [UInt8](repeating: 0, count: 6)
    let n = try restoringErrorType(IOError.self) { try head.withUnsafeMutableBytes { try file.read(into: $0) } }
    head.removeSubrange(n...)
    let source = PrefixedStream(prefix: head, rest: file)
    switch Compression.detect(head) {
    case .none: return source
    case .gzip:
        if let mapping = MappedFile(path: path) {
            return try GzipDecoder(mapping, path: path, recovering: recovering, helpers: max(0, threads - 1))
        }
        return try GzipDecoder(source, path: path, recovering: recovering)
    case .zstd: return try ZstdDecoder(source, path: path)
    case .bzip2: return try Bzip2Decoder(source, path: path)
    case .xz: return try XzDecoder(source, path: path)
    }
}

/// Opens `path` for reading the decompressed bytes that start at `offset`, without reading
/// what comes before: in a plain file, from that byte; in a gzip file, from the member that
/// starts there (a record per member, as Common Crawl writes WARC files). Nil when no such
/// start is possible: other compressions, or no gzip member at `offset`.
public func openDecompressed(_ path: String, at offset: Int64) throws(IOError) -> (any ByteStream)? {
    var head = [UInt8](repeating: 0, count: 6)
    let n = try restoringErrorType(IOError.self) { try head.withUnsafeMutableBytes { try FileReader(path: path).read(into: $0) } }
    head.removeSubrange(n...)
    let file = try FileReader(path: path, from: offset)
    switch Compression.detect(head) {
    case .none: return file
    case .gzip:
        var member = [UInt8](repeating: 0, count: 3)
        let m = try restoringErrorType(IOError.self) { try member.withUnsafeMutableBytes { try file.read(into: $0) } }
        guard m == 3, member == [0x1F, 0x8B, 0x08] else { return nil }
        return try GzipDecoder(PrefixedStream(prefix: member, rest: file), path: path)
    case .zstd, .bzip2, .xz: return nil
    }
}

/// A stream that yields some bytes already read before the rest of another stream.
final class PrefixedStream: ByteStream {
    private var prefix: [UInt8]
    private let rest: any ByteStream

    init(prefix: [UInt8], rest: any ByteStream) {
        self.prefix = prefix
        self.rest = rest
    }

    var bytesRead: Int64 { rest.bytesRead - Int64(prefix.count) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard prefix.isEmpty else {
            let n = min(prefix.count, buffer.count)
            buffer.copyBytes(from: prefix[..<n])
            prefix.removeFirst(n)
            return n
        }
        return try rest.read(into: buffer)
    }
}
