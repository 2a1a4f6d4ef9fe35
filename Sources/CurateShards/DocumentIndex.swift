import CurateCore

/// The `.docs` file beside a shard: where each document starts and its id.
///
/// Layout (little-endian): a 32-byte header — the 8 bytes `CURDOCS\0`, uint32 version (1),
/// uint32 flags (0), uint64 document count `n`, uint64 token count of the shard — then `n`
/// uint64 start tokens, `n + 1` uint64 byte offsets into the id area, then the UTF-8 ids
/// back to back. Document `i` covers tokens `[start[i], start[i+1])` (the last one up to the
/// token count), its final token being the end-of-document id.
public struct DocumentIndex: Sendable, Equatable {
    /// The first token of each document, ascending, the first one 0.
    public private(set) var starts: [UInt64] = []
    /// Tokens in the shard.
    public private(set) var tokenCount: UInt64 = 0
    private var idBytes: [UInt8] = []
    private var idEnds: [UInt64] = []

    static let magic: [UInt8] = Array("CURDOCS\0".utf8)
    static let version: UInt32 = 1
    /// Bytes before the start tokens.
    public static let headerSize = 32

    public init() {}

    public var count: Int { starts.count }

    /// The id of document `i`.
    public func id(_ i: Int) -> String {
        let from = i == 0 ? 0 : Int(idEnds[i - 1])
        return String(decoding: idBytes[from..<Int(idEnds[i])], as: UTF8.self)
    }

    /// The tokens `[start, end)` of document `i`, its end-of-document token included.
    public func range(_ i: Int) -> Range<UInt64> {
        starts[i]..<(i + 1 < starts.count ? starts[i + 1] : tokenCount)
    }

    /// The document holding token `position`, or nil when it is outside the shard.
    public func document(at position: UInt64) -> Int? {
        guard position < tokenCount, !starts.isEmpty else { return nil }
        var low = 0
        var high = starts.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= position { low = mid } else { high = mid }
        }
        return low
    }

    /// Adds a document of `tokens` tokens (its end-of-document token included).
    mutating func append(id: String, tokens: UInt64) {
        starts.append(tokenCount)
        idBytes.append(contentsOf: id.utf8)
        idEnds.append(UInt64(idBytes.count))
        tokenCount += tokens
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(DocumentIndex.headerSize + 16 * starts.count + 8 + idBytes.count)
        out += DocumentIndex.magic
        out.appendLittleEndian(DocumentIndex.version)
        out.appendLittleEndian(UInt32(0))
        out.appendLittleEndian(UInt64(starts.count))
        out.appendLittleEndian(tokenCount)
        for start in starts { out.appendLittleEndian(start) }
        out.appendLittleEndian(UInt64(0))
        for end in idEnds { out.appendLittleEndian(end) }
        out += idBytes
        return out
    }

    /// Parses a `.docs` file's bytes, checking every field; errors name the byte offset.
    public static func decode(_ bytes: [UInt8], path: String) throws(ShardError) -> DocumentIndex {
        func fail(_ offset: Int, _ message: String) -> ShardError { ShardError(path: path, offset: Int64(offset), message) }
        guard bytes.count >= headerSize else { throw fail(0, "too short (\(bytes.count) bytes) for the 32-byte header") }
        guard Array(bytes[0..<8]) == magic else { throw fail(0, "not a document index (no CURDOCS magic)") }
        return try wrap {
            try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> DocumentIndex in
                let version: UInt32 = raw.littleEndian(at: 8)
                guard version == DocumentIndex.version else { throw fail(8, "unsupported version \(version)") }
                let flags: UInt32 = raw.littleEndian(at: 12)
                guard flags == 0 else { throw fail(12, "unknown flags 0x\(String(flags, radix: 16))") }
                let count64: UInt64 = raw.littleEndian(at: 16)
                guard count64 <= UInt64(bytes.count / 16) else { throw fail(16, "document count \(count64) does not fit in the file") }
                let count = Int(count64)
                var index = DocumentIndex()
                index.tokenCount = raw.littleEndian(at: 24)
                let startsAt = headerSize
                let endsAt = startsAt + 8 * count
                let idsAt = endsAt + 8 * (count + 1)
                guard idsAt <= bytes.count else { throw fail(16, "document count \(count) does not fit in the file") }
                index.starts.reserveCapacity(count)
                for i in 0..<count {
                    let start: UInt64 = raw.littleEndian(at: startsAt + 8 * i)
                    let previous = i == 0 ? nil : index.starts[i - 1]
                    if i == 0, start != 0 { throw fail(startsAt, "the first document starts at token \(start), not 0") }
                    if let previous, start <= previous { throw fail(startsAt + 8 * i, "document \(i) starts at token \(start), not after document \(i - 1) (\(previous))") }
                    if start >= index.tokenCount { throw fail(startsAt + 8 * i, "document \(i) starts at token \(start), past the shard's \(index.tokenCount) tokens") }
                    index.starts.append(start)
                }
                let first: UInt64 = raw.littleEndian(at: endsAt)
                guard first == 0 else { throw fail(endsAt, "the first id offset is \(first), not 0") }
                index.idEnds.reserveCapacity(count)
                var previous: UInt64 = 0
                for i in 0..<count {
                    let end: UInt64 = raw.littleEndian(at: endsAt + 8 * (i + 1))
                    guard end >= previous else { throw fail(endsAt + 8 * (i + 1), "id offset \(end) of document \(i) is before the previous one (\(previous))") }
                    index.idEnds.append(end)
                    previous = end
                }
                guard UInt64(bytes.count - idsAt) == previous else {
                    throw fail(idsAt, "the id area holds \(bytes.count - idsAt) bytes but the offsets end at \(previous)")
                }
                index.idBytes = Array(bytes[idsAt...])
                if count == 0, index.tokenCount != 0 { throw fail(24, "\(index.tokenCount) tokens but no documents") }
                return index
            }
        }
    }
}
