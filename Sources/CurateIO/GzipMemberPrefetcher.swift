import CDeflate
import Foundation

/// Decompresses the gzip members of a mapped file ahead of its reader, on helper threads, so
/// that a file of many members (one per WARC record) inflates on several cores.
///
/// Where a member ends is only known once it is inflated, so helpers guess: each claims the
/// next gzip header (`1f 8b 08`, reserved flags clear) after the last one claimed and inflates
/// from there with libdeflate, exactly as the reader would. The reader takes a result only for
/// the offset where its previous member ended, so a header-like byte sequence inside compressed
/// data costs one failed attempt and never a wrong member; an offset no helper claimed, or whose
/// output outgrew a helper's buffer limit, is inflated by the reader itself, as are damaged
/// members (through zlib, which names the problem). Output and errors therefore match a
/// single-threaded read.
final class GzipMemberPrefetcher: @unchecked Sendable {
    /// A member inflated by a helper: `count` bytes of output in `buffer`, and the compressed
    /// bytes it took (nil if libdeflate failed, or if `tooLarge`: the output outgrew the limit).
    struct Member {
        let buffer: UnsafeMutableRawBufferPointer
        let count: Int
        let consumed: Int?
        var tooLarge = false
    }

    enum Outcome {
        /// Inflated ahead; give `buffer` back with `recycle` once copied.
        case inflated(Member)
        /// libdeflate cannot inflate a whole member here (damaged, cut off, or too large).
        case failed
        /// Nobody claimed this offset, or its output outgrew a helper's limit (the reader's
        /// room may be larger); the reader inflates it itself.
        case unclaimed
    }

    private enum Slot {
        case working
        case done(Member)
    }

    private let file: MappedFile
    private let inputLimit: Int
    private let outputLimit: Int
    private let condition = NSCondition()
    private var slots: [Int: Slot] = [:]
    /// Where helpers look for the next header.
    private var scanFrom = 0
    /// The reader's position: slots before it are stale.
    private var position = 0
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var closed = false
    private var running: Int
    /// Members claimed ahead of the reader at most; bounds the memory held.
    private let maxAhead: Int

    /// Starts `helpers` threads over `file`. A member is inflated whole only if it takes at
    /// most `inputLimit` compressed bytes and expands to at most `outputLimit` bytes.
    init(file: MappedFile, helpers: Int, inputLimit: Int, outputLimit: Int) {
        self.file = file
        self.inputLimit = inputLimit
        self.outputLimit = outputLimit
        running = helpers
        maxAhead = 4 * helpers + 2
        for n in 0..<helpers {
            let thread = Thread { [self] in work() }
            thread.name = "curate-inflate-\(n + 1)"
            thread.start()
        }
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// The member at compressed offset `offset`. While a helper is still inflating it, the
    /// caller inflates members further on with `decompressor` instead of idling. Members
    /// before `offset` are dropped, and helpers move on past it.
    func take(at offset: Int, helpingWith decompressor: OpaquePointer) -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        if offset > position {
            position = offset
            for (key, slot) in slots where key < offset {
                slots[key] = nil
                if case let .done(member) = slot { keep(member.buffer) }
            }
            condition.broadcast()
        }
        if scanFrom <= offset {
            scanFrom = offset + 1
            return .unclaimed
        }
        while case .working? = slots[offset] {
            if inflateNext(with: decompressor) != .inflated { condition.wait() }
        }
        guard case let .done(member)? = slots.removeValue(forKey: offset) else { return .unclaimed }
        condition.broadcast()
        guard member.consumed != nil else {
            keep(member.buffer)
            return member.tooLarge ? .unclaimed : .failed
        }
        return .inflated(member)
    }

    /// Gives back the buffer of a member taken.
    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.lock()
        keep(buffer)
        condition.unlock()
    }

    /// Pools a buffer for the next member; one grown for a large member is freed instead.
    private func keep(_ buffer: UnsafeMutableRawBufferPointer) {
        if buffer.count > Self.bufferSize { buffer.deallocate() } else { buffers.append(buffer) }
    }

    private static let bufferSize = 4 << 20

    /// Stops the helpers and waits for them to leave.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        guard let decompressor = libdeflate_alloc_decompressor() else { return finish() }
        defer { libdeflate_free_decompressor(decompressor) }
        condition.lock()
        working: while !closed {
            switch inflateNext(with: decompressor) {
            case .inflated: continue
            case .full: condition.wait()
            case .noMoreHeaders: break working
            }
        }
        condition.unlock()
        finish()
    }

    private func finish() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    private enum Step { case inflated, full, noMoreHeaders }

    /// Claims the next gzip header and inflates the member there. Called with the lock held,
    /// which it releases while inflating.
    private func inflateNext(with decompressor: OpaquePointer) -> Step {
        guard slots.count < maxAhead else { return .full }
        guard let start = nextHeader(from: scanFrom) else { return .noMoreHeaders }
        scanFrom = start + 1
        slots[start] = .working
        let buffer = buffers.popLast() ?? .allocate(byteCount: Self.bufferSize, alignment: 16)
        condition.unlock()
        let member = inflate(at: start, into: buffer, with: decompressor)
        condition.lock()
        if let consumed = member.consumed { scanFrom = max(scanFrom, start + consumed) }
        if case .working? = slots[start] {
            slots[start] = .done(member)
        } else {
            keep(member.buffer)
        }
        condition.broadcast()
        return .inflated
    }

    /// Inflates the member at `start` into `buffer`, replacing the buffer by a larger one
    /// (four times, up to the output limit) while the output does not fit.
    private func inflate(at start: Int, into buffer: UnsafeMutableRawBufferPointer, with decompressor: OpaquePointer) -> Member {
        var buffer = buffer
        let input = file.bytes.baseAddress! + start
        let length = min(file.bytes.count - start, inputLimit)
        while true {
            var consumed = 0
            var count = 0
            let status = libdeflate_gzip_decompress_ex(decompressor, input, length, buffer.baseAddress, buffer.count, &consumed, &count)
            switch status {
            case LIBDEFLATE_SUCCESS:
                return Member(buffer: buffer, count: count, consumed: consumed)
            case LIBDEFLATE_INSUFFICIENT_SPACE where buffer.count < outputLimit:
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 4, alignment: 16)
                buffer.deallocate()
                buffer = larger
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                return Member(buffer: buffer, count: 0, consumed: nil, tooLarge: true)
            default:
                return Member(buffer: buffer, count: 0, consumed: nil)
            }
        }
    }

    /// The offset of the first gzip member header at or after `from` (deflate method, reserved
    /// flag bits clear), or nil.
    private func nextHeader(from: Int) -> Int? {
        let bytes = file.bytes
        var i = from
        while i + 4 <= bytes.count {
            guard let hit = memchr(bytes.baseAddress! + i, 0x1F, bytes.count - 3 - i) else { return nil }
            i = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if bytes[i + 1] == 0x8B, bytes[i + 2] == 0x08, bytes[i + 3] & 0xE0 == 0 { return i }
            i += 1
        }
        return nil
    }
}
