import CDeflate
import CZlib

/// Decompresses gzip, including files made of many gzip members (one per WARC record).
///
/// A member of up to `wholeMemberLimit` compressed bytes, expanding to at most
/// `wholeOutputLimit`, is decompressed in one call by libdeflate, about twice as fast as zlib;
/// other and damaged members stream through zlib. A mapped file can have helper threads
/// inflate the members ahead of the reader (`GzipMemberPrefetcher`), with the same output.
///
/// It notes where each member starts, in the file and in the output, so that a reader can
/// name a record by its member's offset. With `recovering`, a corrupt member is noted in
/// `problems` and decoding goes on at the next gzip header after the start of the corrupt
/// member (when its bytes are still buffered, else after the point of failure), so that a
/// member cut short does not take the next one with it.
public final class GzipDecoder: ByteStream {
    /// A corrupt or cut-off member skipped while recovering: where it starts in the file, and
    /// what is wrong (with the offset where it was found).
    public struct Problem: Sendable, Equatable {
        public let member: Int64
        public let error: IOError
    }

    /// Where a gzip member starts: its offset in the file and in the decompressed stream.
    public struct MemberStart: Sendable, Equatable {
        public let compressed: Int64
        public let decompressed: Int64
    }

    private let input: CompressedInput
    private var stream = z_stream()
    private let whole: OpaquePointer
    /// Output of the last member decoded whole, not yet read.
    private var decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 22, alignment: 16)
    private var decodedStart = 0
    private var decodedEnd = 0
    /// Compressed bytes kept in the window so that a member up to this size is decoded whole.
    static let wholeMemberLimit = 4 << 20
    /// Members that expand beyond this go through zlib instead.
    static let wholeOutputLimit = 64 << 20
    private var inMember = false
    /// Compressed offset of the member being streamed through zlib.
    private var memberOffset: Int64 = 0
    private let recovering: Bool
    private var produced: Int64 = 0
    /// Member starts not yet taken by `takeMemberStarts`.
    private var memberStarts: [MemberStart] = []
    /// Corruption skipped over while recovering, not yet taken by `takeProblems`.
    private var problems: [Problem] = []

    /// Helper threads inflating members ahead, if any.
    private let prefetcher: GzipMemberPrefetcher?

    convenience init(_ source: any ByteStream, path: String, recovering: Bool = false) throws(IOError) {
        try self.init(CompressedInput(source, path: path), recovering: recovering, prefetcher: nil)
    }

    /// Decodes a mapped file, with `helpers` threads inflating members ahead of the reader.
    convenience init(_ file: MappedFile, path: String, recovering: Bool = false, helpers: Int = 0) throws(IOError) {
        let prefetcher = helpers > 0
            ? GzipMemberPrefetcher(file: file, helpers: helpers, inputLimit: Self.wholeMemberLimit, outputLimit: Self.wholeOutputLimit)
            : nil
        try self.init(CompressedInput(file, path: path), recovering: recovering, prefetcher: prefetcher)
    }

    private init(_ input: CompressedInput, recovering: Bool, prefetcher: GzipMemberPrefetcher?) throws(IOError) {
        self.input = input
        self.recovering = recovering
        self.prefetcher = prefetcher
        guard czlib_inflateInit2(&stream, 15 + 16) == Z_OK, let whole = libdeflate_alloc_decompressor() else {
            prefetcher?.close()
            throw IOError(path: input.path, "cannot initialise zlib")
        }
        self.whole = whole
    }

    deinit {
        prefetcher?.close()
        inflateEnd(&stream)
        libdeflate_free_decompressor(whole)
        decoded.deallocate()
    }

    public var bytesRead: Int64 { input.consumed }

    /// The member starts seen since the last call.
    public func takeMemberStarts() -> [MemberStart] {
        defer { memberStarts.removeAll(keepingCapacity: true) }
        return memberStarts
    }

    /// The corruption skipped since the last call (only when recovering).
    public func takeProblems() -> [Problem] {
        defer { problems.removeAll() }
        return problems
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        if decodedStart == decodedEnd, !inMember, let direct = try decodeWholeMember(into: buffer) { return direct }
        if decodedStart < decodedEnd {
            let n = min(buffer.count, decodedEnd - decodedStart)
            buffer.baseAddress!.copyMemory(from: decoded.baseAddress! + decodedStart, byteCount: n)
            decodedStart += n
            return n
        }
        while true {
            guard try input.fill() else {
                guard inMember else { return 0 }
                inMember = false
                if recovering {
                    problems.append(Problem(member: memberOffset, error: input.truncated("gzip")))
                    return 0
                }
                throw input.truncated("gzip")
            }
            if !inMember {
                memberOffset = input.consumed
                memberStarts.append(MemberStart(compressed: memberOffset, decompressed: produced))
                inMember = true
            }
            // A mapped file is offered a slice at a time: zlib counts in 32 bits.
            let offered = min(input.available, 1 << 20)
            let room = min(buffer.count, 1 << 30)
            stream.next_in = input.pointer
            stream.avail_in = UInt32(offered)
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(room)
            let status = inflate(&stream, Z_NO_FLUSH)
            input.consume(offered - Int(stream.avail_in))
            let count = room - Int(stream.avail_out)
            produced += Int64(count)
            switch status {
            case Z_STREAM_END:
                inMember = false
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let error = input.corrupt("gzip", stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
                guard recovering else { throw error }
                problems.append(Problem(member: memberOffset, error: error))
                inflateReset(&stream)
                inMember = false
                _ = input.rewind(to: memberOffset + 1)
                try skipToNextMember()
            }
            if count > 0 { return count }
        }
    }

    /// Decodes the next member in one libdeflate call when it lies whole in the window: into
    /// `target` if it fits there (returning the byte count), else into `decoded` (returning
    /// nil, to be read from there). Leaves the input untouched otherwise (a member too large,
    /// cut off or damaged goes through zlib, which reports the problem precisely).
    private func decodeWholeMember(into target: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        try input.fill(atLeast: Self.wholeMemberLimit)
        guard input.available > 0 else { return nil }
        if let prefetcher {
            switch prefetcher.take(at: Int(input.consumed), helpingWith: whole) {
            case let .inflated(member): return adopt(member, from: prefetcher, into: target)
            case .failed: return nil
            case .unclaimed: break
            }
        }
        var destination = target
        while true {
            var consumed = 0
            var count = 0
            let status = libdeflate_gzip_decompress_ex(
                whole, input.pointer, min(input.available, Self.wholeMemberLimit), destination.baseAddress, destination.count,
                &consumed, &count)
            switch status {
            case LIBDEFLATE_SUCCESS:
                memberStarts.append(MemberStart(compressed: input.consumed, decompressed: produced))
                input.consume(consumed)
                produced += Int64(count)
                if destination.baseAddress == target.baseAddress { return count }
                decodedStart = 0
                decodedEnd = count
                return nil
            case LIBDEFLATE_INSUFFICIENT_SPACE where destination.baseAddress == target.baseAddress:
                destination = decoded
            case LIBDEFLATE_INSUFFICIENT_SPACE where decoded.count < Self.wholeOutputLimit:
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: decoded.count * 4, alignment: 16)
                decoded.deallocate()
                decoded = larger
                destination = decoded
            default:
                return nil
            }
        }
    }

    /// Takes a member a helper inflated: copies it into `target` if it fits (returning the byte
    /// count), else into `decoded` (returning nil, to be read from there).
    private func adopt(_ member: GzipMemberPrefetcher.Member, from prefetcher: GzipMemberPrefetcher,
                       into target: UnsafeMutableRawBufferPointer) -> Int? {
        defer { prefetcher.recycle(member.buffer) }
        memberStarts.append(MemberStart(compressed: input.consumed, decompressed: produced))
        input.consume(member.consumed!)
        produced += Int64(member.count)
        let output = UnsafeRawBufferPointer(rebasing: member.buffer[..<member.count])
        if member.count <= target.count {
            target.baseAddress!.copyMemory(from: output.baseAddress!, byteCount: member.count)
            return member.count
        }
        if decoded.count < member.count {
            decoded.deallocate()
            decoded = .allocate(byteCount: member.count, alignment: 16)
        }
        decoded.baseAddress!.copyMemory(from: output.baseAddress!, byteCount: member.count)
        decodedStart = 0
        decodedEnd = member.count
        return nil
    }

    /// Discards input up to the next gzip header (1f 8b 08). A header split across two
    /// buffer refills is missed, which costs one more member.
    private func skipToNextMember() throws(IOError) {
        input.consume(min(1, input.available))
        while try input.fill() {
            let p = input.pointer
            let n = input.available
            var i = 0
            while i + 2 < n, !(p[i] == 0x1F && p[i + 1] == 0x8B && p[i + 2] == 0x08) { i += 1 }
            if i + 2 < n {
                input.consume(i)
                return
            }
            input.consume(n)
        }
    }
}
